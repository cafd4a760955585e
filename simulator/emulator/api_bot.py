"""Bot-level methods: identity, update delivery settings, commands and menu buttons."""

from __future__ import annotations

import json
from typing import Any

import simulator.emulator.validate as validate

from .errors import ApiError, bad_request
from .params import Params
from .registry import api_method
from .state import JSON
from .world import World

WEBHOOK_CONFLICT = ApiError(
    409,
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first",
)


@api_method("getMe")
async def get_me(world: World, params: Params) -> JSON:
    return {
        **world.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": not world.privacy_mode,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api_method("getUpdates")
async def get_updates(world: World, params: Params) -> list[JSON]:
    if world.webhook.get("url"):
        raise WEBHOOK_CONFLICT
    return await world.updates.fetch(
        offset=params.get_int("offset"),
        limit=params.get_int("limit", 100) or 100,
        poll_seconds=float(params.get_int("timeout", 0) or 0),
        allowed=params.get_json("allowed_updates"),
    )


@api_method("setWebhook")
async def set_webhook(world: World, params: Params) -> bool:
    url = params.get_str("url") or ""
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if params.get_bool("drop_pending_updates"):
        world.updates.drop_all()
    allowed = params.get_json("allowed_updates")
    world.webhook = {
        "url": url,
        "max_connections": params.get_int("max_connections", 40),
        "secret_token": params.get_str("secret_token"),
    }
    if allowed is not None:
        world.webhook["allowed_updates"] = allowed
    return True


@api_method("deleteWebhook")
async def delete_webhook(world: World, params: Params) -> bool:
    if params.get_bool("drop_pending_updates"):
        world.updates.drop_all()
    world.webhook = {}
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(world: World, params: Params) -> JSON:
    info: JSON = {
        "url": world.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates.pending),
    }
    for key in ("max_connections", "allowed_updates"):
        if world.webhook.get(key) is not None:
            info[key] = world.webhook[key]
    return info


def command_key(params: Params) -> tuple[str, str]:
    """Commands are stored per (scope, language_code); scopes compare as canonical JSON."""
    scope: Any = params.get_json("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get_str("language_code") or ""


@api_method("setMyCommands")
async def set_my_commands(world: World, params: Params) -> bool:
    world.commands[command_key(params)] = validate.commands(params.get_json("commands"))
    return True


@api_method("getMyCommands")
async def get_my_commands(world: World, params: Params) -> list[dict[str, str]]:
    return world.commands.get(command_key(params), [])


@api_method("deleteMyCommands")
async def delete_my_commands(world: World, params: Params) -> bool:
    world.commands.pop(command_key(params), None)
    return True


@api_method("setChatMenuButton")
async def set_chat_menu_button(world: World, params: Params) -> bool:
    button = params.get_json("menu_button") or {"type": "default"}
    if params.has("chat_id"):
        world.find_chat(params.chat_id()).menu_button = button
    else:
        world.default_menu_button = button
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(world: World, params: Params) -> JSON:
    if params.has("chat_id"):
        button = world.find_chat(params.chat_id()).menu_button
        if button is not None:
            return button
    return world.default_menu_button


@api_method("close")
async def close(world: World, params: Params) -> bool:
    return True


@api_method("logOut")
async def log_out(world: World, params: Params) -> bool:
    return True
