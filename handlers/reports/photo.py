"""The meeting photo and its location, sent by the chair or the facilitator."""

from __future__ import annotations

from handlers.base import Request, action
from handlers.reports.common import LOCATION, PHOTO, PHOTO_PICK
from handlers.steps import text_step
from storage import access
from storage.reports import activity_record
from storage.reports.activity_record import PhotoChoice
from timekeeping.timefmt import format_date, format_datetime
from timekeeping.timeparse import utc_to_local
from views.buttons import (
    MENU_CANCEL,
    PHOTO_DONE,
    PHOTO_PICKED,
    PHOTO_START,
    RECORD_BUTTON,
    SHOW_MENU,
)
from views.callbacks import Button
from views.keyboards import Key, Keyboard, button, column, rows
from views.screen import Screen
from views.screen import photo as photo_screen

# -- the meeting photo --------------------------------------------------------------------


def _when(request: Request, choice: PhotoChoice) -> str:
    return format_datetime(choice.starts_at, choice.timezone, request.lang)


async def _ask_photo(request: Request, choice: PhotoChoice) -> None:
    await request.expect(PHOTO, {"meeting": choice.meeting_id})
    await request.show(
        Screen(
            request.t("reports.photo_ask", group=choice.group_name, date=_when(request, choice)),
            rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
        ),
    )


def _choice_buttons(
    request: Request, choices: list[PhotoChoice], action_name: Button
) -> list[list[Key]]:
    return column(
        [
            button(
                f"{c.group_name} · {utc_to_local(c.starts_at, c.timezone):%d/%m}",
                action_name,
                c.meeting_id,
            )
            for c in choices
        ],
        1,
    )


@action()
async def photo_start(request: Request) -> None:
    """/foto or a photo button: which meeting (if several), then wait for the photo."""
    now = request.data.clock.now()
    callback = request.callback
    meeting_id = callback.arg_or(0, 0) if callback is not None else 0
    if meeting_id:
        await _ask_photo(
            request,
            await activity_record.photo_target(request.data.db, request.actor, meeting_id, now),
        )
        return
    choices = await activity_record.photo_choices(request.data.db, request.actor, now)
    if not choices:
        await request.show(
            Screen(
                request.t("reports.photo_none"),
                rows([button(request.t("buttons.menu"), SHOW_MENU)]),
            )
        )
        return
    if len(choices) == 1:
        await _ask_photo(request, choices[0])
        return
    await request.show(
        Screen(
            request.t("reports.photo_pick"),
            rows(
                *_choice_buttons(request, choices, PHOTO_START),
                [button(request.t("buttons.cancel"), MENU_CANCEL)],
            ),
        ),
    )


async def media_received(request: Request) -> bool:
    """A photo or location for the meeting photo (routed from handlers/input.py).

    True when it was ours: a step waiting for it, or a photo a chair or facilitator sent
    out of the blue (they are asked which meeting it belongs to; the photo is kept)."""
    message = request.update.effective_message
    if message is None:
        return False
    step, draft = request.pending.awaiting, request.pending.draft
    if message.location is not None and step == LOCATION:
        photo_id = draft.get("photo")
        if not isinstance(photo_id, int):
            return False
        saved = await activity_record.set_photo_location(
            request.data.db,
            request.actor,
            photo_id,
            message.location.latitude,
            message.location.longitude,
        )
        await request.expect(None)
        await request.say(
            Screen(request.t("reports.location_saved"), _after_photo(request, saved.meeting_id))
        )
        return True
    if not message.photo:
        if step == PHOTO:
            await request.say(
                Screen(
                    request.t("reports.photo_expected"),
                    rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
                ),
            )
            return True
        return False
    largest = message.photo[-1]
    if step in (PHOTO, LOCATION) and isinstance(draft.get("meeting"), int):
        await _store_photo(request, int(draft["meeting"]), largest.file_id, largest.file_unique_id)
        return True
    if step is not None or not access.holds(request.actor, access.Action.PHOTO):
        return False
    choices = await activity_record.photo_choices(
        request.data.db, request.actor, request.data.clock.now()
    )
    if not choices:
        return False
    await request.expect(PHOTO_PICK, {"file": largest.file_id, "unique": largest.file_unique_id})
    await request.say(
        Screen(
            request.t("reports.photo_which"),
            rows(
                *_choice_buttons(request, choices, PHOTO_PICKED),
                [button(request.t("buttons.cancel"), MENU_CANCEL)],
            ),
        ),
    )
    return True


async def _store_photo(
    request: Request, meeting_id: int, file_id: str, unique_id: str | None
) -> None:
    saved = await activity_record.add_photo(
        request.data.db, request.actor, meeting_id, file_id, unique_id, request.data.clock.now()
    )
    await request.expect(LOCATION, {"meeting": saved.meeting_id, "photo": saved.photo_id})
    when = format_datetime(saved.starts_at, saved.timezone, request.lang)
    await request.show(
        Screen(
            request.t("reports.photo_saved", group=saved.group_name, date=when),
            rows([button(request.t("reports.buttons.done"), PHOTO_DONE)]),
        ),
    )


def _after_photo(request: Request, meeting_id: int) -> Keyboard:
    return rows(
        [button(request.t("reports.buttons.record"), RECORD_BUTTON, meeting_id)],
        [button(request.t("buttons.menu"), SHOW_MENU)],
    )


@action()
async def photo_picked(request: Request) -> None:
    """The meeting an unasked-for photo belongs to: store it."""
    file_id = request.pending.draft.get("file")
    unique = request.pending.draft.get("unique")
    if request.pending.awaiting != PHOTO_PICK or not isinstance(file_id, str):
        await request.refuse("errors.stale_button")
        return
    await _store_photo(
        request, request.pressed.arg(0), file_id, unique if isinstance(unique, str) else None
    )


@action()
async def photo_done(request: Request) -> None:
    """No location: the photo is kept, the step ends."""
    meeting_id = request.pending.draft.get("meeting")
    await request.expect(None)
    markup = (
        _after_photo(request, meeting_id)
        if isinstance(meeting_id, int)
        else rows([button(request.t("buttons.menu"), SHOW_MENU)])
    )
    await request.show(Screen(request.t("reports.photo_done"), markup))


@action()
async def see_photo(request: Request) -> None:
    """Send the meeting's latest photo again (Telegram keeps the file)."""
    record = await activity_record.activity_record(
        request.data.db, request.actor, request.pressed.arg(0)
    )
    await request.ack()
    if record.photo is None:
        await request.say(Screen(request.t("reports.record_photo_no")))
        return
    start = utc_to_local(record.starts_at, record.timezone)
    params = {"group": record.group_name, "date": format_date(start.date(), request.lang)}
    photo = record.photo
    if photo.latitude is not None and photo.longitude is not None:
        caption = request.t(
            "reports.photo_caption_located",
            **params,
            lat=f"{photo.latitude:.6f}",
            lon=f"{photo.longitude:.6f}",
        )
    else:
        caption = request.t("reports.photo_caption", **params)
    await request.say(photo_screen(caption, file_id=photo.file_id))


@text_step(PHOTO, LOCATION)
async def typed_while_photo(request: Request) -> None:
    """Text while a photo or its location is awaited: say what is needed, keep the step."""
    if request.pending.awaiting == LOCATION:
        await request.say(
            Screen(
                request.t("reports.photo_saved_hint"),
                rows([button(request.t("reports.buttons.done"), PHOTO_DONE)]),
            ),
        )
        return
    await request.say(
        Screen(
            request.t("reports.photo_expected"),
            rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
        ),
    )
