"""Documents, photos, file downloads and polls."""

from __future__ import annotations

from typing import Any

import simulator.emulator.validate as validate

from .api_messages import finish, new_message
from .errors import bad_request
from .params import Params
from .registry import api_method
from .state import JSON, StoredFile
from .world import World

MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files, as the cloud Bot API does


def input_file(world: World, params: Params, field: str, kind: str) -> StoredFile:
    """An upload, an attach:// reference, a known file_id or an HTTP URL."""
    upload = params.uploads.get(field)
    reference = params.get_str(field) or ""
    if upload is None and reference.startswith("attach://"):
        upload = params.uploads.get(reference.removeprefix("attach://"))
    if upload is not None:
        if not upload.content:
            raise bad_request("file must be non-empty")
        return world.add_file(kind, upload.filename, upload.content_type, upload.content)
    if reference in world.files:
        return world.files[reference]
    if reference.startswith(("http://", "https://")):
        stored = world.add_file(kind, reference.rsplit("/", 1)[-1], None, None)
        stored.url = reference
        return stored
    raise bad_request("wrong file identifier/HTTP URL specified")


async def send_media(world: World, params: Params, method: str, field: str, kind: str) -> JSON:
    chat = world.writable_chat(params.chat_id())
    parse_mode = params.get_str("parse_mode")
    caption = params.get_str("caption")
    parsed = validate.caption_text(
        caption, parse_mode, params.get_json("caption_entities"), world.strict_ampersand
    )
    message = new_message(world, params, chat, method)
    stored = input_file(world, params, field, kind)
    if field == "photo":
        message.photo = stored
    else:
        message.document = stored
    message.caption = caption or ""
    message.parse_mode = parse_mode
    message.plain = parsed.plain if parsed else ""
    message.entities = parsed.entities if parsed else []
    return await finish(world, chat, message)


@api_method("sendDocument")
async def send_document(world: World, params: Params) -> JSON:
    return await send_media(world, params, "sendDocument", "document", "documents")


@api_method("sendPhoto")
async def send_photo(world: World, params: Params) -> JSON:
    return await send_media(world, params, "sendPhoto", "photo", "photos")


@api_method("getFile")
async def get_file(world: World, params: Params) -> JSON:
    stored = world.files.get(params.require_str("file_id"))
    if stored is None or stored.content is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


def poll_options(raw: Any) -> list[str]:
    """PTB sends InputPollOption objects; older clients send plain strings."""
    if not isinstance(raw, list):
        raise bad_request("poll options must be an array")
    return [item.get("text", "") if isinstance(item, dict) else str(item) for item in raw]


def correct_options(params: Params, option_count: int) -> list[int]:
    ids = params.get_json("correct_option_ids")
    if ids is None and params.has("correct_option_id"):
        ids = [params.get_int("correct_option_id")]
    ids = ids or []
    if not ids:
        raise bad_request("QUIZ_CORRECT_ANSWERS_EMPTY")
    if any(not isinstance(i, int) or not 0 <= i < option_count for i in ids):
        raise bad_request("QUIZ_CORRECT_ANSWER_INVALID")
    return list(ids)


def build_poll(world: World, params: Params) -> JSON:
    question = params.get_str("question")
    options = poll_options(params.get_json("options"))
    validate.poll(question, options)
    kind = params.get_str("type") or "regular"
    poll: JSON = {
        "id": str(5_000_000_000 + world.next_id()),
        "question": question,
        "options": [
            {"text": text, "voter_count": 0, "persistent_id": str(index)}
            for index, text in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": params.get_bool("is_closed"),
        "is_anonymous": params.get_bool("is_anonymous", True),
        "type": kind,
        "allows_multiple_answers": params.get_bool("allows_multiple_answers"),
        "allows_revoting": kind != "quiz",
        "members_only": False,
    }
    if kind == "quiz":
        if poll["allows_multiple_answers"]:
            raise bad_request("QUIZ_MULTIPLE_INVALID")
        ids = correct_options(params, len(options))
        poll["correct_option_ids"] = ids
        explanation = validate.quiz_explanation(
            params.get_str("explanation"),
            params.get_str("explanation_parse_mode"),
            params.get_json("explanation_entities"),
            world.strict_ampersand,
        )
        if explanation is not None:
            poll["explanation"] = explanation.plain
    elif kind != "regular":
        raise bad_request("poll type is invalid")
    return poll


@api_method("sendPoll")
async def send_poll(world: World, params: Params) -> JSON:
    chat = world.writable_chat(params.chat_id())
    poll = build_poll(world, params)
    message = new_message(world, params, chat, "sendPoll")
    message.poll = poll
    reply = await finish(world, chat, message)
    world.polls[poll["id"]] = message
    return reply


@api_method("stopPoll")
async def stop_poll(world: World, params: Params) -> JSON:
    chat = world.reachable_chat(params.chat_id())
    message = world.bot_message(chat.id, params.require_int("message_id"))
    if message is None or message.poll is None:
        raise bad_request("message with poll to stop not found")
    if message.poll["is_closed"]:
        raise bad_request("poll has already been closed")
    message.poll["is_closed"] = True
    if params.has("reply_markup"):
        message.reply_markup = validate.reply_markup(params.get_json("reply_markup"))
    await world.record("edited", message)
    # Bots get a poll update when their own poll closes.
    await world.updates.push("poll", dict(message.poll))
    return dict(message.poll)
