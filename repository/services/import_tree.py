"""What an import reads off a folder before any file is opened: the entries of the tree (walked without recursion,
symbolic links never followed, hidden and system entries left out with the reason), the names of files in any
encoding, and the ``--map`` file of folder patterns to codes.

Names: a file system hands back bytes. A name that is UTF-8 is used as it is (NFC, as macOS stores NFD); any other
name is kept exactly in the import's key (its invalid bytes as ``\\xNN``, so two names never share a key and a
re-run finds the same key), and shown as Windows-1256 (Arabic Windows, the usual origin of such names here) when
that gives Arabic letters, else as Latin-1.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from repository.services.base import ServiceError

#: Files a sync client or an operating system leaves behind (compared case-insensitively).
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r", ".ds_store", "folder.jpg"})
#: Folders of an operating system or a sync client (compared case-insensitively).
SYSTEM_FOLDERS = frozenset({"$recycle.bin", "system volume information", "__macosx", "@eadir"})
#: The longest ``source_path`` a document keeps (its column's size).
MAX_KEY = 1000

_ARABIC = re.compile("[\u0600-\u06ff]")


@dataclass(frozen=True)
class Entry:
    """One file of the tree to import, or one entry left out (``skip`` says why)."""

    path: str  # the path to open (the file system's own form)
    rel: str  # the relative path as shown (decoded, NFC, '/' between parts)
    key: str  # the relative path as kept in source_path (exact)
    name: str  # the file's name as shown
    skip: str | None = None


def shown(raw: bytes) -> str:
    """A name or relative path as people read it (see the module's description)."""
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    arabic = raw.decode("cp1256", "replace")
    if _ARABIC.search(arabic):
        return unicodedata.normalize("NFC", arabic)
    return raw.decode("latin-1")


def exact(raw: bytes) -> str:
    """A relative path as a key: UTF-8 where it is, every other byte as ``\\xNN`` (unique and stable)."""
    return raw.decode("utf-8", "backslashreplace")


def source_key(org: str, rel_key: str) -> str:
    """The ``source_path`` of a file: ``ORG:relative/path``; a path too long for the column keeps its end and a
    digest of the whole (still unique, still the same on a re-run)."""
    key = f"{org}:{rel_key}"
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(rel_key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{org}:#{digest}…{rel_key[-(MAX_KEY - len(org) - 40) :]}"


def _left_out(name: str, is_dir: bool) -> str | None:
    folded = name.casefold()
    if name.startswith("."):
        return "hidden folder" if is_dir else "hidden file"
    if is_dir:
        return "system folder" if folded in SYSTEM_FOLDERS else None
    if name.startswith("~$"):
        return "lock file of an open Office document"
    if folded in SYSTEM_FILES:
        return "system file"
    return None


def walk(folder: Path) -> Iterable[Entry]:
    """Every entry under ``folder`` in a stable order (depth first, names sorted by their bytes), without recursion
    (any depth). Symbolic links, hidden and system entries and special files come back with ``skip`` set; a hidden
    or system folder or a link to one is one entry, its content is not read."""
    root = os.fsencode(folder)
    stack: list[bytes] = [b""]
    while stack:
        rel_dir = stack.pop()
        here = os.path.join(root, rel_dir) if rel_dir else root
        try:
            with os.scandir(here) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield _entry(here, rel_dir, skip=f"folder cannot be read ({exc.strerror})")
            continue
        subdirs = []
        for child in children:
            rel = os.path.join(rel_dir, child.name) if rel_dir else child.name
            name = shown(child.name)
            try:
                mode = child.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                yield _entry(child.path, rel, skip=f"cannot be read ({exc.strerror})")
                continue
            if stat.S_ISLNK(mode):
                yield _entry(child.path, rel, skip="symbolic link (not followed)")
            elif stat.S_ISDIR(mode):
                reason = _left_out(name, is_dir=True)
                if reason:
                    yield _entry(child.path, rel, skip=reason)
                else:
                    subdirs.append(rel)
            elif not stat.S_ISREG(mode):
                yield _entry(child.path, rel, skip="not a regular file")
            else:
                yield _entry(child.path, rel, skip=_left_out(name, is_dir=False))
        stack.extend(reversed(subdirs))


def _entry(path: bytes, rel: bytes, skip: str | None = None) -> Entry:
    rel_shown = shown(rel).replace(os.sep, "/")
    return Entry(
        path=os.fsdecode(path),
        rel=rel_shown,
        key=exact(rel).replace(os.sep, "/"),
        name=rel_shown.rsplit("/", 1)[-1],
        skip=skip,
    )


# ---------------------------------------------------------------------------------------------------------------
# --map: folder patterns to codes
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeMap:
    """Folder patterns (``*`` within a name, ``**`` any depth, ``?`` one character; case and Unicode form ignored)
    and the codes every file gets whose path, or a folder of whose path, a pattern matches (``Assessments/Sebha``,
    ``Assessments/Sebha/**`` and ``Assessments/*`` all cover ``Assessments/Sebha/2024/r.pdf``; ``**/*.xlsx``
    covers every spreadsheet)."""

    rules: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = ()

    def codes_for(self, rel: str) -> list[str]:
        """The codes of the patterns that match the relative path ``rel`` of a file (each once, in order)."""
        parts = _fold(rel).split("/")
        targets = ["/".join(parts[: i + 1]) for i in range(len(parts))]  # its folders, then the file itself
        out: list[str] = []
        for _pattern, regex, codes in self.rules:
            if any(regex.fullmatch(t) for t in targets):
                out.extend(c for c in codes if c not in out)
        return out

    @property
    def codes(self) -> set[str]:
        """Every code the map names."""
        return {c for _p, _r, codes in self.rules for c in codes}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """The regular expression of a folder pattern (see :class:`CodeMap`) over a file's relative path."""
    pattern = _fold(pattern.strip().strip("/"))
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def load_map(path: Path, known: Any) -> CodeMap:
    """Read a ``--map`` YAML file: a mapping of folder pattern to a list of code ids (or one id). ``known(codes)``
    returns the codes the vocabulary does not know. Any problem is one 422 naming the file and what is wrong."""

    def bad(message: str) -> ServiceError:
        return ServiceError(422, "invalid_map", f"--map {path.name}: {message}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise bad(f"cannot be read ({exc.strerror}).") from None
    except UnicodeDecodeError:
        raise bad("is not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise bad(f"is not valid YAML{where}.") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise bad('must be a mapping of folder patterns to code lists, e.g. "Assessments/**": [doc_type:assessment].')
    rules = []
    for pattern, codes in data.items():
        if not isinstance(pattern, str) or not pattern.strip():
            raise bad(f"pattern {pattern!r} is not a folder pattern.")
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise bad(f'"{pattern}" must map to a list of code ids.')
        unknown = known(codes)
        if unknown:
            raise bad(f'unknown code {unknown[0]} for "{pattern}".')
        rules.append((pattern, pattern_regex(pattern), tuple(dict.fromkeys(codes))))
    return CodeMap(tuple(rules))
