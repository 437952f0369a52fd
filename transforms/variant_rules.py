"""Release variants: named subsets of the release, each written as its own Parquet set.

A variant is a list of exclusion reasons (`release.variants`, e.g. `full: []`,
`nontoxic: [toxic, unjudged]`); `release.never_release` lists reasons that remove a
conversation from every variant (WildChat dropped sexual content involving minors everywhere).
`full` is everything except the never-release rows, and every other variant removes more rows,
so each variant is a subset of `full` by construction.

Reasons (a pure predicate on a release row each):
- `toxic`: the conversation's `toxic` is true;
- `unjudged`: its `toxic` is null (a message no backend could judge: not known to be clean);
- `sexual_minors`: a message's OpenAI Moderation entry flags `sexual/minors`;
- `moderation_flagged`: a message's OpenAI Moderation entry is `flagged`;
- `orphan`: the conversation's first turns are missing (`orphan` true).

`variant_reasons(row, variants, never_release)` -> {variant: reason or None}, where the reason
is the first that applies (never-release reasons first), so the manifest's counts of why rows
left a variant add up to the rows it lost.

The Beam transform is `transforms/variants.py` (`SplitVariants`).
"""
from __future__ import annotations

__all__ = ["REASONS", "variant_reasons", "check_variants"]


def _toxic(row):
    return row.get("toxic") is True


def _unjudged(row):
    return row.get("toxic") is None


def _openai_flag(row, category):
    for entry in row.get("openai_moderation") or ():
        if entry and category is None and entry.get("flagged"):
            return True
        if entry and category is not None and (entry.get("categories") or {}).get(category):
            return True
    return False


REASONS = {
    "toxic": _toxic,
    "unjudged": _unjudged,
    "sexual_minors": lambda row: _openai_flag(row, "sexual/minors"),
    "moderation_flagged": lambda row: _openai_flag(row, None),
    "orphan": lambda row: row.get("orphan") is True,
}


def check_variants(variants: dict, never_release) -> None:
    """Raise ValueError (quoting the bad value) unless the variants are well formed."""
    if not isinstance(variants, dict) or "full" not in variants:
        raise ValueError(f"release.variants must be a mapping that includes full, got {variants!r}")
    if variants["full"]:
        raise ValueError(f"release.variants.full must exclude nothing (use release.never_release "
                         f"for rows no variant may hold), got {variants['full']!r}")
    for name, reasons in variants.items():
        if not isinstance(name, str) or not name.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"release.variants: {name!r} is not a usable name (letters, digits, - and _)")
        if not isinstance(reasons, (list, tuple)):
            raise ValueError(f"release.variants.{name} must be a list of reasons, got {reasons!r}")
        for reason in reasons:
            if reason not in REASONS:
                raise ValueError(f"release.variants.{name}: {reason!r} is not one of {', '.join(REASONS)}")
    for reason in never_release:
        if reason not in REASONS:
            raise ValueError(f"release.never_release: {reason!r} is not one of {', '.join(REASONS)}")


def variant_reasons(row: dict, variants: dict, never_release=()) -> dict:
    """{variant: None if the row is in it, else the first reason that removed it}."""
    withheld = next((r for r in never_release if REASONS[r](row)), None)
    if withheld:
        return {name: withheld for name in variants}
    return {name: next((r for r in reasons if REASONS[r](row)), None)
            for name, reasons in variants.items()}
