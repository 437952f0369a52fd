"""Entry points: `python -m pipelines.release` (and its helpers); the sample generator lives in `tools/`."""
