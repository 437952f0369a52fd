"""The statistics report of a run: `stats.json`, `report.md`, a self-contained `report.html`
(plots embedded as base64 PNGs) and the plots as `*.png`, all under OUT/report/<run_id>/.

Read like WildChat's Table 1 and Figure 1: counts, languages, turns per conversation,
prompt/response lengths, models, countries, months, toxicity, PII, the pipeline's own
accounting (linking tiers, retries, dead-letter reasons) and the diff against the previous
snapshot. Everything here is an aggregate: the numbers come from `transforms.dataset_stats`
(small cells already folded) and the manifest's counters; no text, hashed IP or key is read.

Plots use matplotlib's object API (`matplotlib.figure.Figure`, rendered by the Agg canvas),
so no GUI backend or global pyplot state is involved; PNGs carry no timestamp, so the same
statistics give the same bytes.
"""
from __future__ import annotations

import base64
import html
import io
import json

import pyarrow as pa
from apache_beam.io.filesystems import FileSystems

from pipelines.diff import Snapshot, diff_blocks, diff_snapshots, load_snapshot
from pipelines.report_blocks import Figure, Section, Table, schema_fields, type_name, write_file
from transforms.dataset_stats import OTHER, UNKNOWN

__all__ = ["complete_stats", "build_report", "render_markdown", "render_html", "write_report",
           "Section", "Table", "Figure", "write_file", "schema_fields", "type_name",
           "overview_table", "markdown_table", "publish_report", "check_previous", "read_json", "dataset_stats_path", "DATASET_STATS"]

# The pipeline's DatasetStatistics document, in the run's scratch folder until publication.
DATASET_STATS = "dataset_stats.json"
NER_MODES = ("ner+patterns", "names+patterns", "patterns")
TOXICITY_MODES = ("toxic", "clean", "unjudged")


# -- the statistics document -------------------------------------------------------------------

def _prefixed(stats: dict, prefix: str) -> dict:
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def _coverage(manifest_stats: dict, prefix: str, modes: tuple, codes: list) -> list:
    """Messages per language code and mode from the manifest's `<prefix><mode>.<code>`
    counters; codes outside `codes` (fewer than k conversations) are folded into OTHER."""
    table: dict = {}
    for key, n in manifest_stats.items():
        if not key.startswith(prefix):
            continue
        mode, _, code = key[len(prefix):].rpartition(".")
        if mode not in modes:
            continue
        row = table.setdefault(code if code in codes else OTHER, dict.fromkeys(modes, 0))
        row[mode] += n
    order = sorted(table, key=lambda c: (c == OTHER, -sum(table[c].values()), c))
    return [{"language_code": c, "messages": sum(table[c].values()), **table[c]} for c in order]


def complete_stats(dataset_stats: dict, manifest: dict, schema: pa.Schema) -> dict:
    """stats.json: the pipeline's dataset statistics plus the manifest's accounting."""
    s = manifest.get("stats", {})
    counts = manifest.get("counts", {})
    codes = dataset_stats.get("message_language_codes", [])
    variants = {}
    for key, n in _prefixed(s, "variants.").items():
        name, _, rest = key.partition(".")
        v = variants.setdefault(name, {"rows": 0, "left": {}})
        if rest == "rows":
            v["rows"] = n
        elif rest.startswith("left."):
            v["left"][rest[len("left."):]] = n
    return {
        **dataset_stats,
        "run_id": manifest.get("run_id"),
        "name": manifest.get("name"),
        "schema_version": manifest.get("schema_version"),
        "strategies": manifest.get("strategies", {}),
        "pipeline": {
            "counts": counts,
            # link.turns_in_conversations is a total (checked at publish), not a tier
            "link_tiers": {k: v for k, v in _prefixed(s, "link.").items()
                           if k != "turns_in_conversations"},
            "orphan_conversations": s.get("orphan_conversations", 0),
            "duplicate_turns": counts.get("duplicate_turns", 0),
            "deadletter_reasons": _prefixed(s, "deadletter."),
            # conversations a stage raised on (dead-lettered without text, never released)
            "stage_failures": _prefixed(s, "stage_failed."),
            "pii_redactions": _prefixed(s, "pii.redactions."),
            # how the scrubber covered each language: NER / the conversation's names / patterns
            "ner_coverage": _coverage(s, "pii.messages.", NER_MODES, codes),
            # what the toxicity backends could judge per language
            "toxicity_coverage": _coverage(s, "toxicity.messages.", TOXICITY_MODES, codes),
            "variants": variants,
            "sft": ({"rows": s.get("sft.rows", 0), "left": _prefixed(s, "sft.left.")}
                    if manifest.get("sft_schema_version") else None),
            "never_release": _prefixed(s, "never_release."),
            "geo_turns": _prefixed(s, "geo.turns."),
        },
        "schema": schema_fields(schema),
    }


