"""/materi: anyone browses the P2K2 modules, their sessions, and a session's summary."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from content.session_render import render_summary, session_button, supplementary
from content.sessions import get_session, modules
from handlers.base import Request, action, on_button
from handlers.context import BotContext
from views.buttons import SHOW_MENU, SHOW_MODULE, SHOW_MODULES, SHOW_SESSION
from views.keyboards import button, column, rows
from views.screen import Screen


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("materi", show_modules),
        on_button(SHOW_MODULES, show_modules),
        on_button(SHOW_MODULE, show_module),
        on_button(SHOW_SESSION, show_session),
    ]


@action(private_only=False)
async def show_modules(request: Request) -> None:
    """The modules as buttons."""
    found = modules(request.lang)
    buttons = [
        button(
            request.t(
                "materials.supplementary_button" if supplementary(m) else "materials.module_button",
                number=m.number,
                title=m.title,
            ),
            SHOW_MODULE,
            m.number,
        )
        for m in found
    ]
    extra = [button(request.t("buttons.menu"), SHOW_MENU)] if request.is_private else []
    await request.show(Screen(request.t("materials.modules"), rows(*column(buttons, 1), extra)))


@action(private_only=False)
async def show_module(request: Request) -> None:
    """One module's sessions as buttons."""
    number = request.pressed["module"]
    module = next((m for m in modules(request.lang) if m.number == number), None)
    if module is None:
        await request.refuse("errors.stale_button")
        return
    buttons = [button(session_button(s), SHOW_SESSION, s.number) for s in module.sessions]
    await request.show(
        Screen(
            request.t(
                "materials.supplementary_module" if supplementary(module) else "materials.module",
                number=module.number,
                title=module.title,
            ),
            rows(*column(buttons, 1), [button(request.t("materials.all_modules"), SHOW_MODULES)]),
        ),
    )


@action(private_only=False)
async def show_session(request: Request) -> None:
    """A session's summary, key messages, discussion questions and home activity."""
    try:
        session = get_session(request.pressed["session"], request.lang)
    except KeyError:
        await request.refuse("errors.stale_button")
        return
    await request.show(
        Screen(
            render_summary(session, request.lang),
            rows(
                [button(request.t("materials.back_to_module"), SHOW_MODULE, session.module_number)],
                [button(request.t("materials.all_modules"), SHOW_MODULES)],
            ),
        ),
    )
