"""The pure core of toxicity tagging: run the backends over a batch of conversations and
combine their verdicts. No Beam here.

Per message:
- empty content (after stripping): every backend that ran gets its empty entry, `toxic` False;
- each backend judges the message when it covers the message's `language_code`; its entry goes
  into the message under the backend's column name (None when it did not judge it, or when the
  API kept failing);
- `toxic` = the rule over the verdicts of the backends that judged it: `any` (WildChat: OpenAI
  flagged OR Detoxify toxicity > 0.1), `all`, or `first` (the first backend in the configured
  order that judged the message decides: list Moderation or Detoxify before the offline model
  and they win wherever they answered); None when no backend judged it.
Per conversation: `toxic` True when a message is toxic, False when every message is judged
clean, else None (some message could not be judged).
"""
from __future__ import annotations

__all__ = ["ToxicityTagger", "RULES", "conversation_toxic"]

RULES = {"any": any, "all": all, "first": lambda verdicts: verdicts[0]}


def conversation_toxic(flags: list) -> bool | None:
    if any(f is True for f in flags):
        return True
    if flags and all(f is False for f in flags):
        return False
    return None


class ToxicityTagger:
    """Backends + rule + thresholds ({backend name: threshold}; missing = backend default)."""

    def __init__(self, backends: list, rule: str = "any", thresholds: dict | None = None):
        if rule not in RULES:
            raise ValueError(f"toxicity.rule {rule!r} is not one of {', '.join(RULES)}")
        self.backends = list(backends)
        self.rule = rule
        self.thresholds = dict(thresholds or {})

    def tag(self, conversations: list[dict]) -> list[tuple[dict, dict]]:
        """[(conversation with toxicity fields, {stat: count})] in input order."""
        entries = {}  # (backend index, text) -> entry
        for b_i, backend in enumerate(self.backends):
            texts = list(dict.fromkeys(
                m["content"] for conv in conversations for m in conv["messages"]
                if m["content"].strip() and backend.judges(m.get("language_code"))))
            for text, entry in zip(texts, backend.score(texts)):
                entries[(b_i, text)] = entry
        return [self._tag_one(conv, entries) for conv in conversations]

    def _tag_one(self, conv, entries):
        stats, messages = {}, []
        for m in conv["messages"]:
            fields, verdicts = {}, []
            empty = not m["content"].strip()
            for b_i, backend in enumerate(self.backends):
                if empty:
                    fields[backend.column] = backend.empty_entry()
                    continue
                entry = entries.get((b_i, m["content"])) if backend.judges(m.get("language_code")) else None
                fields[backend.column] = entry
                if entry is not None:
                    verdicts.append(backend.verdict(entry, self.thresholds.get(backend.name),
                                                    m.get("language_code")))
                elif backend.judges(m.get("language_code")):
                    _inc(stats, f"toxicity.messages.failed.{backend.name}")
            toxic = False if empty else (RULES[self.rule](verdicts) if verdicts else None)
            lang = m.get("language_code") or "und"
            outcome = "unjudged" if toxic is None else ("toxic" if toxic else "clean")
            _inc(stats, f"toxicity.messages.{outcome}.{lang}")
            messages.append(dict(m, toxic=toxic, **fields))
        toxic = conversation_toxic([m["toxic"] for m in messages])
        _inc(stats, "toxicity.conversations." + {True: "toxic", False: "clean", None: "unjudged"}[toxic])
        out = dict(conv, messages=messages, toxic=toxic)
        merged = dict(conv.get("stats", {}))
        for k, v in stats.items():
            merged[k] = merged.get(k, 0) + v
        out["stats"] = merged
        return out, stats

    def close(self):
        for backend in self.backends:
            backend.close()


def _inc(stats, key, n=1):
    stats[key] = stats.get(key, 0) + n
