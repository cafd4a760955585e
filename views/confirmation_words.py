"""What the bot says back to a chair who answered a confirmation request in her own words."""

from __future__ import annotations

from babel.numbers import format_decimal

from content.texts import Html, t
from language.chair_reply import Problem
from storage.confirmations import RequestView
from storage.confirmations.confirmation_words import WordsAnswer
from storage.models.attendance import ConfirmOutcome
from timekeeping.timefmt import format_date
from views.buttons import CONFIRM_CORRECT
from views.keyboards import button, rows
from views.screen import Screen


def _number(value: int, lang: str) -> str:
    return format_decimal(value, locale=lang)


def summary(lang: str, view: RequestView, everyone: bool) -> str:
    """ "pertemuan sudah berlangsung, 8 anggota datang, info sudah disampaikan"."""
    parts: list[str] = []
    if view.outcome is ConfirmOutcome.HELD:
        parts.append(t(lang, "confirm.words.held"))
        if view.attendees is not None:
            key = "confirm.words.everyone" if everyone else "confirm.words.count"
            parts.append(t(lang, key, count=_number(view.attendees, lang)))
    elif view.outcome is ConfirmOutcome.MOVED:
        if view.moved_to is not None:
            parts.append(t(lang, "confirm.words.moved_to", date=format_date(view.moved_to, lang)))
        else:
            parts.append(t(lang, "confirm.words.moved"))
    elif view.outcome is ConfirmOutcome.NOT_HELD:
        parts.append(t(lang, "confirm.words.not_held"))
    if view.info_passed is not None:
        parts.append(
            t(lang, "confirm.words.info_yes" if view.info_passed else "confirm.words.info_no")
        )
    return ", ".join(parts)


def recorded(lang: str, view: RequestView, everyone: bool) -> Screen:
    """The one short message once everything was clear, with one button to correct it."""
    text = t(lang, "confirm.words.recorded", summary=Html(summary(lang, view, everyone)))
    text += "\n" + t(lang, "confirm.words.recorded_hint")
    return Screen(
        text, rows([button(t(lang, "confirm.words.buttons.correct"), CONFIRM_CORRECT, view.id)])
    )


def _problem(lang: str, problem: Problem, view: RequestView) -> str:
    counts = ", ".join(_number(n, lang) for n in problem.counts)
    match problem.code:
        case "count_over_roster":
            return t(
                lang,
                "confirm.count_too_high",
                count=counts,
                roster=_number(view.roster_size, lang),
            )
        case "count_negative":
            return t(lang, "confirm.count_negative")
        case "count_conflict" if not problem.counts:
            return t(lang, "confirm.words.count_inexact")
        case "count_conflict" if len(problem.counts) == 1:
            return t(
                lang,
                "confirm.words.count_conflict_everyone",
                counts=counts,
                roster=_number(view.roster_size, lang),
            )
        case "count_conflict":
            return t(lang, "confirm.words.count_conflict", counts=counts)
        case _:
            return t(lang, f"confirm.words.{problem.code}")


def intro(lang: str, answer: WordsAnswer) -> str:
    """Above the question still open: why it is asked, and what became of her words."""
    lines = [_problem(lang, problem, answer.view) for problem in answer.problems]
    if answer.inexact_count:
        lines.append(t(lang, "confirm.words.count_inexact"))
    if answer.cancelled_or_moved:
        lines.append(t(lang, "confirm.words.cancelled_or_moved"))
    if answer.kept_earlier:
        lines.append(t(lang, "confirm.words.kept_earlier"))
    if answer.forwarded:
        lines.append(t(lang, "confirm.words.forwarded"))
    if not lines and answer.understood:
        lines.append(t(lang, "confirm.words.understood"))
    return "\n".join(lines)
