"""The Arabic and English interface of the pages (Flask-Babel): the language of a request, the message catalogues
(compiled from ``repository/translations/*/LC_MESSAGES/messages.po`` into the data folder at start), the template
helpers (``lang``, ``text_dir``, the language switch, localised dates) and the catalogue extractor of the protocol's
display strings (levels, risks, benefits, findings, the release gate), which live in :mod:`repository.protocol`.

The language comes from ``?lang=ar|en`` (remembered in a cookie), then the cookie, then ``Accept-Language``; with
none of them the pages are English. The JSON API stays English whatever the request says.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel import Locale
from babel import UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask import request
from flask_babel import Babel
from flask_babel import format_date
from flask_babel import format_decimal
from flask_babel import get_locale
from flask_babel import gettext
from markupsafe import Markup
from markupsafe import escape

from repository import protocol

log = logging.getLogger(__name__)

#: The interface languages, the first the default.
LANGUAGES: tuple[str, ...] = ("en", "ar")
#: Right-to-left languages among them.
RTL: frozenset[str] = frozenset({"ar"})
#: The cookie that remembers a language chosen with ``?lang=`` (a year).
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600
#: The name of each language in itself, for the switch.
NATIVE_NAMES = {"en": "English", "ar": "العربية"}
#: Where the catalogues' sources are.
SOURCE_DIR = Path(__file__).resolve().parent.parent / "translations"


def select_locale() -> str:
    """The language of this request: ``?lang=``, then the cookie, then ``Accept-Language``; English for the API."""
    if request.path.startswith("/api/"):
        return LANGUAGES[0]
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0]) or LANGUAGES[0]


def current_language() -> str:
    """The language code of the current request (``en`` outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else LANGUAGES[0]


def compile_catalogues(source: Path, target: Path) -> Path:
    """Compile every ``<lang>/LC_MESSAGES/messages.po`` under ``source`` into ``target`` (a ``.mo`` is rewritten
    only when missing or older than its ``.po``); return ``target``. Run at every start, so a fresh clone needs no
    build step."""
    for po_path in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        partial = mo_path.with_suffix(".mo.tmp")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        partial.replace(mo_path)
    return target


def day(value: dt.date | dt.datetime | None, empty: str = "—") -> str:
    """A date for the page: ISO in English (as before), the long localised form in Arabic (5 مارس 2024)."""
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = value.date()
    if current_language() == "en":
        return value.isoformat()
    return format_date(value, "long")


def number(value: int | float | None) -> str:
    """A count for the page: as before in English (``1234``), localised in Arabic (``1,234`` in Western digits,
    as in Libya)."""
    if value is None:
        return ""
    if current_language() == "en":
        return str(value)
    return format_decimal(value)


def moment(value: dt.datetime | None, empty: str = "—") -> Markup:
    """A date and time for the page (``YYYY-MM-DD HH:MM``), its date localised as :func:`day`, kept left to right."""
    if value is None:
        return escape(empty)
    if current_language() == "en":
        return escape(value.strftime("%Y-%m-%d %H:%M"))
    return Markup('<bdi>{}</bdi> <bdi dir="ltr">{}</bdi>').format(day(value), value.strftime("%H:%M"))


def isolate(value: Any) -> Markup:
    """``value`` (a name, an e-mail, a code, a file name, typed text: Latin or Arabic inside a sentence) in
    ``<bdi>`` on a right-to-left page; escaped but unchanged on an English page."""
    if current_language() not in RTL:
        return escape(value)
    return Markup("<bdi>{}</bdi>").format(value)


def language_name(code: str | None) -> str:
    """A document's language: its code in English (as before), its name in Arabic (``ar`` → العربية)."""
    if not code or current_language() == LANGUAGES[0]:
        return code or ""
    try:
        return Locale.parse(code).get_display_name(current_language()) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def switch_links() -> list[dict[str, Any]]:
    """The language switch: for each other language, the link ``?lang=<code>``. Query-only, so the browser keeps
    the page's path, and nothing of the request is echoed: a 404 of a hidden document reads exactly like the 404
    of an id that never existed, and a search page shows the words searched once (the chosen language is then
    remembered by the cookie)."""
    here = current_language()
    return [{"lang": lang, "name": NATIVE_NAMES[lang], "url": f"?lang={lang}"} for lang in LANGUAGES if lang != here]


def N_(text: str) -> str:  # noqa: N802 - the usual name of gettext's marker
    """Mark ``text`` for the catalogue (babel.cfg keyword ``N_``); it is translated where it is shown."""
    return text


#: Refusals the services and the protocol word with values in them (f-strings there), as catalogue templates:
#: a refusal that matches one is shown translated, its values kept (translated too when they are labels).
MESSAGE_PATTERNS: tuple[str, ...] = (
    N_("This document has no version %(number)s."),
    N_("Version %(number)s of this document is waiting for review."),
    N_("The level is below the minimum level (%(level)s) for this content."),
    N_("%(level)s is below the minimum level %(minimum)s."),
    N_("The %(action)s was refused."),
    N_("A document in state '%(state)s' cannot be %(done)s."),
    N_("Unknown taxonomy code: %(codes)s."),
    N_("%(field)s must be a date written YYYY-MM-DD."),
    N_("Unknown organisation: %(orgs)s."),
    N_("Unknown or inactive account: %(emails)s."),
    N_("The file is larger than %(size)s MB."),
    N_("Not found in this document: %(kinds)s."),
    N_("Unknown risk or benefit: %(values)s."),
    N_("Unknown finding kind in considered: %(kinds)s."),
    N_("These fields cannot be changed here: %(fields)s."),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"%\(([a-z_]+)\)s", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(f"^{regex}$", re.DOTALL)


def minimum_reason_templates() -> list[str]:
    """The reasons of the minimum-level rules (``protocol/release.py``), written with ``%(name)s`` placeholders."""
    from repository.protocol.release import MINIMUM_RULES

    return [re.sub(r"\{([a-z_]+)\}", r"%(\1)s", rule.reason) for rule in MINIMUM_RULES]


_PATTERNS = [(template, _pattern(template)) for template in (*MESSAGE_PATTERNS, *minimum_reason_templates())]


def translated(text: str | None) -> str:
    """``text`` in the request's language when the catalogue has it (a service's refusal, a protocol label), or
    when it matches one of :data:`MESSAGE_PATTERNS` (then with its values, each translated when it is a label)."""
    if not text:
        return text or ""
    if current_language() == LANGUAGES[0]:
        return text
    out = gettext(text)
    if out != text:
        return out
    for template, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return gettext(template, **{k: gettext(v) for k, v in match.groupdict().items()})
    return text


def label_of(item: Any) -> str:
    """A taxonomy facet's or code's label in the request's language (its English label when it has none)."""
    labels = getattr(item, "labels", None) or {}
    return labels.get(current_language()) or getattr(item, "label", "") or str(item)


def init_app(app: Flask) -> None:
    """Flask-Babel on the app: the catalogues compiled into the data folder, the locale selector, the cookie that
    remembers ``?lang=``, and the template helpers."""
    target = Path(app.config["DATA_DIR"]) / "translations"
    try:
        compile_catalogues(SOURCE_DIR, target)
    except OSError:
        log.exception("could not compile the message catalogues; the pages stay English")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LANGUAGES[0])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(target)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.after_request
    def _remember_language(response):
        asked = request.args.get("lang")
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked and not request.path.startswith("/api/"):
            response.set_cookie(COOKIE, asked, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
        return response

    @app.context_processor
    def _language_helpers():
        lang = current_language()
        return {
            "lang": lang,
            "text_dir": "rtl" if lang in RTL else "ltr",
            "language_links": switch_links,
        }

    app.jinja_env.globals["tr"] = translated
    app.jinja_env.globals["label_of"] = label_of
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["bdi"] = isolate
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["tr"] = translated


# --------------------------------------------------------------------------------------------------------------
# The catalogue's protocol strings (babel.cfg: ``[protocol: repository/protocol/vocabulary.py]``)
# --------------------------------------------------------------------------------------------------------------


def protocol_strings() -> list[str]:
    """Every display string of the protocol the pages show: roles, states, decisions, levels and their
    definitions, risks, benefits, the scan's kinds and the release gate's conditions and refusals."""
    from repository.protocol.discovery import REQUEST_STATES

    texts: list[str] = [*protocol.ROLES, *protocol.STATES, "release", "return", "withhold", *REQUEST_STATES]
    texts += ["active", "revoked", "expired", "Not released"]  # API token states; an unreleased document's level
    texts += [*protocol.AUDIT_ACTIONS, *minimum_reason_templates()]
    texts += [*protocol.LEVEL_LABELS.values(), *protocol.LEVEL_DEFINITIONS.values()]
    texts += [*protocol.RISKS.values(), *protocol.BENEFITS.values(), *protocol.DETECTED_LABELS.values()]
    for condition in protocol.RELEASE_GATE:
        texts += [condition.needs, condition.reason]
    return list(dict.fromkeys(texts))


def extract_protocol(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extractor: the protocol's display strings (the file's own text is not read)."""
    for lineno, text in enumerate(protocol_strings(), start=1):
        yield lineno, "gettext", text, []
