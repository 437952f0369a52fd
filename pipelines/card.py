"""The dataset card: a Hugging Face README.md with YAML front matter, generated from a run's
manifest, its statistics document and the release's Arrow schema. Never edited by hand.

- `configs` names one config per release variant, plus `sft` (the chat-form export) when it
  was written, each listing exactly the data files the manifest lists (a reader trusts only
  those), so `datasets.load_dataset(OUT/release, variant)` loads them; `dataset_info` gives
  each config's features (from its Arrow schema, the same YAML
  `datasets.Features._to_yaml_list` writes) and its split: `name`, `num_examples` (rows, which
  `datasets` checks on load) and `num_bytes` (the shards' size decoded into Arrow), the three
  fields `datasets` requires of a split.
- The text explains collection (consent), processing (linking, language, PII and what it
  misses, IP hashing, geo, toxicity), the fields, a statistics table (small cells already
  folded by `transforms.dataset_stats`) and the limitations.

`render_card(manifest, stats, schema, prefix)`: `prefix` is where the run's folder is seen
from the card: "" for OUT/release/<run_id>/README.md, "<run_id>/" for OUT/release/README.md.
"""
from __future__ import annotations

import pyarrow as pa
import yaml

from pipelines.report import markdown_table, overview_table, type_name
from schemas.sft import sft_schema
from transforms.sft import SFT

__all__ = ["render_card", "features_yaml", "size_category", "variant_files", "FIELD_DOCS"]

DEFAULT_VARIANT = "full"

# Descriptions of the release fields (schemas/release.py); nested fields as "parent.child".
FIELD_DOCS = {
    "conversation_hash": "32 hex of xxh3-128 over the released (scrubbed) messages; a content "
                         "hash, not unique (use `conversation_id`)",
    "conversation_id": "`<root turn_id>-<leaf turn_id>`: unique, stable while the conversation "
                       "is not extended",
    "model": "the most common model over the conversation's turns",
    "timestamp": "time of the first known turn (UTC)",
    "conversation": "the messages, in order (one struct per message)",
    "conversation.content": "the message text after PII scrubbing (placeholders like `[PERSON_1]`)",
    "conversation.role": "`system`, `user` or `assistant`",
    "conversation.language": "detected language (English name; `Unknown` when undecided)",
    "conversation.language_code": "ISO 639-1 code of `language` (`und` when undecided)",
    "conversation.redacted": "true when the scrubber replaced something in this message",
    "conversation.toxic": "toxicity verdict of this message; null where no backend judged it",
    "conversation.timestamp": "time of the API call that produced the message (null for "
                              "exchanges before an orphan's first known turn)",
    "conversation.turn_identifier": "id of the logged API call (a user message and its reply "
                                    "share it)",
    "conversation.hashed_ip": "keyed HMAC-SHA256 of the caller's IP (64 hex), not reversible "
                              "without the key",
    "conversation.country": "country of the IP (GeoIP lookup before hashing); null if unknown",
    "conversation.state": "most specific subdivision of the IP; null if unknown",
    "conversation.header": "allowed request headers (user agent, accept-language)",
    "turn": "number of user turns",
    "language": "the conversation's language (most letters over its user messages)",
    "language_code": "ISO 639-1 code of `language`",
    "openai_moderation": "per message: OpenAI Moderation categories, scores and flag (null "
                         "where not judged; the column is null when the backend did not run)",
    "detoxify_moderation": "per message: Detoxify scores (null where not judged or not run)",
    "profanity_check_moderation": "per message: the offline profanity classifier's score",
    "ngram_toxicity_moderation": "per message: the offline multilingual toxicity model's probability (ngram_tox_v1; null where its language is not judged)",
    "toxic": "true when any message is toxic, false when all were judged clean, else null",
    "redacted": "true when any message was scrubbed",
    "state": "most common `state` over the conversation's turns",
    "country": "most common `country` over the conversation's turns",
    "hashed_ip": "most common `hashed_ip` over the conversation's turns",
    "header": "most common headers over the conversation's turns",
    "orphan": "true when the conversation's first turns were not in the logs (their messages "
              "come from the first known request, with null metadata)",
    "duplicate_exact": "true when another conversation with the same normalised text (case, "
                       "spacing and Unicode forms ignored) is kept instead of this one; null "
                       "when duplicate detection was off",
    "duplicate_near": "true when this conversation's first prompt is a near duplicate (same "
                      "words, estimated Jaccard >= the threshold) of a kept conversation's",
    "duplicate_of": "conversation_id of the conversation this one duplicates (the earliest of "
                    "its cluster, then the smallest id); null when this one is kept",
}

