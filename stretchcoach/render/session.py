"""What a session looks like: the live screen at any size, plain lines, and the summary."""

from __future__ import annotations

import math

from rich.console import Group
from rich.text import Text

from stretchcoach.durations import describe, format_clock, format_seconds
from stretchcoach.model import PhaseKind, SessionResult, SessionStatus
from stretchcoach.render.text import clean
from stretchcoach.session.runner import Snapshot

# Sizes below which a layout no longer fits.
FULL = (60, 20)
COMPACT = (40, 12)

# A 3x5 block font, one string per row; "#" is a filled cell.
_FONT = {
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
KEYS_LINE = "space pause · n next · b back · + 10s · q quit"
KEYS_LINE_PAUSED = "space resume · n next · b back · + 10s · q quit"
KEYS_SHORT = "spc pause·n next·b back·+ 10s·q quit"
SUSPENDED_NOTICE = "Paused: the computer was asleep; that time was not counted. Space resumes."
PAUSED_NOTICE = "PAUSED: press space to resume."


def countdown(seconds_left: float) -> str:
    """The phase countdown as shown: whole seconds rounded up, m:ss from a minute on."""
    whole = math.ceil(seconds_left - 1e-9)
    return str(whole) if whole < 60 else format_clock(whole)


def big_digits(text: str, *, double: bool = False) -> tuple[str, ...]:
    """Five rows of block characters spelling `text` (digits and colons)."""
    cell = "██" if double else "█"
    blank = "  " if double else " "
    rows = []
    for row in range(5):
        glyphs = [_FONT[ch][row] for ch in text if ch in _FONT]
        line = blank.join(glyphs)
        rows.append(line.replace("#", cell).replace(" ", blank))
    return tuple(rows)


def layout(snap: Snapshot, width: int, height: int) -> tuple[Text, ...]:
    """The lines of the live screen for a console of `width` x `height` cells."""
    if width >= FULL[0] and height >= FULL[1]:
        return _full(snap, width, height)
    if width >= COMPACT[0] and height >= COMPACT[1]:
        return _compact(snap, width)
    return (one_line(snap, width),)


def renderable(lines: tuple[Text, ...]) -> Group:
    """The lines as one Rich renderable; every line is cropped, none wraps."""
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
        return f"Relax: {name}"
    return name


def _detail(snap: Snapshot) -> str:
    phase = snap.phase
    if phase is None:
        return ""
    side = phase.side.upper() if phase.side else ""
    if phase.kind is PhaseKind.WORK:
        parts = [side] if side else []
        parts += [f"rep {phase.rep} of {phase.reps}", f"set {phase.set} of {phase.sets}"]
        return " · ".join(parts)
    if phase.kind is PhaseKind.SWITCH:
        return f"now {side}"
    if phase.kind is PhaseKind.RELAX:
        return f"return to the start · rep {phase.rep} of {phase.reps} next"
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


def _digits(snap: Snapshot, double: bool) -> list[Text]:
    style = "dim" if snap.paused else "bold"
    rows = big_digits(countdown(snap.phase_left), double=double)
    return [_line(row, style=style, justify="center") for row in rows]


def _full(snap: Snapshot, width: int, height: int) -> tuple[Text, ...]:
    top = [
        _header(snap, width, short=False),
        _line(),
        _line(_title(snap), style="bold"),
        _line(_detail(snap)),
        _line(),
        *_digits(snap, double=True),
        _line(),
        _bar(snap, width),
    ]
    notice = _notice(snap)
    bottom = [_line(_coming(snap)), _line(KEYS_LINE_PAUSED if snap.paused else KEYS_LINE)]
    middle = [_line(), notice] if notice else [_line()]
    steps = snap.exercise.steps if snap.exercise else ()
    room = height - len(top) - len(middle) - len(bottom)
    shown = [_line(f"{n}. {clean(step)}") for n, step in enumerate(steps, 1)][: max(room, 0)]
    filler = [_line()] * max(0, room - len(shown))
    return (*top, *middle, *shown, *filler, *bottom)


def _compact(snap: Snapshot, width: int) -> tuple[Text, ...]:
    notice = _notice(snap)
    return (
        _header(snap, width, short=True),
        _line(_title(snap), style="bold"),
        _line(_detail(snap)),
        *_digits(snap, double=False),
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
    stamp = f"[{format_clock(snap.phase_elapsed_at)}]"
    phase = snap.phase
    name = clean(snap.exercise.name) if snap.exercise else ""
    if phase is None:
        return f"{stamp} Finished"
    side = phase.side.upper() if phase.side else None
    if phase.kind is PhaseKind.WORK:
        parts = [name]
        if side:
            parts.append(side)
        parts.append(f"rep {phase.rep}/{phase.reps}")
        if phase.sets > 1:
            parts.append(f"set {phase.set}/{phase.sets}")
        parts.append(f"hold {describe(snap.phase_seconds, snap.hold_text)}")
    elif phase.kind is PhaseKind.PREPARE:
        parts = [f"Get ready: {name}"]
        if side:
            parts.append(f"{side} first")
        parts.append(format_seconds(snap.phase_seconds))
    elif phase.kind is PhaseKind.SWITCH:
        parts = [f"Switch sides: {side}", format_seconds(snap.phase_seconds)]
    elif phase.kind is PhaseKind.RELAX:
        parts = [f"Relax: {name}", format_seconds(snap.phase_seconds)]
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
    SessionStatus.INTERRUPTED: "interrupted",
}


def summary_lines(result: SessionResult) -> list[str]:
    """The summary as plain lines: status, counts, active time, then each exercise."""
    done = sum(1 for e in result.exercises if e.done)
    skipped = len(result.exercises) - done
    took = (result.ended_at - result.started_at).total_seconds()
    lines = [
        f"Session {_STATUS_WORDS[result.status]}: {clean(result.title)}",
        f"Done {done} of {len(result.exercises)} · skipped {skipped} · "
        f"active time {format_seconds(result.active_seconds)} · took {format_seconds(took)}",
    ]
    width = max((len(clean(e.name)) for e in result.exercises), default=0)
    for e in result.exercises:
        mark = "done   " if e.done else "skipped"
        lines.append(f"  {mark}  {clean(e.name).ljust(width)}  {format_seconds(e.active_seconds)}")
    return lines


def summary(result: SessionResult) -> Group:
    """The summary as a Rich renderable (styled, never markup)."""
    lines = summary_lines(result)
    out = [Text(lines[0], style="bold"), Text(lines[1])]
    for line, e in zip(lines[2:], result.exercises, strict=True):
        out.append(Text(line, style="green" if e.done else "yellow"))
    return Group(*out)
