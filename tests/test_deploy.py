"""The files of deploy/: gunicorn loads its settings and serves the app with them (JSON lines on stderr, the proxy's
request id); the systemd unit passes ``systemd-analyze verify``; the nginx site passes ``nginx -t`` and, in front of
that gunicorn, redirects HTTP, sends each security header once, gives the app its own request id and the client's
address, and refuses oversized bodies in the API's error shape. Tools that are not installed skip their test."""

from __future__ import annotations

import http.client
import json
import os
import re
import runpy
import shutil
import signal
import sqlite3
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from server_utils import REPO_ROOT
from server_utils import command
from server_utils import flask_cli
from server_utils import free_port
from server_utils import instance_env

from repository.config import from_environment

DEPLOY = REPO_ROOT / "deploy"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
UNIT = DEPLOY / "repository-web.service"
ENV_EXAMPLE = DEPLOY / "repository.env.example"
SITE = DEPLOY / "nginx-repository.conf"
SECURITY_HEADERS = ("strict-transport-security", "content-security-policy", "x-content-type-options",
                    "x-frame-options", "referrer-policy")
NGINX_ID = re.compile(r"[0-9a-f]{32}")


def env_example() -> dict[str, str]:
    """The variables the example environment file sets (commented lines left out)."""
    out = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            out[key] = value
    return out


def gunicorn_settings(monkeypatch, **env: str) -> dict:
    for name in ("REPOSITORY_TRUSTED_PROXIES", "REPOSITORY_LOG_FORMAT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(GUNICORN_CONF))
    return {k: v for k, v in settings.items() if not k.startswith("_") and k not in ("os", "annotations")}


# ----------------------------------------------------------------------------------------------------------------
# gunicorn
# ----------------------------------------------------------------------------------------------------------------


def test_gunicorn_accepts_every_setting(monkeypatch):
    from gunicorn.config import Config

    settings = gunicorn_settings(monkeypatch, REPOSITORY_TRUSTED_PROXIES="1", REPOSITORY_LOG_FORMAT="json")
    config = Config()
    unknown = set(settings) - set(config.settings)
    assert not unknown, f"not gunicorn settings: {unknown}"
    for name, value in settings.items():
        config.set(name, value)  # each setting's own validator
    assert 2 <= config.workers <= 8
    assert config.worker_class_str == "sync" and not config.preload_app
    assert config.bind == ["127.0.0.1:8000"] and config.timeout == 60
    assert config.accesslog is None and config.errorlog == "-"
    assert config.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert config.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}
    assert config.logconfig_dict["formatters"]["repository"]["()"] == "repository.web.logs.JsonFormatter"
    assert config.wsgi_app == "wsgi:app"
    assert config.control_socket_disable


def test_gunicorn_trusts_the_proxy_exactly_when_the_app_does(monkeypatch):
    assert gunicorn_settings(monkeypatch)["forwarded_allow_ips"] == ""
    assert gunicorn_settings(monkeypatch, REPOSITORY_TRUSTED_PROXIES="0")["forwarded_allow_ips"] == ""
    assert gunicorn_settings(monkeypatch, REPOSITORY_TRUSTED_PROXIES="2",
                             FORWARDED_ALLOW_IPS="10.0.0.5")["forwarded_allow_ips"] == "10.0.0.5"
    text = gunicorn_settings(monkeypatch, REPOSITORY_LOG_FORMAT="text")
    assert text["logconfig_dict"]["formatters"]["repository"]["()"] == "repository.web.logs.TextFormatter"
    assert gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3


class Gunicorn:
    """gunicorn started with deploy/gunicorn.conf.py on a free port, one worker, over an initialised data folder."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.data_dir = tmp / "data"
        self.env = instance_env(
            self.data_dir,
            REPOSITORY_LOG_FORMAT="json",
            REPOSITORY_TRUSTED_PROXIES="1",
            REPOSITORY_HTTPS="on",
            GUNICORN_CMD_ARGS=f"--bind 127.0.0.1:{self.port} --workers 1",
        )
        self.stderr_path = tmp / "gunicorn.stderr"
        flask_cli(self.env, "init")
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(  # noqa: S603 - fixed command
            [command("gunicorn"), "--config", str(GUNICORN_CONF)],
            cwd=REPO_ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._stderr,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log()
            try:
                if get("127.0.0.1", self.port, "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer\n{self.log()}")

    def log(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        self._stderr.close()


def get(host: str, port: int, path: str, headers: dict[str, str] | None = None, *, tls: bool = False,
        method: str = "GET", body: bytes | None = None):
    """One request; returns status, the header list (duplicates kept) and the body."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(host, port, timeout=30, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, [(k.lower(), v) for k, v in response.getheaders()], response.read()
    finally:
        conn.close()


