"""The one error family the CLI knows how to show; each carries its exit code."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from dataclasses import dataclass

# Exit codes, defined once: the design notes' contract. A signal ends a command with 128 + its
# number, as a shell reports it: 130 for Ctrl-C (SIGINT), 143 for SIGTERM, 129 for SIGHUP.
EXIT_FAILURE = 1
EXIT_USAGE = 2
_SIGNAL_BASE = 128


def exit_code_for_signal(signum: int) -> int:
    """The exit code of a command ended by signal signum."""
    return _SIGNAL_BASE + signum


EXIT_INTERRUPTED = exit_code_for_signal(signal.SIGINT)


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

    exit_code = EXIT_FAILURE

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

    exit_code = EXIT_USAGE


class CatalogueError(StretchcoachError):
    """One or more catalogue files have problems; all of them are listed."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: Sequence[Problem], hint: str | None = None) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in {self._where()}", hint)

    def _where(self) -> str:
        files = len({p.file for p in self.problems})
        return "a catalogue file" if files == 1 else f"{files} catalogue files"

    def lines(self) -> list[str]:
        return [*(str(p) for p in self.problems), *super().lines()]


class HistoryError(StretchcoachError):
    """The history database cannot be opened, read or written."""

    exit_code = EXIT_FAILURE


class ConfigError(CatalogueError):
    """The settings file (config.toml) has problems; shown as FILE:LINE:COLUMN like a catalogue."""

    def _where(self) -> str:
        return "the settings file"
