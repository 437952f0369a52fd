"""The building blocks the report (`pipelines/report.py`) and the snapshot diff
(`pipelines/diff.py`) share: the document model (sections of paragraphs, tables, figures), the
flat listing of an Arrow schema's fields, and writing one small file through Beam's
FileSystems. Both import it; neither imports the other's module for these.
"""
from __future__ import annotations

import dataclasses

import pyarrow as pa
from apache_beam.io.filesystems import FileSystems

__all__ = ["Table", "Figure", "Section", "type_name", "schema_fields", "write_file"]


# -- document model ------------------------------------------------------------------------------

@dataclasses.dataclass
class Table:
    header: list
    rows: list
    numeric: tuple = ()  # indexes of right-aligned columns


@dataclasses.dataclass
class Figure:
    name: str  # file name, e.g. "languages.png"
    caption: str
    png: bytes


@dataclasses.dataclass
class Section:
    title: str
    blocks: list  # str paragraphs, Table, Figure


# -- schemas -------------------------------------------------------------------------------------

def type_name(t: pa.DataType) -> str:
    """A short type name: nested types by kind only (their fields are listed on their own)."""
    if pa.types.is_struct(t):
        return "struct"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"list<{type_name(t.value_type)}>"
    return str(t)


def schema_fields(schema: pa.Schema) -> list:
    """[{"field": dotted path, "type": type_name}] of every (nested) field; list element
    names ("item" / "element", which Parquet renames) do not appear, so a schema read back from
    a data file compares equal to the one written."""
    out = []

    def walk(prefix, t):
        while pa.types.is_list(t) or pa.types.is_large_list(t):
            t = t.value_type
        if pa.types.is_struct(t):
            for i in range(t.num_fields):
                f = t.field(i)
                out.append({"field": prefix + f.name, "type": type_name(f.type)})
                walk(prefix + f.name + ".", f.type)

    for f in schema:
        out.append({"field": f.name, "type": type_name(f.type)})
        walk(f.name + ".", f.type)
    return out


# -- files ---------------------------------------------------------------------------------------

def write_file(path: str, data: bytes | str) -> None:
    """Write one small file through Beam's FileSystems (local, gs://, s3://)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with FileSystems.create(path) as fh:
        fh.write(data)