def _n(x) -> str:
    return "" if x is None else f"{x:,}" if isinstance(x, int) else f"{x:,.1f}"


def _pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _num(x) -> str:
    return "n/a" if x is None else f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


# -- plots -------------------------------------------------------------------------------------------

def _figure(width=7.0, height=3.6):
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height), dpi=100)
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _barh(ax, labels, values, xlabel, fmt=_pct):
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, values, color="#4c72b0")
    ax.set_yticks(ys, labels)
    ax.set_xlabel(xlabel)
    for y, v in zip(ys, values):
        ax.text(v, y, " " + fmt(v), va="center", fontsize=8)
    ax.set_xlim(0, max(values + [0]) * 1.25 or 1)
    if fmt is _pct:
        ax.xaxis.set_major_formatter(_percent_formatter())


def _plot_shares(entries: list, title: str, limit: int = 20) -> bytes:
    entries = entries[:limit]
    fig = _figure(7, 0.8 + 0.3 * max(len(entries), 2))
    ax = fig.add_subplot()
    labels = [e["value"] for e in entries]
    ys = list(range(len(labels)))[::-1]
    conv = [e["conversation_share"] or 0 for e in entries]
    turns = [e["turn_share"] or 0 for e in entries]
    ax.barh([y + 0.2 for y in ys], conv, height=0.4, label="conversations", color="#4c72b0")
    ax.barh([y - 0.2 for y in ys], turns, height=0.4, label="user turns", color="#dd8452")
    ax.set_yticks(ys, labels)
    ax.set_xlabel("share")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8)
    ax.xaxis.set_major_formatter(_percent_formatter())
    return _png(fig)


def _percent_formatter():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _: f"{100 * x:.3g}%")


def _plot_turns(stats: dict) -> bytes:
    bins = stats["turns_per_conversation"]["histogram"]
    fig = _figure(7, 3.2)
    ax = fig.add_subplot()
    ax.bar([b["bin"] for b in bins], [b["conversations"] for b in bins], color="#4c72b0")
    ax.set_xlabel("user turns per conversation")
    ax.set_ylabel("conversations")
    ax.set_title("Turns per conversation")
    return _png(fig)


def _plot_lengths(stats: dict) -> bytes:
    fig = _figure(9, 0.8 + 0.35 * max(len(stats["lengths"]["user"]), 2))
    for i, (role, label) in enumerate((("user", "prompts"), ("assistant", "responses"))):
        ax = fig.add_subplot(1, 2, i + 1)
        entries = stats["lengths"][role]
        labels = [e["language"] for e in entries]
        ys = list(range(len(labels)))[::-1]
        med = [e["chars"]["median"] or 0 for e in entries]
        p90 = [e["chars"]["p90"] or 0 for e in entries]
        ax.barh(ys, p90, color="#c6d4ea", label="p90")
        ax.barh(ys, med, color="#4c72b0", label="median")
        ax.scatter([e["chars"]["mean"] or 0 for e in entries], ys, color="#dd8452", zorder=3,
                   label="mean", s=12)
        ax.set_yticks(ys, labels)
        ax.set_xlabel("characters")
        ax.set_title(f"Length of {label}")
        ax.set_xlim(0, max(p90 + [1]) * 1.4)  # room for the legend on the right
        ax.legend(loc="lower right", fontsize=7)
    return _png(fig)


def _plot_toxicity(stats: dict) -> bytes:
    fig = _figure(9, 0.8 + 0.35 * max(len(stats["by"]["language"]), len(stats["by"]["model"]), 2))
    for i, dim in enumerate(("language", "model")):
        ax = fig.add_subplot(1, 2, i + 1)
        entries = [e for e in stats["by"][dim] if e["toxic_conversation_rate"] is not None]
        _barh(ax, [e["value"] for e in entries], [e["toxic_conversation_rate"] for e in entries],
              "toxic share of judged conversations")
        ax.set_title(f"Toxicity by {dim}")
    return _png(fig)


