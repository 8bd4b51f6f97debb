"""The scan's word lists and pattern tables, read once from the data files beside this module.

``data/words.txt`` holds the word lists (gazetteers, stop words, organisation words...), ``data/patterns.txt``
the long regular expressions made of vocabulary (labels, headings, sensitive sites, severe words...). Both are
sections that start with a line ``@name``; lines starting with ``#`` and blank lines are ignored. See the header
of each file for its format.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

DATA = Path(__file__).with_name("data")
_REFERENCE = re.compile(r"\$\{(\w+)\}")


@functools.cache
def _sections(name: str) -> dict[str, list[str]]:
    """The sections of a data file: ``{section: [line, ...]}``, lines as written (new line removed)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            current = sections.setdefault(line[1:].strip(), [])
        elif current is None:
            raise ValueError(f"{name}: text before the first section: {line!r}")
        else:
            current.append(line)
    return sections


def words(section: str) -> list[str]:
    """The words of a section of ``words.txt``, in file order (separated by spaces and new lines)."""
    return [w for line in _sections("words.txt")[section] for w in line.split()]


def phrases(section: str) -> list[str]:
    """The phrases of a section of ``words.txt``, one a line."""
    return [line.strip() for line in _sections("words.txt")[section]]


def pattern(section: str) -> str:
    """The regular expression of a section of ``patterns.txt``: its lines joined, ``${other}`` replaced."""
    text = "".join(_sections("patterns.txt")[section])
    return _REFERENCE.sub(lambda m: pattern(m.group(1)), text)
