"""What a session looks like: the live screen at any size, plain lines, and the summary."""

from __future__ import annotations

import math
import textwrap

from rich.console import Group
from rich.text import Text

from stretchcoach.durations import describe, format_clock, format_seconds
from stretchcoach.model import ExerciseResult, PhaseKind, SessionResult, SessionStatus
from stretchcoach.render.text import clean
from stretchcoach.session.keys import keys_line
from stretchcoach.session.runner import Snapshot

# Sizes below which a layout no longer fits.
FULL = (60, 20)
COMPACT = (40, 12)

# A 3x5 block font on a fixed grid: every row of a glyph has the glyph's width, blanks
# included, so a left stroke stays on the left ("#" is a filled cell).
FONT = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
}
# Cell sizes (columns, rows) of one font cell, smallest first: compact, 80x24, 120x40, 200x50.
CELLS = ((1, 1), (2, 1), (4, 2), (6, 3))
KEYS_LINE = keys_line()
KEYS_LINE_PAUSED = keys_line(paused=True)
KEYS_SHORT = keys_line(short=True)
SUSPENDED_NOTICE = "Paused: the computer was asleep; that time was not counted. Space resumes."
PAUSED_NOTICE = "PAUSED: press space to resume."


def countdown(seconds_left: float) -> str:
    """The phase countdown as shown: whole seconds rounded up, m:ss from a minute on."""
    whole = math.ceil(seconds_left - 1e-9)
    return str(whole) if whole < 60 else format_clock(whole)


def big_digits(text: str, *, cell: tuple[int, int] = (1, 1)) -> tuple[str, ...]:
    """Rows of block characters spelling `text`; every row has the same width, blanks kept.

    Glyphs are one blank cell apart; each font cell is `cell` = (columns, rows) characters.
    """
    columns, rows = cell
    glyphs = [FONT[ch] for ch in text if ch in FONT]
    out = []
    for row in range(5):
        grid = " ".join(glyph[row] for glyph in glyphs)
        line = "".join(("█" if mark == "#" else " ") * columns for mark in grid)
        out.extend([line] * rows)
    return tuple(out)


def digits_cell(text: str, width: int, rows: int) -> tuple[int, int]:
    """The largest cell size whose digits for `text` fit in `width` columns and `rows` rows."""
    cells = len(" ".join("#" * len(FONT[ch][0]) for ch in text if ch in FONT))
    fitting = [c for c in CELLS if cells * c[0] <= width and 5 * c[1] <= rows]
    return fitting[-1] if fitting else CELLS[0]


def layout(snap: Snapshot, width: int, height: int) -> tuple[Text, ...]:
    """The lines of the live screen for a console of `width` x `height` cells."""
    if width >= FULL[0] and height >= FULL[1]:
        return _full(snap, width, height)
    if width >= COMPACT[0] and height >= COMPACT[1]:
        return _compact(snap, width)
    return (one_line(snap, width),)


def renderable(lines: tuple[Text, ...]) -> Group:
    """The lines as one Rich renderable; a line too long is cropped, none wraps."""
    return Group(*lines)


def _line(text: str | Text = "", style: str = "", justify: str = "left") -> Text:
    out = text if isinstance(text, Text) else Text(text, style=style)
    out.no_wrap = True
    out.overflow = "ellipsis"
    out.justify = justify  # type: ignore[assignment]
    out.end = "\n"
    return out


def _fit(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: max(0, width - 1)] + "…"


def _header(snap: Snapshot, width: int, short: bool) -> Text:
    left = (
        f"{snap.item + 1}/{snap.items}"
        if short
        else f"Exercise {snap.item + 1} of {snap.items} · {clean(snap.title)}"
    )
    right = f"{format_clock(math.ceil(snap.session_left - 1e-9))} left"
    if snap.paused:
        right = "PAUSED · " + right
    room = width - len(right) - 1
    left = _fit(left, max(room, 0))
    out = Text(left, style="bold")
    out.append(" " * max(1, width - len(left) - len(right)))
    out.append(right, style="reverse bold" if snap.paused else "")
    return _line(out)


def _reps(snap: Snapshot) -> bool:
    return snap.work == "reps"


def _title(snap: Snapshot) -> str:
    name = clean(snap.exercise.name) if snap.exercise else ""
    phase = snap.phase
    if phase is None:
        return "Finished"
    if phase.kind is PhaseKind.PREPARE:
        return f"Get ready: {name}"
    if phase.kind is PhaseKind.SWITCH:
        return f"Switch sides: {name}"
    if phase.kind is PhaseKind.REST:
        return f"Rest between sets: {name}" if phase.set else "Rest"
    if phase.kind is PhaseKind.RELAX:
        return f"Return: {name}" if _reps(snap) else f"Relax: {name}"
    return name


def work_words(snap: Snapshot, *, short: bool = False) -> str:
    """The rep of a work phase: "rep 3 of 10 · 2s" for reps, "rep 1 of 2" for holds."""
    phase = snap.phase
    if phase is None:
        return ""
    rep = f"rep {phase.rep}/{phase.reps}" if short else f"rep {phase.rep} of {phase.reps}"
    if _reps(snap):
        return f"{rep} · {format_seconds(snap.phase_seconds)}"
    return rep


