"""Bulk import of a folder (e.g. a Dropbox export) as submissions of one organisation."""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import click

from . import protocol
from .services import Service
from .services import ServiceError


@dataclass
class ImportSummary:
    """What an import did."""

    imported: int = 0
    skipped: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def _files(folder: Path) -> list[Path]:
    out = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            out.append(path)
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_import(svc: Service, folder: Path, org_acronym: str, as_email: str) -> ImportSummary:
    """Import every file under ``folder``; files seen before (by path or content) are skipped."""
    user = svc.find_user(as_email)
    if user is None or not user.active:
        raise ServiceError(404, "not_found", f"No active account {as_email}.")
    org = svc.find_org(org_acronym)
    if org is None:
        raise ServiceError(404, "not_found", f"No organisation {org_acronym}.")
    if user.org_id != org.id:
        raise ServiceError(422, "invalid_value", f"{user.email} is not a member of {org.acronym}.")
    actor = protocol.actor_for(user)
    svc.require(actor, "upload")
    folder = folder.resolve()
    files = _files(folder)
    done_paths = svc.imported_paths(org.id)
    hashes = svc.known_hashes()
    summary = ImportSummary()
    with click.progressbar(files, label="Importing", show_pos=True, file=sys.stderr) as bar:
        for path in bar:
            rel = str(path.relative_to(folder))
            key = f"{org.acronym}:{rel}"
            if key in done_paths:
                summary.skipped += 1
                continue
            try:
                if _sha256(path) in hashes:
                    summary.skipped += 1
                    continue
                with open(path, "rb") as fh:
                    doc = svc.upload(actor, fh, path.name, source_path=key)
                hashes.add(doc.sha256)
                summary.imported += 1
            except ServiceError as exc:
                if exc.code == "duplicate":
                    summary.skipped += 1
                else:
                    summary.refused.append((rel, exc.message))
            except OSError as exc:
                summary.refused.append((rel, f"cannot read the file ({exc.strerror})"))
    svc.repo.worker.drain(timeout=60.0)
    return summary