# Fields of the sft config's rows (schemas/sft.py).
SFT_FIELD_DOCS = {
    "conversation_id": "the release row's `conversation_id`",
    "conversation_hash": "the release row's `conversation_hash`",
    "model": "the most common model over the conversation's turns",
    "language": "the conversation's language (English name)",
    "language_code": "ISO 639-1 code of `language`",
    "turn": "user messages in `messages`",
    "duplicate": "`duplicate_exact` or `duplicate_near` of the release row (null when detection "
                 "was off)",
    "messages": "`[{role, content}]`: an optional system message, then user and assistant "
                "alternating, ending with the assistant (checked for every row)",
}


# -- YAML metadata --------------------------------------------------------------------------

def _dtype(t: pa.DataType):
    """A Hugging Face feature (the YAML form of `datasets.Features`) for an Arrow type."""
    if pa.types.is_struct(t):
        return {"struct": [_feature(t.field(i)) for i in range(t.num_fields)]}
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return {"list": _collapse(_dtype(t.value_type))}
    if pa.types.is_timestamp(t):
        return {"dtype": f"timestamp[{t.unit}" + (f", tz={t.tz}]" if t.tz else "]")}
    names = {pa.string(): "string", pa.large_string(): "large_string", pa.bool_(): "bool",
             pa.float16(): "float16", pa.float32(): "float32", pa.float64(): "float64",
             pa.binary(): "binary", pa.large_binary(): "large_binary"}
    if t in names:
        return {"dtype": names[t]}
    if pa.types.is_integer(t):
        return {"dtype": str(t)}
    raise ValueError(f"no Hugging Face feature for Arrow type {t}")


def _collapse(inner: dict):
    """A list's element as `datasets` writes it: a dtype name, a struct's field list, or a
    nested mapping (a list of lists)."""
    if set(inner) == {"dtype"}:
        return inner["dtype"]
    if set(inner) == {"struct"}:
        return inner["struct"]
    return inner


def _feature(field: pa.Field) -> dict:
    return {"name": field.name, **_dtype(field.type)}


def features_yaml(schema: pa.Schema) -> list:
    return [_feature(f) for f in schema]


def size_category(n: int) -> str:
    """Hugging Face's size_categories bucket for n rows."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
              (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"),
              (1_000_000_000, "100M<n<1B"), (10_000_000_000, "1B<n<10B")]
    return next((name for bound, name in bounds if n < bound), "n>10B")


def variant_files(manifest: dict) -> dict:
    """{variant: [shard dict]} in the manifest's order, `full` first."""
    out: dict = {}
    for shard in manifest.get("shards", []):
        out.setdefault(shard.get("variant", DEFAULT_VARIANT), []).append(shard)
    order = list((manifest.get("config", {}).get("release", {}).get("variants") or {}))
    return dict(sorted(out.items(), key=lambda kv: (kv[0] != DEFAULT_VARIANT,
                                                   order.index(kv[0]) if kv[0] in order else 99,
                                                   kv[0])))


def _features(name: str, schema: pa.Schema) -> list:
    return features_yaml(sft_schema() if name == SFT else schema)


def _front_matter(manifest: dict, stats: dict, schema: pa.Schema, prefix: str) -> dict:
    cfg = manifest.get("config", {})
    report = cfg.get("report", {})
    variants = variant_files(manifest)
    conversations = sum(s["rows"] for s in variants.get(DEFAULT_VARIANT, []))
    meta = {
        "pretty_name": report.get("pretty_name") or manifest.get("name") or "wchat-release",
        "license": report.get("license", "other"),
    }
    if stats.get("language_codes"):
        meta["language"] = list(stats["language_codes"])
    meta["size_categories"] = [size_category(conversations)]
    meta["task_categories"] = list(report.get("task_categories") or [])
    meta["configs"] = [
        {"config_name": name,
         **({"default": True} if name == DEFAULT_VARIANT else {}),
         "data_files": [{"split": "train", "path": [prefix + s["file"] for s in shards]}]}
        for name, shards in variants.items()]
    meta["dataset_info"] = [
        {"config_name": name, "features": _features(name, schema),
         "splits": [{"name": "train", "num_bytes": sum(s.get("arrow_bytes", 0) for s in shards),
                     "num_examples": sum(s["rows"] for s in shards)}],
         "download_size": sum(s["bytes"] for s in shards)}
        for name, shards in variants.items()]
    return meta


