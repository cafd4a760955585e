"""The attendance chart: real PNGs of the expected size, bars where there is data, gaps where
there is none, rates rounded half up, names as written."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from storage.reports import ChartData, Point, Series, rate
from storage.roles import Role
from views import charts
from views.charts import FAIR, GOOD, POOR, ROWS_PER_IMAGE, WIDTH, drawable, render_chart, words

MONTHS = (202607, 202608, 202609, 202610, 202611, 202612)


def series(label: str, counts: list[tuple[int, int]]) -> Series:
    return Series(label, tuple(Point(m, h, r) for m, (h, r) in zip(MONTHS, counts, strict=True)))


def chart(*lines: Series, audience: Role = Role.FACILITATOR) -> ChartData:
    return ChartData(audience, MONTHS, lines)


def open_png(content: bytes) -> Image.Image:
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(content))
    image.verify()  # a truncated or corrupt file raises here
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG"
    return image.convert("RGB")


def expected_height(rows: int) -> int:
    return charts.HEADER + charts.ROW * rows + charts.FOOTER


def rgb(colour: str) -> tuple[int, int, int]:
    value = int(colour.removeprefix("#"), 16)
    return value >> 16, (value >> 8) & 255, value & 255


def colours_in_column(image: Image.Image, row: int, column: int) -> set[tuple[int, int, int]]:
    """The colours inside one month's cell of one row."""
    column_width = (WIDTH - charts.LABEL_WIDTH - charts.MARGIN) / len(MONTHS)
    left = int(charts.LABEL_WIDTH + column * column_width)
    top = charts.HEADER + row * charts.ROW
    box = image.crop((left, top, int(left + column_width), top + charts.ROW))
    return {colour for _, colour in box.getcolors(maxcolors=100_000) or []}


def test_half_is_rounded_up_as_people_and_spreadsheets_do() -> None:
    assert rate(5, 8) == 63  # 62.5
    assert rate(1, 8) == 13  # 12.5
    assert rate(3, 8) == 38  # 37.5
    assert rate(2, 3) == 67
    assert rate(1, 3) == 33
    assert rate(0, 8) == 0 and rate(8, 8) == 100
    assert rate(0, 0) is None


def test_one_image_of_the_expected_size_for_a_facilitator() -> None:
    data = chart(
        series("Mawar 1", [(20, 25), (22, 25), (5, 8), (0, 0), (18, 24), (25, 25)]),
        series("Melati", [(10, 28), (14, 28), (0, 0), (21, 28), (0, 28), (13, 26)]),
    )
    [png] = render_chart(data, "id")
    image = open_png(png)
    assert image.size == (WIDTH, expected_height(2))


def test_bars_in_band_colours_and_a_gap_for_a_month_without_a_roll_call() -> None:
    data = chart(series("Mawar 1", [(20, 25), (5, 8), (1, 8), (0, 0), (0, 28), (25, 25)]))
    image = open_png(render_chart(data, "id")[0])
    assert rgb(GOOD) in colours_in_column(image, 0, 0)  # 80%
    assert rgb(FAIR) in colours_in_column(image, 0, 1)  # 63%
    assert rgb(POOR) in colours_in_column(image, 0, 2)  # 13%
    missing = colours_in_column(image, 0, 3)
    assert not {rgb(GOOD), rgb(FAIR), rgb(POOR)} & missing  # no bar at all, not a 0% bar
    assert rgb(POOR) in colours_in_column(image, 0, 4)  # 0 of 28 present is a real 0%
    assert rgb(GOOD) in colours_in_column(image, 0, 5)


def test_many_rows_are_split_into_pages() -> None:
    lines = [series(f"Pendamping {n}", [(5, 10)] * 6) for n in range(ROWS_PER_IMAGE + 3)]
    pngs = render_chart(chart(*lines, audience=Role.COORDINATOR), "en")
    sizes = [open_png(png).size for png in pngs]
    assert sizes == [(WIDTH, expected_height(ROWS_PER_IMAGE)), (WIDTH, expected_height(3))]


def test_words_come_from_babel_and_the_catalogue() -> None:
    data = chart(series("Mawar", [(1, 2)] * 6))
    indonesian = words(data, "id")
    assert indonesian.months == ("Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    assert indonesian.subtitle.startswith("Juli – Desember 2026")
    assert indonesian.title == "Kehadiran per kelompok"
    english = words(chart(audience=Role.COORDINATOR), "en")
    assert english.months[1] == "Aug" and english.title == "Attendance per facilitator"
    across = words(ChartData(Role.FACILITATOR, (202611, 202612, 202701), ()), "id")
    assert across.subtitle.startswith("November 2026 – Januari 2027")
    assert across.years == ("2026", "", "2027")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Bu Siti Ñañez", "Bu Siti Ñañez"),
        ("Mawar  1\n", "Mawar 1"),
        ("Kelompok 🌸 Melati", "Kelompok □ Melati"),
    ],
)
def test_names_are_drawn_as_written(name: str, shown: str) -> None:
    assert drawable(name) == shown


def test_a_name_with_dollar_signs_is_not_read_as_a_formula() -> None:
    # matplotlib would parse "$5$" as mathtext and fail on "$\\frac"; the chart must not.
    data = chart(series("Kas $5$ \\frac{a}{b} $x", [(1, 2)] * 6))
    open_png(render_chart(data, "id")[0])
