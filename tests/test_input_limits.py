"""Catalogue input never hangs or exhausts memory: regular files only, capped while read,
nesting bounded, and a cache that is never stale."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stretchcoach.catalogue import cache as catalogue_cache
from stretchcoach.catalogue.files import Unreadable, parse_file, read_capped
from stretchcoach.catalogue.loader import load
from stretchcoach.errors import CatalogueError
from stretchcoach.paths import Paths

SCRIPT = Path(sys.executable).parent / "stretchcoach"
HEAD = "schema: 1\nexercises:\n"


def exercise(ident: str, name: str) -> str:
    return f"  - id: {ident}\n    name: {name}\n    targets: [neck]\n    hold: 20s\n"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_file(path)
    return [f"{p.line}:{p.column}: {p.message}" for p in info.value.problems]


def cli(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess: a regression that blocks fails by timeout, not hang."""
    env = {"PATH": os.environ.get("PATH", ""), "STRETCHCOACH_HOME": str(home), "LANG": "C.UTF-8"}
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


# ---------------------------------------------------------------- only regular files

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")


@posix_only
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "c.yaml"
    os.mkfifo(fifo)  # no writer: an ordinary open would wait forever
    assert problems_of(fifo) == ["1:1: not a regular file (a pipe); give a .yaml file"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_character_device_is_refused_before_a_byte_is_read() -> None:
    assert problems_of(Path("/dev/zero")) == [
        "1:1: not a regular file (a character device); give a .yaml file"
    ]


def test_a_folder_given_to_the_reader_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match=r"^cannot read the file|not a regular file \(a folder\)"):
        read_capped(tmp_path)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="no /proc")
def test_the_cap_holds_while_reading_a_file_whose_size_says_zero() -> None:
    # /proc files are regular files that report size 0: only the read can enforce the cap.
    assert os.stat("/proc/self/maps").st_size == 0
    with pytest.raises(Unreadable, match="grew past the 64 bytes cap"):
        read_capped(Path("/proc/self/maps"), limit=64)


def test_a_file_under_the_cap_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"x" * 3_000_000)  # more than one read chunk
    data, info = read_capped(path)
    assert data == b"x" * 3_000_000 and info.st_size == 3_000_000


@posix_only
@pytest.mark.parametrize("command", ["list", "validate", "import"])
def test_commands_given_a_fifo_exit_2_at_once(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "in.yaml"
    os.mkfifo(fifo)
    args = {"list": ["list", "-c", str(fifo)], "validate": ["validate", str(fifo)]}
    out = cli(args.get(command, ["import", str(fifo)]), tmp_path / "home")
    assert out.returncode == 2, out.stderr
    assert "not a regular file (a pipe)" in out.stderr
    assert "Traceback" not in out.stderr


# ---------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(HEAD + "  - " + "[" * 100_000, "3:23", id="flow-lists"),
        pytest.param(HEAD + "  - " + "{a: " * 50_000, "3:77", id="flow-mappings"),
        pytest.param(
            HEAD + "".join("  " * i + "- \n" for i in range(1, 40)), "22:41", id="block-lists"
        ),
    ],
)
def test_deep_nesting_is_refused_at_its_position(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    assert problems_of(path) == [
        f"{where}: lists and mappings nested more than 20 deep; a catalogue needs at most 5 levels"
    ]


def test_nesting_a_catalogue_uses_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        HEAD + exercise("a", "A") + "    source: [{title: t, publisher: p, says: s}]\n",
        encoding="utf-8",
    )
    (found,), _ = parse_file(path)
    assert found.sources[0].title == "t"


# ---------------------------------------------------------------- the cache is never stale


def write_same_size_same_mtime(path: Path, text: str) -> None:
    """Change the content, keep the size, put the modification time back."""
    before = path.stat()
    assert len(text.encode()) == before.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def test_an_edit_keeping_size_and_mtime_is_read_again(home: Paths, tmp_path: Path) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(HEAD + exercise("mine", "Before"), encoding="utf-8")
    assert load(home, [path]).exercises["mine"].name == "Before"
    write_same_size_same_mtime(path, HEAD + exercise("mine", "After!"))
    assert load(home, [path]).exercises["mine"].name == "After!"


