"""Command line (``flask --app wsgi COMMAND``): init, db upgrade / current / revision, org add, user add,
token create, import, reindex, backup, restore, demo, review due."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask import Flask
from flask import current_app
from flask.cli import AppGroup
from flask.cli import with_appcontext

from repository import protocol
from repository.cli.options import file_option
from repository.data import db
from repository.data import migrate
from repository.services import Service
from repository.services import ServiceError

T = TypeVar("T")


def _service() -> Service:
    return Service(current_app.extensions["repo"], db.get_session(), ip="cli")


def _fail(exc: ServiceError) -> None:
    raise click.ClickException(exc.message)


def _call(step: Callable[[Service], T]) -> T:
    """Run one service call of a command (on this command's services); a refusal is the command's error."""
    try:
        return step(_service())
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create the database schema, the search index and the data folders (idempotent)."""
    repo = current_app.extensions["repo"]
    Path(current_app.config["DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    try:
        migrate.create_schema(current_app)
    except migrate.SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from None
    repo.store.ensure()
    created = repo.index.open()
    if created:
        svc = _service()
        with db.write(svc.session):
            from repository.services.indexing import enqueue_rebuild

            enqueue_rebuild(svc.session)
    repo.worker.drain(timeout=30)
    click.echo(f"Initialised {current_app.config['DATA_DIR']} (database, files, index).")


db_cli = AppGroup("db", help="The database schema (migrations).")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema to the newest revision (a database of a release from before migrations is
    recognised and stamped first; no row is changed by that)."""

    engine = db.engine_of(current_app)
    head = migrate.head()
    before = migrate.current(engine)
    if before == head:
        click.echo(f"The database schema is up to date (revision {head}).")
        return
    try:
        if before is None and migrate.app_tables(engine):
            differences = migrate.adopt_first_release(engine)
            if differences:
                raise click.ClickException(
                    "The database has tables but no schema revision, and they are not those of the first release "
                    f"(revision {migrate.FIRST_RELEASE}): " + "; ".join(differences) + ". Nothing was changed."
                )
            click.echo(f"Recognised the schema of the first release; stamped it {migrate.FIRST_RELEASE}.")
            before = migrate.FIRST_RELEASE
        elif before is not None and not migrate.is_known(before):
            raise click.ClickException(
                f"The database schema is at revision {before}, which this version of the application does not know "
                "(made by a newer version?). Nothing was changed."
            )
        else:
            migrate.upgrade(engine)
    except migrate.MigrationError as exc:
        raise click.ClickException(str(exc)) from None
    after = migrate.current(engine)
    if after == before:
        click.echo(f"The database schema is up to date (revision {after}).")
    else:
        click.echo(f"Upgraded the database schema from {before or 'an empty database'} to {after}.")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the revision changes (also its file name).")
def db_revision(message: str) -> None:
    """Write a new revision script from the differences between the models and the database (at head)."""

    try:
        path = migrate.revision(db.engine_of(current_app), message)
    except migrate.MigrationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {path}: read it, complete it and add a test before committing.")


@db_cli.command("current")
def db_current() -> None:
    """Print the revision the database schema is at."""

    revision = migrate.current(db.engine_of(current_app))
    if revision is None:
        click.echo("The database has no schema revision yet (run `flask --app wsgi init`, or `db upgrade` for a "
                   "database of a release from before migrations).")
        return
    note = " (head)" if revision == migrate.head() else f" (head is {migrate.head()})"
    click.echo(f"{revision}{note}")


org_cli = AppGroup("org", help="Organisations.")


@org_cli.command("add")
@click.argument("acronym")
@click.option("--name", required=True, help="Full name of the organisation.")
def org_add(acronym: str, name: str) -> None:
    """Add an organisation; ACRONYM is its stable id (e.g. DRC)."""
    org = _call(lambda svc: svc.accounts.create_org(protocol.SYSTEM, acronym, name))
    click.echo(f"Added organisation {org.acronym}.")


user_cli = AppGroup("user", help="Accounts.")


@user_cli.command("add")
@click.argument("email")
@click.option("--org", "org", required=True, help="Acronym of the account's organisation.")
@click.option("--role", required=True, type=click.Choice(list(protocol.ROLES)))
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def user_add(email: str, org: str, role: str, password_stdin: bool) -> None:
    """Add an account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = _call(lambda svc: svc.accounts.create_user(protocol.SYSTEM, email, org, role, password))
    click.echo(f"Added {user.role} {user.email} ({org.upper()}).")


token_cli = AppGroup("token", help="API tokens.")


@token_cli.command("create")
@click.argument("email")
@click.option(
    "--days", default=protocol.MAX_TOKEN_DAYS, show_default=True, help="Days until the token expires (0: never)."
)
def token_create(email: str, days: int) -> None:
    """Create an API token for EMAIL and print it as the last line (the operator issues it, as the system, by the
    same rules as the account's own tokens page, see ``protocol.token_rules``)."""
    token = _call(lambda svc: svc.tokens.create(protocol.SYSTEM, days=days, email=email))
    click.echo(f"API token for {email.lower()} (shown once; send it as 'Authorization: Bearer TOKEN'):")
    click.echo(token)


review_cli = AppGroup("review", help="The coordinators' review queue.")


@review_cli.command("due")
@click.option("--date", "on", default=None, help="Count as due on this day (YYYY-MM-DD; default: today, UTC).")
def review_due(on: str | None) -> None:
    """Print the released documents due for re-review (review date on or before the day), oldest date first."""
    import datetime as dt

    from repository.services import parse_date

    try:
        day = parse_date(on, "--date") or dt.datetime.now(dt.UTC).date()
        docs = _service().reviews.due(protocol.SYSTEM, day)
    except ServiceError as exc:
        _fail(exc)
    if not docs:
        click.echo(f"No document is due for re-review on {day.isoformat()}.")
        return
    for doc in docs:
        level = protocol.LEVEL_LABELS.get(doc.level or "", doc.level or "-")
        click.echo(f"{doc.id}\t{doc.review_by.isoformat()}\t{level}\t{doc.org.acronym}\t{doc.title}")
    click.echo(f"{len(docs)} document(s) due for re-review on {day.isoformat()}.")


@click.command("import")
@with_appcontext
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--org", "org", required=True, help="Organisation the documents belong to.")
@click.option("--as", "as_email", required=True, help="E-mail of the account recorded as uploader.")
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=None, help="Files handled at once (default: the number of cores)."
)
@file_option(
    "--map",
    "map_file",
    'YAML file of folder patterns to code ids ("Assessments/Sebha/**": [doc_type:assessment]), applied as '
    "accepted codes.",
)
@file_option(
    "--report", "report", "CSV file of the per-file report (default: imports/import-<time>.csv in the data folder)."
)
def import_command(
    folder: Path, org: str, as_email: str, jobs: int | None, map_file: Path | None, report: Path | None
) -> None:
    """Bulk-import every supported file under FOLDER (e.g. a Dropbox export) as submissions.

    Files already imported (same path for this organisation, or same content) are skipped, so an interrupted
    import run again goes on where it stopped. Hidden and system files and symbolic links are left out. --jobs
    files are handled at once (default: the number of cores). The summary ends with where the CSV report is.
    """
    from repository.services.importer import IMPORTED
    from repository.services.importer import SKIPPED
    from repository.services.importer import default_report
    from repository.services.importer import run_import

    report = report or default_report(current_app.config["DATA_DIR"])
    try:
        summary = run_import(_service(), folder, org, as_email, jobs=jobs, map_file=map_file, report=report)
    except ServiceError as exc:
        _fail(exc)
    click.echo(
        f"Imported {summary.imported}, skipped {summary.skipped} already imported, refused {len(summary.refused)}."
    )
    if summary.ignored:
        left_out = "; ".join(f"{n} {reason}" for reason, n in summary.reasons(SKIPPED).items()
                             if not reason.startswith(("already imported", "same content")))  # fmt: skip
        click.echo(f"Left out {summary.ignored} entries: {left_out}.")
    unreadable = [r for r in summary.rows if r["outcome"] == IMPORTED and r["reason"]]
    for row in unreadable[:50]:
        click.echo(f"  imported without text {row['path']}: {row['reason']}", err=True)
    for path, reason in summary.refused[:50]:
        click.echo(f"  refused {path}: {reason}", err=True)
    click.echo(f"Report: {report}")


#: How long `reindex` waits for the rebuild (done by this command, or by a server that took it up first).
REINDEX_WAIT_SECONDS = 6 * 3600


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database; documents without a near-duplicate signature (from before
    schema revision 0005) get one."""
    count = _call(lambda svc: svc.maintenance.reindex(protocol.SYSTEM, wait=REINDEX_WAIT_SECONDS))
    click.echo(f"Reindexed {count} documents.")
    signed = _call(lambda svc: svc.similarity.backfill())
    if signed:
        click.echo(f"Near-duplicate signatures added for {signed} documents.")


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write one archive of the database (the audit trail included) and every stored file to FILE (a new file);
    the app may go on serving meanwhile."""
    from repository.services.backup import Backup
    from repository.services.backup import BackupError

    try:
        summary = Backup(db.engine_of(current_app), current_app.extensions["repo"].store).write(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Wrote {summary.path}: {summary.size / 1e6:.1f} MB ({summary.size} bytes), {summary.documents} documents, "
        f"{summary.files} stored files, {summary.rows.get('audit_events', 0)} audit events, "
        f"schema revision {summary.revision}."
    )


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore the archive FILE (written by `backup`) into an empty database and data folder, then rebuild the
    search index. The whole archive is checked before anything is written."""
    from repository.services.backup import BackupError
    from repository.services.backup import restore

    try:
        summary = restore(db.engine_of(current_app), current_app.extensions["repo"].store, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    upgraded = f", upgraded to {summary.upgraded_to}" if summary.upgraded_to else ""
    click.echo(
        f"Restored {summary.documents} documents, {summary.files} stored files and "
        f"{summary.rows.get('audit_events', 0)} audit events (schema revision {summary.revision}{upgraded})."
    )
    count = _call(lambda svc: svc.maintenance.reindex(protocol.SYSTEM, wait=REINDEX_WAIT_SECONDS))
    click.echo(f"Reindexed {count} documents.")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Load only when the database has no account yet.")
@click.option("--logins", "logins_only", is_flag=True, help="Only print how to log in as each demo role.")
def demo_command(if_empty: bool, logins_only: bool) -> None:
    """Load demo organisations, accounts and documents, and print how to log in."""
    from repository.demo import demo_logins
    from repository.demo import load_demo

    svc = _service()
    if not logins_only:
        try:
            loaded = load_demo(svc, if_empty=if_empty)
        except ServiceError as exc:
            _fail(exc)
        if loaded:
            click.echo(f"Loaded the demo: {loaded} documents.")
    text = demo_logins(Path(current_app.config["DATA_DIR"]))
    if text:
        click.echo(text)
    elif logins_only:
        click.echo("No demo logins here (the demo was not loaded by this instance).")


def register(app: Flask) -> None:
    """Add the commands to ``app.cli``."""
    from repository.cli.taxonomy import taxonomy_cli

    for command in (
        init_command,
        db_cli,
        org_cli,
        user_cli,
        token_cli,
        import_command,
        reindex_command,
        backup_command,
        restore_command,
        demo_command,
        review_cli,
        taxonomy_cli,
    ):
        app.cli.add_command(command)