# -- the text ----------------------------------------------------------------------------------

def _n(x) -> str:
    return "n/a" if x is None else f"{x:,}"


def _summary(manifest: dict, stats: dict, variants: dict) -> list:
    c = manifest.get("counts", {})
    langs = [e["value"] for e in stats["by"]["language"] if not e["value"].startswith("(")]
    lines = [
        f"{_n(stats['conversations'])} conversations ({_n(stats['turns'])} user turns) from "
        f"{_n(stats['users'])} distinct users (counted by keyed hash of their IP address), in "
        f"{len(langs)} language(s) with at least {stats['min_cell_conversations']} conversations"
        + (f" ({', '.join(langs[:8])}{', ...' if len(langs) > 8 else ''})" if langs else "")
        + ". The conversations were linked from "
        f"{_n(c.get('input_records'))} logged chatbot API calls (one record per call, each "
        "carrying the whole history) and released with WildChat-1M's field names and types, so "
        "code written for WildChat runs on it unchanged.",
        "",
        f"Run `{manifest.get('run_id', 'n/a')}`, schema `{manifest.get('schema_version')}`. "
        "This card, `manifest.json` (counts, checksums) and the statistics report are generated "
        "by the pipeline; do not edit them.",
        "",
        "| variant (config) | conversations | files | holds |",
        "|---|---:|---:|---|",
    ]
    rules = manifest.get("config", {}).get("release", {}).get("variants") or {}
    for name, shards in variants.items():
        why = rules.get(name)
        holds = (_sft_holds(manifest) if name == SFT else "every released conversation" if not why
                 else "conversations without: " + ", ".join(f"`{r}`" for r in why))
        lines.append(f"| `{name}` | {_n(sum(s['rows'] for s in shards))} | {len(shards)} | {holds} |")
    lines += ["", "```python", "from datasets import load_dataset",
              f'ds = load_dataset("path/to/release", "{DEFAULT_VARIANT}", split="train")',
              "```",
              "pandas, DuckDB and Polars read the Parquet files listed in the YAML header "
              "directly."]
    return lines


def _sft_holds(manifest: dict) -> str:
    s = manifest.get("config", {}).get("sft", {})
    kept_out = [f"languages other than {', '.join(s['languages'])}" if s.get("languages") else "",
                f"fewer than {s.get('min_turns', 1)} turns" if s.get("min_turns", 1) > 1 else "",
                f"more than {s['max_turns']} turns" if s.get("max_turns") else "",
                "redactions" if s.get("redacted") == "drop" else "",
                "exact duplicates" if s.get("drop_exact_duplicates") else "",
                "near duplicates" if s.get("drop_near_duplicates") else "",
                "an empty or cut-off final reply" if s.get("drop_incomplete_reply") else "",
                "roles that do not alternate" if s.get("non_alternating") == "drop" else ""]
    kept_out = [k for k in kept_out if k]
    return (f"`{s.get('variant')}` as chat messages (`messages: [{{role, content}}]`)"
            + (", without conversations with " + "; ".join(kept_out) if kept_out else ""))


def _collection(manifest: dict) -> list:
    c = manifest.get("counts", {})
    return [
        "Each record is one logged call to a chatbot API: the request's messages, the model's "
        "reply, the model name, the time, the caller's IP address and request headers, and the "
        "user's consent flag. **Only calls whose user consented (`consent: true`) are "
        f"released**: {_n(c.get('filtered_no_consent'))} calls without consent were dropped. "
        f"Of {_n(c.get('input_records'))} input records, {_n(c.get('deadletter'))} were "
        f"malformed (kept aside, never released), {_n(c.get('duplicate_turns'))} were repeated "
        f"ids or client retries, and {_n(c.get('linked_turns'))} turns were linked into the "
        f"{_n(c.get('released_conversations'))} conversations (the pipeline refuses to publish "
        "unless these numbers add up).",
    ]


