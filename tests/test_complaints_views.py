"""What complaint screens say: exact spans, status words that are not verdicts, the channels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.models.complaints import ComplaintCategory, ComplaintStatus
from views.complaints import channels, duration, readers, status_name


@pytest.mark.parametrize(
    ("lang", "span", "words"),
    [
        ("id", timedelta(days=3), "3 hari"),
        ("id", timedelta(hours=60), "60 jam"),  # never rounded up to "3 hari"
        ("en", timedelta(hours=36), "36 hours"),
        ("en", timedelta(minutes=90), "90 minutes"),
    ],
)
def test_a_span_is_said_exactly(lang: str, span: timedelta, words: str) -> None:
    assert duration(lang, span) == words


def test_status_words_are_not_verdicts() -> None:
    words = {status_name("id", status) for status in ComplaintStatus}
    assert not {"diterima", "ditolak"} & words
    assert status_name("id", ComplaintStatus.RECEIVED) == "sudah ditanggapi pendamping"
    assert status_name("id", ComplaintStatus.RECEIVED, True) == "sudah ditanggapi koordinator"
    assert status_name("en", ComplaintStatus.REJECTED, True) == "the coordinators cannot handle it"


def test_who_reads_depends_on_the_category_and_the_level_above() -> None:
    sla = timedelta(days=3)
    usual = readers("id", ComplaintCategory.AID, "Bu Rina", sla, above_configured=False)
    assert "pendamping Ibu/Bapak (Bu Rina)" in usual and "dalam 3 hari" in usual
    levy = readers("id", ComplaintCategory.LEVY, "Bu Rina", sla, above_configured=False)
    assert "tidak ke pendamping (Bu Rina)" in levy and "semua koordinator" in levy
    above = readers("en", ComplaintCategory.ABOUT_STAFF, "Bu Rina", sla, above_configured=True)
    assert "officer above the coordinators" in above


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_channels_outside_the_bot(lang: str) -> None:
    text = channels(lang)
    for fact in ("171", "lapor.go.id", "SAPA 129", "129", "08111-129-129"):
        assert fact in text
