"""The activity record's own texts, in the reader's language: the activity's name, its
material, and the description drafted from the session and the chair's notes until the
facilitator writes her own. Plain text (shown, and the form's fields as typed), not HTML."""

from __future__ import annotations

from content.session_render import label
from content.sessions import get_session
from content.texts import catalogue, normalise_language
from storage.reports.activity_record import ActivityRecord, fit_words
from storage.reports.model import StatusCounts


def _plain(lang: str, key: str, **params: object) -> str:
    """A text filled in as plain text (stored and exported, not sent as HTML)."""
    return catalogue(normalise_language(lang))[key].format(**params)


def activity_name(record: ActivityRecord, lang: str) -> str:
    session = get_session(record.session_number, lang)
    return _plain(lang, "reports.record_activity", group=record.group_name, title=session.title)


def material(record: ActivityRecord, lang: str) -> str:
    session = get_session(record.session_number, lang)
    if session.optional:  # "Materi tambahan: ...": the stunting material has no module number
        return _plain(
            lang,
            "reports.record_material_supplementary",
            session=label(session, lang),
            title=session.title,
        )
    return _plain(
        lang,
        "reports.record_material",
        module=session.module_number,
        module_title=session.module_title,
        session=label(session, lang),
        title=session.title,
    )


def description(record: ActivityRecord, lang: str) -> str:
    """The facilitator's description, or the draft until she writes one."""
    if record.description is not None:
        return record.description
    return draft_description(
        lang, record.group_name, record.session_number, record.counts, record.chair_notes
    )


def draft_description(
    lang: str,
    group_name: str,
    session_number: int,
    counts: StatusCounts,
    chair_notes: str | None,
) -> str:
    """A first description from the session's content and the chair's notes (<= 500 words)."""
    session = get_session(session_number, lang)
    parts = [
        _plain(
            lang,
            "reports.draft_intro_supplementary" if session.optional else "reports.draft_intro",
            group=group_name,
            module=session.module_number,
            module_title=session.module_title,
            session=label(session, lang),
            title=session.title,
        ),
        session.aim,
        session.summary,
        _plain(
            lang,
            "reports.draft_messages",
            messages="; ".join(message.rstrip(" .") for message in session.key_messages),
        ),
    ]
    if counts.recorded:
        parts.append(
            _plain(
                lang,
                "reports.draft_attendance",
                hadir=counts.hadir,
                roster=counts.roster,
                izin=counts.izin,
                sakit=counts.sakit,
                alfa=counts.alfa,
            )
        )
    if chair_notes:
        parts.append(_plain(lang, "reports.draft_notes", notes=" ".join(chair_notes.split())))
    return fit_words(" ".join(part.strip() for part in parts if part.strip()))
