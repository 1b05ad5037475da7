"""Bulk work on many long-lived objects.

A run holds hundreds of thousands of claims (millions of small objects), and loading or comparing
them makes millions more, none of which form reference cycles. Python's cyclic garbage collector
would walk them again and again while they are made (a fifth of alignment's time at 2,000 documents,
and more as a run grows); it is paused for those stretches and resumes after, so a long-lived
process (the language server) still collects its cycles.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
