"""Charts drawn on the server as inline SVG: data in, an SVG string out. Pure (no Flask, no request, no files).

Every piece of text is escaped; nothing refers outside the SVG (no fonts, images, scripts or links), and no
``style`` attribute is written (the page's Content-Security-Policy forbids inline styles): colours are presentation
attributes that the stylesheet's ``.chart`` rules may refine. A chart is laid out for one writing direction:
``rtl=True`` mirrors it (labels on the right, bars growing leftwards) and writes its text right-to-left, so it
reads naturally on an Arabic page; each label is its own ``<text>`` element, so a name in the other script keeps
its own order. A chart is a picture of a table the page shows next to it (the accessible equivalent): the SVG is
``role="img"`` with a ``<title>`` naming what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup
from markupsafe import escape

#: Width of the drawing (user units; the stylesheet scales it down on a narrow screen).
WIDTH = 380
#: Width of the label column of a bar chart.
LABEL_WIDTH = 162
#: Height of one bar's row, and of the bar itself.
ROW = 24
BAR = 15
#: Room left after the longest bar for its value.
VALUE_ROOM = 40
#: Longest label drawn in full; longer ones are cut with an ellipsis (the full text is the row's tooltip).
MAX_LABEL = 21
#: Bar colour (presentation attribute; the stylesheet may override it).
BAR_FILL = "#2b6f9e"
TRACK_FILL = "#dfe7ee"
TEXT_FILL = "#1b1b1b"


def _num(value: float) -> str:
    """A coordinate, without trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _cut(label: str) -> str:
    """``label``, cut to :data:`MAX_LABEL` characters with an ellipsis."""
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "\u2026"


def _x(x: float, rtl: bool) -> float:
    """``x`` of a left-to-right layout, mirrored for a right-to-left one."""
    return WIDTH - x if rtl else x


def _svg(parts: str) -> Markup:
    """The finished drawing, safe to put in a page as it is: every text in it went through :func:`escape`."""
    # built only from escaped text and numbers, so marking it safe is right
    return Markup(parts)  # noqa: S704  # nosec B704


def _open(chart_id: str, title: str, height: float, rtl: bool, kind: str) -> str:
    """The opening ``<svg>`` element with its accessible title."""
    direction = "rtl" if rtl else "ltr"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" focusable="false" '
        f'aria-labelledby="{escape(chart_id)}-title" viewBox="0 0 {WIDTH} {_num(height)}" width="{WIDTH}" '
        f'height="{_num(height)}" direction="{direction}" font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
    )


def _text(x: float, y: float, text: str, anchor: str, rtl: bool, css: str) -> str:
    """One ``<text>`` element: ``anchor`` (``start``/``end``) is taken in the chart's direction."""
    direction = "rtl" if rtl else "ltr"
    return (
        f'<text class="{css}" x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" direction="{direction}" '
        f'fill="{TEXT_FILL}">{escape(text)}</text>'
    )


def bar_chart(
    bars: Sequence[tuple[str, int]],
    *,
    title: str,
    chart_id: str,
    rtl: bool = False,
    empty: str = "No documents",
) -> Markup:
    """A horizontal bar chart of ``bars`` (label, count), in the order given: a label column, then a bar whose
    length is the count relative to the largest, then the count. Negative counts are drawn as zero."""
    if not bars:
        height = ROW + 8
        return _svg(
            _open(chart_id, title, height, rtl, "bars")
            + _text(_x(8, rtl), ROW / 2 + 8, empty, "start", rtl, "chart-empty")
            + "</svg>"
        )
    largest = max(max(value, 0) for _label, value in bars) or 1
    start = LABEL_WIDTH + 8
    room = WIDTH - start - VALUE_ROOM
    height = len(bars) * ROW + 8
    parts = [_open(chart_id, title, height, rtl, "bars")]
    for i, (label, value) in enumerate(bars):
        top = 4 + i * ROW
        middle = top + ROW / 2 + 4  # the text's baseline, about centred on the bar
        length = room * max(value, 0) / largest
        left = _x(start + length, rtl) if rtl else start
        parts.append(f"<g><title>{escape(label)}: {escape(str(value))}</title>")
        parts.append(_text(_x(LABEL_WIDTH, rtl), middle, _cut(label), "end", rtl, "chart-label"))
        parts.append(
            f'<rect class="chart-bar" x="{_num(left)}" y="{_num(top + (ROW - BAR) / 2)}" width="{_num(length)}" '
            f'height="{BAR}" fill="{BAR_FILL}"/>'
        )
        parts.append(_text(_x(start + length + 5, rtl), middle, str(value), "start", rtl, "chart-value"))
        parts.append("</g>")
    parts.append("</svg>")
    return _svg("".join(parts))


def share_chart(part: int, whole: int, *, title: str, chart_id: str, caption: str = "", rtl: bool = False) -> Markup:
    """A single bar showing ``part`` of ``whole`` (a full track, filled in proportion), with ``caption`` (e.g.
    "12 of 20 (60%)") written under it when given (a page that says it in its own text leaves it out). An empty
    whole draws an empty track."""
    share = min(max(part, 0) / whole, 1.0) if whole > 0 else 0.0
    track = WIDTH - 16
    height = 48 if caption else 28
    filled = track * share
    left = _x(8 + filled, rtl) if rtl else 8
    return _svg(
        _open(chart_id, title, height, rtl, "share")
        + f'<rect class="chart-track" x="8" y="6" width="{_num(track)}" height="16" fill="{TRACK_FILL}"/>'
        + f'<rect class="chart-bar" x="{_num(left)}" y="6" width="{_num(filled)}" height="16" fill="{BAR_FILL}"/>'
        + (_text(_x(8, rtl), 40, caption, "start", rtl, "chart-caption") if caption else "")
        + "</svg>"
    )
