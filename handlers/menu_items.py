"""Buttons that features add to the main menu, per role; the menu lays them out two a row.

Each entry is (text key, declared button). Order here is the order on screen."""

from __future__ import annotations

from storage.roles import Role
from views.buttons import (
    ANNOUNCE,
    ASK_MENU,
    CHECKIN_OFFER,
    COMPLAINT_BUTTON,
    COMPLAINT_INBOX,
    INVITE_FACILITATOR,
    LIST_FACILITATORS,
    LIST_GROUPS,
    MY_DATA,
    NEW_GROUP,
    NEW_MEETING,
    OPEN_LIST,
    PHOTO_START,
    REPORT_BUTTON,
    ROLL_CALL,
    SHOW_BOARD,
    SHOW_MODULES,
    SHOW_MY_GROUPS,
    SHOW_SCHEDULE,
    SHOW_TRAIL,
)
from views.callbacks import Button

MenuItem = tuple[str, Button]

MENU_ITEMS: dict[Role, list[MenuItem]] = {
    Role.COORDINATOR: [
        ("status.buttons.menu", SHOW_BOARD),
        ("buttons.invite_facilitator", INVITE_FACILITATOR),
        ("buttons.facilitators", LIST_FACILITATORS),
        ("buttons.all_groups", LIST_GROUPS),
        ("buttons.announce", ANNOUNCE),
        ("buttons.meetings", SHOW_SCHEDULE),
        ("buttons.materials", SHOW_MODULES),
        ("buttons.complaints_inbox", COMPLAINT_INBOX),
        ("reports.buttons.menu", REPORT_BUTTON),
        ("privacy.trail_menu", SHOW_TRAIL),
    ],
    Role.FACILITATOR: [
        ("status.buttons.menu", SHOW_BOARD),
        ("confirm.buttons.menu_facilitator", ASK_MENU),
        ("reports.buttons.menu", REPORT_BUTTON),
        ("buttons.my_groups", LIST_GROUPS),
        ("buttons.new_group", NEW_GROUP),
        ("buttons.announce", ANNOUNCE),
        ("buttons.schedule", NEW_MEETING),
        ("buttons.meetings", SHOW_SCHEDULE),
        ("buttons.materials", SHOW_MODULES),
        ("buttons.complaints_inbox", COMPLAINT_INBOX),
        ("reports.buttons.photo", PHOTO_START),
    ],
    Role.VIEWER: [
        ("status.buttons.menu", SHOW_BOARD),
        ("buttons.facilitators", LIST_FACILITATORS),
        ("buttons.all_groups", LIST_GROUPS),
        ("reports.buttons.menu", REPORT_BUTTON),
        ("buttons.materials", SHOW_MODULES),
    ],
    Role.CHAIR: [
        ("attendance.buttons.roll_call", ROLL_CALL),
        ("confirm.buttons.menu_chair", OPEN_LIST),
        ("reports.buttons.photo", PHOTO_START),
        ("reports.buttons.menu", REPORT_BUTTON),
        ("buttons.my_group", SHOW_MY_GROUPS),
        ("buttons.next_meeting", SHOW_SCHEDULE),
        ("buttons.materials", SHOW_MODULES),
        ("buttons.complaint", COMPLAINT_BUTTON),
        ("privacy.buttons.menu", MY_DATA),
    ],
    Role.MEMBER: [
        ("attendance.buttons.checkin", CHECKIN_OFFER),
        ("buttons.my_group", SHOW_MY_GROUPS),
        ("buttons.next_meeting", SHOW_SCHEDULE),
        ("buttons.materials", SHOW_MODULES),
        ("buttons.complaint", COMPLAINT_BUTTON),
        ("privacy.buttons.menu", MY_DATA),
    ],
    Role.NEWCOMER: [("buttons.materials", SHOW_MODULES), ("privacy.buttons.menu", MY_DATA)],
}
