"""The one error family the CLI knows how to show; each carries its exit code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class StretchcoachError(Exception):
    """An expected failure: shown as one message, never as a traceback."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        """What the user sees on stderr, one entry a line."""
        out = [f"error: {self.message}"]
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out


class UsageError(StretchcoachError):
    """The command asked for something that does not exist or cannot be done."""

    exit_code = 2


class CatalogueError(StretchcoachError):
    """One or more catalogue files have problems; all of them are listed."""

    exit_code = 2

    def __init__(self, problems: Sequence[Problem], hint: str | None = None) -> None:
        count = len(problems)
        files = len({p.file for p in problems})
        noun = "problem" if count == 1 else "problems"
        where = "a catalogue file" if files == 1 else f"{files} catalogue files"
        super().__init__(f"{count} {noun} in {where}", hint)
        self.problems = tuple(problems)

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        out.append(f"error: {self.message}")
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out


class HistoryError(StretchcoachError):
    """The history database cannot be opened, read or written."""

    exit_code = 1


class ConfigError(CatalogueError):
    """The settings file (config.toml) has problems; shown as FILE:LINE:COLUMN like a catalogue."""

    def __init__(self, problems: Sequence[Problem], hint: str | None = None) -> None:
        super().__init__(problems, hint)
        count = len(self.problems)
        self.message = f"{count} {'problem' if count == 1 else 'problems'} in the settings file"
        self.args = (self.message,)
