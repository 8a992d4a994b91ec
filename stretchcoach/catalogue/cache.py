"""The parse cache: each parsed file kept in the user's cache folder as plain data (marshal).

The YAML parser and the schema (catalogue.files) are imported only on a cache miss: a warm
start reads one file per catalogue file and never pays for PyYAML or the checker.

Why marshal and columns, not a pickle of the records: unpickling a NamedTuple calls its
Python-level `__new__` once per object (two per exercise, with its origin), which was most of
a warm 10,000-exercise load. Here the exercises are stored column by column (doses and
sources as tables of distinct records and a place in them per exercise; every other column,
the origins' fields too, as one repeated value, 32-bit numbers in bytes, or a list) and
rebuilt in bulk by C-level calls (`map`, `zip`, `tuple.__new__`).
"""

from __future__ import annotations

import marshal
import os
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from stretchcoach import __version__
from stretchcoach.catalogue import reading
from stretchcoach.catalogue.reading import Unreadable, read_capped
from stretchcoach.model import Dose, Exercise, Origin, Routine, RoutineItem, Source

if TYPE_CHECKING:
    from stretchcoach.catalogue.values import Parsed
    from stretchcoach.errors import Problem

T = TypeVar("T")
R = TypeVar("R", bound=tuple[Any, ...])

# Bump when the parsed form or the rules change, so old cache entries are rebuilt.
CACHE_VERSION = 5  # 4: model records are NamedTuples; 5: marshal, exercises by column
# marshal's format may change between Python versions, and an entry's numbers are in the
# writer's byte order: an entry starts with both, and another's entries are rebuilt.
_TAG = f"{sys.implementation.cache_tag} {sys.byteorder}"
HEADER = f"stretchcoach cache {CACHE_VERSION} {_TAG}\n".encode()
SUFFIX = ".marshal"
# The record shapes the columns were written for: a field added without a version bump
# still misses the cache instead of misreading it.
SHAPES = tuple(c._fields for c in (Exercise, Dose, Source, Origin, Routine, RoutineItem))
# A file changed within this long of being cached may change again without its size, mtime
# or ctime moving (timestamps are coarser than writes), so its entry also keeps a checksum.
RACY_NS = 2_000_000_000


def _key(absolute: str, name: str, require_source: bool, stat: os.stat_result) -> tuple[Any, ...]:
    # ctime moves on every write and cannot be set back with `touch`; the inode changes when
    # an editor saves by renaming a new file over the old one.
    return (
        absolute, name, require_source, stat.st_dev, stat.st_ino, stat.st_size,
        stat.st_mtime_ns, stat.st_ctime_ns, __version__, CACHE_VERSION, SHAPES,
    )  # fmt: skip


def cache_file(cache_dir: Path, absolute: str, name: str, require_source: bool) -> Path:
    """Where the entry for this file lives: a stable name, no hashing library needed.

    A name, not a secret: two checksums (zlib is built in; hashlib costs a start-up import).
    A collision only costs a re-parse: the full key is stored inside and compared.
    """
    ident = repr((absolute, name, require_source)).encode("utf-8", "surrogateescape")
    return cache_dir / "catalogue" / f"{zlib.crc32(ident):08x}{zlib.adler32(ident):08x}{SUFFIX}"


def parse_cached(
    path: Path, name: str, require_source: bool, cache_dir: Path | None
) -> tuple[Parsed, list[Problem]]:
    """Like parse, but served from and saved to the cache when it can be."""
    if cache_dir is None:
        return parse(path, name, require_source)
    absolute = os.path.abspath(path)
    cache_path = cache_file(cache_dir, absolute, name, require_source)
    try:
        stat = os.stat(absolute)
    except OSError:
        return parse(path, name, require_source)  # parse reports the unreadable file
    key = _key(absolute, name, require_source, stat)
    try:
        # Read like any input: a FIFO or device planted in the cache must not block or flood.
        data = read_capped(cache_path, 4 * reading.MAX_BYTES)[0]
        if data.startswith(HEADER):
            stored_key, checksum, packed = _without_collector(
                lambda: marshal.loads(memoryview(data)[len(HEADER) :])
            )
            if stored_key == key and (checksum is None or checksum == _checksum(absolute)):
                parsed = _without_collector(lambda: unpack(packed))
                if checksum is not None and not _racy(stat):
                    # Settled: the content was just checked, and any later write moves the
                    # ctime past the key's. Without this, every load of a file cached soon
                    # after it was saved would read and check the whole file again.
                    _write(cache_path, HEADER + marshal.dumps((key, None, packed)))
                return parsed, []
    except Exception:  # a missing, stale or corrupt cache is rebuilt
        pass
    try:
        data, stat = read_capped(path, reading.MAX_BYTES)
    except Unreadable:
        return parse(path, name, require_source)  # says why, as an uncached load would
    parsed, problems = parse_bytes(data, name, require_source)
    if not problems:
        checksum = _crc(data) if _racy(stat) else None
        store(cache_path, _key(absolute, name, require_source, stat), checksum, parsed)
    return parsed, problems


