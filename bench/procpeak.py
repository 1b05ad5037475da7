"""Peak memory of a measured process and of its workers, sampled from /proc while it runs.

multiprocessing's fork server starts the comparison workers, so they are the server's children: their
peaks never reach the measuring process's RUSAGE_CHILDREN. Sampling VmHWM (the kernel's own peak RSS
of each process) over the whole process tree sees them all. Linux only; elsewhere the figures stay 0.
"""
from __future__ import annotations

import os
import threading


class Peaks:
    """Samples process `root` and its descendants until stop(): main_mb (root's peak RSS) and
    worker_mb (the largest peak among its descendants)."""

    def __init__(self, root: int, every: float = 0.25):
        self.root = root
        self.main_mb = 0.0
        self.worker_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(every,), daemon=True)
        self._thread.start()

    def _watch(self, every: float) -> None:
        while not self._stop.wait(every):
            for pid in [self.root, *descendants(self.root)]:
                mb = _hwm_mb(pid)
                if pid == self.root:
                    self.main_mb = max(self.main_mb, mb)
                else:
                    self.worker_mb = max(self.worker_mb, mb)

    def stop(self) -> "Peaks":
        self._stop.set()
        self._thread.join()
        return self


def _hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(name))
    out, todo = [], list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out
