"""Text messages, edits, deletion, callback answers and chat actions."""

from __future__ import annotations

from typing import Any

import simulator.emulator.validate as validate

from .errors import bad_request
from .params import Params
from .registry import api_method
from .state import JSON, CallbackAnswer, Chat, Edit, SentMessage
from .world import World

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def reply_target(world: World, params: Params, chat: Chat) -> int | None:
    """reply_parameters (current API) or reply_to_message_id (older clients)."""
    reply = params.get_json("reply_parameters") or {}
    message_id = reply.get("message_id") or params.get_int("reply_to_message_id")
    if not message_id:
        return None
    allow_missing = reply.get("allow_sending_without_reply") or params.get_bool(
        "allow_sending_without_reply"
    )
    if world.message_exists(chat.id, int(message_id)):
        return int(message_id)
    if allow_missing:
        return None
    raise bad_request("message to be replied not found")


def new_message(world: World, params: Params, chat: Chat, method: str) -> SentMessage:
    """Fields every send method shares; the message id is assigned by finish()."""
    markup = params.get_json("reply_markup", "can't parse reply keyboard markup JSON object")
    return SentMessage(
        message_id=0,
        chat_id=chat.id,
        date=world.now(),
        method=method,
        reply_markup=validate.reply_markup(markup),
        reply_to_message_id=reply_target(world, params, chat),
        disable_notification=params.get_bool("disable_notification"),
    )


async def finish(world: World, chat: Chat, message: SentMessage) -> JSON:
    """Assign the id only once every check passed, record it and build the API reply."""
    message.message_id = chat.new_message_id()
    await world.record("sent", message)
    return message_reply(world, message)


def message_reply(world: World, message: SentMessage) -> JSON:
    data = message.to_api(world.bot, world.chats[message.chat_id])
    if message.reply_to_message_id:
        replied = world.message_api(message.chat_id, message.reply_to_message_id)
        if replied:
            data["reply_to_message"] = replied
    return data


@api_method("sendMessage")
async def send_message(world: World, params: Params) -> JSON:
    chat = world.writable_chat(params.chat_id())
    parse_mode = params.get_str("parse_mode")
    parsed = validate.message_text(
        params.get_str("text"), parse_mode, params.get_json("entities"), world.strict_ampersand
    )
    message = new_message(world, params, chat, "sendMessage")
    message.text = params.get_str("text")
    message.parse_mode = parse_mode
    message.plain = parsed.plain
    message.entities = parsed.entities
    message.link_preview_options = params.get_json("link_preview_options")
    return await finish(world, chat, message)


def editable(world: World, params: Params) -> SentMessage:
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = world.reachable_chat(params.chat_id())
    message_id = params.require_int("message_id")
    message = world.bot_message(chat.id, message_id)
    if message is None:
        if (chat.id, message_id) in world.user_messages:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return message


def inline_markup(params: Params) -> JSON | None:
    markup = validate.reply_markup(params.get_json("reply_markup"))
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


async def apply_edit(world: World, message: SentMessage, changes: dict[str, Any]) -> JSON:
    """Record the old state, apply changes, or refuse a no-op like Telegram does."""
    if all(getattr(message, key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    message.edits.append(Edit(world.clock(), message.text, message.plain, message.reply_markup))
    for key, value in changes.items():
        setattr(message, key, value)
    await world.record("edited", message)
    return message_reply(world, message)


@api_method("editMessageText")
async def edit_message_text(world: World, params: Params) -> JSON:
    message = editable(world, params)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    parse_mode = params.get_str("parse_mode")
    parsed = validate.message_text(
        params.get_str("text"), parse_mode, params.get_json("entities"), world.strict_ampersand
    )
    # Omitting reply_markup removes the inline keyboard, a classic Telegram surprise.
    changes = {
        "plain": parsed.plain,
        "entities": parsed.entities,
        "reply_markup": inline_markup(params),
    }
    reply = await apply_edit(world, message, changes)
    message.text = params.get_str("text")
    message.parse_mode = parse_mode
    return reply


@api_method("editMessageCaption")
async def edit_message_caption(world: World, params: Params) -> JSON:
    message = editable(world, params)
    if message.text is not None or message.poll is not None:
        raise bad_request("there is no caption in the message to edit")
    parse_mode = params.get_str("parse_mode")
    parsed = validate.caption_text(
        params.get_str("caption"),
        parse_mode,
        params.get_json("caption_entities"),
        world.strict_ampersand,
    )
    changes = {
        "caption": params.get_str("caption") or "",
        "plain": parsed.plain if parsed else "",
        "entities": parsed.entities if parsed else [],
        "reply_markup": inline_markup(params),
    }
    return await apply_edit(world, message, changes)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(world: World, params: Params) -> JSON:
    message = editable(world, params)
    return await apply_edit(world, message, {"reply_markup": inline_markup(params)})


@api_method("deleteMessage")
async def delete_message(world: World, params: Params) -> bool:
    chat = world.reachable_chat(params.chat_id())
    message_id = params.require_int("message_id")
    message = world.bot_message(chat.id, message_id)
    if message is not None:
        message.deleted = True
        await world.record("deleted", message)
        return True
    if (chat.id, message_id) not in world.user_messages:
        raise bad_request("message to delete not found")
    if chat.is_group and chat.bot_status != "administrator":
        raise bad_request("message can't be deleted")
    del world.user_messages[(chat.id, message_id)]
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(world: World, params: Params) -> bool:
    pending = world.callbacks.get(params.require_str("callback_query_id"))
    if pending is None or pending.answer is not None:
        raise bad_request(QUERY_TOO_OLD)
    validate.callback_answer(params.get_str("text"))
    pending.answer = CallbackAnswer(
        text=params.get_str("text"),
        show_alert=params.get_bool("show_alert"),
        url=params.get_str("url"),
        cache_time=params.get_int("cache_time", 0) or 0,
    )
    await world.notify()
    return True


@api_method("sendChatAction")
async def send_chat_action(world: World, params: Params) -> bool:
    world.writable_chat(params.chat_id())
    if params.get_str("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True