def header(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in headers if k == name]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    server = Gunicorn(tmp_path_factory.mktemp("gunicorn"))
    yield server
    server.stop()


@pytest.mark.slow
def test_gunicorn_serves_with_the_deploy_settings(gunicorn):
    status, headers, body = get("127.0.0.1", gunicorn.port, "/readyz?probe=secret-term",
                                {"X-Request-ID": "probe-1"})
    assert status == 200, body
    assert json.loads(body)["status"] == "ready"
    assert header(headers, "x-request-id") == ["probe-1"]
    deadline = time.monotonic() + 10
    while "probe-1" not in gunicorn.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = [json.loads(line) for line in gunicorn.log().splitlines() if line.strip()]  # every line is JSON
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    probe = [line for line in lines if line.get("request_id") == "probe-1"]
    [access] = [line for line in probe if line["logger"] == "repository.access"]
    assert probe == [access], probe  # nothing else logged for a probe (Alembic's notes are quiet)
    assert access["logger"] == "repository.access" and access["path"] == "/readyz" and access["status"] == 200
    assert "secret-term" not in gunicorn.log()


# ----------------------------------------------------------------------------------------------------------------
# systemd
# ----------------------------------------------------------------------------------------------------------------


def test_unit_runs_gunicorn_unprivileged_and_confined():
    unit = UNIT.read_text()
    settings = [line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#")]
    values: dict[str, list[str]] = {}
    for key, value in settings:
        values.setdefault(key, []).append(value)
    assert values["User"] == ["repository"] and values["Type"] == ["notify"]
    assert values["ExecStart"][0].split()[:3] == [
        "/opt/repository/.venv/bin/gunicorn", "--config", "/opt/repository/deploy/gunicorn.conf.py"]
    for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("PrivateTmp", "yes"),
                       ("ProtectHome", "yes"), ("CapabilityBoundingSet", "")):
        assert values[key] == [value], key
    assert values["ReadWritePaths"] == [env_example()["REPOSITORY_DATA_DIR"]]
    assert values["EnvironmentFile"] == ["/etc/repository/repository.env"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_verify(tmp_path):
    # the same unit, pointing at this checkout's gunicorn and at the example environment file
    unit = UNIT.read_text().replace("/opt/repository/.venv/bin/gunicorn", command("gunicorn"))
    unit = unit.replace("/etc/repository/repository.env", str(ENV_EXAMPLE))
    path = tmp_path / "repository-web.service"
    path.write_text(unit)
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", str(path)],  # noqa: S603, S607
                            capture_output=True, text=True, timeout=120)
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if "repository-web" in line]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr


def test_cli_helper_is_valid_shell():
    script = DEPLOY / "repository-flask"
    assert os.access(script, os.X_OK)
    assert subprocess.run(["sh", "-n", str(script)], timeout=30).returncode == 0  # noqa: S603, S607


# ----------------------------------------------------------------------------------------------------------------
# the environment file
# ----------------------------------------------------------------------------------------------------------------


def test_env_example_lists_every_setting_and_is_valid():
    source = (REPO_ROOT / "repository" / "config.py").read_text()
    read = set(re.findall(r'env\.get\("(REPOSITORY_[A-Z0-9_]+)"', source))
    assert read, "no settings found in repository/config.py"
    example = ENV_EXAMPLE.read_text()
    missing = [name for name in sorted(read) if not re.search(rf"^#?{name}=", example, re.M)]
    assert not missing, f"not in {ENV_EXAMPLE.name}: {missing}"
    values = env_example()
    config = from_environment(values)  # raises on a value the app refuses
    assert config["HTTPS"] and config["TRUSTED_PROXIES"] == 1 and config["LOG_FORMAT"] == "json"
    assert config["REQUIRE_2FA"]
    # nginx lets through what the app accepts: the upload limit plus the app's 256 KB of multipart framing
    [body_limit] = re.findall(r"client_max_body_size (\d+)m;", SITE.read_text())
    assert int(body_limit) == config["MAX_UPLOAD_MB"] + 1


# ----------------------------------------------------------------------------------------------------------------
# nginx
# ----------------------------------------------------------------------------------------------------------------

needs_nginx = pytest.mark.skipif(
    shutil.which("nginx") is None or shutil.which("openssl") is None, reason="nginx or openssl is not installed"
)