def _detail(snap: Snapshot) -> str:
    phase = snap.phase
    if phase is None:
        return ""
    side = phase.side.upper() if phase.side else ""
    if phase.kind is PhaseKind.WORK:
        parts = [side] if side else []
        parts += [work_words(snap), f"set {phase.set} of {phase.sets}"]
        return " · ".join(parts)
    if phase.kind is PhaseKind.SWITCH:
        return f"now {side}"
    if phase.kind is PhaseKind.RELAX:
        what = "return to the start" if _reps(snap) else "relax"
        return f"{what} · rep {phase.rep} of {phase.reps} next"
    if phase.kind is PhaseKind.PREPARE:
        return f"{side} side first" if side else "get into position"
    if phase.set:  # rest between sets
        return f"set {phase.set} of {phase.sets} next"
    name = clean(snap.exercise.name) if snap.exercise else ""
    return f"next: {name}"


def _bar(snap: Snapshot, width: int) -> Text:
    percent = f" {round(snap.progress * 100):3d}%"
    room = max(0, width - len(percent))
    filled = round(snap.progress * room)
    out = Text("█" * filled, style="green")
    out.append("░" * (room - filled), style="dim")
    out.append(percent)
    return _line(out)


def _coming(snap: Snapshot) -> str:
    if snap.next_exercise is None:
        return "Next: the end"
    return f"Next: {clean(snap.next_exercise.name)}"


def _notice(snap: Snapshot) -> Text | None:
    if snap.suspended:
        return _line(SUSPENDED_NOTICE, style="reverse")
    if snap.paused:
        return _line(PAUSED_NOTICE, style="reverse")
    return None


