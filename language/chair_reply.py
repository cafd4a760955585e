"""What a chair's reply in her own words says about her meeting.

The bot asks a chair whether the meeting took place, how many members came and whether the
facilitator's information was passed on. Chairs answer in one or several messages, the way
they type: "Sdh bu, yg dtg 8 org, info udah disampaikan 🙏". `read_reply` turns that into a
`Reading`; whatever the words do not say for certain stays None, so the bot asks only for that
part, and anything that cannot be recorded as it stands (more people than on the roster, a
meeting that took place with nobody there, two different counts) is listed in `problems`.

How it reads, in short: each clause is read on its own (reply_clause.py: numbers that are
not a head count masked, words given a kind, each "sudah"/"belum" attached to what it speaks
about, each number to what it counts); here the clauses are weighed together (a correction
replaces what came before, a cancel followed by a day is a postponement), and conflicts become
problems. Clauses with words the reader does not know are kept, in her words, as the note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from language.masks import count_named
from language.reply_clause import Clause, Outcome, count_list, read_clause, says_when, split_clauses

__all__ = ["Outcome", "Problem", "ProblemCode", "Reading", "read_reply"]

ProblemCode = Literal[
    "count_over_roster",  # more people than on the roster
    "count_negative",
    "held_but_nobody",  # "sudah berlangsung" and "tidak ada yang datang"
    "outcome_conflict",  # e.g. "sudah berlangsung" and "batal"
    "moved_but_attended",  # "dimajukan jadi kemarin, hadir 14": moved, and people came
    "count_conflict",  # two different counts, or "semua hadir" and a count short of the roster
    "info_conflict",
]


@dataclass(frozen=True)
class Problem:
    """Why part of a reply must be asked about instead of recorded; `counts` are what she said."""

    code: ProblemCode
    counts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reading:
    """What a reply says for certain. None means: not said, or not clearly; ask for it."""

    outcome: Outcome | None = None
    postponed_to: date | None = None
    attended: int | None = None
    everyone: bool = False  # attended was taken from the roster because she said everyone came
    info_passed: bool | None = None
    # She spoke of how many came, but not as one exact number ("sekitar 10", "setengahnya",
    # "hadir 16, 2 di antaranya bukan anggota"): attended is None; ask for the exact number.
    inexact_count: bool = False
    # She said it did not take place but spoke of a later time without a day ("batal, nanti
    # saya kabari"): outcome is None; ask whether it was cancelled or moved.
    cancelled_or_moved: bool = False
    problems: tuple[Problem, ...] = ()
    note: str = ""  # the parts of her reply that are about something else, in her words

    @property
    def complete(self) -> bool:
        """Everything a confirmation needs is known and nothing must be questioned."""
        if self.problems or self.outcome is None or self.info_passed is None:
            return False
        return self.outcome != "held" or self.attended is not None


# -- reading the whole reply -------------------------------------------------------------------


def read_reply(
    messages: str | Sequence[str],
    roster: int,
    language: str = "id",
    today: date | None = None,
) -> Reading:
    """Read one message, or several in the order she sent them, about one meeting.

    `roster` is the number of members on the group's roster ("semua hadir" means that many);
    `language` is the chair's language ("id" or "en"; both vocabularies are always read,
    because chairs mix them); `today` resolves "diundur ke tgl 12" to a date (without it the
    day is not resolved and postponed_to stays None)."""
    texts = [messages] if isinstance(messages, str) else list(messages)
    texts = [count_named(count_list(text)) for text in texts]
    clauses = [
        read_clause(part, asked, language, says_when(text, language))
        for text in texts
        for part, asked in split_clauses(text)
    ]
    _weigh_context(clauses)
    _tentative_postponements(clauses)
    _first_answer(clauses)
    _gathered_and_broke_up(clauses)
    clauses = _apply_corrections(clauses)
    problems: list[Problem] = []

    attended, everyone, inexact = _attendance(clauses, roster, problems)
    if any(c.unsure for c in clauses) and (attended is not None or everyone):
        attended, everyone, inexact = None, False, True  # "kalau ga salah 15": ask the number
    if any(c.joint for c in clauses) and (attended is not None or everyone):
        # A meeting held with another group: the count may be both groups'. Ask for hers.
        attended, everyone, inexact = None, False, True
        problems[:] = [p for p in problems if p.code not in _COUNT_PROBLEMS]
        clauses.append(Clause("", outcomes=[("held", 1)]))  # people came: it took place
    if attended:
        clauses.append(Clause("", outcomes=[("held", 1)]))  # people came: it took place
    outcome = _outcome(clauses, problems)
    nobody = any(c.nobody for c in clauses)
    if nobody or attended == 0:
        if outcome == "held":
            problems.append(Problem("held_but_nobody"))
            outcome = None
        attended, everyone = None, False  # nobody came: there was no meeting to count
    if outcome is None and any(p.code == "outcome_conflict" for p in problems):
        attended, everyone, inexact = None, False, False  # held or not first; then who came
    if outcome == "held" and any(c.broke_up for c in clauses):
        # "sudah kumpul tapi bubar": they gathered and broke up. Whether it took place is hers
        # to say; nobody is counted until she has. ("gak jadi, ibu2 bubar" stays not held.)
        outcome, attended, everyone, inexact = None, None, False, False
    cancelled_or_moved = outcome == "not_held" and any(c.future for c in clauses)
    if cancelled_or_moved:
        outcome = None  # she speaks of a later time but names no day: cancelled, or moved?
    if outcome == "postponed" and attended:
        # "dimajukan jadi kemarin, hadir 14", "diundur ke tgl 10 tapi tgl 10 jadi, hadir 11":
        # moved, and then held with people there? Or moved after a gathering? Ask.
        problems.append(Problem("moved_but_attended"))
        outcome, attended, everyone, inexact = None, None, False, False
    if outcome in ("not_held", "postponed"):
        attended, everyone = None, False  # nobody is counted at a meeting that did not happen
        inexact = False
        problems = [p for p in problems if p.code not in _COUNT_PROBLEMS]
    info = _info(clauses, problems)
    postponed_to = _postponed_to(clauses, today) if outcome == "postponed" else None
    note = " · ".join(c.text for c in clauses if not c.understood)
    return Reading(
        outcome=outcome,
        postponed_to=postponed_to,
        attended=attended,
        everyone=everyone,
        info_passed=info,
        inexact_count=inexact and attended is None,
        cancelled_or_moved=cancelled_or_moved,
        problems=tuple(problems),
        note=note,
    )


_COUNT_PROBLEMS = {"count_over_roster", "count_negative", "count_conflict"}


def _weigh_context(clauses: list[Clause]) -> None:
    """What one clause means depends on the others in the reply."""
    said = any(c.said_something for c in clauses)
    later = any(c.later for c in clauses)
    cancelled = any(o == "not_held" for c in clauses for o, _ in c.outcomes)
    # "belum bu, rencananya jumat": not yet, and planned for a day; nothing was called off or
    # moved. Not held yet, or moved to that day? Two people who label replies read it each
    # way: the bot asks her (cancelled_or_moved), recording neither.
    called_off = any(c.cancel_word or c.postpone_word for c in clauses)
    for clause in clauses:
        if said:
            # "Sudah bu, 12": a head count; a lone "15" could as well be a date: ask.
            clause.counts += clause.bare_counts
        elif clause.bare_counts:
            clause.understood = False
        if clause.acknowledgement and later:
            # "iya bu, nanti sy sampaikan": "iya" acknowledges the request, it is no report.
            clause.outcomes = [(o, s) for o, s in clause.outcomes if s == 2]
        if clause.when_only and cancelled and clause.planned and not called_off:
            clause.future = True
        elif clause.when_only and cancelled:
            # "ga jadi hari ini bu, besok aja", "belum, minggu depan": another day, so postponed.
            clause.outcomes.append(("postponed", 2))
            clause.postpone_word = True
        if clause.except_without_count:
            clause.everyone = False
            clause.vague = True


def _tentative_postponements(clauses: list[Clause]) -> None:
    """ "mau diundur tapi ga jadi": the "ga jadi" calls off the postponement, not the meeting.
    "sempat diundur, tapi akhirnya jadi, hadir 19": a postponement that did not last, or one
    only meant, is not what the meeting came to when the reply says it took place. A
    postponement that did not last ("sempat diundur") with nothing else said is hers to
    explain: ask."""
    held = any(
        o == "held" for c in clauses for o, _ in c.outcomes if not c.tentative_postpone
    ) or any(n > 0 for c in clauses for n in c.counts + c.bare_counts)
    for index, clause in enumerate(clauses):
        if not clause.tentative_postpone:
            continue
        following = clauses[index + 1] if index + 1 < len(clauses) else None
        if following is not None and following.bare_cancel:
            following.outcomes = [(o, s) for o, s in following.outcomes if o != "not_held"]
            following.understood = False
        elif not (held or clause.tentative_postpone == "not_lasting"):
            continue
        clause.outcomes = [(o, s) for o, s in clause.outcomes if o != "postponed"]
        clause.postpone_word = False
        clause.understood = False


def _first_answer(clauses: list[Clause]) -> None:
    """A bare "sudah"/"belum" opening the reply answers the request's first question as
    plainly as "sudah berlangsung" would: a later clause that says otherwise ("Belum bu. Tadi
    sudah kumpul ...") is a conflict to ask about, not a correction."""
    for clause in clauses:
        if clause.outcomes or clause.said_something:
            if clause.first_answer:
                clause.outcomes = [(o, 2) for o, _ in clause.outcomes]
            return


def _gathered_and_broke_up(clauses: list[Clause]) -> None:
    """ "Belum bu, kemarin udah kumpul tapi bubar": a plain no first, then a gathering that
    broke up. The gathering is no meeting, so the no stands (not held) and nobody is counted.
    Only the clause that broke up and the one just before it ("udah kumpul" before "tapi
    bubar") are the gathering; anything else that says it took place is still a conflict."""
    first = next((c for c in clauses if c.outcomes or c.said_something), None)
    if first is None or not first.first_answer or first.bare_outcomes != ["not_held"]:
        return
    for index, clause in enumerate(clauses):
        if not clause.broke_up or clause is first:
            continue
        gathering = [clause]
        if index > 0 and clauses[index - 1] is not first:
            gathering.append(clauses[index - 1])
        for part in gathering:
            part.outcomes = [(o, s) for o, s in part.outcomes if o != "held"]
            part.counts, part.bare_counts, part.everyone = [], [], False
            part.broke_up = False


def _apply_corrections(clauses: list[Clause]) -> list[Clause]:
    """After "maaf"/"ralat", a value she states replaces what she said before about it."""
    pending = False
    for index, clause in enumerate(clauses):
        pending = pending or clause.correction
        if not pending:
            continue
        sets_count = bool(clause.counts or clause.everyone or clause.nobody or clause.vague)
        sets_outcome = bool(clause.outcomes)
        if not (sets_count or sets_outcome or clause.info):
            continue
        for earlier in clauses[:index]:
            if sets_count:
                earlier.counts, earlier.everyone, earlier.nobody = [], False, False
                earlier.vague, earlier.absent, earlier.excused = False, [], []
            if sets_outcome:
                earlier.outcomes, earlier.bare_outcomes = [], []
            if clause.info:
                earlier.info = []
        pending = False
    return clauses


def _outcome(clauses: list[Clause], problems: list[Problem]) -> Outcome | None:
    # A bare "sudah"/"belum" is a plain yes or no to the first question: one that says the
    # opposite of the outcome the other words give is a conflict to ask about ("kmrn ga jadi
    # bu, tp hari ini sudah"), even though the outcome's words are stronger.
    bare = {"held" if o == "held" else "not_held" for c in clauses for o in c.bare_outcomes}
    for strength in (2, 1):
        said: set[Outcome] = {o for c in clauses for o, s in c.outcomes if s == strength}
        if {"not_held", "postponed"} <= said:
            said.discard("not_held")  # "batal, diundur ke tgl 12": moved, not dropped
        if len(said) > 1:
            problems.append(Problem("outcome_conflict"))
            return None
        if said:
            outcome = said.pop()
            if bare - {"held" if outcome == "held" else "not_held"}:
                problems.append(Problem("outcome_conflict"))
                return None
            return outcome
    return None


def _attendance(
    clauses: list[Clause], roster: int, problems: list[Problem]
) -> tuple[int | None, bool, bool]:
    """(attended, everyone, inexact) as the reply states them; see Reading."""
    totals_said = {n for c in clauses for n in c.total_counts}
    counts = sorted({n for c in clauses for n in c.counts})
    negative = [n for c in clauses for n in c.negative]
    absent = sum(n for c in clauses for n in c.absent)
    excused = sum(n for c in clauses for n in c.excused)
    if len(totals_said) == 1 and max(counts) <= min(totals_said):
        total = min(totals_said)
        others = [n for n in counts if n != total]
        if absent or excused:
            # "hadir 15, yg ga hadir 5, jadi total 20": the total is the group, those who came
            # and those away added up. When they do not add up, the counts conflict: ask.
            if len(others) == 1 and others[0] + absent + excused == total:
                counts = others
        else:
            counts = [total]  # "10 org, trs nyusul 4, jd total 14": the total counts
    everyone = any(c.everyone for c in clauses)
    nobody = any(c.nobody for c in clauses)
    excepted = any(c.except_ for c in clauses)
    rest = any(c.rest for c in clauses)
    if negative:
        problems.append(Problem("count_negative", tuple(-n for n in negative)))
        return None, False, False
    if len(counts) > 1 or (counts and nobody and counts[0] > 0):
        problems.append(Problem("count_conflict", tuple(counts)))
        return None, False, False
    unplaced = [n for c in clauses for n in c.unplaced]
    totals = {n for c in clauses for n in c.of_total}
    explained = len(counts) == 1 and (
        totals == {counts[0] + sum(unplaced)} or totals_said == {counts[0]}
    )
    if counts and unplaced and not explained:
        # "hadir 16, 2 di antaranya bukan anggota": which is the count? Ask. (But "13 dari
        # 14, 1 org pindah" adds up: the 1 is the one missing.)
        return None, False, True
    if counts and excepted and not everyone and counts[0] + absent + excused != roster:
        # "hadir 15 kurang 2": 15 came and 2 did not, or 15 less 2? Only when they add up to
        # the roster is it plain.
        return None, False, True
    if counts:
        count = counts[0]
        if count > roster > 0:
            problems.append(Problem("count_over_roster", (count,)))
            return None, False, False
        if everyone and roster > 0 and count != roster:
            problems.append(Problem("count_conflict", (count,)))
            return None, False, False
        return count, everyone and count == roster, False
    if roster <= 0:
        return None, False, False
    if everyone:
        if any(c.vague for c in clauses) or unplaced:
            # "semua ... sebagian", "14 orang semangat semua": not everyone for certain.
            return None, False, True
        if not (absent or excused):
            return roster, True, False
        if excepted:
            return _rest_of_roster(roster, absent + excused, problems), False, False
        problems.append(Problem("count_conflict"))
        return None, False, False
    if (absent or excused) and (rest or excepted):
        return _rest_of_roster(roster, absent + excused, problems), False, False
    if (absent or excused) and len(totals) == 1:
        # "dari 20 anggota yg ga dateng 3": she gives the group's size and those away, so
        # the rest of her group came (she said both numbers; the roster is not assumed).
        size = totals.pop()
        if size > roster > 0:
            return None, False, True  # her group is larger than the roster: ask the number
        return _rest_of_roster(size, absent + excused, problems), False, False
    if absent and not excused:
        if any(c.named_absent for c in clauses):
            # "yg tidak hadir bu Ani, bu Tini": she named them; the rest of the roster came.
            return _rest_of_roster(roster, absent, problems), False, False
        # "yang tidak datang 4": who is on the roster and who was expected may differ (a member
        # moved away, one is new); the number of those away is not the count. Ask for it.
        return None, False, True
    return None, False, any(c.vague for c in clauses)


def _rest_of_roster(roster: int, away: int, problems: list[Problem]) -> int | None:
    if away > roster:
        problems.append(Problem("count_over_roster", (away,)))
        return None
    return roster - away


def _info(clauses: list[Clause], problems: list[Problem]) -> bool | None:
    said = {value for c in clauses for value in c.info}
    if len(said) > 1:
        problems.append(Problem("info_conflict"))
        return None
    return said.pop() if said else None


def _postponed_to(clauses: list[Clause], today: date | None) -> date | None:
    if today is None:
        return None
    found = _dates_in([c for c in clauses if c.postpone_word], today) or _dates_in(clauses, today)
    return found.pop() if len(found) == 1 else None


def _dates_in(clauses: list[Clause], today: date) -> set[date]:
    found: set[date] = set()
    for clause in clauses:
        if clause.dates:
            day, month, year = clause.dates[-1]  # "dari tgl 5 ke tgl 12": the last is the new
            resolved = _resolve(day, month, year, today)
            if resolved is not None:
                found.add(resolved)
        for offset in clause.relative_days:
            found.add(today + timedelta(days=offset))
        for weekday in clause.weekdays:
            found.add(today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1))
    return found


def _resolve(day: int, month: int, year: int, today: date) -> date | None:
    """A day, month and year as typed (0 when not typed) as the next such date from today."""
    try:
        if month == 0:
            candidate = today.replace(day=day)
            if candidate < today:
                next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
                candidate = next_month.replace(day=day)
            return candidate
        if year == 0:
            candidate = date(today.year, month, day)
            return candidate if candidate >= today else date(today.year + 1, month, day)
        return date(year if year > 100 else 2000 + year, month, day)
    except ValueError:
        return None
