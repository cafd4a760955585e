"""Members and chairs are addressed as Ibu/Bapak: "Anda" only in texts staff read.

To a mother with little schooling "Anda" sounds official and distant; the sessions say "Ibu".
Complaint texts have their own owner (issue 11, complaints) and are left to it."""

from __future__ import annotations

import re

from content.texts import catalogue

# Read only by facilitators and coordinators (or the simulator's own frame).
STAFF_ONLY = {
    "confirm.ask_intro",
    "errors.already_coordinator",
    "groups.list",
    "meetings.no_groups",
    "menu.coordinator",
    "menu.facilitator",
    "onboarding.facilitator_welcome",
    "roster.no_other_group",
    "status.lock_confirm",
}
ANDA = re.compile(r"\bAnda\b")


def test_members_and_chairs_are_never_called_anda() -> None:
    offending = [
        key
        for key, text in catalogue("id").items()
        if ANDA.search(text)
        and key not in STAFF_ONLY
        and not key.startswith(("complaints.", "simulator."))
    ]
    assert offending == []


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
