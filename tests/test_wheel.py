"""The built wheel carries the built-in catalogue inside the package."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None, reason="needs hatchling")
@pytest.mark.skipif(not (ROOT / "data").is_dir(), reason="no data/ folder in this checkout")
def test_the_wheel_contains_the_built_in_data(tmp_path: Path) -> None:
    # The build backend's own PEP 517 hook, which `pip wheel` would call: pip itself takes
    # four times as long to start as the build does.
    subprocess.run(
        [sys.executable, "-c", "import sys; from hatchling.build import build_wheel; "
         "build_wheel(sys.argv[1])", str(tmp_path)],
        cwd=ROOT, check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("stretchcoach-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "stretchcoach/data/exercises.yaml" in names
    assert "stretchcoach/data/routines.yaml" in names
    assert "stretchcoach/catalogue/loader.py" in names
