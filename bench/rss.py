"""Peak resident memory of a process tree, sampled from /proc (Linux); the tree walk and the
sampling thread are shared with other per-tree samplers (bench/e2e.py TreeCpu)."""
from __future__ import annotations

import os
import threading
import time


def _children_map():
    kids = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree_pids(pid: int) -> list[int]:
    """`pid` and every descendant alive now."""
    kids, out, stack = _children_map(), [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(kids.get(p, ()))
    return out


def tree_rss_bytes(pid: int) -> int:
    total = 0
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
    return total


class TreeSampler:
    """Context manager calling `sample()` every `interval` s on a thread until exit."""

    def __init__(self, pid: int, interval: float):
        self.pid, self.interval = pid, interval
        self._stop = threading.Event()

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class PeakRss(TreeSampler):
    """The peak RSS sum of `pid` and its descendants, sampled every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(pid, interval)
        self.peak = 0

    def sample(self) -> None:
        self.peak = max(self.peak, tree_rss_bytes(self.pid))
