"""The Dockerfile (no engine here to build it): its facts, and that its command starts the server."""

import json
import re
import subprocess
import sys
from pathlib import Path

from .live import LiveServer, console_script, free_port

DOCKERFILE = (Path(__file__).resolve().parents[1] / "Dockerfile").read_text(encoding="utf-8")


def instructions():
    """[(INSTRUCTION, arguments)] with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [tuple(line.split(None, 1)) for line in lines]


def last(name):
    return [args for instr, args in instructions() if instr == name][-1]


def final_stage():
    stages = DOCKERFILE.split("\nFROM ")
    return "FROM " + stages[-1]


def environment():
    return dict(re.findall(r"(\w+)=(\S+)", last("ENV")))


def test_slim_non_root_exposes_8080_and_8443():
    assert re.search(r"^FROM python:3\.\d+-slim$", final_stage().splitlines()[0])
    assert last("USER") not in ("root", "0")
    assert last("EXPOSE") == "8080 8443"
    assert environment()["SANDBOX_HOST"] == "0.0.0.0"
    assert environment()["SANDBOX_PORT"] == "8080"
    assert environment()["SANDBOX_TLS_PORT"] == "8443"


def test_the_ca_lives_on_a_volume_the_user_can_write():
    assert environment()["SANDBOX_DATA_DIR"] == "/data"
    assert json.loads(last("VOLUME")) == ["/data"]
    assert "install -d -o sandbox -g sandbox /data" in final_stage()


def test_healthcheck_runs_the_packaged_probe_of_the_health_endpoint():
    command = json.loads(last("HEALTHCHECK").split("CMD", 1)[1])
    assert command == ["python", "-m", "vendor_sandbox.healthcheck"]


def image_command():
    """ENTRYPOINT + CMD, with the image's executables mapped onto this environment's."""
    command = json.loads(last("ENTRYPOINT")) + json.loads(last("CMD"))
    assert command[0] == "vendor-sandbox"
    return console_script() + command[1:]


def build_steps():
    """The COPY and RUN instructions of the build stage (before the second FROM), in order."""
    found = instructions()
    second = [i for i, (instr, _) in enumerate(found) if instr == "FROM"][1]
    return [(instr, args) for instr, args in found[:second] if instr in ("COPY", "RUN")]


def test_the_dependencies_are_installed_before_the_source_is_copied():
    """A code change must not reinstall the dependencies: the layers before `COPY src` see only
    pyproject.toml, and the package itself is installed without them."""
    build = build_steps()
    copies = [args for instr, args in build if instr == "COPY"]
    assert copies[0] == "pyproject.toml ./"
    source = build.index(("COPY", "src ./src"))
    installs = [i for i, (instr, args) in enumerate(build)
                if instr == "RUN" and "-r requirements.txt" in args]
    assert installs and installs[0] < source
    later = [args for instr, args in build[source:] if instr == "RUN"]
    assert later and all("--no-deps" in args for args in later)


def test_the_image_command_starts_the_server_and_the_healthcheck_passes():
    env = {k: v for k, v in environment().items() if k.startswith("SANDBOX_")}
    # 8080 and 8443 may be taken on this machine, and /data is the image's: LiveServer sets its own
    for name in ("SANDBOX_PORT", "SANDBOX_TLS_PORT", "SANDBOX_DATA_DIR"):
        env.pop(name)
    server = LiveServer(image_command(), env=env).wait_ready()
    try:
        healthcheck = json.loads(last("HEALTHCHECK").split("CMD", 1)[1])
        assert healthcheck[0] == "python"
        result = subprocess.run([sys.executable, *healthcheck[1:]], env={"SANDBOX_PORT": str(server.port)},
                                capture_output=True, timeout=10)
        assert result.returncode == 0, result.stderr
    finally:
        server.stop()


def test_the_healthcheck_follows_a_port_given_as_a_flag():
    """`docker run IMAGE serve --port N`: SANDBOX_PORT still names the image's port, the server's command
    line (PID 1 in the container; here the server's own pid) says N."""
    healthcheck = json.loads(last("HEALTHCHECK").split("CMD", 1)[1])
    server = LiveServer([*image_command(), "--port", str(free_port())], env={"SANDBOX_HOST": "127.0.0.1"})
    server.port = int(server.process.args[-1])
    server.url = f"http://127.0.0.1:{server.port}"
    try:
        server.wait_ready()
        nowhere = str(free_port())  # what the image's SANDBOX_PORT would say: nothing listens there
        assert subprocess.run([sys.executable, *healthcheck[1:]], env={"SANDBOX_PORT": nowhere},
                              capture_output=True, timeout=10).returncode == 1
        probe = {"SANDBOX_PORT": nowhere, "SANDBOX_HEALTH_PID": str(server.process.pid)}
        result = subprocess.run([sys.executable, *healthcheck[1:]], env=probe, capture_output=True,
                                timeout=10)
        assert result.returncode == 0, result.stderr
    finally:
        server.stop()
