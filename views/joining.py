"""What the chair or the facilitator reads when someone says she is a roster member."""

from __future__ import annotations

from content.texts import t
from storage.groups.join_requests import PendingJoin
from storage.models import JoinStatus, JoinWay
from views.buttons import JOIN_ANSWER, SHOW_GROUP
from views.keyboards import Keyboard, button, rows


def question_text(lang: str, join: PendingJoin) -> str:
    """ "Siti (Telegram name) says she is Siti Aminah": the Telegram name is not checked."""
    if join.way is JoinWay.ADD:
        key = "joining.question_add"
    elif join.as_chair:
        key = "joining.question_chair"
    else:
        key = "joining.question_member"
    text = t(lang, key, telegram=join.telegram_name, name=join.name, group=join.group_name)
    if join.status is not JoinStatus.PENDING:
        text += "\n\n" + t(lang, f"joining.status_{join.status.value}")
    return text


def question_markup(lang: str, join: PendingJoin, back_to_group: bool = False) -> Keyboard | None:
    """✅ / ❌ while it waits; the facilitator's card view adds a way back to the group."""
    back = [button(t(lang, "buttons.back"), SHOW_GROUP, join.group_id)] if back_to_group else []
    if join.status is not JoinStatus.PENDING:
        return rows(back) if back else None
    yes, no = (
        ("joining.buttons.add", "joining.buttons.reject")
        if join.way is JoinWay.ADD
        else ("joining.buttons.right", "joining.buttons.wrong")
    )
    return rows(
        [
            button(t(lang, yes), JOIN_ANSWER, join.id, 1),
            button(t(lang, no), JOIN_ANSWER, join.id, 0),
        ],
        back,
    )


def answered_text(lang: str, join: PendingJoin, accepted: bool) -> str:
    key = "joining.answered_yes" if accepted else "joining.answered_no"
    return question_text(lang, join) + "\n\n" + t(lang, key, name=join.name)


def pending_label(join: PendingJoin) -> str:
    return f"⏳ {join.telegram_name} → {join.name}"