def _racy(stat: os.stat_result) -> bool:
    """Whether the file changed so lately that a change to come might not move its times."""
    return time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_NS


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


def store(
    cache_path: Path, key: tuple[Any, ...], checksum: tuple[int, int] | None, parsed: Parsed
) -> None:
    """Write atomically; a cache that cannot be written is skipped silently."""
    try:
        data = HEADER + marshal.dumps((key, checksum, pack(parsed)))
    except (ValueError, OverflowError):  # a value marshal cannot take, a file of 4 G lines
        return
    _write(cache_path, data)


def _write(cache_path: Path, data: bytes) -> None:
    from stretchcoach.atomic import write_atomic

    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_path, data, durable=False)
        cache_path.with_suffix(".pickle").unlink(missing_ok=True)  # this entry before version 5
    except OSError:
        pass


# ---------------------------------------------------------------- records as plain data
# marshal takes only plain tuples, lists and scalars. Equal values written once stay shared
# when read back (marshal keeps references to objects referred to more than once). Records
# are rebuilt by position, in their `_fields` order; SHAPES in the key covers a change there.


def pack(parsed: Parsed) -> tuple[Any, ...]:
    """The parsed file as plain data: exercises by column, routines as nested tuples."""
    exercises, routines = parsed
    columns = list(zip(*exercises, strict=True)) or [()] * len(Exercise._fields)
    packed = tuple(
        _PACK[i](column) if i in _PACK else _column(column) for i, column in enumerate(columns)
    )
    return len(exercises), packed, tuple(map(_plain_routine, routines))


def unpack(packed: Sequence[Any]) -> Parsed:
    """The records `pack` was given, rebuilt in bulk."""
    count, columns, routines = packed
    if len(columns) != len(Exercise._fields):
        raise ValueError("the entry's columns do not match the exercise's fields")
    fields = (
        _UNPACK[i](column, count) if i in _UNPACK else _values(column, count)
        for i, column in enumerate(columns)
    )
    exercises = _records(Exercise, zip(*fields, strict=True))
    return exercises, tuple(map(_routine, routines))


def _records(kind: type[R], plain: Iterable[Sequence[Any]]) -> tuple[R, ...]:
    """Records of `kind` from plain tuples, built by C calls only (a NamedTuple's own
    constructor is Python code: a function call per record)."""
    return tuple(map(tuple.__new__, repeat(kind), plain))


def _checked(kind: type[R], table: Sequence[Sequence[Any]]) -> tuple[R, ...]:
    """`_records` of a table of distinct records, each first checked to have kind's fields
    (a damaged entry is rebuilt, never read as records missing a field)."""
    if any(len(plain) != len(kind._fields) for plain in table):  # type: ignore[attr-defined]
        raise ValueError(f"the entry's {kind.__name__} records do not match its fields")
    return _records(kind, table)


def _column(values: Sequence[Any]) -> tuple[str, Any]:
    """A column of plain values in the form quickest to read back: one value and how often,
    whole numbers as 32-bit bytes (no object each in the entry), or the values as they are."""
    first = values[0] if values else None
    if values and all(type(value) is type(first) and value == first for value in values):
        return _SAME, first
    if values and all(type(value) is int and 0 <= value < 1 << 32 for value in values):
        return _INTS, _ints(values)
    return _LIST, list(values)


