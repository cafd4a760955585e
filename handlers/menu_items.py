"""Buttons that features add to the main menu, per role; the menu lays them out two a row.

Each entry is (text key, callback action). Order here is the order on screen."""

from __future__ import annotations

from storage.roles import Role

MenuItem = tuple[str, str]

MENU_ITEMS: dict[Role, list[MenuItem]] = {
    Role.COORDINATOR: [
        ("status.buttons.menu", "sb"),
        ("buttons.invite_facilitator", "fi"),
        ("buttons.facilitators", "fl"),
        ("buttons.all_groups", "gs"),
        ("buttons.announce", "an"),
        ("buttons.meetings", "wj"),
        ("buttons.materials", "mt"),
        ("buttons.complaints_inbox", "kli"),
        ("reports.buttons.menu", "rp"),
        ("privacy.trail_menu", "jj"),
    ],
    Role.FACILITATOR: [
        ("status.buttons.menu", "sb"),
        ("confirm.buttons.menu_facilitator", "cfq"),
        ("reports.buttons.menu", "rp"),
        ("buttons.my_groups", "gs"),
        ("buttons.new_group", "gn"),
        ("buttons.announce", "an"),
        ("buttons.schedule", "wn"),
        ("buttons.meetings", "wj"),
        ("buttons.materials", "mt"),
        ("buttons.complaints_inbox", "kli"),
        ("reports.buttons.photo", "rph"),
    ],
    Role.VIEWER: [
        ("status.buttons.menu", "sb"),
        ("buttons.facilitators", "fl"),
        ("buttons.all_groups", "gs"),
        ("reports.buttons.menu", "rp"),
        ("buttons.materials", "mt"),
    ],
    Role.CHAIR: [
        ("attendance.buttons.roll_call", "ab"),
        ("confirm.buttons.menu_chair", "cfl"),
        ("reports.buttons.photo", "rph"),
        ("reports.buttons.menu", "rp"),
        ("buttons.my_group", "mg"),
        ("buttons.next_meeting", "wj"),
        ("buttons.materials", "mt"),
        ("buttons.complaint", "kl"),
        ("privacy.buttons.menu", "ds"),
    ],
    Role.MEMBER: [
        ("attendance.buttons.checkin", "ah"),
        ("buttons.my_group", "mg"),
        ("buttons.next_meeting", "wj"),
        ("buttons.materials", "mt"),
        ("buttons.complaint", "kl"),
        ("privacy.buttons.menu", "ds"),
    ],
    Role.NEWCOMER: [("buttons.materials", "mt"), ("privacy.buttons.menu", "ds")],
}
