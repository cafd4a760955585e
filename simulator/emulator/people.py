"""Simulated people: what users do in Telegram, turned into the updates the bot receives."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from .api_chats import my_chat_member
from .state import JSON, BotStatus, Chat, ChatType, SentMessage, User
from .world import PendingCallback, World

ReplyRef = SentMessage | JSON | int | None
_group_ids = itertools.count(1)


def chat_for(world: World, user: User, chat: Chat | None) -> Chat:
    return chat if chat is not None else private_chat(world, user)


def private_chat(world: World, user: User) -> Chat:
    chat = world.chats.get(user.id)
    if chat is None:
        chat = Chat(id=user.id, type="private", user=user)
        world.chats[user.id] = chat
    return chat


def new_group(
    world: World,
    title: str,
    chat_id: int | None,
    chat_type: ChatType,
    bot_status: BotStatus,
    creator: User | None,
) -> Chat:
    if chat_id is None:
        # Real ids: basic groups look like -4xxxxxxxxx, supergroups like -100xxxxxxxxxx.
        number = next(_group_ids)
        chat_id = (
            -(1_000_000_000_000 + number)
            if chat_type == "supergroup"
            else -(4_000_000_000 + number)
        )
    chat = Chat(id=chat_id, type=chat_type, title=title, bot_status=bot_status)
    if creator is not None:
        chat.members[creator.id] = "creator"
    world.chats[chat_id] = chat
    return chat


def command_entities(text: str) -> list[JSON]:
    if not text.startswith("/"):
        return []
    length = len(text.split(maxsplit=1)[0])
    return [{"type": "bot_command", "offset": 0, "length": length}]


def reply_id(reply_to: ReplyRef) -> int | None:
    if isinstance(reply_to, SentMessage):
        return reply_to.message_id
    if isinstance(reply_to, dict):
        return int(reply_to["message_id"])
    return reply_to


def is_for_bot(world: World, chat: Chat, message: JSON) -> bool:
    """Privacy mode: in groups the bot only sees commands, replies to it and service messages."""
    if chat.type == "private" or not world.privacy_mode or chat.bot_status == "administrator":
        return True
    text = message.get("text", "")
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        return "@" not in command or command.endswith(f"@{world.bot.username}")
    replied = message.get("reply_to_message") or {}
    if replied.get("from", {}).get("id") == world.bot.id:
        return True
    return not any(key in message for key in ("text", "caption", "document", "photo", "sticker"))


class UserActions:
    """Mixed into FakeTelegram; every action enqueues the updates Telegram would send."""

    world: World

    # -- people and chats -----------------------------------------------------------------

    def user(
        self,
        id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
    ) -> User:
        user = User(id, first_name, last_name, username, language_code)
        self.world.users[id] = user
        private_chat(self.world, user)
        return user

    def private_chat(self, user: User) -> Chat:
        return private_chat(self.world, user)

    def group(
        self,
        title: str,
        chat_id: int | None = None,
        type: ChatType = "group",
        *,
        bot_status: BotStatus = "left",
        creator: User | None = None,
        members: Sequence[User] = (),
    ) -> Chat:
        """A group; the bot is not in it until add_bot_to_group (or bot_status="member")."""
        chat = new_group(self.world, title, chat_id, type, bot_status, creator)
        for member in members:
            chat.members.setdefault(member.id, "member")
        return chat

    def set_member_status(self, group: Chat, user: User, status: str) -> None:
        """creator / administrator / member / left / kicked, as getChatMember will report."""
        group.members[user.id] = status

    # -- messages -------------------------------------------------------------------------

    async def send_message(
        self, user: User, content: JSON, chat: Chat | None = None, reply_to: ReplyRef = None
    ) -> JSON:
        """Deliver any message content (text, document, location...) from the user."""
        chat = chat_for(self.world, user, chat)
        message: JSON = {
            "message_id": chat.new_message_id(),
            "from": user.to_api(),
            "chat": chat.to_api(),
            "date": self.world.now(),
            **content,
        }
        replied = reply_id(reply_to)
        if replied is not None:
            target = self.world.message_api(chat.id, replied)
            if target is None:
                raise ValueError(f"no message {replied} in chat {chat.id} to reply to")
            message["reply_to_message"] = target
        await self._deliver(chat, user, message)
        return message

    async def _deliver(self, chat: Chat, user: User, message: JSON) -> None:
        self.world.user_messages[(chat.id, message["message_id"])] = message
        if chat.type == "private":
            if chat.blocked:
                # Writing to a blocked bot unblocks it in Telegram clients.
                await self.unblock_bot(user)
            chat.started = True
        elif chat.bot_status in ("left", "kicked") or not is_for_bot(self.world, chat, message):
            return
        await self.world.updates.push("message", message)

    async def send_text(
        self, user: User, text: str, chat: Chat | None = None, reply_to: ReplyRef = None
    ) -> JSON:
        content: JSON = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return await self.send_message(user, content, chat, reply_to)

    async def send_document(
        self,
        user: User,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        chat: Chat | None = None,
        caption: str | None = None,
    ) -> JSON:
        stored = self.world.add_file("documents", filename, mime_type, content)
        body: JSON = {"document": stored.document_api()}
        if caption:
            body["caption"] = caption
        return await self.send_message(user, body, chat)

    async def send_photo(
        self,
        user: User,
        content: bytes = b"\xff\xd8\xff\xe0fake-jpeg",
        chat: Chat | None = None,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> JSON:
        stored = self.world.add_file("photos", "photo.jpg", "image/jpeg", content)
        body: JSON = {"photo": stored.photo_api()}
        if caption:
            body["caption"] = caption
        if media_group_id is not None:
            body["media_group_id"] = media_group_id
        return await self.send_message(user, body, chat)

    async def send_album(self, user: User, count: int, chat: Chat | None = None) -> list[JSON]:
        """Several photos sent at once: Telegram delivers one message each, sharing a
        media_group_id, all at the same moment."""
        album = str(10_000_000_000 + self.world.next_id())
        return [
            await self.send_photo(user, f"photo {index}".encode(), chat, media_group_id=album)
            for index in range(count)
        ]

    async def send_sticker(self, user: User, emoji: str = "👍", chat: Chat | None = None) -> JSON:
        stored = self.world.add_file("stickers", "sticker.webp", "image/webp", b"RIFFfake")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self.send_message(user, {"sticker": sticker}, chat)

    async def send_location(
        self, user: User, latitude: float, longitude: float, chat: Chat | None = None
    ) -> JSON:
        location = {"latitude": latitude, "longitude": longitude}
        return await self.send_message(user, {"location": location}, chat)

    async def send_contact(self, user: User, phone_number: str, chat: Chat | None = None) -> JSON:
        contact = {"phone_number": phone_number, "first_name": user.first_name, "user_id": user.id}
        return await self.send_message(user, {"contact": contact}, chat)

    # -- buttons and polls ------------------------------------------------------------------

    async def press(
        self, user: User, message: SentMessage, callback_data: str, *, forged: bool = False
    ) -> str:
        """Press an inline button (by callback_data, or by its text); returns the query id.

        `forged=True` sends the data as given, as a crafted client can, button or not."""
        if message.deleted:
            raise ValueError(f"message {message.message_id} was deleted")
        data = callback_data if forged else _button_data(message, callback_data)
        query_id = str(8_000_000_000_000 + self.world.next_id())
        chat = self.world.chats[message.chat_id]
        payload: JSON = {
            "id": query_id,
            "from": user.to_api(),
            "message": message.to_api(self.world.bot, chat),
            "chat_instance": str(abs(chat.id) * 7919),
            "data": data,
        }
        self.world.callbacks[query_id] = PendingCallback(user, message, data)
        await self.world.updates.push("callback_query", payload)
        return query_id

    async def answer_poll(
        self, user: User, poll_message: SentMessage, option_ids: Sequence[int]
    ) -> None:
        poll = poll_message.poll
        if poll is None or poll["is_closed"]:
            raise ValueError("no open poll in that message")
        voters = self.world.poll_votes.setdefault(poll["id"], {})
        for option in voters.pop(user.id, []):
            poll["options"][option]["voter_count"] -= 1
        for option in option_ids:
            poll["options"][option]["voter_count"] += 1
        if option_ids:
            voters[user.id] = list(option_ids)
        poll["total_voter_count"] = len(voters)
        if not poll["is_anonymous"]:
            answer = {
                "poll_id": poll["id"],
                "user": user.to_api(),
                "option_ids": list(option_ids),
                "option_persistent_ids": [str(i) for i in option_ids],
            }
            await self.world.updates.push("poll_answer", answer)
        await self.world.updates.push("poll", dict(poll))

    # -- membership -------------------------------------------------------------------------

    async def _bot_status(self, chat: Chat, actor: User, new: BotStatus) -> None:
        old = chat.bot_status
        chat.bot_status = new
        await self.world.updates.push(
            "my_chat_member", my_chat_member(self.world, chat, actor, old, new)
        )

    async def add_bot_to_group(
        self, user: User, group: Chat, start_param: str | None = None, as_admin: bool = False
    ) -> None:
        """my_chat_member left->member, then new_chat_members, then the ?startgroup= /start."""
        group.members.setdefault(user.id, "member")
        await self._bot_status(group, user, "administrator" if as_admin else "member")
        await self.send_message(user, {"new_chat_members": [self.world.bot.to_api()]}, group)
        if start_param is not None:
            await self.send_text(user, f"/start@{self.world.bot.username} {start_param}", group)

    async def remove_bot_from_group(self, user: User, group: Chat) -> None:
        await self._bot_status(group, user, "kicked")

    async def block_bot(self, user: User) -> None:
        chat = private_chat(self.world, user)
        chat.blocked = True
        await self.world.updates.push(
            "my_chat_member", my_chat_member(self.world, chat, user, "member", "kicked")
        )

    async def unblock_bot(self, user: User) -> None:
        chat = private_chat(self.world, user)
        chat.blocked = False
        await self.world.updates.push(
            "my_chat_member", my_chat_member(self.world, chat, user, "kicked", "member")
        )

    unblock = unblock_bot

    async def migrate_group(self, group: Chat, user: User | None = None) -> Chat:
        """Upgrade to a supergroup; the old id then answers 400 with migrate_to_chat_id."""
        actor = user or self._some_member(group)
        super_id = -(1_000_000_000_000 + abs(group.id))
        supergroup = Chat(
            id=super_id, type="supergroup", title=group.title, bot_status=group.bot_status
        )
        supergroup.members.update(group.members)
        self.world.chats[super_id] = supergroup
        await self.send_message(actor, {"migrate_to_chat_id": super_id}, group)
        await self.send_message(actor, {"migrate_from_chat_id": group.id}, supergroup)
        group.migrated_to = super_id
        return supergroup

    def _some_member(self, group: Chat) -> User:
        for user_id, status in group.members.items():
            if status in ("creator", "administrator", "member"):
                return self.world.users[user_id]
        raise ValueError("migrate_group needs a user: the group has no known members")


def _button_data(message: SentMessage, wanted: str) -> str:
    rows: list[list[Any]] = (message.reply_markup or {}).get("inline_keyboard") or []
    buttons = [button for row in rows for button in row if "callback_data" in button]
    for button in buttons:
        if button["callback_data"] == wanted:
            return str(wanted)
    for button in buttons:
        if button["text"] == wanted:
            return str(button["callback_data"])
    raise ValueError(
        f"message {message.message_id} has no button {wanted!r}; "
        f"buttons: {[(b['text'], b['callback_data']) for b in buttons]}"
    )
