"""A user service that runs `stretchcoach remind` in the background: systemd or launchd."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

LABEL = "org.stretchcoach.remind"
SERVICES = ("systemd", "launchd")


def systemd_unit(command: Sequence[str], environ: Mapping[str, str]) -> str:
    """A systemd user unit (~/.config/systemd/user/stretchcoach-remind.service)."""
    lines = [
        "[Unit]",
        "Description=stretchcoach break reminders",
        "After=graphical-session.target",
        "PartOf=graphical-session.target",
        "",
        "[Service]",
        f"ExecStart={' '.join(_systemd_quote(part) for part in command)}",
    ]
    lines += [f"Environment={_systemd_quote(f'{k}={v}')}" for k, v in sorted(environ.items())]
    lines += [
        "Restart=on-failure",
        "SuccessExitStatus=143",
        "RestartSec=30",
        "",
        "[Install]",
        "WantedBy=graphical-session.target",
    ]
    return "\n".join(lines) + "\n"


def _systemd_quote(text: str) -> str:
    # systemd reads C-style double-quoted words; % starts a specifier and is doubled.
    text = text.replace("%", "%%")
    if text and all(c.isalnum() or c in "/._-=:@+," for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def launchd_plist(command: Sequence[str], environ: Mapping[str, str], log_path: str) -> str:
    """A launchd agent (~/Library/LaunchAgents/org.stretchcoach.remind.plist)."""
    arguments = "\n".join(f"    <string>{escape(part)}</string>" for part in command)
    env = "".join(
        f"    <key>{escape(k)}</key>\n    <string>{escape(v)}</string>\n"
        for k, v in sorted(environ.items())
    )
    env_block = f"  <key>EnvironmentVariables</key>\n  <dict>\n{env}  </dict>\n" if env else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
        '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n<dict>\n'
        f"  <key>Label</key>\n  <string>{LABEL}</string>\n"
        f"  <key>ProgramArguments</key>\n  <array>\n{arguments}\n  </array>\n"
        f"{env_block}"
        "  <key>RunAtLoad</key>\n  <true/>\n"
        "  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n"
        f"  <key>StandardOutPath</key>\n  <string>{escape(log_path)}</string>\n"
        f"  <key>StandardErrorPath</key>\n  <string>{escape(log_path)}</string>\n"
        "</dict>\n</plist>\n"
    )


def render(kind: str, command: Sequence[str], environ: Mapping[str, str], log_path: str) -> str:
    """The unit or plist text for kind (systemd or launchd)."""
    if kind == "systemd":
        return systemd_unit(command, environ)
    return launchd_plist(command, environ, log_path)


def shell_words(command: Sequence[str]) -> str:
    return " ".join(shlex.quote(part) for part in command)
