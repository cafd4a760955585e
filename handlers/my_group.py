"""Members and chairs: the group they belong to, without anyone's identifiers."""

from __future__ import annotations

from bot.keyboards import button, rows
from handlers.base import Request, action
from storage import membership


@action()
async def show_my_groups(request: Request) -> None:
    """The member's group(s): name, facilitator, chair, usual venue."""
    found = await membership.my_groups(request.data.db, request.actor)
    if not found:
        await request.show(
            request.t("my_group.none"), rows([button(request.t("buttons.menu"), "mn")])
        )
        return
    parts = [
        request.t(
            "my_group.card",
            group=g.name,
            code=g.code,
            facilitator=g.facilitator,
            chair=g.chair or request.t("groups.no_chair"),
            venue=g.venue or "-",
            member=g.member_name,
        )
        for g in found
    ]
    await request.show("\n\n".join(parts), rows([button(request.t("buttons.menu"), "mn")]))
