"""The parse cache: each parsed file pickled in the user's cache folder."""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stretchcoach import __version__

if TYPE_CHECKING:
    from stretchcoach.catalogue.values import Parsed
    from stretchcoach.errors import Problem

# The YAML parser and checker (files.parse) are imported only on a cache miss: a warm start
# loads pickles and never pays for PyYAML or the schema.

# Bump when the parsed form or the rules change, so old cache entries are rebuilt.
CACHE_VERSION = 4  # 4: model records are NamedTuples


def cache_file(
    cache_dir: Path, path: Path, name: str, require_source: bool
) -> tuple[Path, tuple[Any, ...]]:
    absolute = os.path.abspath(path)
    stat = os.stat(absolute)
    key = (
        absolute,
        name,
        require_source,
        stat.st_size,
        stat.st_mtime_ns,
        __version__,
        CACHE_VERSION,
    )
    # A name, not a secret: two checksums (zlib is built in; hashlib costs a start-up import).
    # A collision only costs a re-parse: the full key is stored inside and compared.
    named = repr(key[:3]).encode()
    digest = f"{zlib.crc32(named):08x}{zlib.adler32(named):08x}"
    return cache_dir / "catalogue" / f"{digest}.pickle", key


def parse_cached(
    path: Path, name: str, require_source: bool, cache_dir: Path | None
) -> tuple[Parsed, list[Problem]]:
    """Like parse, but served from and saved to the cache when it can be."""
    if cache_dir is None:
        return parse(path, name, require_source)
    try:
        cache_path, key = cache_file(cache_dir, path, name, require_source)
    except OSError:
        return parse(path, name, require_source)  # parse reports the unreadable file
    import gc

    was_enabled = gc.isenabled()
    gc.disable()  # unpickling 10,000 exercises makes objects the collector would rescan
    try:
        with open(cache_path, "rb") as handle:
            stored_key, parsed = pickle.load(handle)
        if stored_key == key:
            return parsed, []
    except Exception:  # a missing, stale or corrupt cache is rebuilt
        pass
    finally:
        if was_enabled:
            gc.enable()
    parsed, problems = parse(path, name, require_source)
    if not problems:
        store(cache_path, (key, parsed))
    return parsed, problems


def parse(path: Path, name: str, require_source: bool) -> tuple[Parsed, list[Problem]]:
    """files.parse, imported on first use, with the cyclic garbage collector paused.

    Parsing makes hundreds of thousands of small objects and no cycles worth collecting;
    the collector would rescan all of them again and again (half the time of a cold load).
    """
    import gc

    from stretchcoach.catalogue import files

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return files.parse(path, name, require_source)
    finally:
        if was_enabled:
            gc.enable()


def store(cache_path: Path, value: object) -> None:
    """Write atomically; a cache that cannot be written is skipped silently."""
    import tempfile

    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=cache_path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, cache_path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        pass
