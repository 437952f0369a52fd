"""Build the PII-free technical texts: `python -m bench.pii_eval.make_technical_set`.

Writes `data/technical.jsonl` ({"id", "source", "split", "text"}), texts a scrubber must leave
byte-identical. Three kinds, each record says its source:
- `docstring:<object> (<package> <version>)`: the Examples section of a docstring of an
  installed package (pandas, numpy, scipy, scikit-learn, pyarrow), wrapped as a chatbot
  answer (one sentence + a fenced doctest session). Their data has capitalized words that
  are not names (Falcon, Parrot, "Max Speed").
- `readme:<distribution> <version>`: the first code examples of a package's README as
  shipped in its wheel metadata (requests, orjson, rich, typer, ...), with the heading and
  prose around them: the text as the package's authors wrote it.
- `written`: texts written for this set (technical_texts.py): code answers in many
  languages, shell sessions, configs, stack traces, install instructions naming tools,
  assignments to token/secret/password/api_key that are not secrets, Markdown tables.

Pinned versions (constraints.txt) give the same file; `split` is a hash of the id. Every
extracted text was read by a person for personal data (author names, e-mail addresses, phone
numbers); the packages and objects below are the ones that had none. Left out on reading:
smart_open's README (quotes "Winston Smith" from 1984), scipy.optimize.minimize and
scipy.stats.ttest_ind (eponyms: Nelder-Mead, Karush-Kuhn-Tucker, Yuen; a scrubber should
keep those, but they are person names, and this set must hold none).
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import inspect
import re

from bench.pii_eval import technical_texts
from bench.pii_eval.common import DATA_DIR, dump_jsonl, split_of

DOCSTRINGS = """
pandas.DataFrame.merge pandas.DataFrame.pivot_table pandas.read_csv pandas.DataFrame.fillna
pandas.DataFrame.sort_values pandas.Series.str.contains pandas.DataFrame.drop_duplicates
pandas.to_datetime pandas.DataFrame.apply pandas.DataFrame.melt pandas.cut pandas.DataFrame.explode
pandas.DataFrame.query pandas.DataFrame.groupby pandas.concat pandas.DataFrame.rolling
pandas.DataFrame.astype pandas.DataFrame.rename pandas.DataFrame.iterrows pandas.Series.map
numpy.linspace numpy.reshape numpy.where numpy.concatenate numpy.argsort numpy.unique
numpy.histogram numpy.clip numpy.cumsum numpy.arange numpy.meshgrid numpy.linalg.solve
numpy.percentile numpy.stack
scipy.interpolate.CubicSpline
sklearn.model_selection.train_test_split sklearn.preprocessing.StandardScaler
sklearn.pipeline.make_pipeline sklearn.metrics.confusion_matrix sklearn.cluster.KMeans
pyarrow.table pyarrow.parquet.write_table
""".split()
# (distribution, number of code blocks to keep)
READMES = [("requests", 1), ("orjson", 2), ("rich", 2), ("typer", 2), ("click", 1),
           ("jinja2", 1), ("httpx", 2), ("tldextract", 2), ("datasets", 2),
           ("langdetect", 2), ("pyarrow", 1)]
MAX_EXAMPLE_CHARS = 2500


def _resolve(path: str):
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(path)


def docstring_text(path: str) -> str | None:
    doc = inspect.getdoc(_resolve(path)) or ""
    m = re.search(r"\nExamples\n-+\n(.*?)(?=\n\S[^\n]*\n-{3,}\n|\Z)", doc, re.S)
    if not m:
        return None
    examples = m.group(1).strip("\n")
    if len(examples) > MAX_EXAMPLE_CHARS:  # cut at a blank line
        cut = examples.rfind("\n\n", 0, MAX_EXAMPLE_CHARS)
        examples = examples[:cut if cut > 0 else MAX_EXAMPLE_CHARS].rstrip()
    summary = doc.strip().split("\n\n")[0].replace("\n", " ")
    name = path.split(".")[-1]
    return (f"`{name}` does this: {summary}\n\nHere are the examples from the documentation, "
            f"as an interactive session:\n\n```python\n{examples}\n```")


def readme_text(dist: str, blocks: int) -> str | None:
    meta = md.metadata(dist)
    body = meta.get_payload() or meta.get("Description") or ""
    fences = [m.start() for m in re.finditer(r"(?m)^```", body)]
    if len(fences) < 2 * blocks:
        return None
    end = body.index("\n", fences[2 * blocks - 1]) if "\n" in body[fences[2 * blocks - 1]:] else len(body)
    start = body.rfind("\n#", 0, fences[0])  # from the heading above the first block
    start = fences[0] if start < 0 or fences[0] - start > 1500 else start + 1
    return body[start:end].strip()


def build() -> list[dict]:
    records = []
    for path in DOCSTRINGS:
        text = docstring_text(path)
        if text:
            pkg = path.split(".")[0]
            version = md.version({"sklearn": "scikit-learn"}.get(pkg, pkg))
            records.append({"id": f"tech-doc-{path}", "source": f"docstring:{path} ({pkg} {version})",
                            "text": text})
    for dist, blocks in READMES:
        text = readme_text(dist, blocks)
        if text:
            records.append({"id": f"tech-readme-{dist}",
                            "source": f"readme:{dist} {md.version(dist)} (wheel METADATA)", "text": text})
    for key, text in technical_texts.TEXTS:
        records.append({"id": f"tech-{key}", "source": "written", "text": text})
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate ids in the technical set")
    return [{"id": r["id"], "source": r["source"], "split": split_of(r["id"]), "text": r["text"]}
            for r in records]


def main() -> None:
    records = build()
    dump_jsonl(records, DATA_DIR / "technical.jsonl")
    by = {s: sum(r["split"] == s for r in records) for s in ("tune", "heldout")}
    kinds = {k: sum(r["source"].startswith(k) for r in records) for k in ("docstring", "readme", "written")}
    print(f"{len(records)} technical texts: {by}, {kinds}")


if __name__ == "__main__":
    main()
