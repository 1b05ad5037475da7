"""Normalization: surface strings -> comparable values (numbers, intervals, name keys)."""
