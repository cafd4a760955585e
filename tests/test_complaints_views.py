"""What complaint screens say: exact spans, status words that are not verdicts, the channels."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.complaints.views import Level, Readers, Route
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


PENDAMPING = Readers(Level.PENDAMPING, ((1, 100),), ("Bu Rina",))
KORKAB = Readers(Level.KORKAB, ((2, 300),), ("Kota Banjar",))
KORWIL = Readers(Level.KORWIL, ((3, 400),), ("Jawa Barat",))
ABOVE = Readers(Level.ABOVE, ((None, 777),), ())


def test_who_reads_is_said_by_role_and_area_from_the_route() -> None:
    sla = timedelta(days=3)
    usual = readers("id", ComplaintCategory.AID, "Bu Rina", sla, Route((PENDAMPING, KORKAB)))
    assert "sekarang: <b>pendamping Bu Rina</b>" in usual
    assert "Koordinator PKH Kota Banjar, bila pendamping meneruskannya" in usual
    assert "dalam 3 hari" in usual
    levy = readers("id", ComplaintCategory.LEVY, "Bu Rina", sla, Route((KORKAB, KORWIL)))
    assert "sekarang: <b>Koordinator PKH Kota Banjar</b>" in levy
    assert "Koordinator Wilayah PKH Jawa Barat, bila belum ditanggapi dalam 3 hari" in levy
    assert "Tidak ke pendamping (Bu Rina)" in levy and "pendamping Bu Rina" not in levy
    above = readers("en", ComplaintCategory.ABOUT_STAFF, "Bu Rina", sla, Route((KORWIL, ABOVE)))
    assert "officer above the coordinators, if nobody has responded within 3 days" in above


def test_a_pendamping_who_cannot_be_reached_is_named_and_skipped() -> None:
    text = readers("id", ComplaintCategory.AID, "Bu Rina", timedelta(days=3), Route((KORKAB,)))
    assert "Pendamping (Bu Rina) belum bisa saya beri tahu" in text
    assert "sekarang: <b>Koordinator PKH Kota Banjar</b>" in text
    assert "diingatkan lagi" in text  # nobody above: the same level again


@pytest.mark.parametrize("category", [ComplaintCategory.AID, ComplaintCategory.LEVY])
def test_nobody_reachable_is_the_truth_with_the_channels(category: ComplaintCategory) -> None:
    for lang, words in (("id", "tidak ada"), ("en", "there is no")):
        text = readers(lang, category, "Bu Rina", timedelta(days=3), Route())
        assert words in text and "lapor.go.id" in text and "129" in text
        assert "sekarang" not in text and "now:" not in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_channels_outside_the_bot(lang: str) -> None:
    text = channels(lang)
    for fact in ("171", "lapor.go.id", "SAPA 129", "129", "08111-129-129"):
        assert fact in text