def _plot_months(stats: dict) -> bytes:
    entries = [e for e in stats["by"]["month"] if e["value"] not in (OTHER, UNKNOWN)]
    fig = _figure(7, 3.2)
    ax = fig.add_subplot()
    ax.bar([e["value"] for e in entries], [e["conversations"] for e in entries], color="#4c72b0")
    ax.set_ylabel("conversations")
    ax.set_title("Conversations per month (first turn)")
    for label in ax.get_xticklabels():
        label.set_rotation(45)
        label.set_horizontalalignment("right")
    return _png(fig)


# -- the report ----------------------------------------------------------------------------------

def _share_table(entries: list, label: str, toxicity: bool) -> Table:
    header = [label, "conversations", "share", "user turns", "share"]
    if toxicity:
        header += ["judged conv.", "toxic conv. (of judged)", "toxic user turns (of judged)"]
    rows = []
    for e in entries:
        row = [e["value"], _n(e["conversations"]), _pct(e["conversation_share"]), _n(e["turns"]),
               _pct(e["turn_share"])]
        if toxicity:
            row += [_pct(e["toxicity_judged_conversations"] / e["conversations"]),
                    _pct(e["toxic_conversation_rate"]), _pct(e["toxic_user_turn_rate"])]
        rows.append(row)
    return Table(header, rows, numeric=tuple(range(1, len(header))))


def overview_table(stats: dict) -> Table:
    tpc = stats["turns_per_conversation"]
    tox = stats.get("toxicity")
    listed = [e["value"] for e in stats["by"]["language"] if not e["value"].startswith("(")]
    rows = [
        ["conversations", _n(stats["conversations"])],
        ["user turns", _n(stats["turns"])],
        ["users (distinct hashed IPs)", _n(stats["users"])],
        ["turns per conversation: mean / median / p90",
         f"{tpc['mean']:.2f} / {tpc['median']} / {tpc['p90']}" if tpc["mean"] is not None else "n/a"],
        ["languages listed (>= k conversations)", _n(len(listed))],
        ["models listed", _n(sum(not e["value"].startswith("(") for e in stats["by"]["model"]))],
        ["countries listed", _n(sum(not e["value"].startswith("(") for e in stats["by"]["country"]))],
        ["toxic conversations (of judged)",
         "no backend ran" if not tox else
         f"{_pct(tox['toxic_conversation_rate'])} of {_n(tox['toxicity_judged_conversations'])}"],
        ["toxic user turns (of judged)",
         "no backend ran" if not tox else
         f"{_pct(tox['toxic_user_turn_rate'])} of {_n(tox['toxicity_judged_user_turns'])}"],
        ["conversations with a redaction", _n(stats["redacted_conversations"])],
        ["orphan conversations", _n(stats["orphan_conversations"])],
    ]
    dup = stats.get("duplicates")
    if dup and stats.get("strategies", {}).get("duplicates", "none") != "none":
        rows.append(["duplicate conversations (exact / near)",
                     f"{_pct(dup['duplicate_share'])} ({_n(dup['exact_duplicate_conversations'])} / "
                     f"{_n(dup['near_duplicate_conversations'])})"])
    for role, label in (("user", "prompt"), ("assistant", "response")):
        every = stats["lengths_overall"][role]
        if every["messages"]:
            rows.append([f"{label} length, chars: mean / median / p90",
                         " / ".join(_num(every["chars"][q]) for q in ("mean", "median", "p90"))])
            rows.append([f"{label} length, tokens: mean / median / p90",
                         " / ".join(_num(every["tokens"][q]) for q in ("mean", "median", "p90"))])
    return Table(["statistic", "value"], rows, numeric=(1,))


def _lengths_table(entries: list) -> Table:
    rows = [[e["language"], _n(e["messages"]),
             *(_num(e[m][q]) for m in ("chars", "tokens") for q in ("mean", "median", "p90"))]
            for e in entries]
    return Table(["language", "messages", "chars mean", "median", "p90", "tokens mean", "median",
                  "p90"], rows, numeric=tuple(range(1, 8)))


