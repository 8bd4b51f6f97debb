"""Fictional demo content for the document repository: organisations, users, documents, read from data files.

The content itself is data: ``demo.yaml`` (organisations, accounts, the documents' order) and one
``documents/<key>.yaml`` a document, both beside this module (``demo.yaml`` describes the fields). The documents
are realistic but invented: every person, case, figure and phone number is fictional, and the organisation names
are only used as plausible authors. This module reads and checks them (no Flask, no database); turning a
document into a file is :mod:`repository.demo.generate`'s job.

Public API
----------
``DEMO_ORGS``        list of ``(acronym, full name)``.
``DEMO_USERS``       list of ``{"email", "org", "role"}`` (roles: partner, staff, coordinator, admin).
``DEMO_DOCUMENTS``   list of :class:`DemoDocument`.
``LEVELS``           the four IASC sensitivity levels, lowest first.
``load(data_dir)``   the three lists above, read from another folder of the same layout.

A document's ``review`` is ``None`` (left submitted) or a decision for ``Service.review``: action, level,
rationale, risks and benefits (slugs from ``protocol.RISKS`` / ``protocol.BENEFITS``, at least one of each for a
release, ``none_identified`` included), grant_orgs (acronyms, confidential only) and grant_users (e-mails, strictly
confidential only). Every document carries a document type and a location code, so its release meets the gate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

LEVELS = ("public", "restricted", "confidential", "strictly_confidential")

#: The folder of ``demo.yaml`` and ``documents/`` (shipped as package data).
DATA_DIR = Path(__file__).resolve().parent

Block = tuple[str, Any]

_TEXT_FIELDS = ("title", "summary", "org", "uploader", "language", "fmt", "proposed_level")
_REVIEW_LISTS = ("risks", "benefits", "grant_orgs", "grant_users")


@dataclass(frozen=True)
class DemoDocument:
    key: str
    title: str
    summary: str
    published: date
    org: str
    uploader: str
    language: str
    fmt: str
    codes: tuple[str, ...]
    proposed_level: str
    body: list[Block]
    review: dict[str, Any] | None = None

    @property
    def state(self) -> str:
        """Workflow state once the review (if any) is applied."""
        if self.review is None:
            return "submitted"
        return {"release": "released", "return": "returned", "withhold": "withheld"}[self.review["action"]]

    @property
    def level(self) -> str:
        """The reviewer's level if reviewed, else the uploader's proposal."""
        return self.review["level"] if self.review else self.proposed_level


class DemoDataError(ValueError):
    """A demo data file that does not have the expected shape (the message names the file)."""


def _read(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise DemoDataError(f"{path.name}: expected a mapping at the top")
    return data


def _collapse(text: Any, where: str) -> str:
    """Prose as one line: a paragraph may be wrapped over several lines in the file."""
    if not isinstance(text, str) or not text.strip():
        raise DemoDataError(f"{where}: expected some text, got {text!r}")
    return " ".join(text.split())


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DemoDataError(f"{where}: expected a list of strings (quote numbers), got {value!r}")
    return list(value)


def _block(block: Any, where: str) -> Block:
    if not isinstance(block, dict) or len(block) != 1:
        raise DemoDataError(f"{where}: a block is one of `h: ...`, `p: ...`, `table: [...]`, got {block!r}")
    ((kind, content),) = block.items()
    if kind == "h":
        if not isinstance(content, str):
            raise DemoDataError(f"{where}: a heading is text, got {content!r}")
        return ("h", content)
    if kind == "p":
        return ("p", _collapse(content, where))
    if kind == "table":
        if not isinstance(content, list) or not content:
            raise DemoDataError(f"{where}: a table is a list of rows")
        return ("table", [_strings(row, f"{where}, table row") for row in content])
    raise DemoDataError(f"{where}: unknown block kind {kind!r}")


def _review(data: Any, where: str) -> dict[str, Any] | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not {"action", "level", "rationale"} <= set(data):
        raise DemoDataError(f"{where}: a review has at least action, level and rationale")
    unknown = set(data) - {"action", "level", "rationale", *_REVIEW_LISTS}
    if unknown:
        raise DemoDataError(f"{where}: unknown review fields {sorted(unknown)}")
    review: dict[str, Any] = {"action": data["action"], "level": data["level"]}
    review["rationale"] = _collapse(data["rationale"], f"{where}, rationale")
    for name in _REVIEW_LISTS:
        review[name] = _strings(data.get(name, []), f"{where}, {name}")
    return review


def _document(path: Path) -> DemoDocument:
    data = _read(path)
    where = path.name
    fields = {*_TEXT_FIELDS, "published", "codes", "body", "review"}
    if set(data) - fields or set(fields) - set(data) - {"review"}:
        raise DemoDataError(f"{where}: fields {sorted(data)}, expected {sorted(fields)} (review may be left out)")
    text = {name: _collapse(data[name], f"{where}, {name}") for name in _TEXT_FIELDS}
    if not isinstance(data["published"], date):
        raise DemoDataError(f"{where}: published is a date (2025-03-14), got {data['published']!r}")
    return DemoDocument(
        key=path.stem,
        published=data["published"],
        codes=tuple(_strings(data["codes"], f"{where}, codes")),
        body=[_block(block, f"{where}, block {i + 1}") for i, block in enumerate(data["body"] or [])],
        review=_review(data.get("review"), f"{where}, review"),
        **text,
    )


def load(data_dir: Path = DATA_DIR) -> tuple[list[tuple[str, str]], list[dict[str, str]], list[DemoDocument]]:
    """(organisations, users, documents) from ``data_dir/demo.yaml`` and ``data_dir/documents/*.yaml``."""
    index = _read(data_dir / "demo.yaml")
    orgs = [(str(acronym), _collapse(name, f"demo.yaml, org {acronym}")) for acronym, name in index["orgs"].items()]
    users = [{"email": u["email"], "org": u["org"], "role": u["role"]} for u in index["users"]]
    keys = _strings(index["documents"], "demo.yaml, documents")
    files = {p.stem for p in (data_dir / "documents").glob("*.yaml")}
    if set(keys) != files or len(keys) != len(files):
        raise DemoDataError(
            f"demo.yaml lists the documents {sorted(set(keys) - files)} that have no file, leaves out "
            f"{sorted(files - set(keys))}, or lists one twice"
        )
    return orgs, users, [_document(data_dir / "documents" / f"{key}.yaml") for key in keys]


DEMO_ORGS, DEMO_USERS, DEMO_DOCUMENTS = load()
