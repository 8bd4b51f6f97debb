"""The Dropbox import for real (issue 13, item 3), on a generated export of 60 files (tests/dropbox_tree.py):
one ``import --map --jobs 2`` killed with SIGKILL after some files, then run again, imports every good file exactly
once with its folder's codes, reports the broken files with their reasons and every hidden, system or linked entry
as left out, and the re-saved or reformatted copies name each other in ``similar`` while no clean pair does.
bench/dropbox_import.py runs the same on 500 files."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from conftest import instance_database
from dropbox_tree import generate
from dropbox_tree import read_report
from server_utils import REPO_ROOT
from server_utils import AccountSpec
from server_utils import command
from server_utils import make_instance

from repository import create_app
from repository.data import db

PARTNER = AccountSpec("partner@drc.example.org", "DRC", "partner")
COORD = AccountSpec("coord@pswg.example.org", "PSWG", "coordinator")


def _import_args(tree, report, jobs="2"):
    return [command("flask"), "--app", "wsgi", "import", str(tree.root), "--org", "DRC", "--as", PARTNER.email,
            "--map", str(tree.map_file), "--jobs", jobs, "--report", str(report)]  # fmt: skip


def _imported_rows(report) -> int:
    try:
        return sum(1 for row in read_report(report) if row["outcome"] == "imported")
    except (OSError, KeyError):
        return 0


@pytest.fixture
def instance(tmp_path):
    return make_instance(tmp_path / "data", [PARTNER, COORD], **instance_database())


def _app(instance, **config):
    """The app on the instance's data folder and database, in this process (to check what the import did)."""
    url = instance.env.get("REPOSITORY_DATABASE_URL")
    return create_app({"DATA_DIR": str(instance.data_dir), "TESTING": True, **({"DATABASE_URL": url} if url else {}),
                       **config})  # fmt: skip


def test_import_killed_and_resumed_imports_every_file_once(instance, tmp_path):
    from dropbox_tree import check

    tree = generate(tmp_path / "Dropbox", files=60, duplicates=4, copies=6)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    proc = subprocess.Popen(_import_args(tree, first), cwd=REPO_ROOT, env=instance.env,  # noqa: S603
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    while _imported_rows(first) < 12 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the import ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)  # the import itself; its helpers notice and end
    proc.wait()
    killed_at = _imported_rows(first)
    assert 12 <= killed_at < 50
    # the helpers of the killed import (index follower, extraction workers) end by themselves
    deadline = time.monotonic() + 30
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    leftover = _group_alive(proc.pid)
    if leftover:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not leftover, "processes of the killed import were left running"

    out = instance.cli(*_import_args(tree, second)[3:], timeout=600)
    assert "Imported " in out and f"Report: {second}" in out
    assert "Left out 11 entries" in out, out

    app = _app(instance, INDEX_MODE="sync", RATE_LIMITS=False)
    try:
        headers = {"Authorization": f"Bearer {instance.tokens[COORD.email]}"}
        figures = check(tree, app.test_client(), headers, [first, second])
    finally:
        app.extensions["repo"].worker.stop()
        db.engine_of(app).dispose()
    assert not figures["problems"], "\n".join(figures["problems"])
    assert figures["recall"] >= 0.9 and figures["clean_pairs_above_threshold"] == 0
    assert len(figures["broken_reported"]) == 5
    # nothing was imported twice: the second run imported only what the first had not committed
    second_rows = read_report(second)
    again = [r["path"] for r in second_rows if r["outcome"] == "imported"]
    assert not set(again) & {r["path"] for r in read_report(first) if r["outcome"] == "imported"}


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (zombies waiting for a reaper do not count)."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def test_bad_map_is_one_line_before_anything_is_imported(instance, tmp_path):
    tree = generate(tmp_path / "Dropbox", files=20, duplicates=1, copies=1)
    for text, expected in (
        ('"Assessments/**": [doc_type:nope]\n', "unknown code doc_type:nope"),
        ('"Assessments/**": [doc_type:assessment\n', "is not valid YAML"),
        ("- just a list\n", "must be a mapping"),
        ('"Assessments/**": {a: b}\n', "must map to a list of code ids"),
    ):
        tree.map_file.write_text(text, encoding="utf-8")
        proc = subprocess.run(_import_args(tree, tmp_path / "r.csv"), cwd=REPO_ROOT, env=instance.env,  # noqa: S603
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert proc.returncode != 0
        errors = [line for line in proc.stderr.splitlines() if line.strip()]
        assert len(errors) == 1 and expected in errors[0] and tree.map_file.name in errors[0], proc.stderr
    app = _app(instance)
    try:
        from sqlalchemy import func
        from sqlalchemy import select

        from repository.data.models import Document

        with app.app_context():
            assert db.get_session().scalar(select(func.count(Document.id))) == 0
    finally:
        db.engine_of(app).dispose()