def _processing(manifest: dict) -> list:
    cfg = manifest.get("config", {})
    strategies = manifest.get("strategies", {})
    out = []
    link = cfg.get("linking", {})
    if strategies.get("linking", link.get("strategy")) == "none":
        out.append("- **Linking**: off; every call is released as its own conversation.")
    else:
        out.append(
            f"- **Linking** (`{strategies.get('linking', link.get('strategy'))}`): a call continues "
            "an earlier one when its history "
            "equals the earlier call's messages plus reply. Candidates are preferred from the "
            "same device fingerprint (user agent + accept-language) and IP, then the same "
            "device, then any device, and the same model; guesses between strangers are refused "
            f"(the turn is released as an orphan instead), except that a same-device call from "
            f"another IP is taken when it is the only one within "
            f"{link.get('ip_change_window_seconds', 900)} s before the turn (an IP change after "
            f"a common opening). Clock skew up to "
            f"{link.get('clock_skew_seconds', 60)} s is tolerated; identical calls from the same "
            f"device and IP within {link.get('retry_window_seconds', 600)} s are one turn "
            "(retries). Regenerated answers and edited prompts become branches: every branch is "
            "its own conversation and shares its prefix. Nothing is dropped.")
    lang = cfg.get("language", {})
    if strategies.get("language", lang.get("strategy")) == "none":
        out.append("- **Language detection**: off; `language` is null.")
    else:
        out.append(
            f"- **Language detection** (`{strategies.get('language', lang.get('strategy'))}`): "
            "per message, from its script (Han, kana, Hangul, Cyrillic-only languages, ...) or "
            "a seeded detector on the message without code, URLs and numbers; messages too "
            "short to judge take their conversation's language. A conversation's language is "
            "the one with most letters over its user messages.")
    out += _pii_lines(manifest)
    key = manifest.get("ip_hash_key", {})
    out.append(
        "- **IP addresses** never leave the pipeline: `hashed_ip` is a keyed HMAC-SHA256 of the "
        "normalized address (a plain hash of an IPv4 address is reversed by trying all 2^32 "
        "addresses; a keyed one is not without the key). Only the allowed headers are kept."
        + (" This snapshot used an ephemeral key: `hashed_ip` values do not match other "
           "snapshots." if key.get("ephemeral") else ""))
    out.append(_geo_line(manifest))
    out.append(_toxicity_line(manifest))
    out.append(_duplicates_line(manifest))
    return out


def _duplicates_line(manifest: dict) -> str:
    d = manifest.get("config", {}).get("duplicates") or {}
    if manifest.get("strategies", {}).get("duplicates", d.get("strategy", "none")) == "none":
        return "- **Duplicates**: not detected; the duplicate columns are null."
    stats = manifest.get("stats", {})
    return (f"- **Duplicates** (`{d.get('strategy')}`): flagged, never removed from the "
            "variants: `duplicate_exact` (the same text once case, spacing and Unicode forms "
            "are normalised), `duplicate_near` (a first prompt with nearly the same words: "
            f"MinHash LSH, estimated Jaccard similarity >= {d.get('threshold')}; first prompts "
            f"of fewer than {d.get('min_words')} distinct words take no part) and `duplicate_of`. "
            "Each cluster keeps its earliest conversation (then the smallest id). Flagged in "
            f"this snapshot: {_n(stats.get('duplicates.exact', 0))} exact, "
            f"{_n(stats.get('duplicates.near', 0))} near.")


