"""The README's shell examples work as pasted: each block that talks to the sandbox at 127.0.0.1:8080 runs
under `bash -euo pipefail` against a real `vendor-sandbox serve` (on a free port), and every curl in it
succeeds with an answer from the sandbox, not a refusal of the command itself."""

import re
import subprocess
from pathlib import Path

import pytest

from .live import LiveServer, console_script

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
INSTALLS = re.compile(r"\b(docker|pip|apt-get|vendor-sandbox serve)\b")
BLOCKS = [block for block in re.findall(r"```sh\n(.*?)```", README, re.S)
          if "127.0.0.1:8080" in block and not INSTALLS.search(block)]


@pytest.fixture(scope="module")
def server():
    live = LiveServer([*console_script(), "serve", "--threads", "2"], env={"SANDBOX_ADMIN_TOKEN": ""})
    try:
        yield live.wait_ready()
    finally:
        live.stop()


def test_the_readme_has_shell_examples_to_run():
    assert len(BLOCKS) >= 2  # "Try it" and the Zus walkthrough


@pytest.mark.parametrize("block", BLOCKS, ids=[b.splitlines()[0][:40] for b in BLOCKS])
def test_a_readme_block_runs_as_pasted(server, block):
    script = block.replace("127.0.0.1:8080", f"127.0.0.1:{server.port}")
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, (done.returncode, done.stderr)
    assert done.stdout.strip()
    for refusal in ("json_required", "cross_origin_request", "host_not_allowed", "Traceback"):
        assert refusal not in done.stdout
