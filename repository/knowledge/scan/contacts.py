"""Phone numbers and e-mail addresses (``phone``, ``email``)."""

from __future__ import annotations

import re

from repository.knowledge.scan.common import DOT
from repository.knowledge.scan.common import Hit
from repository.knowledge.scan.common import _Doc
from repository.knowledge.scan.common import _mask_national
from repository.knowledge.scan.common import prepare
from repository.knowledge.scan.lists import pattern
from repository.knowledge.scan.lists import words

# Country codes of one and two digits (E.164 is prefix-free; everything else has three digits).
_CC1 = {"1", "7"}
_CC2 = set(words("calling_codes_2"))

# A "+" may also follow the country code: right-to-left extraction of Arabic PDFs gives "218+ 91 000 0123".
# A span stops at a tab (a cell border). Before it: no Latin letter or digit (an Arabic letter is a glued
# conjunction or preposition, "و٠٩١..."), no "+./%", and after "digit," no thousands group (three digits, then
# no digit or dash: 1,234,567); anything else after a comma is a CSV cell ("31,0910000000", "28,091-000-0000").
_PHONE_SPAN = re.compile(
    r"(?<![^\W\u0600-\u06FF])(?<![+./%])(?:(?<!\d,)|(?!\d{3}(?![\d-])))(?:\+[ ]?|\(\+?)?\d[\d ().\-+]{5,30}\d(?![\w%])"
)
_PHONE_LABEL = re.compile(pattern("phone_label"), re.IGNORECASE)


def _country_code(digits: str) -> str:
    if digits[:1] in _CC1:
        return digits[:1]
    if digits[:2] in _CC2:
        return digits[:2]
    return digits[:3]


def _phone_candidates(groups: list[str], intl: bool, labelled: bool) -> int | None:
    """Number of leading groups that make a valid phone, or None."""
    best = None
    total = 0
    digits = ""
    for i, g in enumerate(groups):
        digits += g
        total = len(digits)
        if intl:
            if digits.startswith("218"):
                ok = total == 12
                limit = 12
            elif digits.startswith("964"):
                ok = total in (11, 12, 13)
                limit = 13
            else:
                ok = 8 <= total <= 15
                limit = 15
        elif digits.startswith("09"):
            ok, limit = total == 10, 10
        elif digits.startswith("07"):
            ok, limit = total == 11, 11
        elif labelled:
            ok, limit = 7 <= total <= 15, 15
        else:
            return None
        if ok:
            best = i + 1
        if total >= limit:
            break
    return best


def _phone_example(key: str) -> str:
    if key.startswith("+"):
        digits = key[1:]
        cc = _country_code(digits)
        national = digits[len(cc) :]
        if len(national) < 4:
            return "+" + cc + " " + DOT * len(national)
        sizes = (2, 3, 4) if cc == "218" else (3, 3, 4) if cc == "964" else (3, 3, 3, 3)
        return f"+{cc} {_mask_national(national, sizes)}"
    national = key.lstrip("0")
    zeros = key[: len(key) - len(national)]
    if len(national) < 4:
        return DOT * len(key)
    sizes = (2, 3, 4) if len(national) == 9 else (3, 3, 4)
    return zeros + _mask_national(national, sizes)


def canonical_phone(value: str) -> str:
    """Canonical form of a phone number: ``+`` and country code when known, else the local digits."""
    value = prepare(value)
    digits = re.sub(r"\D", "", value.replace("(0)", ""))
    stripped = value.strip().lstrip("(")
    if stripped.startswith("+"):
        return "+" + digits
    if digits.startswith("00"):
        return "+" + digits[2:]
    if (len(digits) == 12 and digits.startswith("2189")) or (len(digits) == 13 and digits.startswith("9647")):
        return "+" + digits
    if len(digits) == 10 and digits.startswith("09"):
        return "+218" + digits[1:]
    if len(digits) == 11 and digits.startswith("07"):
        return "+964" + digits[1:]
    return digits


_SERVICE_NUMBER = re.compile(pattern("service_number"), re.IGNORECASE)


def _find_phones(doc: _Doc, phone_cells: dict[int, list[tuple[int, int]]]) -> list[Hit]:
    hits: list[Hit] = []
    for m in _PHONE_SPAN.finditer(doc.text):
        span = m.group()
        base = m.start()
        line = doc.line_of(base)
        line_start = doc.starts[line]
        line_end = line_start + len(doc.lines[line])
        if _SERVICE_NUMBER.search(doc.text[max(line_start, base - 40) : min(line_end, m.end() + 25)]):
            continue  # a service's hotline or switchboard, not a person's number
        before = doc.text[max(line_start, base - 30) : base]
        in_cell = any(a <= base - line_start < b for a, b in phone_cells.get(line, ()))
        labelled = bool(_PHONE_LABEL.search(before)) or in_cell
        groups = [(g.start(), g.group()) for g in re.finditer(r"\d+", span.replace("(0)", "( )"))]
        i = 0
        while i < len(groups):
            first = groups[i][1]
            after_first = span[groups[0][0] + len(groups[0][1]) :][:1]
            intl = i == 0 and ("+" in span[: groups[0][0]] or (after_first == "+" and len(groups[0][1]) <= 3))
            if i > 0 and span[groups[i - 1][0] + len(groups[i - 1][1]) : groups[i][0]].rstrip(" (").endswith("+"):
                intl = True  # "+" in the middle of a span: a new international number starts here
            seq = [(k, g) for k, (_, g) in enumerate(groups) if k >= i]
            if not intl and first.startswith("00"):
                intl = True
                seq = seq[1:] if first == "00" else [(i, first[2:]), *seq[1:]]
            if not seq or (not intl and len(first) < 3 and not (labelled and i == 0)):
                i += 1
                continue
            n = _phone_candidates([g for _, g in seq], intl, labelled and i == 0)
            if n is None:
                i += 1
                continue
            last = seq[n - 1][0]
            end_off = groups[last][0] + len(groups[last][1])
            start_off = 0 if i == 0 else groups[i][0]
            raw = span[start_off:end_off]
            key = "+" + "".join(g for _, g in seq[:n]) if intl else canonical_phone(raw)
            hits.append(Hit("phone", raw.strip(), key, line, _phone_example(key), (base + start_off, base + end_off)))
            i = last + 1
    return hits


# ==============================================================================================================
# E-mail
# ==============================================================================================================

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_GENERIC_MAILBOX = set(words("generic_mailbox"))


def _email_example(value: str) -> str:
    local, _, domain = value.partition("@")
    labels = domain.split(".")
    return f"{local[0]}{DOT * 3}@{labels[0][0]}{DOT * 3}.{labels[-1].lower()}"


def _find_emails(doc: _Doc) -> list[Hit]:
    hits = []
    for m in _EMAIL.finditer(doc.text):
        value = m.group()
        local = value.split("@", 1)[0].lower()
        words = [w for w in re.split(r"[._+-]+", local) if w]
        if words and all(w in _GENERIC_MAILBOX for w in words):
            continue
        hits.append(Hit("email", value, value.lower(), doc.line_of(m.start()), _email_example(value), m.span()))
    return hits
