"""The parse cache: each parsed file pickled in the user's cache folder.

The YAML parser and the schema (catalogue.files) are imported only on a cache miss: a warm
start loads pickles and never pays for PyYAML or the checker.
"""

from __future__ import annotations

import os
import pickle
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from stretchcoach import __version__
from stretchcoach.catalogue import reading
from stretchcoach.catalogue.reading import Unreadable, read_capped

if TYPE_CHECKING:
    from stretchcoach.catalogue.values import Parsed
    from stretchcoach.errors import Problem

T = TypeVar("T")

# Bump when the parsed form or the rules change, so old cache entries are rebuilt.
CACHE_VERSION = 4  # 4: model records are NamedTuples
# A file changed within this long of being cached may change again without its size, mtime
# or ctime moving (timestamps are coarser than writes), so its entry also keeps a checksum.
RACY_NS = 2_000_000_000


def _key(absolute: str, name: str, require_source: bool, stat: os.stat_result) -> tuple[Any, ...]:
    # ctime moves on every write and cannot be set back with `touch`; the inode changes when
    # an editor saves by renaming a new file over the old one.
    return (
        absolute, name, require_source, stat.st_dev, stat.st_ino, stat.st_size,
        stat.st_mtime_ns, stat.st_ctime_ns, __version__, CACHE_VERSION,
    )  # fmt: skip


def cache_file(cache_dir: Path, absolute: str, name: str, require_source: bool) -> Path:
    """Where the entry for this file lives: a stable name, no hashing library needed.

    A name, not a secret: two checksums (zlib is built in; hashlib costs a start-up import).
    A collision only costs a re-parse: the full key is stored inside and compared.
    """
    ident = repr((absolute, name, require_source)).encode("utf-8", "surrogateescape")
    return cache_dir / "catalogue" / f"{zlib.crc32(ident):08x}{zlib.adler32(ident):08x}.pickle"


def parse_cached(
    path: Path, name: str, require_source: bool, cache_dir: Path | None
) -> tuple[Parsed, list[Problem]]:
    """Like parse, but served from and saved to the cache when it can be."""
    if cache_dir is None:
        return parse(path, name, require_source)
    absolute = os.path.abspath(path)
    cache_path = cache_file(cache_dir, absolute, name, require_source)
    try:
        key = _key(absolute, name, require_source, os.stat(absolute))
    except OSError:
        return parse(path, name, require_source)  # parse reports the unreadable file
    try:
        # Read like any input: a FIFO or device planted in the cache must not block or flood.
        data = read_capped(cache_path, 4 * reading.MAX_BYTES)[0]
        stored_key, checksum, parsed = _without_collector(lambda: pickle.loads(data))
        if stored_key == key and (checksum is None or checksum == _checksum(absolute)):
            return parsed, []
    except Exception:  # a missing, stale or corrupt cache is rebuilt
        pass
    try:
        data, stat = read_capped(path, reading.MAX_BYTES)
    except Unreadable:
        return parse(path, name, require_source)  # says why, as an uncached load would
    parsed, problems = parse_bytes(data, name, require_source)
    if not problems:
        racy = time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_NS
        checksum = _crc(data) if racy else None
        store(cache_path, (_key(absolute, name, require_source, stat), checksum, parsed))
    return parsed, problems


def parse(path: Path, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    """files.parse, imported on first use, with the cyclic garbage collector paused."""
    from stretchcoach.catalogue import files

    return _without_collector(lambda: files.parse(path, name, require_source))


def parse_bytes(data: bytes, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    """files.parse_bytes, imported on first use, with the cyclic garbage collector paused."""
    from stretchcoach.catalogue import files

    return _without_collector(lambda: files.parse_bytes(data, name, require_source))


def _without_collector(work: Callable[[], T]) -> T:
    """Run `work` with the cyclic garbage collector paused.

    Parsing or unpickling makes hundreds of thousands of small objects and no cycles worth
    collecting; the collector would rescan them again and again (half a cold load's time).
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return work()
    finally:
        if was_enabled:
            gc.enable()


def _crc(data: bytes) -> tuple[int, int]:
    return len(data), zlib.crc32(data)


def _checksum(path: str) -> tuple[int, int] | None:
    try:
        return _crc(read_capped(Path(path))[0])
    except Unreadable:
        return None


def store(cache_path: Path, value: object) -> None:
    """Write atomically; a cache that cannot be written is skipped silently."""
    from stretchcoach.atomic import write_atomic

    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(cache_path, data, durable=False)
    except OSError:
        pass
