"""The attendance chart as a PNG, drawn in pure Python (zlib + struct, a 5x7 bitmap font).

One row per group (per facilitator for coordinators), one bar per month over the last six
months, the percentage printed under each bar and the bar coloured by how good it is. Big
letters and few words, so it reads on a cheap phone. No plotting library is needed."""

from __future__ import annotations

import struct
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from content.texts import catalogue, normalise_language
from storage.reports import ChartData, Series
from storage.roles import Role

WIDTH = 1080
ROWS_PER_IMAGE = 20
MARGIN = 24
LABEL_WIDTH = 372
ROW_HEIGHT = 100
BAR_MAX = 50
HEADER = 176
FOOTER = 96

WHITE = (255, 255, 255)
INK = (33, 33, 33)
FAINT = (224, 224, 224)
GREY = (158, 158, 158)
GOOD = (46, 125, 50)  # >= 75 %
FAIR = (239, 140, 0)  # 50-74 %
POOR = (198, 40, 40)  # < 50 %
Colour = tuple[int, int, int]

# 5x7 glyphs, one integer per row, the high bit (16) on the left.
_GLYPHS: dict[str, tuple[int, ...]] = {
    "A": (14, 17, 17, 31, 17, 17, 17),
    "B": (30, 17, 17, 30, 17, 17, 30),
    "C": (14, 17, 16, 16, 16, 17, 14),
    "D": (28, 18, 17, 17, 17, 18, 28),
    "E": (31, 16, 16, 30, 16, 16, 31),
    "F": (31, 16, 16, 30, 16, 16, 16),
    "G": (14, 17, 16, 23, 17, 17, 15),
    "H": (17, 17, 17, 31, 17, 17, 17),
    "I": (14, 4, 4, 4, 4, 4, 14),
    "J": (7, 2, 2, 2, 2, 18, 12),
    "K": (17, 18, 20, 24, 20, 18, 17),
    "L": (16, 16, 16, 16, 16, 16, 31),
    "M": (17, 27, 21, 21, 17, 17, 17),
    "N": (17, 17, 25, 21, 19, 17, 17),
    "O": (14, 17, 17, 17, 17, 17, 14),
    "P": (30, 17, 17, 30, 16, 16, 16),
    "Q": (14, 17, 17, 17, 21, 18, 13),
    "R": (30, 17, 17, 30, 20, 18, 17),
    "S": (15, 16, 16, 14, 1, 1, 30),
    "T": (31, 4, 4, 4, 4, 4, 4),
    "U": (17, 17, 17, 17, 17, 17, 14),
    "V": (17, 17, 17, 17, 17, 10, 4),
    "W": (17, 17, 17, 21, 21, 21, 10),
    "X": (17, 17, 10, 4, 10, 17, 17),
    "Y": (17, 17, 17, 10, 4, 4, 4),
    "Z": (31, 1, 2, 4, 8, 16, 31),
    "0": (14, 17, 19, 21, 25, 17, 14),
    "1": (4, 12, 4, 4, 4, 4, 14),
    "2": (14, 17, 1, 2, 4, 8, 31),
    "3": (31, 2, 4, 2, 1, 17, 14),
    "4": (2, 6, 10, 18, 31, 2, 2),
    "5": (31, 16, 30, 1, 1, 17, 14),
    "6": (6, 8, 16, 30, 17, 17, 14),
    "7": (31, 1, 2, 4, 8, 8, 8),
    "8": (14, 17, 17, 14, 17, 17, 14),
    "9": (14, 17, 17, 15, 1, 2, 12),
    " ": (0, 0, 0, 0, 0, 0, 0),
    "%": (24, 25, 2, 4, 8, 19, 3),
    "-": (0, 0, 0, 31, 0, 0, 0),
    ".": (0, 0, 0, 0, 0, 12, 12),
    ",": (0, 0, 0, 0, 12, 4, 8),
    ":": (0, 12, 12, 0, 12, 12, 0),
    "/": (0, 1, 2, 4, 8, 16, 0),
    "(": (2, 4, 8, 8, 8, 4, 2),
    ")": (8, 4, 2, 2, 2, 4, 8),
    "?": (14, 17, 1, 2, 4, 0, 4),
    "!": (4, 4, 4, 4, 4, 0, 4),
    "<": (2, 4, 8, 16, 8, 4, 2),
    ">": (8, 4, 2, 1, 2, 4, 8),
    "=": (0, 0, 31, 0, 31, 0, 0),
    "+": (0, 4, 4, 31, 4, 4, 0),
    "&": (12, 18, 20, 8, 21, 18, 13),
    "'": (12, 4, 8, 0, 0, 0, 0),
    '"': (10, 10, 10, 0, 0, 0, 0),
    "_": (0, 0, 0, 0, 0, 0, 31),
    "#": (10, 10, 31, 10, 31, 10, 10),
}


