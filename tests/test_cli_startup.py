"""What a start imports and builds: only the invoked command, no Rich, YAML or hashlib on a
warm browse. Checked by module names in a fresh interpreter, never by timing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from stretchcoach.cli import app

PROBE = """
import io, sys
from stretchcoach.cli import main
out, sys.stdout = sys.stdout, io.StringIO()
code = main(sys.argv[1:])
sys.stdout = out
heavy = ("rich", "yaml", "hashlib", "stretchcoach.catalogue.schema")
# the options' completion helpers (cli.complete, cli.options) and the environment (cli.env)
# are small, shared by every command, and import no catalogue
shared = ("stretchcoach.cli.complete", "stretchcoach.cli.options", "stretchcoach.cli.env")
print(code, sorted(m for m in sys.modules if m.startswith("stretchcoach.cli.") and m not in shared))
print(sorted(m for m in heavy if m in sys.modules))
"""


def probe(home, *args: str) -> list[str]:
    env = {**os.environ, "STRETCHCOACH_HOME": str(home.config_dir)}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


@pytest.mark.parametrize(
    ("args", "module"),
    [
        (["list", "--target", "upper-back"], "browse"),
        (["show", "pec-stretch"], "browse"),
        (["routines"], "browse"),
        (["plan", "desk-break"], "session"),
        (["stats"], "records"),
    ],
)
def test_a_warm_browse_imports_only_its_command_and_no_rich_yaml_or_hashlib(home, args, module):
    probe(home, *args)  # the first run fills the parse cache
    assert probe(home, *args) == [f"0 ['stretchcoach.cli.base', 'stretchcoach.cli.{module}']", "[]"]


def test_an_unknown_command_still_gets_a_did_you_mean_from_every_command(home):
    result = CliRunner().invoke(app, ["routnes"])
    assert result.exit_code == 2
    assert "No such command 'routnes'. Did you mean 'routines', 'run'?" in result.output


def test_the_script_flushes_and_exits_with_the_code(home):
    env = {**os.environ, "STRETCHCOACH_HOME": str(home.config_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "show", "pec-stretch"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert (done.returncode, done.stdout.splitlines()[0]) == (
        0,
        "pec-stretch  Doorway pec stretch (AIS)",
    )
    failed = subprocess.run(
        [sys.executable, "-m", "stretchcoach", "show", "nope"], env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert (failed.returncode, failed.stdout) == (2, "")


STATUS_PROBE = """
import io, sys
from stretchcoach.cli import main
out, sys.stdout = sys.stdout, io.StringIO()
code = main(["status"])
sys.stdout = out
print(code, sorted(m for m in ("sqlite3", "threading", "typer", "rich") if m in sys.modules))
"""


def test_status_without_a_history_imports_no_sqlite_threading_typer_or_rich(tmp_path):
    env = {**os.environ, "STRETCHCOACH_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", STATUS_PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["0 []"]