def _values(column: tuple[str, Any], count: int) -> Iterable[Any]:
    """The values `_column` was given."""
    kind, data = column
    if kind == _SAME:
        return repeat(data, count)
    if kind == _INTS:
        return memoryview(data).cast("I")
    if kind == _LIST:
        values: list[Any] = data
        return values
    raise ValueError(f"unknown column {kind!r}")


def _ints(values: Iterable[int]) -> bytes:
    from array import array

    return array("I", values).tobytes()


def _table(values: Iterable[Any], plain: Callable[[Any], Any]) -> tuple[tuple[Any, ...], bytes]:
    """Distinct values (made plain) and, for each value, its place among them (as bytes)."""
    places: dict[Any, int] = {}
    picks = _ints([places.setdefault(value, len(places)) for value in values])
    return tuple(map(plain, places)), picks


def _picked(table: Sequence[T], picks: bytes) -> Iterator[T]:
    """The values `_table` was given, one by one."""
    return map(table.__getitem__, memoryview(picks).cast("I"))


def _pack_origins(origins: Sequence[Origin | None]) -> tuple[bool, tuple[Any, ...]]:
    if None in origins:  # records made in code; the parser places every one
        return False, tuple(map(_plain_origin, origins))
    # By field: a file named once, lines as numbers in bytes.
    fields = list(zip(*origins, strict=True)) or [()] * len(Origin._fields)
    return True, tuple(map(_column, fields))


def _unpack_origins(packed: tuple[bool, Any], count: int) -> Iterable[Origin | None]:
    by_field, origins = packed
    if not by_field:
        return map(_origin, origins)
    if len(origins) != len(Origin._fields):
        raise ValueError("the entry's origins do not match their fields")
    fields = zip(*(_values(field, count) for field in origins), strict=True)
    return map(tuple.__new__, repeat(Origin), fields)


def _plain_origin(origin: Origin | None) -> tuple[Any, ...] | None:
    return None if origin is None else tuple(origin)


def _origin(plain: Sequence[Any] | None) -> Origin | None:
    return None if plain is None else Origin._make(plain)


def _plain_routine(routine: Routine) -> tuple[Any, ...]:
    items = tuple(_with(item, _ITEM_ORIGIN, _plain_origin) for item in routine.items)
    return _with(_with(routine, _ROUTINE_ORIGIN, _plain_origin), _ROUTINE_ITEMS, lambda _: items)


def _routine(plain: Sequence[Any]) -> Routine:
    items = tuple(RoutineItem._make(_with(i, _ITEM_ORIGIN, _origin)) for i in plain[_ROUTINE_ITEMS])
    return Routine._make(
        _with(_with(plain, _ROUTINE_ORIGIN, _origin), _ROUTINE_ITEMS, lambda _: items)
    )


def _with(values: Sequence[Any], index: int, change: Callable[[Any], Any]) -> tuple[Any, ...]:
    """`values` as a plain tuple, the one at `index` changed."""
    out = list(values)
    out[index] = change(out[index])
    return tuple(out)


_SAME, _INTS, _LIST = "same", "ints", "list"
_DOSE, _SOURCES, _ORIGIN = map(Exercise._fields.index, ("dose", "sources", "origin"))
# The exercise's fields that hold records: how each column is written and read back.
_PACK: dict[int, Callable[[Sequence[Any]], Any]] = {
    _DOSE: lambda doses: _table(doses, tuple),
    _SOURCES: lambda sources: _table(sources, lambda each: tuple(map(tuple, each))),
    _ORIGIN: _pack_origins,
}
_UNPACK: dict[int, Callable[[Any, int], Iterable[Any]]] = {
    _DOSE: lambda packed, count: _picked(_checked(Dose, packed[0]), packed[1]),
    _SOURCES: lambda packed, count: _picked(
        tuple(_checked(Source, plain) for plain in packed[0]), packed[1]
    ),
    _ORIGIN: _unpack_origins,
}
_ROUTINE_ITEMS, _ROUTINE_ORIGIN = map(Routine._fields.index, ("items", "origin"))
_ITEM_ORIGIN = RoutineItem._fields.index("origin")
