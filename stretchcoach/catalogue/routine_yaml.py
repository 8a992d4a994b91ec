"""Routine -> schema-1 catalogue YAML that the loader reads back as the same routine."""

from __future__ import annotations

import re
from typing import Any

import yaml

from stretchcoach.durations import format_seconds, is_breaths, parse
from stretchcoach.model import Routine, RoutineItem

SCHEMA = 1
# Left unquoted: slugs such as ids and kinds, and durations such as "30s" or "1m30s". Every
# other string is double-quoted, so no YAML 1.1 or 1.2 reader can take it for a bool, a
# number, a date or a sexagesimal ("no", "010", "0o10", "1:30", "2024-01-01").
_PLAIN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|(?:\d+[hms])+")
# Plain slugs a YAML 1.1 reader still turns into booleans or null.
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


class _Dumper(yaml.SafeDumper):
    """safe_dump's dumper, quoting every string that is not plainly a slug or a duration."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as in DESIGN.md's examples and hand-written files.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    plain = _PLAIN.fullmatch(value) is not None and value not in _RESERVED
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _represent_str)


def routine_document(routine: Routine) -> dict[str, Any]:
    """The schema-1 document, as plain dicts and lists, holding `routine` alone."""
    body: dict[str, Any] = {"id": routine.id, "name": routine.name}
    if routine.summary:
        body["summary"] = routine.summary
    body["prepare"] = format_seconds(routine.prepare)
    body["rest"] = format_seconds(routine.rest)
    body["items"] = [_item(item) for item in routine.items]
    return {"schema": SCHEMA, "routines": [body]}


def dump(routine: Routine) -> str:
    """`routine` as the text of a schema-1 catalogue file."""
    return yaml.dump(
        routine_document(routine),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,  # one line per value: readable, and easy to grep
    )


def _item(item: RoutineItem) -> dict[str, Any]:
    out: dict[str, Any] = {"exercise": item.exercise}
    if item.hold is not None:
        out["hold"] = _hold(item.hold, item.hold_text)
    if item.reps is not None:
        out["reps"] = item.reps
    if item.sets is not None:
        out["sets"] = item.sets
    if item.sides is not None:
        out["sides"] = item.sides
    if item.between is not None:
        out["between"] = format_seconds(item.between)
    return out


def _hold(seconds: int, text: str | None) -> str:
    # Keep "5 breaths" as written when it still means these seconds; else the compact form.
    if text and is_breaths(text) and parse(text) == seconds:
        return text.strip()
    return format_seconds(seconds)
