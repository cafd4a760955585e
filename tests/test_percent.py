"""One percentage rule for chat, files and charts: whole numbers rounded half up."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from storage import reports
from storage.db import SessionFactory
from storage.models import Group
from storage.reports import exports
from tests.test_reports_storage import NOW, _meeting, build_world
from timekeeping.numbers import format_number, format_percent, percent
from views.exports import build_xlsx
from views.reader import Language
from views.reports import rate_text


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (5, 8, 63),  # 62.5: half up, as people and Excel round (round() would say 62)
        (1, 8, 13),  # 12.5
        (3, 8, 38),  # 37.5
        (57, 200, 29),  # 28.5, which a float holds as 28.4999...
        (29, 200, 15),  # 14.5, the same
        (3, 7, 43),
        (1, 3, 33),
        (2, 3, 67),
        (1, 201, 0),
        (1, 200, 1),  # 0.5
        (0, 25, 0),
        (25, 25, 100),
        (0, 0, None),
    ],
)
def test_percent_rounds_half_up(part: int, whole: int, expected: int | None) -> None:
    assert percent(part, whole) == expected


def test_percent_formats_in_both_languages() -> None:
    assert format_percent(63, "id") == "63%"
    assert format_percent(63, "en") == "63%"
    assert format_percent(None, "id") == ""
    assert format_number(1234, "id") == "1.234"
    assert format_number(1234, "en") == "1,234"


def test_chat_report_rate_rounds_half_up_in_both_languages() -> None:
    assert rate_text(Language("id"), 5, 8) == "63% (5 dari 8)"
    assert rate_text(Language("en"), 5, 8) == "63% (5 of 8)"
    assert rate_text(Language("id"), 1500, 2000) == "75% (1.500 dari 2.000)"
    assert rate_text(Language("id"), 0, 0) == "belum ada daftar hadir"


async def test_xlsx_shows_nothing_for_a_meeting_not_yet_held(db: SessionFactory) -> None:
    world = await build_world(db)
    async with db.begin() as session:
        group = await session.get_one(Group, world.mawar)
        await _meeting(session, group, datetime(2026, 12, 27, 2, 0, tzinfo=NOW.tzinfo))
    data = await exports.export_month(db, world.facilitator, 202612, NOW)
    book = load_workbook(io.BytesIO(build_xlsx(data, "id")))
    rows = {row[0].value: row for row in book["MAWAR1 Mawar Satu"].iter_rows() if row[0].value}
    held, ahead = rows["Kehadiran (%)"][3], rows["Kehadiran (%)"][4]
    assert held.value == pytest.approx(3 / 7) and held.number_format == "0%"
    assert ahead.value is None  # not "0%": the meeting is still ahead
    for label in ("Hadir", "Izin", "Sakit", "Alfa", "Belum dicatat"):
        assert rows[label][4].value is None, label
    assert rows["Anggota"][4].value == 6  # today's roster (one member left)
    # The month's rate is still the held meeting's only.
    report = await reports.month_report(db, world.facilitator, 202612, NOW)
    (mawar,) = [g for g in report.groups if g.id == world.mawar]
    assert mawar.rate == 43
