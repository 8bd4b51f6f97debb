"""Helpers for the browser journeys (tests/test_browser.py): finding Debian's Chromium, launching it through
Playwright (no browser download: ``executable_path`` points at the system's Chromium), watching a page for
console errors, Content-Security-Policy violations and failed requests, the axe-core accessibility check and
the screenshot folder.

Playwright rather than Selenium: one PyPI package (its driver ships inside the wheel) drives the system Chromium
with no matching chromedriver to install, waits for navigations by itself, and reports console messages, failed
requests and downloads as events, which is what these tests check.

axe-core is vendored (``tests/vendor/axe-core/axe.min.js``, MPL-2.0, its licence header kept in the file and
``LICENSE`` beside it), so the check needs no network at test time.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

#: When this run began (conftest imports this module first): older screenshots are not announced.
STARTED = time.time()
REPO_ROOT = Path(__file__).resolve().parent.parent
AXE_PATH = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: What a phone shows (an iPhone 12-15 in CSS pixels) and an ordinary desktop window.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
#: Flags for a headless Chromium on a machine with no network but the loopback (see scripts/ensure-system-deps.sh).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
#: axe-core impacts that fail a journey.
FAILING_IMPACTS = ("serious", "critical")
#: Reported to the test by the page itself (an init script runs before any of the page's own content).
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__reportCsp(JSON.stringify({directive: e.violatedDirective, blocked: e.blockedURI,
                                     source: e.sourceFile, line: e.lineNumber, sample: e.sample}));
});
"""


def find_chromium() -> str | None:
    """The Chromium to drive: ``$CHROMIUM`` when set, else the first of the usual names on the PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot_dir() -> Path:
    """Where screenshots go: ``$REPOSITORY_SCREENSHOTS``, else ``build/screenshots`` in the project root."""
    configured = os.environ.get("REPOSITORY_SCREENSHOTS")
    folder = Path(configured) if configured else REPO_ROOT / "build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Name the screenshot folder once at the end of a run that took browser screenshots (imported by conftest)."""
    configured = os.environ.get("REPOSITORY_SCREENSHOTS")
    folder = Path(configured) if configured else REPO_ROOT / "build" / "screenshots"
    marker = folder / ".last-run"
    if marker.is_file() and marker.stat().st_mtime >= STARTED:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"browser screenshots ({count} files): {folder}")


@dataclass
class Watch:
    """Everything a page reported that fails a journey: console errors, uncaught exceptions, CSP violations,
    answers of 400 or more and requests that failed, on the server under test."""

    base: str
    problems: list[str] = field(default_factory=list)
    allowed: set[tuple[str, int]] = field(default_factory=set)
    aborted_ok: set[str] = field(default_factory=set)

    def attach(self, page) -> None:
        """Listen to ``page``."""
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught exception: {exc}"))
        page.on("response", self._response)
        page.on("requestfailed", self._failed)

    def _console(self, msg) -> None:
        if msg.type in ("error", "assert"):
            if msg.text.startswith("Failed to load resource") and self._own(msg.location.get("url", "")):
                return  # the answer itself is judged by _response (which knows the statuses a journey expects)
            self.problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url', '')})")

    def _own(self, url: str) -> bool:
        return url.startswith(self.base)

    def _path(self, url: str) -> str:
        return urllib.parse.urlsplit(url).path

    def _response(self, response) -> None:
        if self._own(response.url) and response.status >= 400:
            if (self._path(response.url), response.status) not in self.allowed:
                self.problems.append(f"{response.status} {response.request.method} {response.url}")

    def _failed(self, request) -> None:
        if self._own(request.url) and self._path(request.url) not in self.aborted_ok:
            self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def csp(self, source, report: str) -> None:
        """The page's ``securitypolicyviolation`` listener (exposed as ``window.__reportCsp``)."""
        self.problems.append(f"CSP violation: {report}")

    @contextmanager
    def expect_status(self, path: str, status: int):
        """Within this block an answer ``status`` for ``path`` is what the journey expects (a refused form)."""
        self.allowed.add((path, status))
        try:
            yield
        finally:
            self.allowed.discard((path, status))

    def check(self) -> None:
        """Fail with everything reported so far."""
        assert not self.problems, "the browser reported:\n" + "\n".join(self.problems)


def axe_source() -> str:
    """The vendored axe-core."""
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page, source: str) -> list[dict[str, Any]]:
    """Run axe-core in ``page`` (evaluated through the DevTools protocol, so the page's ``script-src 'none'``
    stays in force for the page itself) and return its serious and critical violations."""
    page.evaluate(source)
    result = page.evaluate("async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))")
    violations = json.loads(result)["violations"]
    return [v for v in violations if v.get("impact") in FAILING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation and up to three of its elements."""
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:3])
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}): {targets}")
    return "\n".join(lines)


def overflow(page, width: int) -> int:
    """How many CSS pixels the page is wider than a window ``width`` wide (0 or less when it fits). Measured
    against the size asked for: a phone's browser zooms out to show a wide page, which widens its window too."""
    return int(page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")) - width


WIDE_ELEMENTS = """(width) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 || r.left < -1) {
      if (el.parentElement && out.includes(el.parentElement.__desc)) continue;
      const cls = typeof el.className === 'string' ? el.className.trim().replace(/ +/g, '.') : '';
      const desc = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (cls ? '.' + cls : '');
      el.__desc = desc;
      out.push(desc);
    }
  }
  return out.slice(0, 8);
}"""


def wide_elements(page, width: int) -> list[str]:
    """The first elements that reach past a window ``width`` wide (to name in a failure)."""
    return page.evaluate(WIDE_ELEMENTS, width)
