"""What the report handlers share: their steps, limits and how long answers are sent."""

from __future__ import annotations

from handlers.base import Request
from language.months import read_month
from storage import reports
from storage.errors import UseCaseError
from views.keyboards import Keyboard
from views.screen import Screen

DESCRIPTION = "report_description"
END_TIME = "report_end_time"
PHOTO, PHOTO_PICK, LOCATION = "report_photo", "report_photo_pick", "report_location"
KINDS = {1: "xlsx", 2: "csv"}
GROUP_BUTTONS = 40


async def send_parts(request: Request, parts: tuple[str, ...], markup: Keyboard | None) -> None:
    """One part edits the pressed message; longer texts go out as several messages."""
    if len(parts) == 1:
        await request.show(Screen(parts[0], markup))
        return
    await request.ack()
    for index, part in enumerate(parts):
        await request.say(Screen(part, markup if index == len(parts) - 1 else None))


def looks_like_month(token: str) -> bool:
    return any(ch.isdigit() for ch in token) and any(ch in "-/." for ch in token)


async def this_month(request: Request) -> int:
    """The month it is where the person's groups are."""
    data = request.data
    return await reports.home_month(
        data.db, request.actor, data.clock.now(), data.settings.timezone
    )


def parse_args(request: Request, this_month: int) -> tuple[int | None, str | None, str | None]:
    """(month, group code, file kind) from "/ekspor 2026-11 MAWAR1 csv" or "/laporan des 2026
    MAWAR1", in any order; a month name without a year is the latest one that has begun."""
    month: int | None = None
    code: str | None = None
    kind: str | None = None
    tokens = list(request.args)
    while tokens:
        named = read_month(tokens, this_month)
        if named is not None:
            month, used = named
            tokens = tokens[used:]
            continue
        token = tokens.pop(0)
        lowered = token.lower()
        if lowered in ("xlsx", "excel", "csv"):
            kind = "csv" if lowered == "csv" else "xlsx"
        elif looks_like_month(token) or (token.isdigit() and len(token) >= 5):
            month = reports.parse_month(token)
        elif code is None:
            code = token
        else:
            raise UseCaseError("reports.too_many_args", text=" ".join(request.args)[:60])
    return month, code, kind
