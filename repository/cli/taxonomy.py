"""``flask taxonomy ...``: commands about the controlled vocabulary (``taxonomy.yaml``).

Register with ``app.cli.add_command(taxonomy_cli)``. ``taxonomy check`` must keep working when the app itself
cannot start because the file is broken, so it does not need an app: it takes ``--path``, else the app's
``TAXONOMY_PATH`` when an app is loaded or loadable, else ``$REPOSITORY_TAXONOMY``, else the ``taxonomy.yaml``
at the top of the repository. It also runs without Flask's CLI: ``python -m repository.cli.taxonomy check``.

``taxonomy migrate`` needs the app (database, services, audit): it moves documents from retired codes to their
replacements.

Note: Flask's CLI only finds commands that the app registers after the app has loaded. For ``check`` to be
reachable while ``create_app`` fails, also declare it as a plugin command (``[options.entry_points]
flask.commands = taxonomy = repository.cli.taxonomy:taxonomy_cli``) or use the ``python -m`` form.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask import has_app_context
from flask.cli import AppGroup
from flask.cli import ScriptInfo

from repository.cli.options import file_option
from repository.config import PROJECT_ROOT
from repository.knowledge.taxonomy import check_taxonomy
from repository.knowledge.taxonomy import load_taxonomy

DEFAULT_PATH = PROJECT_ROOT / "taxonomy.yaml"

taxonomy_cli = AppGroup("taxonomy", help="Check and maintain the controlled vocabulary (taxonomy.yaml).")


def default_taxonomy_path() -> Path:
    """The file ``taxonomy check`` reads when no ``--path`` is given (see the module docstring)."""
    if has_app_context():
        configured = current_app.config.get("TAXONOMY_PATH")
        if configured:
            return Path(configured)
    ctx = click.get_current_context(silent=True)
    info = ctx.find_object(ScriptInfo) if ctx is not None else None
    if info is not None:
        try:
            app = info.load_app()
        except Exception:  # a broken app (often: a broken taxonomy) must not stop the check
            app = None
        if app is not None and app.config.get("TAXONOMY_PATH"):
            return Path(app.config["TAXONOMY_PATH"])
    from_env = os.environ.get("REPOSITORY_TAXONOMY")
    return Path(from_env) if from_env else DEFAULT_PATH


@taxonomy_cli.command("check", with_appcontext=False)
@file_option("--path", "path", "File to check (default: the app's TAXONOMY_PATH, else the repository's taxonomy.yaml).")
def check_command(path: Path | None) -> None:
    """Validate the taxonomy file and report every problem.

    Prints "taxonomy OK: N facets, M codes", or each problem on stderr and exits with code 1.
    """
    target = path if path is not None else default_taxonomy_path()
    problems = check_taxonomy(target)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        noun = "problem" if len(problems) == 1 else "problems"
        click.echo(f"taxonomy check failed: {len(problems)} {noun} in {target}", err=True)
        raise click.exceptions.Exit(1)
    taxonomy = load_taxonomy(target)
    click.echo(f"taxonomy OK: {len(taxonomy.facets)} facets, {len(taxonomy.codes)} codes")


@taxonomy_cli.command("migrate")
@click.option("--dry-run", is_flag=True, help="Only count the documents that would move; change nothing.")
def migrate_command(dry_run: bool) -> None:
    """Move documents from retired codes to their replacements (the codes' ``replaced_by``).

    Runs through the service layer as the system: each document moved is audited as ``update`` (detail
    ``migrated_codes``) and re-indexed. Prints one line per retired code in use and a total.
    """
    from repository import protocol
    from repository.data import db
    from repository.services import Service
    from repository.services import ServiceError

    repo = current_app.extensions["repo"]
    svc = Service(repo, db.get_session(), ip="cli")
    try:
        counts = svc.maintenance.migrate_retired_codes(protocol.SYSTEM, dry_run=dry_run)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    verb = "would move" if dry_run else "moved"
    for old, n in counts.items():
        click.echo(f"{old} -> {repo.taxonomy.current(old)}: {verb} {n} document{'s' if n != 1 else ''}")
    total = sum(counts.values())
    retired = sum(1 for c in repo.taxonomy.codes.values() if c.retired)
    click.echo(
        f"taxonomy migrate{' (dry run)' if dry_run else ''}: {retired} retired code{'s' if retired != 1 else ''}, "
        f"{verb} {total} code assignment{'s' if total != 1 else ''}"
    )


def main() -> None:
    """Entry point for ``python -m repository.cli.taxonomy``, usable without a working app."""
    taxonomy_cli(prog_name="taxonomy")


if __name__ == "__main__":
    main()
