"""Entry points: `python -m pipelines.release`, `python -m pipelines.generate`."""
