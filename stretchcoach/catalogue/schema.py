"""The schema checker: a node tree -> exercises and routines, every problem at its place."""

from __future__ import annotations

from typing import Any, cast

from stretchcoach.catalogue.values import (
    EXERCISE_KEYS,
    ITEM_KEYS,
    MAX_REPS,
    MAX_SETS,
    ROUTINE_KEYS,
    SOURCE_KEYS,
    TOP_KEYS,
    Parsed,
    Values,
)
from stretchcoach.catalogue.yamltree import Built, Map, Node, Seq, describe, is_null, where
from stretchcoach.model import (
    AREAS,
    DEFAULT_PREPARE,
    DEFAULT_REST,
    KINDS,
    POSITIONS,
    SIDES,
    WORKS,
    Dose,
    Exercise,
    Kind,
    Origin,
    Position,
    Routine,
    RoutineItem,
    Side,
    Source,
    Work,
)

# Keys that must be there, as sets to check at once: an exercise's, an exercise's when
# sources are required (the built-in catalogue), and a source's.
_REQUIRED = frozenset(("id", "name", "targets", "hold"))
_SOURCED = _REQUIRED | {"source"}
_CITED = frozenset(("title", "publisher", "says"))


class Checker(Values):
    """Types the tree by schema 1, collecting every problem instead of stopping."""

    # -- records

    def document(self, root: Node | None) -> Parsed:
        if root is None or is_null(root):
            self.file.problem_at(1, 1, "the file is empty; a catalogue starts with `schema: 1`")
            return (), ()
        if not isinstance(root, Map):
            self.file.problem(
                root, f"a catalogue must be a mapping with `schema: 1`, not {describe(root)}"
            )
            return (), ()
        values = self.fields(root, TOP_KEYS, "the catalogue")
        schema = values.get("schema")
        if schema is None:
            self.file.problem(root, "missing `schema: 1` at the top of the file")
        elif not (isinstance(schema, tuple) and not schema[1] and schema[0].strip() == "1"):
            if isinstance(schema, tuple) and schema[0].strip() == "1":
                self.file.problem(schema, "schema must be the number 1; remove the quotes")
            else:
                self.file.problem(
                    schema,
                    f"unsupported schema {describe(schema)}; this version of stretchcoach "
                    "reads schema 1",
                )
        exercises = self.records(values.get("exercises"), "exercises", "exercise", self.exercise)
        routines = self.records(values.get("routines"), "routines", "routine", self.routine)
        self.unique_ids(exercises, routines)
        return tuple(e for e, _ in exercises), tuple(r for r, _ in routines)

    def records(self, node: Node | None, key: str, what: str, build: Any) -> list[Any]:
        if node is None or is_null(node):
            return []  # `exercises:` with nothing under it yet
        if not isinstance(node, Seq):
            self.wrong(node, key, f"a list of {key}")
            return []
        out: list[tuple[Any, Node]] = []
        for item in node:
            if isinstance(item, Built):  # checked as it was read (item_of)
                if item.value is not None:
                    out.append((item.value, item))
                continue
            if not isinstance(item, Map):
                self.wrong(item, f"each of {key}", f"a mapping of keys ({what} id, name, ...)")
                continue
            record = build(item)
            if record is not None:
                out.append((record, item))
        return out

    def item_of(self, key: str, node: Map) -> Node:
        """An exercise or routine checked as soon as the parser has read it, its nodes dropped."""
        if key == "exercises":
            return Built(self.exercise(node), node.line, node.column)
        if key == "routines":
            return Built(self.routine(node), node.line, node.column)
        return node  # an unknown top-level key: reported, with its contents, by document

    def unique_ids(
        self, exercises: list[tuple[Exercise, Node]], routines: list[tuple[Routine, Node]]
    ) -> None:
        seen: dict[str, tuple[str, int]] = {}
        for what, records in (("exercise", exercises), ("routine", routines)):
            for record, node in records:
                if record.id in seen:
                    first, line = seen[record.id]
                    shared = (
                        "" if first == what else "; exercises and routines share one set of ids"
                    )
                    self.file.problem(
                        node,
                        f"duplicate id {record.id!r} (the {first} at line {line}){shared}; "
                        "give each its own id",
                    )
                else:
                    seen[record.id] = (what, where(node)[0])

    def exercise(self, node: Map) -> Exercise | None:
        before = len(self.file.problems)
        values = self.fields(node, EXERCISE_KEYS, "an exercise")
        ident = self.slug(values["id"], "id") if "id" in values else None
        required = _SOURCED if self.require_source else _REQUIRED
        if not values.keys() >= required:
            what = f"exercise {ident!r}" if ident else "exercise"
            self.require(values, [k for k in EXERCISE_KEYS if k in required], node, what)
        name = self.text(values["name"], "name") if "name" in values else None
        targets = (
            self.choices(values["targets"], "targets", AREAS, "target")
            if "targets" in values
            else None
        )
        if targets == ():
            self.file.problem(
                values["targets"], "targets is empty; name at least one body area, e.g. [neck]"
            )
        hold = self.duration(values["hold"], "hold", 1) if "hold" in values else None
        kind = self.choice(values["kind"], "kind", KINDS) if "kind" in values else "stretch"
        position = (
            self.choice(values["position"], "position", POSITIONS)
            if "position" in values
            else "any"
        )
        sides = self.choice(values["sides"], "sides", SIDES) if "sides" in values else "none"
        reps = self.count(values["reps"], "reps", MAX_REPS) if "reps" in values else 1
        sets = self.count(values["sets"], "sets", MAX_SETS) if "sets" in values else 1
        work = self.choice(values["work"], "work", WORKS) if "work" in values else "hold"
        between = self.duration(values["between"], "between", 0) if "between" in values else (0, "")
        discreet = self.flag(values["discreet"], "discreet") if "discreet" in values else False
        muscles = self.texts(values["muscles"], "muscles") if "muscles" in values else ()
        equipment = self.texts(values["equipment"], "equipment") if "equipment" in values else ()
        steps = self.texts(values["steps"], "steps") if "steps" in values else ()
        cautions = self.texts(values["cautions"], "cautions") if "cautions" in values else ()
        sources = self.sources(values["source"], ident) if "source" in values else ()
        parts = (name, targets, hold, kind, position, sides, reps, sets, work, between, discreet)
        lists = (muscles, equipment, steps, cautions, sources)
        if len(self.file.problems) != before or ident is None or None in parts or None in lists:
            return None
        assert name and targets and hold and kind and position and sides and reps and sets
        assert muscles is not None and equipment is not None and steps is not None
        assert cautions is not None and sources is not None
        assert work is not None and between is not None and discreet is not None
        # choice() checked the literal fields against KINDS, POSITIONS, SIDES and WORKS.
        dose = Dose(hold[0], reps, sets, cast(Side, sides), hold[1], cast(Work, work), between[0])
        return Exercise(
            ident, name, targets, self.share(dose), cast(Kind, kind), muscles,
            cast(Position, position), equipment, steps, cautions, sources,
            Origin(self.file.name, node.line, node.column), bool(discreet),
        )  # fmt: skip

    def sources(self, node: Node, ident: str | None) -> tuple[Source, ...] | None:
        if type(node) is not Seq:
            self.wrong(node, "source", "a list of {title, publisher, says}")
            return None
        if not node and self.require_source:
            what = f"exercise {ident!r}" if ident else "exercise"
            self.file.problem(
                node, f"{what} has no source; built-in exercises cite at least one article"
            )
            return None
        out = []
        text = self.text
        for item in node:
            if type(item) is not Map:
                self.wrong(item, "each source", "a mapping with title, publisher and says")
                continue
            values = self.fields(item, SOURCE_KEYS, "a source")
            if not values.keys() >= _CITED and not self.require(
                values, ("title", "publisher", "says"), item, "source"
            ):
                continue
            title = text(values["title"], "title")
            publisher = text(values["publisher"], "publisher")
            says = text(values["says"], "says")
            url = text(values["url"], "url") if "url" in values else None
            if url is not None and not url.startswith(("https://", "http://")):
                self.file.problem(values["url"], f"url {url!r} must start with https:// or http://")
                continue
            if title and publisher and says:
                out.append(self.share(Source(title, publisher, says, url)))
        return self.share(tuple(out)) if len(out) == len(node) else None

    def routine(self, node: Map) -> Routine | None:
        before = len(self.file.problems)
        values = self.fields(node, ROUTINE_KEYS, "a routine")
        ident = self.slug(values["id"], "id") if "id" in values else None
        what = f"routine {ident!r}" if ident else "routine"
        self.require(values, ("id", "name", "items"), node, what)
        name = self.text(values["name"], "name") if "name" in values else None
        summary = (
            self.text(values["summary"], "summary", required=False) if "summary" in values else ""
        )
        prepare = (
            self.duration(values["prepare"], "prepare", 0)
            if "prepare" in values
            else (DEFAULT_PREPARE, "")
        )
        rest = self.duration(values["rest"], "rest", 0) if "rest" in values else (DEFAULT_REST, "")
        items: list[RoutineItem] = []
        if "items" in values:
            node_items = values["items"]
            if not isinstance(node_items, Seq):
                self.wrong(node_items, "items", "a list, e.g. [{exercise: neck-roll}]")
            elif not node_items:
                self.file.problem(node_items, f"{what} has no items; list at least one exercise")
            else:
                for item in node_items:
                    built = self.item(item)
                    if built is not None:
                        items.append(built)
        if len(self.file.problems) != before or not (ident and name and prepare and rest):
            return None
        return Routine(
            id=ident,
            name=name,
            items=tuple(items),
            summary=summary or "",
            prepare=prepare[0],
            rest=rest[0],
            origin=self.file.origin(node),
        )

    def item(self, node: Node) -> RoutineItem | None:
        if isinstance(node, tuple) and not is_null(node):
            # A bare id is shorthand for {exercise: id}.
            ident = self.slug(node, "exercise")
            return RoutineItem(ident, origin=self.file.origin(node)) if ident else None
        if not isinstance(node, Map):
            self.wrong(node, "each item", "a mapping such as {exercise: neck-roll}")
            return None
        before = len(self.file.problems)
        values = self.fields(node, ITEM_KEYS, "a routine item")
        self.require(values, ("exercise",), node, "routine item")
        ident = self.slug(values["exercise"], "exercise") if "exercise" in values else None
        hold = self.duration(values["hold"], "hold", 1) if "hold" in values else None
        reps = self.count(values["reps"], "reps", MAX_REPS) if "reps" in values else None
        sets = self.count(values["sets"], "sets", MAX_SETS) if "sets" in values else None
        sides = self.choice(values["sides"], "sides", SIDES) if "sides" in values else None
        between = self.duration(values["between"], "between", 0) if "between" in values else None
        if len(self.file.problems) != before or ident is None:
            return None
        return RoutineItem(
            exercise=ident,
            hold=hold[0] if hold else None,
            hold_text=hold[1] if hold else None,
            reps=reps,
            sets=sets,
            sides=cast("Side | None", sides),
            origin=self.file.origin(node),
            between=between[0] if between else None,
        )
