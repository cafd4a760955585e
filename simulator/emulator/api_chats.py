"""Chat information, membership and leaving."""

from __future__ import annotations

from .errors import bad_request
from .params import Params
from .registry import api_method
from .state import JSON, Chat, User
from .world import World

# Every flag ChatMemberAdministrator requires; bots in tests are trusted with all of them.
ADMIN_RIGHTS = (
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
)


def member_api(user: User, status: str) -> JSON:
    data: JSON = {"status": status, "user": user.to_api()}
    if status in ("creator", "administrator"):
        data["is_anonymous"] = False
    if status == "administrator":
        data.update(dict.fromkeys(ADMIN_RIGHTS, True))
        data["can_be_edited"] = False
    if status == "kicked":
        data["until_date"] = 0
    return data


def my_chat_member(world: World, chat: Chat, actor: User, old: str, new: str) -> JSON:
    """The my_chat_member update payload for a change of the bot's own status."""
    return {
        "chat": chat.to_api(),
        "from": actor.to_api(),
        "date": world.now(),
        "old_chat_member": member_api(world.bot, old),
        "new_chat_member": member_api(world.bot, new),
    }


@api_method("getChat")
async def get_chat(world: World, params: Params) -> JSON:
    chat = world.find_chat(params.chat_id())
    if chat.is_group and chat.bot_status in ("left", "kicked"):
        raise bad_request("chat not found")
    return {
        **chat.to_api(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


@api_method("getChatMember")
async def get_chat_member(world: World, params: Params) -> JSON:
    chat = world.find_chat(params.chat_id())
    user_id = params.require_int("user_id")
    if user_id == world.bot.id:
        status = "member" if chat.type == "private" else chat.bot_status
        return member_api(world.bot, status)
    user = world.users.get(user_id)
    if user is None:
        raise bad_request("PARTICIPANT_ID_INVALID")
    if chat.type == "private":
        return member_api(user, "member" if chat.id == user_id else "left")
    world.writable_chat(chat.id)
    return member_api(user, chat.members.get(user_id, "left"))


@api_method("getChatAdministrators")
async def get_chat_administrators(world: World, params: Params) -> list[JSON]:
    chat = world.find_chat(params.chat_id())
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    world.writable_chat(chat.id)
    admins = [
        member_api(world.users[user_id], status)
        for user_id, status in chat.members.items()
        if status in ("creator", "administrator")
    ]
    if chat.bot_status == "administrator":
        admins.append(member_api(world.bot, "administrator"))
    return admins


@api_method("leaveChat")
async def leave_chat(world: World, params: Params) -> bool:
    chat = world.find_chat(params.chat_id())
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    world.writable_chat(chat.id)
    old = chat.bot_status
    chat.bot_status = "left"
    await world.updates.push("my_chat_member", my_chat_member(world, chat, world.bot, old, "left"))
    return True