def _pii_lines(manifest: dict) -> list:
    cfg = manifest.get("config", {}).get("pii", {})
    if not manifest.get("scrubbed", True) or cfg.get("strategy") == "none":
        return ["- **PII scrubbing was OFF for this snapshot: the text is NOT scrubbed and must "
                "not be published.**"]
    entities = list(cfg.get("entities") or [])
    models = cfg.get("models") or {}
    stats = manifest.get("stats", {})
    counts = ", ".join(f"{t} {_n(stats.get(f'pii.redactions.{t}', 0))}" for t in entities)
    return [
        f"- **PII** (`{cfg.get('strategy')}`): replaced by numbered placeholders "
        f"(`[PERSON_1]`, the same value gets the same placeholder within a conversation): "
        f"{', '.join(f'`{e}`' for e in entities)}. Names are found by spaCy NER in "
        f"{', '.join(sorted(models)) or 'no language'} (messages of roles "
        f"{', '.join(cfg.get('ner_roles') or [])}), checked and extended with a multilingual "
        "first-name/surname gazetteer (names-dataset), honorifics, introduction and form cues "
        "in many languages and name shapes, so messages in languages without a NER model get "
        "names too; a reply loses every value the conversation's user gave, in any case, "
        "inflection or format. E-mail, phone, card, IBAN, IP, street addresses and secrets come "
        f"from validated patterns. Redactions in this snapshot: {counts}.",
        "  **What it does not catch**: on an independent held-out benchmark (presidio-evaluator "
        "sentences in six locales) about one name in eight still leaked, mostly a lone given "
        "name with no cue, lower-case names inside mixed-case text and names in languages "
        "without a NER model; also nicknames, misspelled names, "
        + ("" if "STREET_ADDRESS" in entities else "street addresses, ")
        + "and identifying facts told in prose (a job, a neighbourhood, a rare illness). "
        "Treat the text as pseudonymized, not anonymous. Locations, organisations, dates and "
        "URLs are kept on purpose.",
    ]


def _geo_line(manifest: dict) -> str:
    geo = manifest.get("geo")
    if geo is None:
        return "- **Geo**: not available in this pipeline version; `country`/`state` are null."
    if geo.get("strategy") == "none":
        return "- **Geo**: off (`geo.strategy: none`); `country`/`state` are null."
    db = geo.get("database") or {}
    return (f"- **Geo** (`{geo.get('strategy')}`): `country` and `state` (the most specific "
            "subdivision) come from looking each turn's IP up, before it is hashed, in "
            f"{db.get('source', 'a MaxMind database')} ({db.get('database_type', 'City')}, "
            f"built {db.get('build_date', 'on an unknown date')}); private and documentation "
            "addresses stay null. A conversation's values are the most common over its turns. "
            "Addresses reassigned since the database was built are misplaced: the older the "
            "database, the more.")


def _toxicity_line(manifest: dict) -> str:
    tox = manifest.get("toxicity")
    if tox is None:
        return "- **Toxicity**: not available in this pipeline version; `toxic` is null."
    backends = list(tox.get("backends") or [])
    if not backends:
        return "- **Toxicity**: off; `toxic` and the moderation columns are null."
    thresholds = tox.get("thresholds") or {}
    languages = tox.get("languages") or {}
    models = tox.get("models") or {}

    def judged(b):
        langs = languages.get(b)
        return "all languages" if langs in (None, "all") else ", ".join(langs)

    def threshold(b):
        if thresholds.get(b) is not None:
            return thresholds[b]
        return "tuned per language" if (models.get(b) or {}).get("thresholds") else "the API flag"

    return (f"- **Toxicity**: per message, by "
            + "; ".join(f"`{b}` (threshold {threshold(b)}; {judged(b)})" for b in backends)
            + f", combined with the rule `{tox.get('rule', 'any')}`; a conversation is toxic when "
            "a message is. A message no backend can judge (its language is not covered) keeps "
            "`toxic: null`: it is never assumed clean." + _missed_share(tox))


def _missed_share(tox: dict) -> str:
    """What a `nontoxic` variant still holds: 1 - each shipped model's held-out recall."""
    lines = []
    for name, model in sorted((tox.get("models") or {}).items()):
        heldout = model.get("heldout") or {}
        if not heldout:
            continue
        missed = ", ".join(f"{lang} {100 * (1 - m['recall']):.0f}%" for lang, m in sorted(heldout.items()))
        lines.append("\n  - **What `nontoxic` still holds.** On held-out labelled data from other sources "
                     f"than its training data, `{name}` misses this share of toxic messages per "
                     f"language (1 - recall): {missed}. A conversation passes only when every message "
                     "is judged clean, so one with several toxic messages is caught more often than "
                     "this; a conversation in a language not listed here is `unjudged` and not in "
                     "`nontoxic`. Precision and recall per language are in the manifest "
                     "(`toxicity.models`).")
        clean = model.get("clean_chat_flagged") or {}
        if clean:
            flagged = ", ".join(f"{lang} {100 * share:.0f}%" for lang, share in sorted(clean.items()))
            lines.append("\n  - **What `nontoxic` drops that it should keep.** On presumed-clean chat "
                         f"texts it never saw (chatbot prompts and everyday prose), `{name}` flags "
                         f"this share as toxic per language: {flagged}. Such a message takes its "
                         "conversation out of `nontoxic`, and long messages are flagged more often; "
                         "the toxicity shares in the report are inflated by as much.")
    return "".join(lines)


