"""Writing reports atomically (see checker.atomic)."""
from checker.atomic import write_atomic

__all__ = ["write_atomic"]
