"""t.me links that carry an invite token."""

from __future__ import annotations


def start_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"


def group_chat_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?startgroup={token}"