def nginx_setup(tmp: Path, http_port: int = 80, https_port: int = 443, upstream: int = 8000) -> Path:
    """The site in a minimal nginx.conf under ``tmp``, with a self-signed certificate; returns the conf path."""
    subprocess.run(  # noqa: S603, S607
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "1", "-subj", "/CN=repository.example.org", "-keyout", str(tmp / "privkey.pem"),
         "-out", str(tmp / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )
    site = SITE.read_text()
    site = site.replace("/etc/letsencrypt/live/repository.example.org/", f"{tmp}/")
    site = site.replace("/var/log/nginx/", f"{tmp}/").replace("/var/www/letsencrypt", f"{tmp}/acme")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};").replace("listen [::]:80;", "")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = site.replace("listen [::]:443 ssl http2;", "").replace("server 127.0.0.1:8000;",
                                                                  f"server 127.0.0.1:{upstream};")
    (tmp / "site.conf").write_text(site)
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"daemon off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
        f"http {{\n    client_body_temp_path {tmp}/body;\n    proxy_temp_path {tmp}/proxy;\n"
        f"    include {tmp}/site.conf;\n}}\n"
    )
    return conf


@needs_nginx
def test_nginx_accepts_the_site(tmp_path):
    conf = nginx_setup(tmp_path)
    result = subprocess.run(["nginx", "-t", "-c", str(conf), "-p", str(tmp_path)],  # noqa: S603, S607
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@needs_nginx
@pytest.mark.slow
def test_nginx_in_front_of_gunicorn(gunicorn, tmp_path):
    http_port, https_port = free_port(), free_port()
    conf = nginx_setup(tmp_path, http_port, https_port, gunicorn.port)
    (tmp_path / "body").mkdir()
    (tmp_path / "proxy").mkdir()
    if os.geteuid() == 0:  # nginx's workers run as nobody: let them write their temporary files
        for folder in ("body", "proxy"):
            (tmp_path / folder).chmod(0o777)
    nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(tmp_path)],  # noqa: S603, S607
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert nginx.poll() is None, (tmp_path / "error.log").read_text()
            try:
                get("127.0.0.1", https_port, "/healthz", tls=True)
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        host = {"Host": "repository.example.org"}

        # plain HTTP moves to HTTPS, query and all
        status, headers, _ = get("127.0.0.1", http_port, "/search?q=x", host)
        assert status == 301 and header(headers, "location") == ["https://repository.example.org/search?q=x"]

        # through TLS: the app's headers, each once; nginx's request id replaces the client's
        status, headers, body = get("127.0.0.1", https_port, "/readyz", {**host, "X-Request-ID": "chosen-by-me"},
                                    tls=True)
        assert status == 200, body
        for name in SECURITY_HEADERS:
            assert len(header(headers, name)) == 1, (name, headers)
        assert header(headers, "content-security-policy")[0].startswith("default-src 'self'")  # the app's own
        [request_id] = header(headers, "x-request-id")
        assert NGINX_ID.fullmatch(request_id)

        # an audited request: the event holds nginx's request id and the client's address (X-Forwarded-For)
        status, headers, page = get("127.0.0.1", https_port, "/login", host, tls=True)
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
        cookie = header(headers, "set-cookie")[0].split(";")[0]
        assert cookie.startswith("__Host-session=")  # REPOSITORY_HTTPS=on seen through the proxy
        form = f"email=nobody%40example.org&password=wrong+password+here&csrf_token={token}".encode()
        status, headers, _ = get("127.0.0.1", https_port, "/login", {
            **host, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "https://repository.example.org/login",
            "X-Forwarded-For": "203.0.113.9",  # chosen by the client: nginx appends the real one, which counts
        }, tls=True, method="POST", body=form)
        assert status == 401
        [login_id] = header(headers, "x-request-id")
        with sqlite3.connect(gunicorn.data_dir / "repository.sqlite3") as db:
            row = db.execute("SELECT action, request_id, ip FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
        assert row == ("login_failed", login_id, "127.0.0.1")
        time.sleep(0.5)
        access = [json.loads(line) for line in (tmp_path / "repository.access.log").read_text().splitlines()]
        assert any(line["request_id"] == login_id and line["path"] == "/login" for line in access)
        assert all("?" not in line["path"] for line in access)

        # nginx's own refusal of a body above client_max_body_size, in the API's error shape, with the headers
        status, headers, body = get("127.0.0.1", https_port, "/api/v1/documents",
                                    {**host, "Content-Length": str(200 * 1024 * 1024)}, tls=True, method="POST")
        assert status == 413 and json.loads(body)["error"] == "too_large"
        for name in SECURITY_HEADERS:
            assert len(header(headers, name)) == 1, (name, headers)
    finally:
        os.killpg(nginx.pid, signal.SIGQUIT)
        nginx.wait(timeout=30)