def _pii_section(stats: dict) -> list:
    pii = stats["pii"]
    types = [t for t, n in pii["redactions"].items()]
    blocks = []
    if not types:
        return ["No PII types were configured."]
    blocks.append(Table(["type", "redactions in released text"],
                        [[t, _n(pii["redactions"][t])] for t in types], numeric=(1,)))
    blocks.append(Table(
        ["language", "messages", "redacted messages", *types],
        [[e["language"], _n(e["messages"]), _pct(e["redacted_message_share"]),
          *(_n(e["redactions"][t]) for t in types)] for e in pii["by_language"]],
        numeric=tuple(range(1, 3 + len(types)))))
    cov = stats.get("pipeline", {}).get("ner_coverage", [])
    if cov:
        blocks.append("NER coverage: messages per language (by message) and how the scrubber "
                      "covered them: NER on what people typed, the conversation's names on "
                      "replies, or patterns only (no model for the language).")
        blocks.append(Table(["language code", "messages", "NER", "names (replies)",
                             "patterns only", "NER share"],
                            [[c["language_code"], _n(c["messages"]), _n(c["ner+patterns"]),
                              _n(c["names+patterns"]), _n(c["patterns"]),
                              _pct(c["ner+patterns"] / c["messages"])]
                             for c in cov], numeric=(1, 2, 3, 4, 5)))
    return blocks


def _toxicity_coverage(stats: dict) -> list:
    cov = stats.get("pipeline", {}).get("toxicity_coverage", [])
    if not cov:
        return []
    return ["Messages per language (by message) by verdict; unjudged: no backend covers the "
            "language.",
            Table(["language code", "messages", "toxic", "clean", "unjudged", "judged share"],
                  [[c["language_code"], _n(c["messages"]), _n(c["toxic"]), _n(c["clean"]),
                    _n(c["unjudged"]), _pct((c["toxic"] + c["clean"]) / c["messages"])]
                   for c in cov], numeric=(1, 2, 3, 4, 5))]


def _duplicates_section(stats: dict) -> list:
    d = stats.get("duplicates")
    if stats.get("strategies", {}).get("duplicates") == "none" or d is None:
        return ["Duplicate detection was off for this snapshot: the duplicate columns are null."]
    blocks = [
        f"{_n(d['duplicate_conversations'])} of {_n(stats['conversations'])} conversations "
        f"({_pct(d['duplicate_share'])}) are flagged as duplicates of a conversation that is kept: "
        f"{_n(d['exact_duplicate_conversations'])} exact (the same normalised text), "
        f"{_n(d['near_duplicate_conversations'])} near (a near-identical first prompt; a "
        "conversation can be both). Each cluster keeps its earliest conversation; the flags "
        "are the columns `duplicate_exact`, `duplicate_near` and `duplicate_of`."]
    for dim in ("language", "model"):
        blocks.append(Table(
            [dim, "conversations", "duplicates", "share", "exact", "near"],
            [[e["value"], _n(e["conversations"]), _n(e["duplicate_conversations"]),
              _pct(e["duplicate_share"]), _n(e["exact_duplicate_conversations"]),
              _n(e["near_duplicate_conversations"])] for e in stats["by"][dim]],
            numeric=(1, 2, 3, 4, 5)))
    sft = stats.get("pipeline", {}).get("sft")
    if sft:
        blocks.append(f"The `sft` export holds {_n(sft['rows'])} conversations; left out: "
                      + (", ".join(f"{r} {_n(n)}" for r, n in sft["left"].items()) or "none") + ".")
    return blocks


def _pipeline_section(stats: dict) -> list:
    p = stats.get("pipeline")
    if not p:
        return ["The manifest's accounting was not available."]
    c = p["counts"]
    blocks = [
        f"Input identity: {_n(c.get('input_records'))} input records = "
        f"{_n(c.get('deadletter'))} dead-lettered + {_n(c.get('filtered_no_consent'))} without "
        f"consent + {_n(c.get('duplicate_turns'))} repeated ids and retries + "
        f"{_n(c.get('linked_turns'))} linked turns, released as "
        f"{_n(c.get('released_conversations'))} conversations "
        f"({_n(p['orphan_conversations'])} orphans).",
        Table(["how a turn found its parent", "turns"],
              [[k, _n(v)] for k, v in p["link_tiers"].items()], numeric=(1,)),
        Table(["dead-letter reason", "records"],
              [[k, _n(v)] for k, v in p["deadletter_reasons"].items()] or [["(none)", "0"]],
              numeric=(1,)),
    ]
    if p.get("stage_failures"):
        blocks.append("Conversations dead-lettered because a stage failed on them (not released): "
                      + ", ".join(f"{stage} {_n(n)}" for stage, n in p["stage_failures"].items()) + ".")
    if p.get("variants"):
        blocks.append(Table(["variant", "conversations", "left the variant because"],
                            [[name, _n(v["rows"]),
                              ", ".join(f"{r}: {_n(n)}" for r, n in v["left"].items()) or "-"]
                             for name, v in p["variants"].items()], numeric=(1,)))
    if p.get("never_release"):
        blocks.append("Withheld from every variant: " + ", ".join(
            f"{r} {_n(n)}" for r, n in p["never_release"].items()) + ".")
    return blocks


