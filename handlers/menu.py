"""/start without a link, /help, /bahasa, /batal: the entry points everyone has."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from content.texts import LANGUAGES, catalogue
from handlers.base import Request, action, on_button
from handlers.context import BotContext
from handlers.meetings.common import example_date
from handlers.menu_items import MENU_ITEMS
from storage import people
from storage.roles import Role
from views.buttons import CHOOSE_LANGUAGE, MENU_CANCEL, SET_LANGUAGE, SHOW_HELP, SHOW_MENU
from views.commands import MENUS
from views.keyboards import button, column, rows
from views.screen import Screen
from views.staff import staff_title

# Steps whose cancel asks first (a half-written complaint): step -> what to ask instead.
# Feature modules add their steps here when imported.
CANCEL_CONFIRMS: dict[str, Callable[[Request], Awaitable[None]]] = {}


def main_menu(request: Request) -> Screen:
    """The greeting and buttons for the sender's strongest role."""
    actor, t = request.actor, request.t
    role = actor.role
    items = [button(t(key), action) for key, action in MENU_ITEMS[role]]
    common = [button(t("buttons.language"), CHOOSE_LANGUAGE), button(t("buttons.help"), SHOW_HELP)]
    text = t(f"menu.{role}", name=actor.name)
    title = staff_title(request.lang, actor)
    if title:
        text += "\n" + t("menu.staff_title", title=title)
    return Screen(text, rows(*column(items, 2), common))


@action()
async def show_menu(request: Request) -> None:
    """Show the main menu for the sender's role."""
    await request.show(main_menu(request))


def help_key(request: Request) -> str:
    return f"help.{request.actor.role}"


@action(private_only=False)
async def show_help(request: Request) -> None:
    """Explain what this person can do, in their role."""
    if not request.is_private:
        await request.say(Screen(request.t("help.group", bot=request.data.bot_username)))
        return
    example = await example_date(request, request.data.settings.timezone)
    title = staff_title(request.lang, request.actor)
    await request.show(
        Screen(
            (request.t("menu.staff_title", title=title) + "\n" if title else "")
            + request.t(help_key(request), example=example),
            rows([button(request.t("buttons.menu"), SHOW_MENU)]),
        ),
    )


@action(private_only=False)
async def choose_language(request: Request) -> None:
    """Offer the languages as buttons."""
    markup = rows(
        [
            button(request.t(f"language.{code}"), SET_LANGUAGE, index)
            for index, code in enumerate(LANGUAGES)
        ]
    )
    await request.show(Screen(request.t("language.choose"), markup))


@action(private_only=False)
async def set_language(request: Request) -> None:
    """Store the chosen language and answer in it."""
    callback = request.pressed
    index = callback["language"] if callback.args else -1
    if not 0 <= index < len(LANGUAGES):
        await request.refuse("errors.stale_button")
        return
    await people.set_language(request.data.db, request.actor.person_id, LANGUAGES[index])
    request.actor = replace(request.actor, language=LANGUAGES[index])
    await request.show(main_menu(request).above(request.t("language.set")))


@action(private_only=False)
async def cancel(request: Request) -> None:
    """Drop whatever the person was in the middle of, and say so."""
    confirm = CANCEL_CONFIRMS.get(request.pending.awaiting or "")
    if confirm is not None and request.is_private:
        await confirm(request)
        return
    had_pending = request.pending.awaiting is not None
    await request.expect(None)
    key = "cancel.done" if had_pending else "cancel.nothing"
    if request.is_private:
        await request.show(main_menu(request).above(request.t(key)))
    else:
        await request.say(Screen(request.t(key)))


@action(private_only=False)
async def unknown_command(request: Request) -> None:
    """A command we do not know: say so and point to /help."""
    if request.is_private:
        await request.say(
            Screen(
                request.t("errors.unknown_command"),
                rows([button(request.t("buttons.menu"), SHOW_MENU)]),
            ),
        )


@action(private_only=False)
async def stale_button(request: Request) -> None:
    """A button nobody handles (old message or forged data): explain, offer the menu."""
    await request.refuse("errors.stale_button")


def check_every_role_served() -> None:
    """At start-up: every role has a command menu, main-menu buttons, a greeting and a help."""
    problems = [f"{role}: no command menu" for role in Role if role not in MENUS]
    problems += [f"{role}: no menu buttons" for role in Role if role not in MENU_ITEMS]
    for lang in LANGUAGES:
        texts = catalogue(lang)
        problems += [
            f"{role}: no {key} in {lang}"
            for role in Role
            for key in (f"menu.{role}", f"help.{role}")
            if key not in texts
        ]
    if problems:
        raise RuntimeError("roles not fully served: " + "; ".join(problems))


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler(["help", "bantuan"], show_help),
        CommandHandler("bahasa", choose_language),
        CommandHandler(["batal", "cancel"], cancel),
        on_button(SHOW_MENU, show_menu),
        on_button(SHOW_HELP, show_help),
        on_button(CHOOSE_LANGUAGE, choose_language),
        on_button(SET_LANGUAGE, set_language),
        on_button(MENU_CANCEL, cancel),
    ]
