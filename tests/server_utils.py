"""Helpers for end-to-end tests against a real gunicorn: instances set up through the real command line, servers
started in their own process group (so a test can SIGKILL the master and every worker at once), and a small
stdlib HTTP client (multipart uploads, JSON).

Nothing here depends on where the repository is checked out: the project root comes from this file's location and
the ``flask`` and ``gunicorn`` commands from the directory of the running interpreter.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN_DIR = Path(sys.executable).parent  # not resolved: a venv's python is a symlink to the system one
PASSWORD = "correct horse battery staple"
LOG_PROBLEMS = ("LockError", "database is locked", "Traceback")


def command(name: str) -> str:
    """The console script ``name`` installed next to this interpreter (falling back to the PATH)."""
    candidate = BIN_DIR / name
    if candidate.is_file():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed next to {sys.executable} nor on the PATH")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a server or CLI command on ``data_dir`` (SQLite inside it, whatever the caller has).

    Request rate limits are off, as the README advises for bulk scripts and benchmarks: these tests measure
    concurrency and durability, and poll search far more often than a person would.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPOSITORY_")}
    env["REPOSITORY_DATA_DIR"] = str(data_dir)
    env["REPOSITORY_RATE_LIMITS"] = "off"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def flask_cli(env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 120) -> str:
    """Run ``flask --app wsgi ARGS`` in the project root; fail the test with its output on a non-zero exit."""
    proc = subprocess.run(  # noqa: S603 - fixed command
        [command("flask"), "--app", "wsgi", *args],
        cwd=REPO_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise AssertionError(
            f"flask {' '.join(args)} exited with {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc.stdout


@dataclass(frozen=True)
class AccountSpec:
    """An account to create: e-mail, organisation acronym, role."""

    email: str
    org: str
    role: str


@dataclass
class Instance:
    """A data folder set up through the command line, with one API token per account (by e-mail)."""

    data_dir: Path
    env: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)

    def cli(self, *args: str, stdin: str | None = None, timeout: float = 120) -> str:
        """Run a ``flask --app wsgi`` command on this instance."""
        return flask_cli(self.env, *args, stdin=stdin, timeout=timeout)


def make_instance(data_dir: Path, accounts: Iterable[AccountSpec], **env_extra: str) -> Instance:
    """``init``, then ``org add``, ``user add --password-stdin`` and ``token create`` for every account.

    Commands of one stage run in parallel (each is a separate process on the same SQLite file), which keeps the
    setup to four interpreter start-ups whatever the number of accounts.
    """
    accounts = list(accounts)
    data_dir.mkdir(parents=True, exist_ok=True)
    inst = Instance(data_dir=data_dir, env=instance_env(data_dir, **env_extra))
    inst.cli("init")
    orgs = sorted({a.org for a in accounts})
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda o: inst.cli("org", "add", o, "--name", f"{o} organisation"), orgs))
        list(
            pool.map(
                lambda a: inst.cli("user", "add", a.email, "--org", a.org, "--role", a.role, "--password-stdin",
                                   stdin=PASSWORD + "\n"),
                accounts,
            )
        )
        outputs = list(pool.map(lambda a: inst.cli("token", "create", a.email), accounts))
    for account, out in zip(accounts, outputs, strict=True):
        token = out.strip().splitlines()[-1].strip()
        assert token and " " not in token, out
        inst.tokens[account.email] = token
    return inst


class Server:
    """``gunicorn wsgi:app`` on 127.0.0.1 in its own session (process group), logging to a file."""

    def __init__(self, inst: Instance, log_path: Path, workers: int = 3, port: int | None = None) -> None:
        self.inst = inst
        self.log_path = log_path
        self.workers = workers
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self._stdout = None

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> Server:
        """Start gunicorn and wait until ``/healthz`` answers 200 (a port taken meanwhile gets a new one)."""
        for _attempt in range(3):
            self._spawn()
            if self._wait_healthy(timeout):
                return self
            crashed = self.proc is not None and self.proc.poll() is not None
            self.kill()
            if not crashed:
                break
            self.port = free_port()
        raise AssertionError(f"gunicorn did not become healthy on {self.base}\n{self.log_text()[-4000:]}")

    def _spawn(self) -> None:
        self._stdout = open(self.log_path.with_suffix(".stdout"), "ab")  # noqa: SIM115 - closed in kill()
        self.proc = subprocess.Popen(  # noqa: S603 - fixed command
            [
                command("gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                "--error-logfile",
                str(self.log_path),
                "--capture-output",
                "wsgi:app",
            ],
            cwd=REPO_ROOT,
            env=self.inst.env,
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _wait_healthy(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                status, _, _ = request("GET", f"{self.base}/healthz", timeout=5)
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def send_signal(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the master, its workers and their children (the whole process group) at once."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the whole process group and wait until every member is gone."""
        if self.proc is not None:
            self.send_signal(sig)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
            # reap-free check that no member of the group survived (workers are children of the master)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.killpg(self.proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        if self._stdout is not None:
            self._stdout.close()
            self._stdout = None

    def stop(self) -> None:
        """Graceful stop (SIGTERM to the group, then SIGKILL if needed)."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def log_text(self) -> str:
        """Everything gunicorn and the app wrote (error log and captured output)."""
        parts = []
        for path in (self.log_path, self.log_path.with_suffix(".stdout")):
            if path.is_file():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)


def log_problems(text: str) -> list[str]:
    """Lines of a server log (with a little context) that name a lock error or a traceback."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if any(p in line for p in LOG_PROBLEMS):
            found.append("\n".join(lines[max(0, i - 3) : i + 15]))
    return found


