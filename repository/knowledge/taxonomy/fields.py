"""The problems of a taxonomy file, one message each, and the checks of single fields (labels, lists, text)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from repository.knowledge.taxonomy.reading import _Lines

REQUIRED_LANGUAGES = ("en", "ar")


class _Fields:
    """Collects the problems of a parsed file, with the checks of one entry's fields (the base of the validator)."""

    def __init__(self, path: Path, lines: _Lines) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[str] = []

    def problem(self, line: int | None, subject: str, message: str) -> None:
        """Record one problem: ``file:line: subject: message``."""
        where = f"{self.path}:{line}" if line else str(self.path)
        self.problems.append(f"{where}: {subject}: {message}" if subject else f"{where}: {message}")

    def valid_id(self, line: int | None, subject: str, value: Any, pattern: re.Pattern[str]) -> bool:
        """Whether an entry's ``id`` is text matching ``pattern``; if not, the problem is recorded."""
        if isinstance(value, str) and pattern.fullmatch(value):
            return True
        if value is None:
            self.problem(line, subject, "missing 'id'")
        else:
            self.problem(line, subject, f"id {value!r} must match {pattern.pattern}")
        return False

    # -- field helpers --------------------------------------------------------------------------------------

    def _unknown_keys(self, line: int | None, subject: str, raw: dict[Any, Any], allowed: frozenset[str]) -> None:
        for key in sorted(set(raw) - allowed, key=str):
            self.problem(line, subject, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def _labels(self, line: int | None, subject: str, raw: dict[Any, Any]) -> dict[str, str]:
        labels = raw.get("labels")
        if not isinstance(labels, dict):
            what = "missing 'labels'" if labels is None else f"'labels' must be a mapping, not {_kind(labels)}"
            self.problem(line, subject, f"{what} (needs {' and '.join(REQUIRED_LANGUAGES)})")
            return {}
        out: dict[str, str] = {}
        for lang, text in labels.items():
            if not isinstance(lang, str) or not isinstance(text, str):
                self.problem(line, subject, f"label {lang!r} must be text, not {_kind(text)}")
            elif text.strip():
                out[lang] = text.strip()
        for lang in REQUIRED_LANGUAGES:
            if lang not in out:
                name = {"en": "English", "ar": "Arabic"}.get(lang, lang)
                self.problem(line, subject, f"missing {name} label '{lang}'")
        return out

    def _strings(self, line: int | None, subject: str, raw: dict[Any, Any], key: str) -> list[str]:
        value = raw.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(line, subject, f"'{key}' must be a list, not {_kind(value)}")
            return []
        out: list[str] = []
        for item in value:
            if isinstance(item, int | float) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                self.problem(line, subject, f"'{key}' entries must be non-empty text, not {item!r}")
            else:
                out.append(item.strip())
        return out

    def _optional_text(self, line: int | None, subject: str, raw: dict[Any, Any], key: str) -> str | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(line, subject, f"'{key}' must be text or null, not {value!r}")
            return None
        return value.strip()


_KINDS = {
    dict: "a mapping",
    list: "a list",
    str: "text",
    bool: "true/false",
    int: "a number",
    float: "a number",
}


def _kind(value: Any) -> str:
    """A short name of a YAML value's type, for messages."""
    if value is None:
        return "null"
    return _KINDS.get(type(value), type(value).__name__)
