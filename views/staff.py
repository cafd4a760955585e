"""A staff member's role and area in words ("Koordinator PKH Kota Banjar"), for her menu,
her help and her staff screens."""

from __future__ import annotations

from content.texts import t
from storage.actors import Actor


def staff_title(lang: str, actor: Actor) -> str:
    """Her role and area, or "" for someone who is not staff (a chair, a member)."""
    if actor.is_coordinator:
        role = "coordinator"
    elif actor.is_facilitator:
        role = "facilitator"
    elif actor.is_viewer:
        role = "viewer"
    else:
        return ""
    if actor.area_names:
        return t(lang, f"staff.title_{role}_in", areas="; ".join(actor.area_names))
    return t(lang, f"staff.title_{role}")
