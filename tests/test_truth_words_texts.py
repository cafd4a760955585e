"""Every text a member or a chair can receive addresses them as Ibu/Bapak and in their words.

To a mother with little schooling "Anda" sounds official and distant; the sessions say
"Ibu". "Tautan", "obrolan pribadi", "lampiran", "diteruskan", "saluran resmi" are not the
words on her phone ("link", "chat pribadi", "foto/file"); "Kami" is not who speaks (the bot
says "saya"); "RSVP" and "ID PKH" are not the programme's terms ("ID KPM").

Which texts a member or chair can receive is not a list kept by hand: tests/text_audience.py
reads it from the code that sends them (its docstring explains the method). It errs towards
counting a staff text as a member's, never the other way round."""

from __future__ import annotations

import re

from content.texts import catalogue
from tests.text_audience import member_texts, where

# Words a member or a chair must not read, and why (the module's docstring).
NOT_THEIR_WORDS = re.compile(
    r"\bAnda\b|\btautan|\bobrolan\b|\blampiran\b|\bditeruskan\b|\bsaluran resmi\b"
    r"|pelayanan publik nasional|\bKami\b|\bRSVP\b|\bID PKH\b",
    re.IGNORECASE,
)


def test_members_and_chairs_read_their_own_words() -> None:
    texts = catalogue("id")
    offending = {
        key: (NOT_THEIR_WORDS.findall(texts[key]), where(key))
        for key in sorted(member_texts())
        if NOT_THEIR_WORDS.search(texts[key])
    }
    assert offending == {}


def test_the_audience_is_read_from_the_code() -> None:
    """The derivation finds what members surely receive and leaves out what only staff do,
    so the test above cannot pass by finding nothing."""
    found = member_texts()
    for key in (
        "complaints.sent_to",
        "complaints.sent_nobody",
        "complaints.not_member",
        "complaints.update.forwarded",  # composed by the dispatcher for the member
        "complaints.channel_lapor",
        "complaints.you",
        "invite.unknown",  # a refusal mapped from an error in the shared wrapper
        "attendance.checkin_none",
        "reports.group_quiz",
        "menu.chair",  # f"menu.{role}"
    ):
        assert key in found, key
    for key in (
        "complaints.staff_body",  # only in the composers of staff kinds (TO_STAFF)
        "complaints.reject_prompt",  # only behind action(Audience.STAFF)
        "complaints.topics_title",
        "status.group_line",
        "groups.links",
    ):
        assert key not in found, key
    assert len(found) > len(catalogue("id")) // 2


def test_the_words_that_promised_too_much_are_gone() -> None:
    texts = catalogue("id")
    assert texts["attendance.buttons.roll_call"] == "📋 Daftar hadir"
    assert "Kejar" not in texts["status.buttons.chase"]
    assert texts["confirm.so_far"] == "<b>Jawaban ketua:</b>"
    assert "Tercatat: Hadir" not in texts["meetings.rsvp.recorded_yes"]
    assert "Terima kasih sudah ikut" not in texts["meetings.recap_intro"]
    for lang in ("id", "en"):
        for key in ("meetings.rsvp.recorded_yes", "meetings.rsvp.recorded_no"):
            assert len(catalogue(lang)[key]) <= 200, key  # a button answer's limit