def test_an_old_entry_is_keyed_on_the_inode_and_ctime(
    home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With no racy window, only the stat key stands between an edit and a stale answer.
    monkeypatch.setattr(catalogue_cache, "RACY_NS", 0)
    path = tmp_path / "o.yaml"
    path.write_text(HEAD + exercise("mine", "Before"), encoding="utf-8")
    load(home, [path])
    before = path.stat()
    replacement = tmp_path / "new.yaml"  # an editor's save: a new file renamed over the old
    replacement.write_text(HEAD + exercise("mine", "After!"), encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, path)
    assert load(home, [path]).exercises["mine"].name == "After!"


def test_an_unchanged_old_file_is_served_without_reading_it(
    home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(HEAD + exercise("mine", "Mine"), encoding="utf-8")
    hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(hour_ago, hour_ago))
    monkeypatch.setattr(catalogue_cache, "RACY_NS", 0)  # as if the ctime were old too
    first = load(home, [path])

    def refuse(given: Path, *args: object) -> object:
        if Path(given) == path:
            raise AssertionError("the file was read although its entry is fresh")
        return read_capped(given, *args)  # the cache entry itself

    monkeypatch.setattr(catalogue_cache, "read_capped", refuse)
    assert load(home, [path]) == first


def test_an_entry_kept_with_a_checksum_is_settled_once_its_file_is_old_enough(
    home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file cached just after it was saved keeps a checksum, read and checked at each load;
    # once its times are old enough, the checked entry is kept without one.
    path = tmp_path / "o.yaml"
    path.write_text(HEAD + exercise("mine", "Mine"), encoding="utf-8")
    monkeypatch.setattr(catalogue_cache, "RACY_NS", 10**18)  # still racy
    first = load(home, [path])
    entry = catalogue_cache.cache_file(home.cache_dir, str(path), str(path), False)

    def checksum() -> object:
        return marshal.loads(entry.read_bytes()[len(catalogue_cache.HEADER) :])[1]

    assert checksum() is not None
    assert load(home, [path]) == first and checksum() is not None
    monkeypatch.setattr(catalogue_cache, "RACY_NS", 0)  # the file's times are old now
    assert load(home, [path]) == first and checksum() is None

    def refuse(given: Path, *args: object) -> object:
        if Path(given) == path:
            raise AssertionError("the file was read although its entry is settled")
        return read_capped(given, *args)  # the cache entry itself

    monkeypatch.setattr(catalogue_cache, "read_capped", refuse)
    assert load(home, [path]) == first


def test_a_racy_entry_is_not_settled_when_its_file_changed(
    home: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(HEAD + exercise("mine", "Before"), encoding="utf-8")
    monkeypatch.setattr(catalogue_cache, "RACY_NS", 10**18)
    load(home, [path])
    write_same_size_same_mtime(path, HEAD + exercise("mine", "After!"))
    monkeypatch.setattr(catalogue_cache, "RACY_NS", 0)
    assert load(home, [path]).exercises["mine"].name == "After!"


@posix_only
def test_a_fifo_planted_as_a_cache_entry_does_not_block(home: Paths, tmp_path: Path) -> None:
    path = tmp_path / "o.yaml"
    path.write_text(HEAD + exercise("mine", "Mine"), encoding="utf-8")
    load(home, [path])
    entry = catalogue_cache.cache_file(home.cache_dir, str(path), str(path), False)
    entry.unlink()
    os.mkfifo(entry)
    assert load(home, [path]).exercises["mine"].name == "Mine"


def test_naming_a_cache_entry_needs_no_hashing_library(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from stretchcoach.catalogue.cache import cache_file;"
        f"print(cache_file(Path({str(tmp_path)!r}), '/a.yaml', 'a.yaml', False).name,"
        " 'hashlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    name, imported = out.stdout.split()
    assert name == name[:16] + catalogue_cache.SUFFIX and int(name[:16], 16) >= 0
    assert imported == "False"


# ---------------------------------------------------------------- bounded work per file


def test_a_file_of_tiny_values_is_cut_off_at_the_node_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stretchcoach.catalogue import yamltree

    monkeypatch.setattr(yamltree, "MAX_NODES", 1000)
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + "  - targets: [" + "a, " * 2000 + "a]\n", encoding="utf-8")
    assert problems_of(path) == [
        "3:2991: more than 1,000 values in one file; split it into several files"
    ]


def test_problems_stop_at_the_limit_and_say_so(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    keys = "".join(f"    extra{i}: 1\n" for i in range(5000))
    path.write_text(HEAD + exercise("a", "A") + keys, encoding="utf-8")
    found = problems_of(path)
    assert len(found) == 201
    assert found[0] == (
        "7:5: unknown key 'extra0' in an exercise; allowed: id, name, kind, targets, muscles, "
        "position, equipment, sides, hold, reps, sets, work, between, discreet, steps, "
        "cautions, source"
    )
    assert found[-1] == "206:5: stopped after 200 problems; fix these and check the file again"


def test_a_huge_value_quoted_back_is_cut_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + exercise("a", "A") + f"    kind: {'x' * 1_000_000}\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert len(problem) < 700
    assert problem.startswith("7:11: unknown kind 'xxx")
    assert " [...] " in problem
    assert problem.endswith("use stretch, mobility, strength, posture or release")


@pytest.mark.parametrize(
    ("dose", "message"),
    [
        ("    hold: 20s\n    reps: " + "1" * 5000, "7:11: reps must be at most 100, not 1111"),
        ("    hold: 20s\n    reps: 0000000000010", None),
        ("    hold: " + "1" * 5000 + "s", "6:11: bad hold: '11111111111111111111'... is too long"),
    ],
)
def test_numbers_too_long_to_convert_are_problems_not_crashes(
    tmp_path: Path, dose: str, message: str | None
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + "  - id: a\n    name: A\n    targets: [neck]\n" + dose + "\n", "utf-8")
    if message is None:
        (found,), _ = parse_file(path)
        assert found.dose.reps == 10
    else:
        [problem] = problems_of(path)
        assert problem.startswith(message)


def test_each_item_of_a_top_level_list_is_handed_over_as_it_ends_and_replaced():
    from stretchcoach.catalogue.yamltree import Built, FileReport, Map, Seq, tree

    text = (
        b"schema: 1\nexercises:\n  - id: a\n    targets: [neck]\n  - id: b\nroutines:\n  - id: r\n"
    )
    seen: list[tuple[str, int, int]] = []

    def on_item(key: str, item: Map) -> Built:
        seen.append((key, item.line, item.column))
        return Built(key, item.line, item.column)

    root = tree(text, FileReport("f.yaml"), on_item=on_item)
    assert seen == [("exercises", 3, 5), ("exercises", 5, 5), ("routines", 7, 5)]
    assert isinstance(root, Map)
    lists = [value for _, value in root.pairs if isinstance(value, Seq)]
    assert [[(type(i).__name__, i.value) for i in s] for s in lists] == [  # type: ignore[attr-defined]
        [("Built", "exercises"), ("Built", "exercises")],
        [("Built", "routines")],
    ]
