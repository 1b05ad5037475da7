"""A progress line on stderr for long runs: only on a terminal, never in CI or when piped."""
from __future__ import annotations

import os
import sys
import time


class Progress:
    def __init__(self, total: int, label: str = "checking", min_total: int = 50, stream=None):
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.done = 0
        self.last = 0.0
        self.enabled = (total >= min_total and getattr(self.stream, "isatty", lambda: False)()
                        and not os.environ.get("CI") and not os.environ.get("NO_PROGRESS"))

    def tick(self, name: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "█" * filled + "░" * (width - filled)
        tail = name[-40:]
        self.stream.write(f"\r{self.label} {bar} {self.done}/{self.total} {tail:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()
