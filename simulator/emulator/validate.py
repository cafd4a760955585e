"""Telegram's limits and content checks for message text, keyboards, polls and commands."""

from __future__ import annotations

import re
from typing import Any

from .errors import bad_request
from .parse_html import parse_html
from .parse_markdown import parse_markdown_legacy, parse_markdown_v2
from .text import Parsed

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
# Bot API reference: answerCallbackQuery "text ... 0-200 characters"; sendPoll "explanation
# ... 0-200 characters with at most 2 line feeds after entities parsing".
MAX_CALLBACK_ANSWER = 200
MAX_QUIZ_EXPLANATION = 200
MAX_EXPLANATION_LINE_FEEDS = 2
MAX_POLL_QUESTION = 300
MAX_POLL_OPTION = 100
MAX_POLL_OPTIONS = 12
MAX_COMMANDS = 100
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_URL_RE = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)


def parse_text(
    text: str, parse_mode: str | None, entities: Any = None, strict_ampersand: bool = True
) -> Parsed:
    """Apply the parse mode the way Telegram does; explicit entities win over parse_mode."""
    mode = (parse_mode or "").lower()
    if entities:
        parsed = Parsed(text, list(entities))
    elif mode == "html":
        parsed = parse_html(text, strict_ampersand)
    elif mode == "markdownv2":
        parsed = parse_markdown_v2(text)
    elif mode == "markdown":
        parsed = parse_markdown_legacy(text)
    elif mode == "":
        parsed = Parsed(text)
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return parsed.stripped()


def message_text(
    text: str | None, parse_mode: str | None, entities: Any, strict: bool = True
) -> Parsed:
    if not text:
        raise bad_request("message text is empty")
    parsed = parse_text(text, parse_mode, entities, strict)
    if not parsed.plain:
        raise bad_request("message text is empty")
    # The limit applies after entity parsing, so markup does not count against it.
    if len(parsed.plain) > MAX_TEXT:
        raise bad_request("message is too long")
    return parsed


def caption_text(
    caption: str | None, parse_mode: str | None, entities: Any, strict: bool = True
) -> Parsed | None:
    if not caption:
        return None
    parsed = parse_text(caption, parse_mode, entities, strict)
    if len(parsed.plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return parsed


def callback_answer(text: str | None) -> None:
    if text and len(text) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")


def quiz_explanation(
    text: str | None, parse_mode: str | None, entities: Any, strict: bool = True
) -> Parsed | None:
    if not text:
        return None
    parsed = parse_text(text, parse_mode, entities, strict)
    too_many_lines = parsed.plain.count("\n") > MAX_EXPLANATION_LINE_FEEDS
    if len(parsed.plain) > MAX_QUIZ_EXPLANATION or too_many_lines:
        raise bad_request("explanation is too long")
    return parsed


def reply_markup(markup: Any) -> dict[str, Any] | None:
    """Check the four keyboard kinds; raise with Telegram's wording on bad input."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _reply_keyboard(markup["keyboard"])
    elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _rows(rows: Any, field_name: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{field_name}" of the ReplyMarkup must be an Array of Arrays')
    return rows


def _inline_keyboard(rows: Any) -> None:
    for row in _rows(rows, "inline_keyboard"):
        for button in row:
            _inline_button(button)


def _inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    elif "url" in button:
        if not _URL_RE.match(str(button["url"])):
            raise bad_request("BUTTON_URL_INVALID")
    elif not any(key in button for key in _OTHER_INLINE_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


_OTHER_INLINE_ACTIONS = (
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _reply_keyboard(rows: Any) -> None:
    for row in _rows(rows, "keyboard"):
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text:
                raise bad_request("can't parse keyboard button: Text must be non-empty")


def poll(question: str | None, options: list[str]) -> None:
    if not question:
        raise bad_request("poll question must be non-empty")
    if len(question) > MAX_POLL_QUESTION:
        raise bad_request(f"poll question length must not exceed {MAX_POLL_QUESTION}")
    if len(options) < 2:
        raise bad_request("poll must have at least 2 option")
    if len(options) > MAX_POLL_OPTIONS:
        raise bad_request(f"poll can't have more than {MAX_POLL_OPTIONS} options")
    for option in options:
        if not option:
            raise bad_request("poll options must be non-empty")
        if len(option) > MAX_POLL_OPTION:
            raise bad_request(f"poll options length must not exceed {MAX_POLL_OPTION}")


def commands(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in value:
        if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(command.get("description") or "")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return [{"command": c["command"], "description": c["description"]} for c in value]