def _diff_section(diff: dict | None) -> list:
    if diff is None:
        return ["No previous snapshot: this is the first release at this location (or "
                "`--previous` pointed nowhere)."]
    return diff_blocks(diff)


def build_report(stats: dict, diff: dict | None = None, plots: bool = True) -> tuple:
    """(title, [Section]) of the report."""
    by = stats["by"]
    tox = stats.get("toxicity") is not None

    def fig(name, caption, make):
        return [Figure(name, caption, make())] if plots else []

    k = stats["min_cell_conversations"]
    sections = [
        Section("Overview", [
            f"Cells with fewer than {k} conversations are folded into `{OTHER}`; `{UNKNOWN}` "
            "holds conversations where the field is null. Medians and p90 of lengths are within "
            f"{_pct(stats['quantiles']['relative_error'])} of the exact value "
            "(log-bucket histogram); turn counts are exact.",
            overview_table(stats)]),
        Section("Languages", [_share_table(by["language"], "language", tox),
                              *fig("languages.png", "Share of conversations and user turns per "
                                   "language", lambda: _plot_shares(by["language"], "Languages"))]),
        Section("Turns per conversation", [
            Table(["user turns", "conversations"],
                  [[b["bin"], _n(b["conversations"])]
                   for b in stats["turns_per_conversation"]["histogram"]], numeric=(1,)),
            *fig("turns_per_conversation.png", "Conversations by number of user turns",
                 lambda: _plot_turns(stats))]),
        Section("Prompt and response lengths", [
            "Per message language; whitespace tokens.", "User prompts:",
            _lengths_table(stats["lengths"]["user"]), "Assistant responses:",
            _lengths_table(stats["lengths"]["assistant"]),
            *fig("lengths.png", "Median (bar), p90 (light bar) and mean (dot) length in "
                 "characters", lambda: _plot_lengths(stats))]),
        Section("Models", [_share_table(by["model"], "model", tox),
                           *fig("models.png", "Share per model",
                                lambda: _plot_shares(by["model"], "Models"))]),
        Section("Countries", [
            f"Top {stats['top_n']} countries; the rest in `{OTHER}`.",
            _share_table(by["country"], "country", tox),
            *(fig("countries.png", "Share per country",
                  lambda: _plot_shares(by["country"], "Countries"))
              if any(e["value"] != UNKNOWN for e in by["country"]) else
              ["No country is known (geo lookup off, or no public IP addresses)."])]),
        Section("Conversations over time", [
            _share_table(by["month"], "month (first turn)", tox),
            *fig("over_time.png", "Conversations per month", lambda: _plot_months(stats))]),
        Section("Toxicity", [
            "No toxicity backend ran for this snapshot: `toxic` is null everywhere."] if not tox else [
            f"{_pct(stats['toxicity']['toxic_conversation_rate'])} of the "
            f"{_n(stats['toxicity']['toxicity_judged_conversations'])} conversations a backend "
            f"could judge are toxic ({_pct(stats['toxicity']['toxic_user_turn_rate'])} of "
            f"{_n(stats['toxicity']['toxicity_judged_user_turns'])} judged user turns). Rates are "
            "over what a backend could judge; the rest stay null and are not counted as clean. "
            "Per language and model: the tables above.",
            *_toxicity_coverage(stats),
            *fig("toxicity.png", "Toxic share of judged conversations by language and model",
                 lambda: _plot_toxicity(stats))]),
        Section("PII", _pii_section(stats)),
        Section("Duplicates", _duplicates_section(stats)),
        Section("Pipeline", _pipeline_section(stats)),
        Section("Changes since the previous snapshot", _diff_section(diff)),
    ]
    title = f"{stats.get('name') or 'release'}: snapshot {stats.get('run_id') or ''}".strip()
    return title, sections


# -- rendering ----------------------------------------------------------------------------------

