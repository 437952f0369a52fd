"""The naive end-to-end baseline: per message, seeded `langdetect.detect()` then Presidio
`analyze()` + `anonymize()` (default recognizers, the same spaCy model as naive Presidio in
`bench/pii_eval/score.py`), in `processes` processes, each on its share of the messages.

    python -m bench.naive MESSAGES.json   # one worker: prints {"chars", "seconds", "load_seconds"}

`naive_rate(messages)` splits the messages round-robin over the processes, starts them
together, and returns the rate over the slowest one's processing time (model loading is left
out: generous to naive), and its chars per CPU second (the fair measure on a shared machine).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

__all__ = ["naive_rate", "sample"]


def sample(messages: list, chars: int) -> list:
    """Every k-th message, k chosen so that about `chars` characters are kept (the long tail
    comes in at its own rate)."""
    total = sum(map(len, messages))
    k = max(1, round(total / max(1, chars)))
    return messages[::k]


def _worker(path: str) -> dict:
    t0 = time.perf_counter()
    import langdetect
    from langdetect.lang_detect_exception import LangDetectException

    from bench.pii_eval.score import naive_presidio

    langdetect.DetectorFactory.seed = 0
    scrub = naive_presidio()
    with open(path) as fh:
        texts = json.load(fh)
    scrub(["warm up: Alice Martin, alice@example.org"])
    load = time.perf_counter() - t0
    t0, cpu0 = time.perf_counter(), time.process_time()
    for text in texts:
        try:
            langdetect.detect(text)
        except LangDetectException:
            pass
        scrub([text])
    return {"chars": sum(map(len, texts)), "messages": len(texts),
            "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - cpu0,
            "load_seconds": load}


def naive_rate(messages: list, processes: int = 2) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i in range(processes):
            path = os.path.join(tmp, f"part-{i}.json")
            with open(path, "w") as fh:
                json.dump(messages[i::processes], fh)
            procs.append(subprocess.Popen([sys.executable, "-m", "bench.naive", path],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        parts = []
        for p in procs:
            out, err = p.communicate()
            if p.returncode:
                raise SystemExit(f"naive worker failed:\n{err[-3000:]}")
            parts.append(json.loads(out.strip().splitlines()[-1]))
    chars = sum(p["chars"] for p in parts)
    seconds = max(p["seconds"] for p in parts)
    return {"processes": processes, "messages": sum(p["messages"] for p in parts), "chars": chars,
            "seconds": seconds, "chars_per_s": chars / seconds,
            "cpu_seconds": sum(p["cpu_seconds"] for p in parts),
            "chars_per_cpu_s": chars / sum(p["cpu_seconds"] for p in parts),
            "load_seconds": max(p["load_seconds"] for p in parts), "parts": parts}


if __name__ == "__main__":
    import logging

    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    print(json.dumps(_worker(sys.argv[1])))
