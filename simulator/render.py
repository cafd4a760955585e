"""What the page draws: every chat of the simulation as plain JSON.

Text goes out as the plain text plus Telegram's message entities, never as HTML: the page
builds DOM nodes from them, so nothing anyone typed can become markup."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from simulator.demo import CAST
from simulator.emulator import Chat, SentMessage, StoredFile
from simulator.simulation import Simulation

JSON = dict[str, Any]
SNIPPET = 80


def state(sim: Simulation, version: int, generation: int) -> JSON:
    zone = ZoneInfo(sim.settings.timezone)
    chats: dict[str, JSON] = {}
    for chat in sim.fake.world.chats.values():
        if chat.type == "private" and chat.user is not None and chat.user.id == sim.fake.bot.id:
            continue
        if chat.migrated_to is not None:
            continue
        chats[str(chat.id)] = chat_view(sim, chat, zone)
    return {
        "version": version,
        "generation": generation,
        "language": sim.language,
        "clock": sim.clock.now().astimezone(zone).isoformat(),
        "timezone": sim.settings.timezone,
        "bot": {
            "id": sim.fake.bot.id,
            "name": sim.fake.bot.first_name,
            "username": sim.fake.bot.username,
        },
        "people": [
            {
                "key": role.key,
                "id": sim.demo.users[role.key].id,
                "name": role.full_name,
                "role": role.role,
                "chats": [chat.id for chat in sim.chats_of(role.key)],
            }
            for role in CAST
        ],
        "chats": chats,
    }


def chat_view(sim: Simulation, chat: Chat, zone: ZoneInfo) -> JSON:
    world = sim.fake.world
    items: list[tuple[int, JSON]] = []
    for (chat_id, message_id), message in world.user_messages.items():
        if chat_id == chat.id:
            items.append((message_id, user_message(sim, message, zone)))
    for sent in world.sent.get(chat.id, []):
        if not sent.deleted:
            items.append((sent.message_id, bot_message(sim, sent, zone)))
    items.sort(key=lambda item: item[0])
    title = chat.title if chat.is_group else sim.fake.bot.first_name
    return {
        "id": chat.id,
        "type": chat.type,
        "title": title,
        "members": sum(s in ("creator", "administrator", "member") for s in chat.members.values()),
        "messages": [view for _, view in items],
        "keyboard": reply_keyboard(world.sent.get(chat.id, [])),
    }


def _moment(sim: Simulation, chat_id: int, message_id: int, zone: ZoneInfo) -> str | None:
    stamp: datetime | None = sim.stamps.get((chat_id, message_id))
    return stamp.astimezone(zone).isoformat() if stamp else None


def user_message(sim: Simulation, message: JSON, zone: ZoneInfo) -> JSON:
    sender = message.get("from") or {}
    view: JSON = {
        "id": message["message_id"],
        "from": {"id": sender.get("id"), "name": _name(sender), "is_bot": False},
        "date": _moment(sim, message["chat"]["id"], message["message_id"], zone),
        "text": message.get("text") or message.get("caption") or "",
        "entities": message.get("entities") or message.get("caption_entities") or [],
    }
    if "photo" in message:
        view["photo"] = message["photo"][-1]["file_id"]
    if "document" in message:
        document = message["document"]
        view["document"] = {
            "file_id": document["file_id"],
            "name": document.get("file_name") or "file",
            "size": document.get("file_size") or 0,
            "mime": document.get("mime_type") or "",
        }
    if "new_chat_members" in message:
        view["service"] = {
            "kind": "joined",
            "names": [_name(user) for user in message["new_chat_members"]],
        }
    replied = message.get("reply_to_message")
    if replied:
        view["reply_to"] = quote(replied)
    return view


def bot_message(sim: Simulation, sent: SentMessage, zone: ZoneInfo) -> JSON:
    bot = sim.fake.bot
    view: JSON = {
        "id": sent.message_id,
        "from": {"id": bot.id, "name": bot.first_name, "is_bot": True},
        "date": _moment(sim, sent.chat_id, sent.message_id, zone),
        "text": sent.plain or "",
        "entities": sent.entities,
        "edited": bool(sent.edits),
        "buttons": inline_buttons(sent.reply_markup),
    }
    if sent.photo is not None:
        view["photo"] = sent.photo.file_id if sent.photo.content else None
        view["photo_url"] = sent.photo.url
    if sent.document is not None:
        view["document"] = document(sent.document)
    if sent.poll is not None:
        view["poll"] = poll(sim, sent.poll)
    for kind in ("location", "sticker", "contact", "venue"):
        if kind in sent.extra:
            view["other"] = kind
    if sent.reply_to_message_id:
        replied = sim.fake.world.message_api(sent.chat_id, sent.reply_to_message_id)
        if replied:
            view["reply_to"] = quote(replied)
    return view


def document(stored: StoredFile) -> JSON:
    return {
        "file_id": stored.file_id if stored.content else None,
        "url": stored.url,
        "name": stored.filename or "file",
        "size": stored.size,
        "mime": stored.mime_type or "",
    }


def poll(sim: Simulation, data: JSON) -> JSON:
    votes = sim.fake.world.poll_votes.get(data["id"], {})
    return {
        "question": data["question"],
        "type": data["type"],
        "anonymous": data["is_anonymous"],
        "closed": data["is_closed"],
        "options": [
            {"text": option["text"], "voters": option["voter_count"]} for option in data["options"]
        ],
        "total": data["total_voter_count"],
        "correct": data.get("correct_option_ids") or [],
        "explanation": data.get("explanation"),
        # Each person's own choice, so their phone can show what they picked.
        "votes": {str(user_id): options for user_id, options in votes.items()},
    }


def inline_buttons(markup: JSON | None) -> list[list[JSON]]:
    rows: list[list[Any]] = (markup or {}).get("inline_keyboard") or []
    result: list[list[JSON]] = []
    for row in rows:
        buttons: list[JSON] = []
        for button in row:
            item: JSON = {"text": button.get("text", "")}
            if "callback_data" in button:
                item["data"] = button["callback_data"]
            elif "url" in button:
                item["url"] = button["url"]
            buttons.append(item)
        result.append(buttons)
    return result


def reply_keyboard(sent: list[SentMessage]) -> list[list[str]] | None:
    """The custom keyboard under the input field: the newest one the bot sent or removed."""
    for message in reversed(sent):
        markup = message.reply_markup or {}
        if markup.get("remove_keyboard"):
            return None
        if "keyboard" in markup:
            return [
                [b if isinstance(b, str) else str(b.get("text", "")) for b in row]
                for row in markup["keyboard"]
            ]
    return None


def quote(message: JSON) -> JSON:
    sender = message.get("from") or {}
    text = message.get("text") or message.get("caption") or ""
    kinds = ("photo", "document", "poll", "sticker")
    return {
        "id": message.get("message_id"),
        "name": _name(sender),
        "text": text[:SNIPPET],
        "kind": next((kind for kind in kinds if kind in message), None),
    }


def _name(user: JSON) -> str:
    parts = [user.get("first_name") or "", user.get("last_name") or ""]
    return " ".join(part for part in parts if part)