def _md_cell(x) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def markdown_table(t: Table) -> list:
    align = ["---:" if i in t.numeric else "---" for i in range(len(t.header))]
    return ["| " + " | ".join(map(_md_cell, t.header)) + " |", "|" + "|".join(align) + "|",
            *("| " + " | ".join(map(_md_cell, r)) + " |" for r in t.rows)]


def render_markdown(title: str, sections: list) -> str:
    lines = [f"# {title}", "",
             "<!-- Generated by pipelines/report.py from stats.json. Aggregates only. -->", ""]
    for s in sections:
        lines += [f"## {s.title}", ""]
        for b in s.blocks:
            if isinstance(b, Table):
                lines += markdown_table(b)
            elif isinstance(b, Figure):
                lines.append(f"![{b.caption}]({b.name})")
            else:
                lines.append(b)
            lines.append("")
    return "\n".join(lines)


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222}table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;
padding:.2rem .5rem}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%}figcaption{color:#555;font-size:.9rem}code{background:#f3f3f3}"""


def _inline(text: str) -> str:
    """Escape, then turn `code` spans into <code>."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def render_html(title: str, sections: list) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{html.escape(title)}</h1>"]
    for s in sections:
        out.append(f"<h2>{html.escape(s.title)}</h2>")
        for b in s.blocks:
            if isinstance(b, Table):
                out.append("<table><tr>" + "".join(f"<th>{html.escape(str(h))}</th>"
                                                   for h in b.header) + "</tr>")
                for r in b.rows:
                    out.append("<tr>" + "".join(
                        f'<td class="n">{html.escape(str(x))}</td>' if i in b.numeric
                        else f"<td>{_inline(str(x))}</td>" for i, x in enumerate(r)) + "</tr>")
                out.append("</table>")
            elif isinstance(b, Figure):
                data = base64.b64encode(b.png).decode("ascii")
                out.append(f'<figure><img alt="{html.escape(b.caption)}" '
                           f'src="data:image/png;base64,{data}"><figcaption>'
                           f"{html.escape(b.caption)}</figcaption></figure>")
            else:
                out.append(f"<p>{_inline(b)}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _json(doc) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dataset_stats_path(paths) -> str:
    """Where the pipeline leaves its DatasetStatistics document (`paths`: layout.RunPaths)."""
    return FileSystems.join(paths.tmp, DATASET_STATS)


def read_json(path: str) -> dict:
    with FileSystems.open(path) as fh:
        return json.loads(fh.read().decode("utf-8"))


def check_previous(previous_dir: str | None) -> None:
    """Fail fast (before the pipeline runs) when `--previous` names no snapshot."""
    from pipelines.config import ConfigError

    if previous_dir is not None and load_snapshot(previous_dir) is None:
        raise ConfigError(f"report.previous: no snapshot (manifest.json or stats.json) at "
                          f"{previous_dir!r}")


def publish_report(report_dir: str, dataset_stats: dict, manifest: dict, schema: pa.Schema,
                   previous_dir: str | None, min_share_change: float = 0.01) -> dict:
    """The publish step's part (before the run's manifest is written): stats.json, the diff
    against the snapshot at `previous_dir` (when there is one) and the report, under
    `report_dir`. Returns stats.json's document (the card needs it)."""
    stats = complete_stats(dataset_stats, manifest, schema)
    previous = load_snapshot(previous_dir) if previous_dir else None
    diff = None
    if previous is not None:
        diff = diff_snapshots(previous, Snapshot(manifest, stats, stats["schema"]), min_share_change)
    write_report(report_dir, stats, diff)
    return stats


def write_report(report_dir: str, stats: dict, diff: dict | None = None,
                 plots: bool = True) -> list:
    """Write stats.json, diff.json (when there is a previous snapshot), the plots, report.md
    and report.html under `report_dir`; returns the paths written."""
    title, sections = build_report(stats, diff, plots)
    files = {"stats.json": _json(stats)}
    if diff is not None:
        files["diff.json"] = _json(diff)
    for s in sections:
        for b in s.blocks:
            if isinstance(b, Figure):
                files[b.name] = b.png
    files["report.md"] = render_markdown(title, sections)
    files["report.html"] = render_html(title, sections)
    paths = []
    for name, data in files.items():
        path = FileSystems.join(report_dir, name)
        write_file(path, data)
        paths.append(path)
    return paths
