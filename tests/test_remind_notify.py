"""Announcing a due break: the hook (a real shell command), desktop notifiers, the bell."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

from stretchcoach.remind.notify import Due, Notifier, desktop_command
from stretchcoach.remind.service import launchd_plist, systemd_unit

DUE = Due("micro-break", dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.timezone.utc))


def no_notifier(name: str) -> str | None:
    return None


def test_on_due_runs_a_real_shell_command_with_the_routine_and_time(tmp_path: Path) -> None:
    out = tmp_path / "env.txt"
    command = f'printf "%s %s" "$STRETCHCOACH_ROUTINE" "$STRETCHCOACH_DUE_AT" > {out}'
    notifier = Notifier("none", on_due=command, which=no_notifier)
    assert notifier(DUE) == []
    assert out.read_text() == "micro-break 2024-05-01T10:00:00Z"


def test_a_failing_hook_is_one_warning_not_an_error(tmp_path: Path) -> None:
    notifier = Notifier("none", on_due="exit 3", which=no_notifier)
    assert notifier(DUE) == ["--on-due command failed with exit code 3"]
    assert notifier(DUE) == []  # said once


def test_a_missing_desktop_notifier_is_one_warning_when_asked_for() -> None:
    rang: list[str] = []
    asked = Notifier("desktop", bell=lambda: rang.append("bell"), which=no_notifier)
    assert asked(DUE) == ["no desktop notifier found (notify-send or osascript); using none"]
    assert asked(DUE) == []
    assert rang == []  # desktop alone does not ring
    auto = Notifier("auto", bell=lambda: rang.append("bell"), which=no_notifier)
    assert auto(DUE) == []  # auto uses what there is, quietly
    assert rang == ["bell"]


def test_notify_send_and_osascript_commands() -> None:
    def found(name: str) -> str | None:
        return f"/usr/bin/{name}"

    assert desktop_command(DUE, platform="linux", which=found) == [
        "notify-send", "--app-name=stretchcoach", "Time to stretch", "stretchcoach run micro-break",
    ]  # fmt: skip
    odd = Due('say "hi"', DUE.due_at)
    assert desktop_command(odd, platform="darwin", which=found) == [
        "osascript",
        "-e",
        'display notification "stretchcoach run say \\"hi\\"" with title "Time to stretch"',
    ]


def test_the_desktop_notifier_runs_with_a_timeout() -> None:
    calls: list[tuple[Any, dict[str, Any]]] = []

    def run(command: Any, **options: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append((command, options))
        raise subprocess.TimeoutExpired(command, options["timeout"])

    notifier = Notifier("desktop", run=run, which=lambda name: name, platform="linux")
    assert notifier(DUE) == [
        "the desktop notification failed: Command '['notify-send', '--app-name=stretchcoach', "
        "'Time to stretch', 'stretchcoach run micro-break']' timed out after 5.0 seconds"
    ]
    assert calls[0][1]["timeout"] == 5.0


def test_the_systemd_unit_and_launchd_plist() -> None:
    unit = systemd_unit(["/opt/my bin/stretchcoach", "remind"], {"STRETCHCOACH_HOME": "/h/50%"})
    assert 'ExecStart="/opt/my bin/stretchcoach" remind\n' in unit
    assert 'Environment="STRETCHCOACH_HOME=/h/50%%"\n' in unit
    assert unit.endswith("[Install]\nWantedBy=graphical-session.target\n")
    plist = launchd_plist(["/usr/local/bin/stretchcoach", "remind"], {}, "/tmp/a&b.log")
    assert "    <string>/usr/local/bin/stretchcoach</string>\n    <string>remind</string>" in plist
    assert "<string>/tmp/a&amp;b.log</string>" in plist
    assert "EnvironmentVariables" not in plist
