"""How a due break is announced: the terminal bell, a desktop notification, the user's hook."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# A notifier or hook that hangs must not stop the reminders.
DESKTOP_TIMEOUT_S = 5.0
HOOK_TIMEOUT_S = 10.0
TITLE = "Time to stretch"


@dataclass(frozen=True, slots=True)
class Due:
    """A break that is due: what it runs and since when."""

    routine: str
    due_at: dt.datetime  # UTC

    def due_at_text(self) -> str:
        return self.due_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def desktop_command(
    due: Due, *, platform: str = sys.platform, which: Callable[[str], str | None] = shutil.which
) -> list[str] | None:
    """The command that shows a desktop notification here, or None when there is none."""
    body = f"stretchcoach run {due.routine}"
    if platform == "darwin" and which("osascript"):
        script = f"display notification {_applescript(body)} with title {_applescript(TITLE)}"
        return ["osascript", "-e", script]
    if which("notify-send"):
        return ["notify-send", "--app-name=stretchcoach", TITLE, body]
    return None


def _applescript(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Notifier:
    """Announces due breaks on the chosen channels; problems become warnings, once each."""

    notify: str  # auto | desktop | bell | none
    on_due: str | None = None
    bell: Callable[[], None] | None = None  # None when there is no terminal to ring
    run: Callable[..., subprocess.CompletedProcess[bytes]] = subprocess.run
    which: Callable[[str], str | None] = shutil.which
    platform: str = sys.platform
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    warned: set[str] = field(default_factory=set)

    def __call__(self, due: Due) -> list[str]:
        """Ring, notify and run the hook; the warnings to show (each kind only once)."""
        warnings: list[str] = []
        if self.notify in ("auto", "bell") and self.bell is not None:
            self.bell()
        if self.notify in ("auto", "desktop"):
            warnings += self._desktop(due)
        if self.on_due:
            warnings += self._hook(due)
        fresh = [w for w in warnings if w not in self.warned]
        self.warned.update(fresh)
        return fresh

    def _desktop(self, due: Due) -> list[str]:
        command = desktop_command(due, platform=self.platform, which=self.which)
        if command is None:
            if self.notify == "desktop":
                return ["no desktop notifier found (notify-send or osascript); using none"]
            return []
        try:
            self.run(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, timeout=DESKTOP_TIMEOUT_S, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as error:
            return [f"the desktop notification failed: {error}"]
        return []

    def _hook(self, due: Due) -> list[str]:
        env = {
            **self.environ,
            "STRETCHCOACH_ROUTINE": due.routine,
            "STRETCHCOACH_DUE_AT": due.due_at_text(),
        }
        try:
            done = self.run(
                self.on_due, shell=True, env=env, stdin=subprocess.DEVNULL,
                timeout=HOOK_TIMEOUT_S, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return [f"--on-due command took longer than {HOOK_TIMEOUT_S:.0f}s and was stopped"]
        except OSError as error:
            return [f"--on-due command could not run: {error}"]
        if done.returncode != 0:
            return [f"--on-due command failed with exit code {done.returncode}"]
        return []
