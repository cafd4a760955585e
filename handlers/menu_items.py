"""Buttons that features add to the main menu, per role; the menu lays them out two a row.

Each entry is (text key, callback action). Order here is the order on screen."""

from __future__ import annotations

MenuItem = tuple[str, str]

MENU_ITEMS: dict[str, list[MenuItem]] = {
    "coordinator": [
        ("buttons.invite_facilitator", "fi"),
        ("buttons.facilitators", "fl"),
        ("buttons.all_groups", "gs"),
        ("buttons.announce", "an"),
        ("buttons.meetings", "wj"),
        ("buttons.materials", "mt"),
    ],
    "facilitator": [
        ("buttons.my_groups", "gs"),
        ("buttons.new_group", "gn"),
        ("buttons.announce", "an"),
        ("buttons.schedule", "wn"),
        ("buttons.meetings", "wj"),
        ("buttons.materials", "mt"),
    ],
    "chair": [
        ("buttons.my_group", "mg"),
        ("buttons.next_meeting", "wj"),
        ("buttons.materials", "mt"),
    ],
    "member": [
        ("buttons.my_group", "mg"),
        ("buttons.next_meeting", "wj"),
        ("buttons.materials", "mt"),
    ],
    "newcomer": [("buttons.materials", "mt")],
}