def printable(text: str) -> str:
    """Upper-case ASCII the font can draw: accents dropped, anything else a question mark."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().upper()
    return "".join(ch if ch in _GLYPHS else "?" for ch in " ".join(flat.split()))


class Canvas:
    def __init__(self, width: int, height: int, background: Colour = WHITE) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, colour: Colour) -> None:
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w), min(self.height, y + h)
        if x0 >= x1 or y0 >= y1:
            return
        run = bytes(colour) * (x1 - x0)
        for row in range(y0, y1):
            start = (row * self.width + x0) * 3
            self.pixels[start : start + len(run)] = run

    def text(self, x: int, y: int, text: str, scale: int, colour: Colour = INK) -> int:
        """Draw `text` with its top left at (x, y); returns the x after the last letter."""
        for ch in printable(text):
            rows = _GLYPHS[ch]
            for dy, bits in enumerate(rows):
                for dx in range(5):
                    if bits & (16 >> dx):
                        self.rect(x + dx * scale, y + dy * scale, scale, scale, colour)
            x += advance(scale)
        return x

    def png(self) -> bytes:
        raw = bytearray()
        stride = self.width * 3
        for row in range(self.height):
            raw.append(0)  # filter: none
            raw += self.pixels[row * stride : (row + 1) * stride]
        return _png(self.width, self.height, bytes(raw))


def advance(scale: int) -> int:
    return 6 * scale


def text_width(text: str, scale: int) -> int:
    return len(printable(text)) * advance(scale) - scale


def fit(text: str, scale: int, width: int) -> str:
    letters = printable(text)
    most = max(1, (width + scale) // advance(scale))
    return letters if len(letters) <= most else letters[: most - 1] + "."


def wrap(text: str, scale: int, width: int, lines: int) -> list[str]:
    """Words on up to `lines` lines of `width` pixels; a dot marks where it was cut."""
    most = max(2, (width + scale) // advance(scale))
    result: list[str] = []
    current = ""
    for word in printable(text).split(" "):
        while len(word) > most:
            if current:
                result.append(current)
                current = ""
            result.append(word[:most])
            word = word[most:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= most:
            current = candidate
        else:
            result.append(current)
            current = word
    if current:
        result.append(current)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1][: most - 1] + "."
    return result or ["?"]


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _png(width: int, height: int, raw: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 6))
        + _chunk(b"IEND", b"")
    )


def colour_of(value: int) -> Colour:
    if value >= 75:
        return GOOD
    return FAIR if value >= 50 else POOR


@dataclass(frozen=True)
class Words:
    title: str
    subtitle: str
    months: tuple[str, ...]
    no_data: str
    legend: tuple[str, str, str]


def words(data: ChartData, lang: str) -> Words:
    texts = catalogue(normalise_language(lang))
    names = texts["reports.months"].split()
    first, last = data.months[0], data.months[-1]
    title_key = (
        "reports.chart_title_facilitators"
        if data.audience is Role.COORDINATOR
        else "reports.chart_title_groups"
    )
    return Words(
        title=texts[title_key],
        subtitle=f"{names[first % 100 - 1]} {first // 100} - {names[last % 100 - 1]} {last // 100}",
        months=tuple(names[month % 100 - 1][:3] for month in data.months),
        no_data=texts["reports.chart_no_data"],
        legend=(
            texts["reports.chart_good"],
            texts["reports.chart_fair"],
            texts["reports.chart_poor"],
        ),
    )


def _draw(series: Sequence[Series], w: Words, page: str) -> bytes:
    height = HEADER + ROW_HEIGHT * max(1, len(series)) + FOOTER
    canvas = Canvas(WIDTH, height)
    columns = len(w.months)
    column_width = (WIDTH - LABEL_WIDTH - MARGIN) // columns
    canvas.text(MARGIN, MARGIN, fit(w.title, 4, WIDTH - 2 * MARGIN), 4)
    canvas.text(MARGIN, MARGIN + 44, fit(w.subtitle + page, 3, WIDTH - 2 * MARGIN), 3, GREY)
    top = HEADER - 48
    for index, name in enumerate(w.months):
        centre = LABEL_WIDTH + index * column_width + column_width // 2
        canvas.text(centre - text_width(name, 3) // 2, top, name, 3)
    canvas.rect(MARGIN, HEADER - 8, WIDTH - 2 * MARGIN, 3, INK)
    for row, line in enumerate(series):
        y = HEADER + row * ROW_HEIGHT
        if row % 2:
            canvas.rect(0, y, WIDTH, ROW_HEIGHT, (245, 245, 245))
        name_lines = wrap(line.label, 3, LABEL_WIDTH - MARGIN - 12, 2)
        first_y = y + (ROW_HEIGHT - (len(name_lines) * 30 - 9)) // 2
        for index, text in enumerate(name_lines):
            canvas.text(MARGIN, first_y + index * 30, text, 3)
        for index, (_, value) in enumerate(line.points):
            left = LABEL_WIDTH + index * column_width
            bar_left, bar_width = left + column_width // 2 - 22, 44
            baseline = y + 10 + BAR_MAX
            canvas.rect(bar_left - 4, baseline, bar_width + 8, 2, FAINT)
            if value is None:
                dash = left + column_width // 2 - text_width("-", 3) // 2
                canvas.text(dash, baseline + 8, "-", 3, GREY)
                continue
            bar = max(3, round(BAR_MAX * min(value, 100) / 100))
            canvas.rect(bar_left, baseline - bar, bar_width, bar, colour_of(value))
            figure = str(value)
            canvas.text(
                left + column_width // 2 - text_width(figure, 3) // 2, baseline + 8, figure, 3
            )
    y = HEADER + ROW_HEIGHT * max(1, len(series)) + 24
    x = MARGIN
    for colour, text in zip((GOOD, FAIR, POOR), w.legend, strict=True):
        canvas.rect(x, y, 24, 24, colour)
        x = canvas.text(x + 32, y + 3, text, 3) + 30
    canvas.text(x, y + 3, "- " + w.no_data, 3, GREY)
    return canvas.png()


def render_chart(data: ChartData, lang: str) -> list[bytes]:
    """The chart as PNG images, at most ROWS_PER_IMAGE rows each."""
    w = words(data, lang)
    pages = [
        data.series[start : start + ROWS_PER_IMAGE]
        for start in range(0, max(1, len(data.series)), ROWS_PER_IMAGE)
    ]
    return [
        _draw(page, w, f" ({number}/{len(pages)})" if len(pages) > 1 else "")
        for number, page in enumerate(pages, start=1)
    ]
