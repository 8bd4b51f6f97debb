"""The acceptance run of the Dropbox import (issue 13): a generated export of 500 files (tests/dropbox_tree.py:
nested folders, PDF/DOCX/XLSX/TXT, 20 exact duplicates, 20 re-saved or reformatted copies, 5 broken files, names in
Arabic and in non-UTF-8 bytes, hidden and system files, symbolic links), imported with ``--map`` through the real
command line, killed with SIGKILL halfway (when half of the files are in the report), then run again to the end.

Checks (tests/dropbox_tree.check, through the API as a coordinator): every good file imported exactly once with
its folder's codes, the broken files reported with their reasons, every left-out entry reported, the re-saved
copies naming each other in ``similar`` (recall) and no clean pair above the threshold. Prints the figures and
writes them to bench/results/dropbox-import-latest.json.

    .venv/bin/python bench/dropbox_import.py [--files 500] [--jobs 2] [--kills 1] [--seed 1] [--keep]

``--kills N`` kills N runs in a row (the first at half, the others at random points of what is left) before the
run that finishes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dropbox_tree import check  # noqa: E402
from dropbox_tree import generate  # noqa: E402
from dropbox_tree import read_report  # noqa: E402
from server_utils import AccountSpec  # noqa: E402
from server_utils import command  # noqa: E402
from server_utils import make_instance  # noqa: E402

PARTNER = AccountSpec("partner@drc.example.org", "DRC", "partner")
COORD = AccountSpec("coord@pswg.example.org", "PSWG", "coordinator")


def _imported(report: Path) -> int:
    try:
        return sum(1 for row in read_report(report) if row["outcome"] == "imported")
    except (OSError, KeyError):
        return 0


def main() -> None:
    """Generate, import, kill, resume, check; print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--kills", type=int, default=1, help="SIGKILLs before the last run (first at half)")
    parser.add_argument("--seed", type=int, default=1, help="where the further kills fall")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    opts = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="dropbox-import-"))
    try:
        t0 = time.monotonic()
        tree = generate(base / "Dropbox", files=opts.files, duplicates=20, copies=20)
        generated = time.monotonic() - t0
        inst = make_instance(base / "data", [PARTNER, COORD])
        args = [command("flask"), "--app", "wsgi", "import", str(tree.root), "--org", PARTNER.org, "--as",
                PARTNER.email, "--map", str(tree.map_file), "--jobs", str(opts.jobs)]  # fmt: skip
        reports = [base / f"run{i}.csv" for i in range(opts.kills + 1)]
        rng = random.Random(opts.seed)
        t1 = time.monotonic()
        kill_points = []
        for i in range(opts.kills):
            done_before = sum(_imported(r) for r in reports[:i])
            # the first kill at half the files (the acceptance run); further ones at random points of what is left
            left = len(tree.expected_codes) - done_before
            target = len(tree.expected_codes) // 2 if i == 0 else done_before + rng.randint(1, max(1, left // 2))
            proc = subprocess.Popen([*args, "--report", str(reports[i])], cwd=ROOT, env=inst.env,  # noqa: S603
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            while done_before + _imported(reports[i]) < target and proc.poll() is None:
                time.sleep(0.02)
            if proc.poll() is not None:
                raise SystemExit("the import ended before it could be killed")
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kill_points.append(done_before + _imported(reports[i]))
        killed_after = time.monotonic() - t1
        at_kill = kill_points[0]
        second = reports[-1]
        t2 = time.monotonic()
        out = subprocess.run([*args, "--report", str(second)], cwd=ROOT, env=inst.env, capture_output=True,  # noqa: S603
                             text=True, timeout=3600)  # fmt: skip
        resumed = time.monotonic() - t2
        if out.returncode != 0:
            raise SystemExit(f"the resumed import failed:\n{out.stdout}\n{out.stderr[-3000:]}")
        from repository import create_app
        from repository.data import db

        app = create_app({"DATA_DIR": str(inst.data_dir), "TESTING": True, "RATE_LIMITS": False})
        try:
            headers = {"Authorization": f"Bearer {inst.tokens[COORD.email]}"}
            figures = check(tree, app.test_client(), headers, reports)
        finally:
            app.extensions["repo"].worker.stop()
            db.engine_of(app).dispose()
        result = {
            "files": tree.files,
            "left_out_entries": len(tree.left_out),
            "jobs": opts.jobs,
            "generated_seconds": round(generated, 1),
            "imported_before_kill": at_kill,
            "kills": kill_points,
            "killed_after_seconds": round(killed_after, 1),
            "resumed_seconds": round(resumed, 1),
            "summary_of_resumed_run": out.stdout.replace(str(base), "<tmp>").strip().splitlines(),
            **{k: v for k, v in figures.items() if k != "problems"},
            "problems": figures["problems"][:50],
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        (results / "dropbox-import-latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        ok = not figures["problems"] and figures["recall"] >= 0.9 and figures["clean_pairs_above_threshold"] == 0
        sys.exit(0 if ok else 1)
    finally:
        if opts.keep:
            print(f"kept {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
