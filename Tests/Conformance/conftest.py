"""Shared fixtures for the conformance tests: the tbkit binary, and a real TensorBoard server."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tbkit_binary() -> str:
    path = os.environ.get("TBKIT_BIN", str(ROOT / ".build" / "debug" / "tbkit"))
    if not Path(path).exists():
        raise RuntimeError(f"tbkit binary not found at {path}: build it first (swift build) or set TBKIT_BIN")
    return path


@pytest.fixture(scope="session")
def tbkit():
    """Runs the tbkit binary with the given arguments and returns the CompletedProcess."""
    binary = tbkit_binary()

    def run(*args, check=True, **kwargs):
        result = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, **kwargs)
        if check and result.returncode != 0:
            raise AssertionError(f"tbkit {' '.join(map(str, args))} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    return run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TensorBoardServer:
    """A `tensorboard` process on 127.0.0.1 serving one log directory."""

    def __init__(self, logdir, load_fast: str, extra=()):
        self.port = free_port()
        exe = Path(sys.executable).parent / "tensorboard"
        self.log = open(Path(logdir).parent / f"tensorboard-{self.port}.log", "w")
        self.process = subprocess.Popen(
            [str(exe), "--logdir", str(logdir), "--host", "127.0.0.1", "--port", str(self.port),
             f"--load_fast={load_fast}", "--reload_interval", "1", *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"

    def get(self, route, **params):
        url = f"{self.base}/{route.lstrip('/')}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
            kind = response.headers.get("Content-Type", "")
        return json.loads(body) if "json" in kind else body

    def raw(self, path):
        """The body and Content-Type of a GET of `path` (e.g. "/data/plugin/images/individualImage?...")."""
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read(), response.headers.get("Content-Type", "")

    def json(self, path, body=None):
        """A GET of `path` parsed as JSON, or a POST of `body` when one is given."""
        if body is not None:
            return self.post(path, body)
        return json.loads(self.raw(path)[0])

    def post(self, route, payload):
        data = json.dumps(payload).encode()
        request = urllib.request.Request(f"{self.base}/{route.lstrip('/')}", data=data,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def wait_for(self, predicate, what, timeout=90):
        """Polls until predicate(self) is truthy; TensorBoard loads in the background."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"tensorboard exited with {self.process.returncode}; see {self.log.name}")
            try:
                value = predicate(self)
                if value:
                    return value
            except (urllib.error.URLError, ConnectionError, json.JSONDecodeError, KeyError) as e:
                last = e
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what} (last error: {last}); see {self.log.name}")

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture
def tensorboard_server():
    servers = []

    def start(logdir, load_fast="false", extra=()):
        server = TensorBoardServer(logdir, load_fast, extra)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
