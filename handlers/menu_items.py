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
    ],
    "facilitator": [
        ("buttons.my_groups", "gs"),
        ("buttons.new_group", "gn"),
        ("buttons.announce", "an"),
    ],
    "chair": [
        ("buttons.my_group", "mg"),
    ],
    "member": [
        ("buttons.my_group", "mg"),
    ],
    "newcomer": [],
}
