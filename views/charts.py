"""The attendance chart as PNG images, drawn with matplotlib (Agg, no display).

One row per group (per facilitator for coordinators) and one column per month: a bar as tall
as the month's attendance rate, the rate above it and "present/roster" under it, so the
numbers can be read out at a coordination meeting. A month without a roll call has no bar
and a dash: missing, not 0%. Names are drawn as written, in DejaVu Sans (shipped with
matplotlib), 1080 px wide so a phone shows it at full width. Colours are from the Okabe-Ito
palette, told apart by colour-blind readers, and every bar carries its number as well."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal

from content.texts import catalogue, normalise_language
from storage.reports import ChartData, Point, Series
from storage.roles import Role

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase

DPI = 100
WIDTH = 1080
ROWS_PER_IMAGE = 15  # a facilitator's 5 to 15 groups fit one image
ROW = 124
HEADER = 178
FOOTER = 112
MARGIN = 28
LABEL_WIDTH = 300
BAR_MAX = 62
BAR_WIDTH = 50
FONT = "DejaVu Sans"

# Okabe & Ito (2008), "Color Universal Design": blue, orange and vermillion stay distinct
# for the common forms of colour blindness; the labels carry the numbers as well.
GOOD = "#0072B2"  # 75% and above
FAIR = "#E69F00"  # 50 to 74%
POOR = "#D55E00"  # below 50%
INK = "#1A1A1A"
MUTED = "#5F6368"
RULE = "#BDBDBD"
STRIPE = "#F4F6F8"

# matplotlib's font and text machinery is shared state; one drawing at a time.
_LOCK = threading.Lock()


def colour_of(value: int) -> str:
    if value >= 75:
        return GOOD
    return FAIR if value >= 50 else POOR


@dataclass(frozen=True)
class Words:
    title: str
    subtitle: str
    months: tuple[str, ...]
    years: tuple[str, ...]  # under the month name where the year starts or changes
    legend: tuple[str, str, str]
    missing: str
    counts: str
    page: str


def _locale(lang: str) -> str:
    return "en" if normalise_language(lang) == "en" else "id"


def _first_day(month: int) -> date:
    return date(month // 100, month % 100, 1)


def words(data: ChartData, lang: str) -> Words:
    texts = catalogue(normalise_language(lang))
    locale = _locale(lang)
    names = get_month_names("abbreviated", context="stand-alone", locale=locale)
    first, last = data.months[0], data.months[-1]
    years = tuple(
        str(month // 100) if index == 0 or month % 100 == 1 else ""
        for index, month in enumerate(data.months)
    )
    if data.by is not None:  # a coordinator's chart by area
        title_key = f"charts.title_{data.by}"
    elif data.audience is Role.COORDINATOR:
        title_key = "charts.title_facilitators"
    else:
        title_key = "charts.title_groups"
    return Words(
        title=texts[title_key],
        subtitle=texts["charts.subtitle"].format(
            # "Juli – Desember 2026", the year once unless the months span two.
            first=format_date(
                _first_day(first),
                "LLLL" if first // 100 == last // 100 else "LLLL yyyy",
                locale=locale,
            ),
            last=format_date(_first_day(last), "LLLL yyyy", locale=locale),
        ),
        months=tuple(str(names[month % 100]) for month in data.months),
        years=years,
        legend=(texts["charts.good"], texts["charts.fair"], texts["charts.poor"]),
        missing=texts["charts.missing"],
        counts=texts["charts.counts"],
        page=texts["charts.page"],
    )


@lru_cache(maxsize=1)
def _drawable() -> frozenset[int]:
    """The characters DejaVu Sans has glyphs for; others become a replacement mark."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(font_manager.findfont(FONT)).get_charmap())


def drawable(text: str) -> str:
    """The name as written, with characters the font lacks (emoji) shown as "□"."""
    known = _drawable()
    flat = " ".join(text.split())
    return "".join(ch if ord(ch) in known else "□" for ch in flat)


def _number(value: int, lang: str) -> str:
    return format_decimal(value, locale=_locale(lang))


