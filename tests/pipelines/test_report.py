"""The statistics report: Markdown + self-contained HTML with plots, aggregates only."""
import datetime as dt
import json
import re

import pytest

from pipelines.report import build_report, render_markdown, write_report
from tests.conftest import SAMPLE, TEST_KEY
from transforms.dataset_stats import summarize_rows

PNG = b"\x89PNG\r\n\x1a\n"


def test_report_files_of_the_sample(sample_release, sample_stats):
    out, manifest, _ = sample_release
    report = out / "report" / manifest["run_id"]
    names = sorted(p.name for p in report.iterdir())
    pngs = [n for n in names if n.endswith(".png")]
    assert {"stats.json", "report.md", "report.html"} <= set(names)
    assert "diff.json" not in names  # the first release at its OUT has nothing to diff against
    # the paper's Figure 1: languages, turns, lengths, models, months, toxicity (countries
    # when the sample has public IPs; otherwise the section says why)
    assert {"languages.png", "turns_per_conversation.png", "lengths.png", "models.png",
            "over_time.png", "toxicity.png"} <= set(pngs)
    for name in pngs:
        assert (report / name).read_bytes().startswith(PNG)
    md = (report / "report.md").read_text()
    html = (report / "report.html").read_text()
    for name in pngs:
        assert f"]({name})" in md
    assert html.count('src="data:image/png;base64,') == len(pngs)
    assert "<img" in html and 'src="http' not in html and "<script" not in html
    for title in ("Overview", "Languages", "Turns per conversation", "Prompt and response lengths",
                  "Models", "Countries", "Conversations over time", "Toxicity", "PII", "Pipeline",
                  "Changes since the previous snapshot"):
        assert f"## {title}" in md and f"<h2>{title}</h2>" in html
    assert f"| conversations | {sample_stats['conversations']:,} |" in md
    assert sample_stats["pipeline"]["counts"] == manifest["counts"]
    assert sample_stats["toxicity"]["toxicity_judged_conversations"] > 0


def test_the_same_statistics_give_the_same_bytes(sample_release, sample_stats, tmp_path):
    out, manifest, _ = sample_release
    write_report(str(tmp_path), sample_stats)
    for f in tmp_path.iterdir():
        assert f.read_bytes() == (out / "report" / manifest["run_id"] / f.name).read_bytes(), f.name


def test_toxicity_and_countries_are_plotted_when_known():
    def row(i):
        toxic = i % 4 == 0
        msgs = [{"role": "user", "content": "x", "language": "English", "toxic": toxic},
                {"role": "assistant", "content": "y", "language": "English", "toxic": False}]
        return {"conversation_id": str(i), "language": "English", "model": "m", "turn": 1,
                "country": ("France", "Peru")[i % 2], "toxic": toxic, "conversation": msgs,
                "timestamp": dt.datetime(2024, 1 + i % 2, 1)}

    stats = summarize_rows([row(i) for i in range(40)], k=10)
    _, sections = build_report(stats, plots=True)
    figures = [b.name for s in sections for b in s.blocks if hasattr(b, "png")]
    assert "toxicity.png" in figures and "countries.png" in figures
    md = render_markdown("t", sections)
    assert "| English | 40 | 100.0% | 40 | 100.0% | 100.0% | 25.0% | 25.0% |" in md


def _sensitive_values(out):
    """Hashed IPs, message texts and raw IPs of the sample: none may appear in a report."""
    import gzip

    import pyarrow.parquet as pq

    from tests.conftest import current_files

    rows = pq.read_table(current_files(out)).to_pylist()
    ips = {m["hashed_ip"] for r in rows for m in r["conversation"] if m["hashed_ip"]}
    texts = {m["content"][:40] for r in rows for m in r["conversation"] if len(m["content"]) >= 40}
    raw_ips = set()
    for path in SAMPLE.glob("turns-*.jsonl*"):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        raw_ips.update(re.findall(rb'"ip": ?"([^"]+)"', data))
    return ips, texts, {ip.decode() for ip in raw_ips}


def test_nothing_sensitive_in_the_report_or_the_cards(sample_release):
    out, manifest, _ = sample_release
    run = manifest["run_id"]
    files = [*(out / "report" / run).iterdir(), out / "release" / "README.md",
             out / "release" / run / "README.md"]
    ips, texts, raw_ips = _sensitive_values(out)
    assert ips and texts and raw_ips
    for f in files:
        if f.suffix == ".png":
            continue
        text = f.read_text()
        assert not re.search(r"\b[0-9a-f]{64}\b", text), f"{f.name}: a 64-hex value (hashed IP?)"
        assert TEST_KEY not in text and manifest["ip_hash_key"]["fingerprint"] not in text
        assert not [t for t in texts if t in text], f"{f.name}: message text"
        assert not [ip for ip in raw_ips if re.search(rf"(?<![\w.:]){re.escape(ip)}(?![\w.:])", text)], \
            f"{f.name}: a raw IP"


@pytest.mark.parametrize("plots", [False])
def test_the_report_can_skip_plots(sample_stats, tmp_path, plots):
    write_report(str(tmp_path), sample_stats, plots=plots)
    assert not list(tmp_path.glob("*.png"))
    assert "data:image/png" not in (tmp_path / "report.html").read_text()
