"""The wheel carries the top-level fixtures/ inside the package."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_fixtures(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("vendor_sandbox-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for fixture in (ROOT / "fixtures").rglob("*.json"):
        assert f"vendor_sandbox/fixtures/{fixture.relative_to(ROOT / 'fixtures').as_posix()}" in names
    assert "vendor_sandbox/app.py" in names