# ----------------------------------------------------------------------------------------------------------------
# HTTP (stdlib only)
# ----------------------------------------------------------------------------------------------------------------


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, dict[str, str], bytes]:
    """One request on a fresh connection (safe from many threads); returns status, headers, body."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()


def auth(token: str | None) -> dict[str, str]:
    """Authorization header for a token (none for anonymous)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def multipart(fields: Iterable[tuple[str, str]], files: Iterable[tuple[str, str, bytes, str]]) -> tuple[str, bytes]:
    """Encode ``multipart/form-data``: ``fields`` as (name, value), ``files`` as (name, filename, bytes, type)."""
    boundary = "----e2e" + secrets.token_hex(16)
    out = bytearray()
    for name, value in fields:
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n".encode()
        out += value.encode("utf-8") + b"\r\n"
    for name, filename, data, ctype in files:
        out += (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {ctype}\r\n\r\n"
        ).encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", bytes(out)


def upload(
    base: str,
    token: str,
    data: bytes,
    filename: str,
    fields: Iterable[tuple[str, str]] = (),
    ctype: str = "application/octet-stream",
    timeout: float = 60,
) -> tuple[int, Any]:
    """``POST /api/v1/documents``; returns the status and the decoded JSON body."""
    content_type, body = multipart(fields, [("file", filename, data, ctype)])
    headers = {**auth(token), "Content-Type": content_type}
    status, _, raw = request("POST", f"{base}/api/v1/documents", body=body, headers=headers, timeout=timeout)
    return status, _json(raw)


def api_json(
    method: str, base: str, path: str, token: str | None = None, payload: Any = None, timeout: float = 60
) -> tuple[int, Any]:
    """A JSON API call; returns the status and the decoded body."""
    headers = auth(token)
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    status, _, raw = request(method, f"{base}{path}", body=body, headers=headers, timeout=timeout)
    return status, _json(raw)


def search(base: str, token: str | None, params: Iterable[tuple[str, str]] | dict[str, str]) -> tuple[int, Any]:
    """``GET /api/v1/search`` with these query parameters."""
    items = list(params.items()) if isinstance(params, dict) else list(params)
    return api_json("GET", base, "/api/v1/search?" + urllib.parse.urlencode(items), token)


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return {"_raw": raw[:2000].decode("utf-8", "replace")}
