"""Near-duplicate signatures: a text becomes a MinHash signature over the word shingles of its normalised form,
and the signature a set of LSH band keys. Pure: no database, no Flask.

The normalisation makes two extractions of the same report compare equal when only their form differs: the text
layer of a PDF and the paragraphs of the DOCX it was printed from, or a copy saved again with small edits.
Unicode compatibility forms (Arabic presentation forms, ligatures, full-width digits) are folded (NFKC), case is
folded, Arabic diacritics and tatweel are dropped and its letter variants unified (alef forms, alef maqsura, taa
marbuta), words split at a line-end hyphen are joined, Arabic-Indic digits become ASCII, and everything that is not
a letter or a digit separates words. Layout (line breaks, page breaks, columns, table cells) is gone after that.

A signature has :data:`NUM_PERM` 32-bit minimum hashes (``datasketch.MinHash``, a fixed seed, so signatures made
by different processes and releases compare); :data:`BANDS` bands of :data:`ROWS` rows give the band keys. Two
texts whose shingle sets have Jaccard similarity *s* share at least one key with probability
``1 - (1 - s**ROWS)**BANDS``: 0.996 at *s* = 0.5, 0.29 at 0.2, 0.04 at 0.1 — the look-up finds nearly every pair
above :data:`THRESHOLD` and few below it, and :func:`similarity` (the share of equal minimum hashes, an unbiased
estimate of the Jaccard similarity) then decides.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

#: Minimum hashes per signature.
NUM_PERM = 128
#: LSH bands and rows per band (BANDS * ROWS <= NUM_PERM).
BANDS = 42
ROWS = 3
#: Words per shingle.
SHINGLE_WORDS = 3
#: Texts with fewer words have no signature (short texts share too much by chance: a cover page, an empty form).
MIN_WORDS = 30
#: The estimated Jaccard similarity from which two documents are near-duplicates.
THRESHOLD = 0.5
#: Fixed, so that every process and every release computes the same permutations.
SEED = 1

_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u06d6-\u06ed]")
_ARABIC_FOLD = str.maketrans(
    {
        "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # alef forms -> ا
        "\u0649": "\u064a",  # alef maqsura -> ya
        "\u0629": "\u0647",  # taa marbuta -> ha
        "\u0624": "\u0648", "\u0626": "\u064a",  # hamza on waw / ya
    }
    | {chr(0x0660 + i): str(i) for i in range(10)}
    | {chr(0x06F0 + i): str(i) for i in range(10)}
)  # fmt: skip
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Signature:
    """A text's MinHash signature and how many distinct shingles it was made from."""

    hashvalues: tuple[int, ...]
    shingles: int

    def to_hex(self) -> str:
        """The signature as hex (8 digits per minimum hash), as stored."""
        return np.asarray(self.hashvalues, dtype=">u4").tobytes().hex()

    @classmethod
    def from_hex(cls, value: str, shingles: int = 0) -> Signature:
        """The signature stored by :meth:`to_hex`."""
        raw = np.frombuffer(bytes.fromhex(value), dtype=">u4")
        return cls(tuple(int(v) for v in raw), shingles)


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (see the module's description)."""
    text = _HYPHEN_BREAK.sub(r"\1\2", text or "")
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)
    return [w for w in _WORD.findall(text.replace("_", " "))]


def shingles(text: str) -> set[str]:
    """The distinct word shingles (:data:`SHINGLE_WORDS` consecutive normalised words) of ``text``."""
    ws = words(text)
    if len(ws) < MIN_WORDS:
        return set()
    return {" ".join(ws[i : i + SHINGLE_WORDS]) for i in range(len(ws) - SHINGLE_WORDS + 1)}


def signature(text: str) -> Signature | None:
    """The MinHash signature of ``text``, or None when it has fewer than :data:`MIN_WORDS` words."""
    grams = shingles(text)
    if not grams:
        return None
    mh = MinHash(num_perm=NUM_PERM, seed=SEED)
    mh.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return Signature(tuple(int(v) for v in mh.hashvalues), len(grams))


def band_keys(sig: Signature) -> list[str]:
    """The :data:`BANDS` LSH keys of a signature (16 hex digits each; the band's number is part of the key)."""
    values = np.asarray(sig.hashvalues, dtype=">u4")
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(hashlib.blake2b(band.to_bytes(2, "big") + chunk, digest_size=8).hexdigest())
    return keys


def similarity(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets (0-1): the share of equal minimum hashes."""
    if len(a.hashvalues) != len(b.hashvalues) or not a.hashvalues:
        return 0.0
    equal = sum(1 for x, y in zip(a.hashvalues, b.hashvalues, strict=True) if x == y)
    return equal / len(a.hashvalues)


def similarities(sig: Signature, others_hex: list[str]) -> list[float]:
    """:func:`similarity` of ``sig`` with each stored signature (hex, as :meth:`Signature.to_hex`), at once."""
    if not others_hex:
        return []
    mine = np.asarray(sig.hashvalues, dtype=">u4")
    try:
        table = np.frombuffer(bytes.fromhex("".join(others_hex)), dtype=">u4").reshape(len(others_hex), -1)
    except ValueError:  # signatures of different lengths: compare one by one
        return [similarity(sig, Signature.from_hex(h)) for h in others_hex]
    if table.shape[1] != mine.shape[0]:
        return [0.0] * len(others_hex)
    return [float(v) for v in (table == mine).mean(axis=1)]