def _digits(snap: Snapshot, width: int, rows: int) -> list[Text]:
    """The countdown in the largest digits that fit, on a fixed grid, centred as one block."""
    style = "dim" if snap.paused else "bold"
    text = countdown(snap.phase_left)
    drawn = big_digits(text, cell=digits_cell(text, width - 2, rows))
    # Centre the block, never row by row: each row keeps its blanks and its left margin.
    margin = " " * max(0, (width - len(drawn[0])) // 2)
    return [_line(margin + row, style=style) for row in drawn]


def wrap_steps(steps: tuple[str, ...], width: int, room: int) -> list[str]:
    """The numbered steps wrapped to `width`; as many whole steps as fit in `room` lines."""
    out: list[str] = []
    for number, step in enumerate(steps, 1):
        lead = f"{number}. "
        lines = textwrap.wrap(
            clean(step),
            width=max(width, len(lead) + 1),
            initial_indent=lead,
            subsequent_indent=" " * len(lead),
            break_on_hyphens=False,
        ) or [lead.rstrip()]
        if len(out) + len(lines) > room:
            break
        out.extend(lines)
    return out


# Lines of the full layout besides the digits and the steps.
_FULL_FIXED = 10


def _full(snap: Snapshot, width: int, height: int) -> tuple[Text, ...]:
    notice = _notice(snap)
    # The digits take two fifths of what the fixed lines leave (5 rows at least): 5 rows at
    # 80x24, 10 at 120x40, 15 at 200x50; the steps get the rest.
    digit_rows = max(5, (height - _FULL_FIXED - (1 if notice else 0)) * 2 // 5)
    top = [
        _header(snap, width, short=False),
        _line(),
        _line(_title(snap), style="bold"),
        _line(_detail(snap)),
        _line(),
        *_digits(snap, width, digit_rows),
        _line(),
        _bar(snap, width),
    ]
    bottom = [_line(_coming(snap)), _line(KEYS_LINE_PAUSED if snap.paused else KEYS_LINE)]
    middle = [_line(), notice] if notice else [_line()]
    steps = snap.exercise.steps if snap.exercise else ()
    room = max(0, height - len(top) - len(middle) - len(bottom))
    shown = [_line(line) for line in wrap_steps(steps, width, room)]
    filler = [_line()] * max(0, room - len(shown))
    return (*top, *middle, *shown, *filler, *bottom)


def _compact(snap: Snapshot, width: int) -> tuple[Text, ...]:
    notice = _notice(snap)
    return (
        _header(snap, width, short=True),
        _line(_title(snap), style="bold"),
        _line(_detail(snap)),
        *_digits(snap, width, 5),
        _bar(snap, width),
        notice or _line(_coming(snap)),
        _line(KEYS_SHORT),
    )


def one_line(snap: Snapshot, width: int) -> Text:
    """The whole session state on one line, for the tiniest terminals."""
    parts = [countdown(snap.phase_left)]
    if snap.paused:
        parts.insert(0, "PAUSED")
    phase = snap.phase
    if phase is not None:
        if phase.side:
            parts.append(phase.side.upper())
        if phase.kind is PhaseKind.WORK:
            parts.append(f"{phase.rep}/{phase.reps}")
    parts.append(_title(snap))
    parts.append(f"({snap.item + 1}/{snap.items})")
    return _line(" ".join(parts), style="bold")


def plain_line(snap: Snapshot) -> str:
    """One line for the phase just begun: "[0:05] Name — LEFT — rep 1/10 — hold 2s"."""
    # The phase began at a planned whole second; a tick a few ms late must not read one early.
    stamp = f"[{format_clock(round(snap.phase_elapsed_at))}]"
    phase = snap.phase
    name = clean(snap.exercise.name) if snap.exercise else ""
    if phase is None:
        return f"{stamp} Finished"
    side = phase.side.upper() if phase.side else None
    if phase.kind is PhaseKind.WORK:
        parts = [name]
        if side:
            parts.append(side)
        parts.append(work_words(snap, short=True))
        if phase.sets > 1:
            parts.append(f"set {phase.set}/{phase.sets}")
        if not _reps(snap):
            parts.append(f"hold {describe(snap.phase_seconds, snap.hold_text)}")
    elif phase.kind is PhaseKind.PREPARE:
        parts = [f"Get ready: {name}"]
        if side:
            parts.append(f"{side} first")
        parts.append(format_seconds(snap.phase_seconds))
    elif phase.kind is PhaseKind.SWITCH:
        parts = [f"Switch sides: {side}", format_seconds(snap.phase_seconds)]
    elif phase.kind is PhaseKind.RELAX:
        parts = [_title(snap), format_seconds(snap.phase_seconds)]
    elif phase.set:
        parts = [f"Rest before set {phase.set}/{phase.sets}", format_seconds(snap.phase_seconds)]
    else:
        parts = ["Rest", format_seconds(snap.phase_seconds), f"next: {name}"]
    return f"{stamp} " + " — ".join(parts)


def plain_pause(snap: Snapshot) -> str:
    """The plain line for a pause starting or ending at the snapshot's moment."""
    stamp = f"[{format_clock(snap.elapsed)}]"
    if not snap.paused:
        return f"{stamp} Resumed"
    if snap.suspended:
        return f"{stamp} {SUSPENDED_NOTICE}"
    return f"{stamp} Paused"


_STATUS_WORDS = {
    SessionStatus.COMPLETED: "completed",
    SessionStatus.STOPPED: "stopped early",
    SessionStatus.SKIPPED: "skipped (no exercise done)",
    SessionStatus.INTERRUPTED: "interrupted",
}


def _mark(e: ExerciseResult) -> str:
    if e.done:
        return "done"
    return "skipped" if e.reached else "not reached"


def summary_lines(
    result: SessionResult,
    *,
    today_minutes: float | None = None,
    goal_minutes: int | None = None,
) -> list[str]:
    """The summary as plain lines: status, counts, tension, today, then each exercise.

    `today_minutes` (this session included) and `goal_minutes` come from the history and the
    settings; each line shows only when its data is given.
    """
    marks = [_mark(e) for e in result.exercises]
    done = marks.count("done")
    unreached = marks.count("not reached")
    took = (result.ended_at - result.started_at).total_seconds()
    counts = f"Done {done} of {len(marks)} · skipped {len(marks) - done - unreached}"
    if unreached:
        counts += f" · not reached {unreached}"
    lines = [
        f"Session {_STATUS_WORDS[result.status]}: {clean(result.title)}",
        f"{counts} · active time {format_seconds(result.active_seconds)} · "
        f"took {format_seconds(took)}",
    ]
    before, after = result.check_in_before, result.check_in_after
    if before is not None and after is not None:
        lines.append(f"Tension {before} → {after} (0-10)")
    elif before is not None or after is not None:
        when, value = ("before", before) if before is not None else ("after", after)
        lines.append(f"Tension {when}: {value} (0-10)")
    if today_minutes is not None:
        today = f"Today: {format_seconds(today_minutes * 60)}"
        if goal_minutes:
            today += f" of your {goal_minutes}-minute goal"
        lines.append(today)
    width = max((len(clean(e.name)) for e in result.exercises), default=0)
    mark_width = max([len("skipped"), *(len(m) for m in marks)])
    for e, mark in zip(result.exercises, marks, strict=True):
        name = clean(e.name).ljust(width)
        lines.append(f"  {mark.ljust(mark_width)}  {name}  {format_seconds(e.active_seconds)}")
    return lines


_MARK_STYLES = {"done": "green", "skipped": "yellow", "not reached": "dim"}


def summary(
    result: SessionResult,
    *,
    today_minutes: float | None = None,
    goal_minutes: int | None = None,
) -> Group:
    """The summary as a Rich renderable (styled, never markup)."""
    lines = summary_lines(result, today_minutes=today_minutes, goal_minutes=goal_minutes)
    head = len(lines) - len(result.exercises)
    out = [Text(lines[0], style="bold"), *(Text(line) for line in lines[1:head])]
    for line, e in zip(lines[head:], result.exercises, strict=True):
        out.append(Text(line, style=_MARK_STYLES[_mark(e)]))
    return Group(*out)
