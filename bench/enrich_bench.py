"""Bench of the enrichment stages (`make bench` calls `enrich`; alone: python -m bench.enrich_bench).

- geo: lookups/s on the bundled GeoLite2-City, with the per-worker cache and without it, on
  a seeded stream of public IPv4 addresses where users repeat their address (as in chat logs).
- toxicity: bench/toxicity_bench.py (held-out quality per language beside the baselines, speed).
"""
from __future__ import annotations

import ipaddress
import random
import time

__all__ = ["enrich", "geo_speed"]



def _public_ips(n: int, seed: int) -> list[str]:
    rng, out = random.Random(seed), []
    while len(out) < n:
        addr = ipaddress.IPv4Address(rng.getrandbits(32))
        if addr.is_global:
            out.append(str(addr))
    return out


def geo_speed(report: dict, lookups: int = 200_000, distinct: int = 20_000) -> None:
    from transforms.geo import GeoLookup

    rng = random.Random(5)
    users = _public_ips(distinct, 4)
    stream = [users[min(int(rng.paretovariate(1.2)) - 1, distinct - 1)] if rng.random() < 0.5
              else rng.choice(users) for _ in range(lookups)]
    rows = {}
    for label, cache_size in (("cached", 100_000), ("uncached", 0)):
        geo = GeoLookup(None, cache_size=cache_size)
        t0 = time.perf_counter()
        placed = sum(1 for ip in stream if geo.lookup(ip)[2] == "found")
        dt = time.perf_counter() - t0
        rows[label] = {"lookups_per_s": lookups / dt, "placed_share": placed / lookups,
                       "cache_hits": geo.cache_hits}
        geo.close()
    print(f"\n== geo (bundled GeoLite2-City 2018-07-03; {lookups:,} lookups of {distinct:,} public IPv4) ==")
    for label, r in rows.items():
        print(f"  {label:>8}: {r['lookups_per_s']:>12,.0f} lookups/s  (placed {r['placed_share']:.1%}, "
              f"cache hits {r['cache_hits']:,})")
    report["geo"] = rows


def enrich(report: dict) -> None:
    from bench.toxicity_bench import toxicity

    geo_speed(report)
    toxicity(report)


if __name__ == "__main__":
    enrich({})
