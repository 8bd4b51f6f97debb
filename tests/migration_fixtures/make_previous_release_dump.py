r"""Make ``release_a6ebafd.sql``: a SQLite database of the last release before schema migrations, as SQL text.

How the checked-in dump was produced: the code of commit a6ebafd (the last release, whose schema is revision 0001)
was exported to a scratch folder (``git archive a6ebafd | tar -x -C SCRATCH``), and this script was run with that
folder first on the import path and the project's dependencies installed (PROJECT is this project's folder)::

    cd SCRATCH && PYTHONPATH=SCRATCH python PROJECT/tests/migration_fixtures/make_previous_release_dump.py \
        PROJECT/tests/migration_fixtures/release_a6ebafd.sql

It runs that release's own commands through Flask's CLI runner: ``init`` (the release's ``create_all``), ``demo``
(organisations, accounts, documents taken through the review workflow) and ``token create`` (one API token),
then writes the database with ``sqlite3``'s ``iterdump``. The stored files are not kept (tests/test_migrations.py
checks the database only).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path


def main(out: Path) -> None:
    import repository
    from repository import create_app
    from repository.data import db

    print(f"using the code in {Path(repository.__file__).parent}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        app = create_app({"DATA_DIR": str(data_dir), "INDEX_MODE": "sync", "TESTING": True})
        runner = app.test_cli_runner()
        try:
            for args in (["init"], ["demo"], ["token", "create", _first_demo_email()]):
                result = runner.invoke(args=args)
                if result.exit_code != 0:
                    raise SystemExit(f"{' '.join(args)} failed:\n{result.output}")
        finally:
            app.extensions["repo"].worker.stop()
            extractor = getattr(app.extensions["repo"], "extractor", None)  # newer code only
            if extractor is not None:
                extractor.close()
            db.engine_of(app).dispose()
        conn = sqlite3.connect(data_dir / "repository.sqlite3")
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            text = "\n".join(conn.iterdump()) + "\n"
        finally:
            conn.close()
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(text.encode()) // 1024} KiB)", file=sys.stderr)


def _first_demo_email() -> str:
    from repository.demo.content import DEMO_USERS

    return DEMO_USERS[0]["email"]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} OUT.sql")
    main(Path(sys.argv[1]))
