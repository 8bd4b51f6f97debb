"""The demo: organisations, accounts with generated passwords, and documents taken through the review workflow.

The content is data (``demo.yaml`` and ``documents/*.yaml``, read by :mod:`repository.demo.content`), rendered into
PDF, DOCX and XLSX files by :mod:`repository.demo.generate`, whose PDF tooling is the ``demo`` extra
(``pip install -e '.[demo]'``; ``make run`` installs it).

Passwords are random and written once to ``<DATA_DIR>/demo-logins.txt`` (mode 0600) so that ``make run`` can
print them each time; nothing secret is a constant in the code.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from sqlalchemy import func
from sqlalchemy import select

from repository import protocol
from repository.data.models import User
from repository.demo.content import DEMO_DOCUMENTS
from repository.demo.content import DEMO_ORGS
from repository.demo.content import DEMO_USERS
from repository.demo.generate import missing_tools
from repository.demo.generate import render
from repository.services import Service
from repository.services import ServiceError

LOGINS_FILE = "demo-logins.txt"


def load_demo(svc: Service, if_empty: bool = False) -> int:
    """Load the demo; returns the number of documents loaded (0 when skipped).

    Refused (``ServiceError``, before anything is written) when the demo is already loaded or when the ``demo``
    extra's PDF tooling is not installed.
    """
    if if_empty and (svc.session.scalar(select(func.count(User.id))) or 0) > 0:
        return 0
    if svc.accounts.find_user(DEMO_USERS[0]["email"]) is not None:
        raise ServiceError(409, "duplicate", "The demo is already loaded.")
    missing = missing_tools()
    if missing:
        raise ServiceError(
            503,
            "demo_tools_missing",
            f"The demo needs {' and '.join(missing)} to write its PDF files: "
            "install the demo extra (pip install -e '.[demo]'; make run does this).",
        )
    for acronym, name in DEMO_ORGS:
        if svc.accounts.find_org(acronym) is None:
            svc.accounts.create_org(protocol.SYSTEM, acronym, name)
    lines = ["Demo accounts (password after the e-mail):"]
    for spec in DEMO_USERS:
        password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
        svc.accounts.create_user(protocol.SYSTEM, spec["email"], spec["org"], spec["role"], password)
        lines.append(f"  {spec['role']:<12} {spec['email']:<34} {password}")
    _write_logins(Path(svc.repo.config["DATA_DIR"]), "\n".join(lines) + "\n")

    coordinator = next(u for u in DEMO_USERS if u["role"] == protocol.COORDINATOR)
    reviewer = protocol.actor_for(svc.accounts.find_user(coordinator["email"]))
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for spec in DEMO_DOCUMENTS:
            path = render(spec, Path(tmp))
            uploader = protocol.actor_for(svc.accounts.find_user(spec.uploader))
            with open(path, "rb") as fh:
                doc = svc.intake.upload(
                    uploader,
                    fh,
                    path.name,
                    title=spec.title,
                    summary=spec.summary,
                    published=spec.published.isoformat(),
                    codes=list(spec.codes),
                    proposed_level=spec.proposed_level,
                )
            if spec.review:
                decision = dict(spec.review)
                if decision.get("action") == "release":
                    if doc.minimum_level:
                        decision.setdefault("override", "Demo data: fictional content.")
                    # the demo's coordinator has read what the scan found in the rendered file
                    decision.setdefault("considered", protocol.found_kinds(doc.detected or []))
                svc.reviews.review(reviewer, doc.id, decision)
            count += 1
    svc.repo.worker.drain(timeout=30)
    return count


def _write_logins(data_dir: Path, text: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOGINS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


def demo_logins(data_dir: Path) -> str:
    """The demo's login lines, if this instance loaded the demo."""
    path = data_dir / LOGINS_FILE
    return path.read_text() if path.is_file() else ""