def _fields(schema: pa.Schema) -> list:
    lines = ["| field | type | description |", "|---|---|---|"]
    for f in schema:
        lines.append(f"| `{f.name}` | {type_name(f.type)} | {FIELD_DOCS.get(f.name, '')} |")
        inner = f.type.value_type if pa.types.is_list(f.type) else None
        if f.name == "conversation" and inner is not None and pa.types.is_struct(inner):
            for i in range(inner.num_fields):
                sub = inner.field(i)
                lines.append(f"| `{f.name}.{sub.name}` | {type_name(sub.type)} | "
                             f"{FIELD_DOCS.get(f'{f.name}.{sub.name}', '')} |")
    return lines


def _sft_fields() -> list:
    lines = ["The `sft` config:", "", "| field | type | description |", "|---|---|---|"]
    for f in sft_schema():
        lines.append(f"| `{f.name}` | {type_name(f.type)} | {SFT_FIELD_DOCS.get(f.name, '')} |")
    return lines


def _statistics(stats: dict) -> list:
    langs = stats["by"]["language"]
    return [
        *markdown_table(overview_table(stats)), "",
        "Top languages (share of conversations): "
        + ", ".join(f"{e['value']} {100 * e['conversation_share']:.1f}%" for e in langs[:6])
        + ". Models: " + ", ".join(f"{e['value']} {100 * e['conversation_share']:.1f}%"
                                   for e in stats["by"]["model"][:6]) + ".",
        "",
        f"Cells with fewer than {stats['min_cell_conversations']} conversations are folded into "
        "`(other)`. The full report (plots, per-language lengths, toxicity, PII, countries, "
        "months, the diff against the previous snapshot) is `report/<run_id>/report.html` "
        "next to `release/`.",
    ]


def _limitations(manifest: dict, stats: dict) -> list:
    k = stats["min_cell_conversations"]
    return [
        "- **Pseudonymized, not anonymous.** Scrubbing misses some personal data (see PII "
        "above). Do not try to identify people; report leaks to the publisher so the snapshot "
        "can be fixed.",
        "- **Offensive content.** The `full` variant keeps toxic conversations on purpose (they "
        "matter for safety research); where a `nontoxic` variant exists it drops conversations "
        "with a toxic or unjudged message, within the limits of the toxicity backends.",
        "- **Who is in it.** Users of one chatbot front end who consented: not a sample of the "
        "population. Language, country and model shares describe this traffic only.",
        "- **Machine labels.** Language, geo and toxicity are automatic and wrong for some rows "
        "(short messages, mixed languages, VPNs, an old GeoIP database).",
        "- **Linking is a heuristic.** A few conversations are split where users change "
        "device and IP at once; guesses between strangers are refused rather than merged.",
        f"- **Aggregates only.** The statistics fold every cell with fewer than {k} "
        "conversations into `(other)` so a rare combination cannot single anyone out.",
    ]


def render_card(manifest: dict, stats: dict, schema: pa.Schema, prefix: str = "") -> str:
    """The card's text. `prefix` is prepended to the manifest's file paths in `configs`."""
    meta = _front_matter(manifest, stats, schema, prefix)
    variants = variant_files(manifest)
    title = meta["pretty_name"]
    body = [
        f"# {title}", "",
        "<!-- Generated by pipelines/card.py from manifest.json and stats.json. Do not edit. -->",
        "", "## Summary", "", *_summary(manifest, stats, variants),
        "", "## How the data was collected", "", *_collection(manifest),
        "", "## Processing", "", *_processing(manifest),
        "", "## Fields", "", *_fields(schema),
        *(["", *_sft_fields()] if SFT in variants else []),
        "", "## Statistics", "", *_statistics(stats),
        "", "## Limitations and ethical considerations", "", *_limitations(manifest, stats),
        "", f"License: `{meta['license']}`.", "",
    ]
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n" + "\n".join(body)
