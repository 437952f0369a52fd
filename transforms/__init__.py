"""PTransforms and DoFns of the release pipeline, one idea per module."""