class _Painter:
    """Text and boxes in pixel coordinates (x right, y down) on one full-figure Axes."""

    def __init__(self, height: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.height = height
        self.figure = Figure(figsize=(WIDTH / DPI, height / DPI), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes: Axes = self.figure.add_axes((0, 0, 1, 1))
        self.axes.set_xlim(0, WIDTH)
        self.axes.set_ylim(height, 0)
        self.axes.set_axis_off()
        self.renderer: RendererBase = self.canvas.get_renderer()  # type: ignore[no-untyped-call]

    def text(self, x: float, y: float, text: str, size: float, **style: Any) -> None:
        # parse_math=False: a name with two "$" signs must not turn into a formula.
        self.axes.text(x, y, text, fontsize=size, family=FONT, parse_math=False, **style)

    def box(self, x: float, y: float, w: float, h: float, colour: str) -> None:
        from matplotlib.patches import Rectangle

        self.axes.add_patch(Rectangle((x, y), w, h, facecolor=colour, edgecolor="none"))

    def line(self, x0: float, x1: float, y: float, colour: str, width: float, **style: Any) -> None:
        self.axes.plot([x0, x1], [y, y], color=colour, linewidth=width, **style)

    def width_of(self, text: str, size: float, weight: str = "normal") -> float:
        from matplotlib.font_manager import FontProperties

        props = FontProperties(family=FONT, size=size, weight=weight)
        width, _, _ = self.renderer.get_text_width_height_descent(text, props, ismath=False)
        return float(width)

    def png(self) -> bytes:
        out = io.BytesIO()
        self.figure.savefig(out, format="png", dpi=DPI)
        return out.getvalue()


def fit_lines(painter: _Painter, text: str, size: float, width: float, most: int) -> list[str]:
    """Words on up to `most` lines no wider than `width`; an ellipsis where it was cut."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if painter.width_of(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while painter.width_of(current, size) > width and len(current) > 1:
            cut = len(current)
            while cut > 1 and painter.width_of(current[:cut], size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        while last and painter.width_of(last + "…", size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines or ["?"]


def _header(p: _Painter, w: Words, page: str, columns: int, column_width: float) -> None:
    p.text(MARGIN, 22, w.title, 24, weight="bold", color=INK, va="top")
    p.text(MARGIN, 70, w.subtitle + page, 14, color=MUTED, va="top")
    for index, name in enumerate(w.months):
        centre = LABEL_WIDTH + index * column_width + column_width / 2
        p.text(centre, 128, name, 15, weight="bold", color=INK, ha="center", va="baseline")
        if w.years[index]:
            p.text(centre, 150, w.years[index], 11, color=MUTED, ha="center", va="baseline")
    p.line(MARGIN, WIDTH - MARGIN, HEADER - 10, INK, 1.5)


def _cell(
    p: _Painter, point: Point, left: float, column_width: float, top: float, lang: str
) -> None:
    centre = left + column_width / 2
    baseline = top + 92
    p.line(centre - BAR_WIDTH / 2 - 6, centre + BAR_WIDTH / 2 + 6, baseline, RULE, 1)
    value = point.rate
    if value is None:
        p.text(centre, baseline - 8, "–", 20, color=MUTED, ha="center", va="baseline")
        return
    height = max(2.0, BAR_MAX * min(value, 100) / 100)
    p.box(centre - BAR_WIDTH / 2, baseline - height, BAR_WIDTH, height, colour_of(value))
    p.text(
        centre,
        baseline - height - 5,
        f"{value}%",
        16,
        weight="bold",
        color=INK,
        ha="center",
        va="baseline",
    )
    counts = f"{_number(point.hadir, lang)}/{_number(point.roster, lang)}"
    size = 11.5
    # A district's counts run to five digits: shrink them rather than let columns collide.
    size *= min(1.0, (column_width - 10) / max(1.0, p.width_of(counts, size)))
    p.text(centre, baseline + 5, counts, size, color=MUTED, ha="center", va="top")


def _footer(p: _Painter, w: Words, top: float) -> None:
    x: float = MARGIN
    for colour, text in zip((GOOD, FAIR, POOR), w.legend, strict=True):
        p.box(x, top, 24, 24, colour)
        p.text(x + 32, top + 12, text, 14, color=INK, va="center")
        x += 32 + p.width_of(text, 14) + 30
    p.text(MARGIN, top + 56, w.missing + "  ·  " + w.counts, 13, color=MUTED, va="center")


def _draw(series: Sequence[Series], w: Words, page: str, lang: str) -> bytes:
    rows = max(1, len(series))
    height = HEADER + ROW * rows + FOOTER
    p = _Painter(height)
    columns = len(w.months)
    column_width = (WIDTH - LABEL_WIDTH - MARGIN) / columns
    _header(p, w, page, columns, column_width)
    for row, line in enumerate(series):
        top = HEADER + row * ROW
        if row % 2:
            p.box(0, top, WIDTH, ROW, STRIPE)
        names = fit_lines(p, drawable(line.label), 15, LABEL_WIDTH - MARGIN - 16, 2)
        middle = top + ROW / 2 + 6
        first = middle - (len(names) - 1) * 12
        for index, name in enumerate(names):
            p.text(MARGIN, first + index * 24, name, 15, color=INK, va="center")
        for index, point in enumerate(line.points):
            _cell(p, point, LABEL_WIDTH + index * column_width, column_width, top, lang)
    _footer(p, w, HEADER + ROW * rows + 26)
    return p.png()


def render_chart(data: ChartData, lang: str) -> list[bytes]:
    """The chart as PNG images of at most ROWS_PER_IMAGE rows each."""
    w = words(data, lang)
    # A line without a name is the groups not placed in an area (storage/reports/rollup.py).
    unplaced = catalogue(normalise_language(lang))["charts.unplaced"]
    series = tuple(s if s.label else replace(s, label=unplaced) for s in data.series)
    pages = [
        series[start : start + ROWS_PER_IMAGE]
        for start in range(0, max(1, len(series)), ROWS_PER_IMAGE)
    ]
    images = []
    with _LOCK:
        for number, page in enumerate(pages, start=1):
            label = w.page.format(number=number, total=len(pages)) if len(pages) > 1 else ""
            images.append(_draw(page, w, label, lang))
    return images
