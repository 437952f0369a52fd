"""Precision, recall and F1 of binary flags (shared by training and evaluation)."""
from __future__ import annotations

__all__ = ["prf"]


def prf(labels, flags) -> dict:
    tp = sum(1 for y, f in zip(labels, flags) if y and f)
    fp = sum(1 for y, f in zip(labels, flags) if not y and f)
    fn = sum(1 for y, f in zip(labels, flags) if y and not f)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"n": len(labels), "positives": sum(labels), "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(f1, 4)}
