"""Schemas as code: the input contract (`schemas.input`) and the Arrow release schema (`schemas.release`)."""
