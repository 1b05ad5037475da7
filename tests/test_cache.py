"""The extraction cache's packs (checker/cache.py): many small packs are joined, other code versions'
entries go after a week, and a reader whose pack was joined finds its entries in the new one."""
from __future__ import annotations

import hashlib
import os
import time
import zlib
from pathlib import Path

import pytest

from checker import cache
from checker.records import MAGIC

OLD = time.time() - 30 * 86400  # a month ago


def _key(n: int) -> str:
    return hashlib.sha256(f"document {n}".encode()).hexdigest()


def _blob(n: int) -> bytes:
    return MAGIC + f"record of document {n}".encode() * 20


def _packs(root: Path) -> list[Path]:
    return sorted(root.glob("records-v*/packs-*/*.pack"))


def _writers(root: Path, count: int, per_pack: int = 2) -> None:
    """`count` packs, as `count` processes that each wrote `per_pack` entries would leave (a Cache each),
    all idle for a month; document 0 is in every pack."""
    for p in range(count):
        writer = cache.Cache(str(root))
        writer.put(_key(0), _blob(0))
        for n in range(1, per_pack):
            writer.put(_key(p * 100 + n), _blob(p * 100 + n))
        os.close(writer._pack[2])
    for pack in _packs(root):
        os.utime(pack, (OLD, OLD))


def test_more_than_max_packs_are_joined_into_one_and_every_entry_is_kept(tmp_path):
    count = cache.MAX_PACKS + 3
    _writers(tmp_path, count)
    assert len(_packs(tmp_path)) == count
    fresh = cache.Cache(str(tmp_path))
    fresh.put(_key(9999), _blob(9999))  # its first entry: it starts a pack, and joins the idle ones first
    packs = _packs(tmp_path)
    assert len(packs) == 2  # the joined one and its own
    reader = cache.Cache(str(tmp_path))
    wanted = [0, 9999] + [p * 100 + 1 for p in range(count)]
    assert all(reader.get(_key(n)) == _blob(n) for n in wanted)
    sizes = sorted(len(list(cache._entries(pack))) for pack in packs)
    assert sizes == [1, count + 1]  # its own entry; and every pack's own document, and document 0 once


def test_a_few_packs_or_busy_ones_are_left_alone(tmp_path):
    _writers(tmp_path, cache.MAX_PACKS)  # not more than the limit
    cache.Cache(str(tmp_path)).put(_key(9999), _blob(9999))
    assert len(_packs(tmp_path)) == cache.MAX_PACKS + 1
    for pack in _packs(tmp_path):
        os.utime(pack)  # all touched just now: runs that may still be writing
    for n in range(3):
        cache.Cache(str(tmp_path)).put(_key(8000 + n), _blob(8000 + n))
    assert len(_packs(tmp_path)) == cache.MAX_PACKS + 4


def test_a_damaged_entry_is_not_joined(tmp_path):
    _writers(tmp_path, cache.MAX_PACKS + 1)
    first = _packs(tmp_path)[0]
    data = bytearray(first.read_bytes())
    at = cache.HEADER.size + len(_blob(0))  # the second entry: the pack's own document
    lost = cache.HEADER.unpack_from(data, at)[1].hex()
    data[-5:] = b"xxxxx"  # its record's last bytes: the CRC fails
    first.write_bytes(bytes(data))
    os.utime(first, (OLD, OLD))
    cache.Cache(str(tmp_path)).put(_key(9999), _blob(9999))
    reader = cache.Cache(str(tmp_path))
    assert reader.get(lost) is None and reader.get(_key(0)) == _blob(0)
    assert len(reader._index) == cache.MAX_PACKS + 2  # document 0, the 9999th, and the others but one


def test_a_reader_finds_an_entry_again_after_its_pack_was_joined(tmp_path):
    _writers(tmp_path, cache.MAX_PACKS + 1)
    reader = cache.Cache(str(tmp_path))
    assert reader.get(_key(0)) == _blob(0)  # it has read every pack's headers, and opened one pack
    cache.Cache(str(tmp_path)).put(_key(9999), _blob(9999))  # the packs are joined and removed
    for p in range(cache.MAX_PACKS + 1):  # the entries of packs it had not opened: found in the joined one
        assert reader.get(_key(p * 100 + 1)) == _blob(p * 100 + 1)


def test_other_code_versions_entries_go_after_a_week(tmp_path):
    entries = tmp_path / "records-v2"
    stale, recent, layout = entries / "packs-0.0.9+0123456789abcdef", entries / "packs-0.1.0+fedcba9876543210", entries / "ab"
    for folder in (stale, recent, layout):
        folder.mkdir(parents=True)
        (folder / "x.pack").write_bytes(b"x")
    os.utime(stale, (OLD, OLD))
    os.utime(layout, (OLD, OLD))  # the file-per-entry layout of earlier versions
    writer = cache.Cache(str(tmp_path))
    writer.put(_key(1), _blob(1))
    assert sorted(p.name for p in entries.iterdir()) == sorted([recent.name, writer.folder.name])


@pytest.mark.parametrize("cut", [1, cache.HEADER.size - 1, cache.HEADER.size + 3])
def test_an_entry_being_written_is_found_once_it_is_whole(tmp_path, cut):
    writer = cache.Cache(str(tmp_path))
    writer.put(_key(1), _blob(1))
    (pack,) = _packs(tmp_path)
    whole = pack.read_bytes()
    second = cache.HEADER.pack(cache.PACK_MAGIC, bytes.fromhex(_key(2)), len(_blob(2)), zlib.crc32(_blob(2))) + _blob(2)
    pack.write_bytes(whole + second[:cut])  # as another process sees a pack half way through an append
    reader = cache.Cache(str(tmp_path))
    assert reader.get(_key(1)) == _blob(1) and reader.get(_key(2)) is None
    pack.write_bytes(whole + second)
    reader.look_again()
    assert reader.get(_key(2)) == _blob(2)


def test_large_packs_are_not_joined(tmp_path, monkeypatch):
    _writers(tmp_path, cache.MAX_PACKS + 3)
    monkeypatch.setattr(cache, "JOIN_BELOW", _packs(tmp_path)[0].stat().st_size)  # every pack is "large"
    cache.Cache(str(tmp_path)).put(_key(9999), _blob(9999))
    assert len(_packs(tmp_path)) == cache.MAX_PACKS + 4


def test_one_process_joins_at_a_time_and_a_dead_one_s_lock_is_taken_over(tmp_path):
    _writers(tmp_path, cache.MAX_PACKS + 3)
    lock = next(tmp_path.glob("records-v*/packs-*")) / "join.lock"
    lock.write_bytes(b"")  # another process is joining them now
    cache.Cache(str(tmp_path)).put(_key(9999), _blob(9999))
    assert len(_packs(tmp_path)) == cache.MAX_PACKS + 4 and lock.exists()
    os.utime(lock, (OLD, OLD))  # it died a month ago
    cache.Cache(str(tmp_path)).put(_key(9998), _blob(9998))
    assert len(_packs(tmp_path)) == 3 and not lock.exists()  # joined, 9999's pack (busy) and its own


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_packs_are_readable_by_their_owner_only(tmp_path):
    """Records quote the documents (sentences of unpublished drafts, say), as the run snapshots do."""
    writer = cache.Cache(str(tmp_path))
    writer.put(_key(1), _blob(1))
    (pack,) = _packs(tmp_path)
    assert pack.stat().st_mode & 0o077 == 0
