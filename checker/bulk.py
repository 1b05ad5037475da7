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


ONE_SHOT = False  # set by the command line: the process ends after one run


@contextmanager
def gc_paused():
    """No cyclic collection inside. In a one-shot process (ONE_SHOT) what was made inside is then
    frozen (gc.freeze): the collector never walks the run's objects again (walking the tens of
    millions a large run holds took seconds each time it resumed); reference counting still frees them.
    A long-lived process (the language server) leaves ONE_SHOT off, so its cycles are collected."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if ONE_SHOT:
            gc.freeze()
        if enabled:
            gc.enable()
