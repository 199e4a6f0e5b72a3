"""A private redis-server process on a free loopback port (never the system's 6379)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from .live import free_port


def redis_binary():
    """redis-server's path; missing, the test fails in CI (SANDBOX_REQUIRE_REDIS or CI) and skips elsewhere."""
    found = shutil.which("redis-server")
    if found:
        return found
    message = "redis-server is not installed (apt-get install redis-server)"
    if os.environ.get("CI") or os.environ.get("SANDBOX_REQUIRE_REDIS"):
        pytest.fail(message)
    pytest.skip(message)


class RedisServer:
    """`redis-server` in a temporary folder; `url(db)` names one of its databases."""

    def __init__(self, port=None, password=None, appendonly=False):
        self.binary = redis_binary()
        self.port = port or free_port()
        self.password = password
        self.dir = tempfile.mkdtemp(prefix="sandbox-redis-")
        self.appendonly = appendonly
        self.process = None

    def start(self):
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
                   "--save", "", "--appendonly", "yes" if self.appendonly else "no",
                   "--appendfsync", "always", "--maxmemory-policy", "noeviction", "--databases", "64"]
        if self.password:
            command += ["--requirepass", self.password]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.02)
        raise TimeoutError("redis-server did not start")

    def url(self, db=0):
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/{db}"

    def client(self, db=0):
        import redis

        return redis.Redis.from_url(self.url(db))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
