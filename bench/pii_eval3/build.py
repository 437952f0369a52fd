"""Write every set of pii_eval3 to data/<set>.jsonl.gz (deterministic: same bytes each run).

    python -m bench.pii_eval3.build [--only tpl native ...] [--out DIR]
"""

from __future__ import annotations

import argparse
import importlib
from collections import Counter
from pathlib import Path

from bench.pii_eval3.common import DATA_DIR, dump_jsonl, forbid_network, pin_hash_seed

BUILDERS = {"tpl": "bench.pii_eval3.tpl", "indep": "bench.pii_eval3.indep",
            "native": "bench.pii_eval3.native", "technical": "bench.pii_eval3.technical",
            "replies": "bench.pii_eval3.replies"}


def main(argv: list[str] | None = None) -> int:
    pin_hash_seed("bench.pii_eval3.build")
    forbid_network()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", choices=sorted(BUILDERS), default=sorted(BUILDERS))
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="directory (default: data/)")
    args = parser.parse_args(argv)
    for name in args.only:
        records = importlib.import_module(BUILDERS[name]).build()
        ids = [r["id"] for r in records]
        if len(ids) != len(set(ids)):
            raise SystemExit(f"{name}: duplicate ids")
        dump_jsonl(records, args.out / f"{name}.jsonl.gz")
        print(f"{name}: {len(records)} records, {dict(sorted(Counter(r['split'] for r in records).items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
