"""What the complaint screens share: step names, the member's draft, small button helpers.

The member's draft lives in Person.awaiting/draft (one step constant per screen), so a
restart or a stray message never loses what was typed."""

from __future__ import annotations

from typing import Any

from handlers.base import Request
from storage.complaints import Attachment
from views.buttons import CANCEL_PRESSED
from views.keyboards import button

PICK_GROUP = "kl_group"
PICK_CATEGORY = "kl_category"
DESCRIBE = "kl_text"
ATTACH = "kl_files"
REVIEW = "kl_review"
OFFER = "kl_offer"
REPLY = "kl_reply"
REJECT = "kl_reject"
ADD = "kl_add"

# Steps that hold a half-written complaint: /batal asks before dropping them.
DRAFT_STEPS = (PICK_GROUP, PICK_CATEGORY, DESCRIBE, ATTACH, REVIEW)
# Steps that take typed text (routed from handlers/input.py).
TYPED_STEPS = (*DRAFT_STEPS, OFFER, REPLY, REJECT, ADD)
# Steps where a photo, voice note or document is welcome.
FILE_STEPS = (PICK_CATEGORY, DESCRIBE, ATTACH, REVIEW, ADD)

SNIPPET = 400


def cancel_button(request: Request) -> list[Any]:
    return [button(request.t("buttons.cancel"), CANCEL_PRESSED)]


def callback_id(request: Request, index: int = 0) -> int:
    return request.pressed.arg(index)


def draft_of(request: Request) -> dict[str, Any]:
    return dict(request.pending.draft) if request.pending.awaiting in DRAFT_STEPS else {}


def draft_files(draft: dict[str, Any]) -> list[Attachment]:
    raw = draft.get("files")
    found = [Attachment.from_json(item) for item in raw] if isinstance(raw, list) else []
    return [item for item in found if item is not None]


def draft_text(draft: dict[str, Any]) -> str:
    text = draft.get("text")
    return text if isinstance(text, str) else ""


def joined(before: str, more: str) -> str:
    more = more.strip()
    return f"{before}\n\n{more}" if before and more else (before or more)
