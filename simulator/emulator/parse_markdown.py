"""Telegram's MarkdownV2 and legacy Markdown parse modes, following tdlib's error wording."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import parse_error
from .text import Parsed, TextBuilder, byte_offset

RESERVED = "_*[]()~`>#+-=|{}.!"
# tdlib names entity types this way in "Can't find end of ... entity" errors.
_TYPE_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _Open:
    kind: str
    start: int  # UTF-16 position in the output
    begin: int  # index in the source, for error offsets
    language: str | None = None


class MarkdownV2Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.out = TextBuilder()
        self.stack: list[_Open] = []
        self.quote_start: int | None = None

    def parse(self) -> Parsed:
        while self.i < len(self.text):
            self._step()
        if self.stack:
            top = self.stack[-1]
            raise parse_error(
                f"Can't find end of {_TYPE_NAMES[top.kind]} entity at byte offset "
                f"{byte_offset(self.text, top.begin)}"
            )
        self._end_quote()
        return self.out.result()

    def _at(self, index: int) -> str:
        return self.text[index] if index < len(self.text) else ""

    def _step(self) -> None:
        char = self.text[self.i]
        if char == "\\" and self._at(self.i + 1) and 0 < ord(self._at(self.i + 1)) <= 126:
            self.out.emit(self.text[self.i + 1])
            self.i += 2
            return
        top = self.stack[-1].kind if self.stack else None
        # Inside code only the backtick is special, exactly as in tdlib.
        reserved = "`" if top in ("code", "pre") else RESERVED
        if char == "\n":
            self._newline()
        elif char not in reserved:
            self.out.emit(char)
            self.i += 1
        elif self._ends(top, char):
            self._close()
        elif char == ">" and self._line_start() and not self.stack:
            self._start_quote()
        else:
            self._open(char)

    def _line_start(self) -> bool:
        return self.i == 0 or self.text[self.i - 1] == "\n"

    def _start_quote(self) -> None:
        if self.quote_start is None:
            self.quote_start = self.out.position
        self.i += 1

    def _newline(self) -> None:
        # A block quote ends at the first line that does not start with ">".
        if self.quote_start is not None and self._at(self.i + 1) != ">":
            self._end_quote()
        self.out.emit("\n")
        self.i += 1

    def _end_quote(self) -> None:
        if self.quote_start is not None:
            self.out.close_entity("blockquote", self.quote_start)
            self.quote_start = None

    def _ends(self, top: str | None, char: str) -> bool:
        nxt = self._at(self.i + 1)
        return {
            "bold": char == "*",
            "italic": char == "_" and nxt != "_",
            "underline": char == "_" and nxt == "_",
            "strikethrough": char == "~",
            "spoiler": char == "|" and nxt == "|",
            "code": char == "`",
            "pre": self.text.startswith("```", self.i),
            "text_link": char == "]",
            "custom_emoji": char == "]",
        }.get(top or "", False)

    def _open(self, char: str) -> None:
        begin = self.i
        nxt = self._at(self.i + 1)
        kind: str | None = {"*": "bold", "~": "strikethrough", "[": "text_link"}.get(char)
        step = 1
        if char == "_":
            kind, step = ("underline", 2) if nxt == "_" else ("italic", 1)
        elif char == "|" and nxt == "|":
            kind, step = "spoiler", 2
        elif char == "!" and nxt == "[":
            kind, step = "custom_emoji", 2
        elif char == "`":
            if self.text.startswith("```", self.i):
                self._open_pre()
                return
            kind = "code"
        if kind is None:
            raise parse_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        self.stack.append(_Open(kind, self.out.position, begin))
        self.i += step

    def _open_pre(self) -> None:
        begin = self.i
        self.i += 3
        end = self.i
        while self._at(end) and not self._at(end).isspace() and self._at(end) != "`":
            end += 1
        language = None
        if end > self.i and self._at(end) and self._at(end) != "`":
            language = self.text[self.i : end]
            self.i = end
        if self._at(self.i) in ("\n", "\r"):
            self.i += 1
        self.stack.append(_Open("pre", self.out.position, begin, language))

    def _close(self) -> None:
        entry = self.stack.pop()
        if entry.kind in ("text_link", "custom_emoji"):
            self._close_link(entry)
            return
        self.i += {"pre": 3, "underline": 2, "spoiler": 2}.get(entry.kind, 1)
        self.out.close_entity(entry.kind, entry.start, language=entry.language)

    def _close_link(self, entry: _Open) -> None:
        self.i += 1  # the "]"
        url = ""
        if self._at(self.i) == "(":
            url = self._read_url()
        if entry.kind == "custom_emoji":
            if not url.startswith("tg://emoji?id="):
                raise parse_error("Custom emoji entity must contain a tg://emoji URL")
            emoji_id = url.removeprefix("tg://emoji?id=")
            self.out.close_entity("custom_emoji", entry.start, custom_emoji_id=emoji_id)
        elif url:
            self.out.close_entity("text_link", entry.start, url=url)

    def _read_url(self) -> str:
        start = self.i
        self.i += 1
        chars: list[str] = []
        while self._at(self.i) and self._at(self.i) != ")":
            if self._at(self.i) == "\\" and self._at(self.i + 1):
                self.i += 1
            chars.append(self.text[self.i])
            self.i += 1
        if not self._at(self.i):
            raise parse_error(
                f"Can't find end of a URL at byte offset {byte_offset(self.text, start)}"
            )
        self.i += 1
        return "".join(chars)


def parse_markdown_v2(text: str) -> Parsed:
    return MarkdownV2Parser(text).parse()


_LEGACY = {"*": "bold", "_": "italic", "`": "code"}


def parse_markdown_legacy(text: str) -> Parsed:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no escaping rules."""
    out = TextBuilder()
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            kind, body, width = "pre", text[i + 3 : end], 3
        elif char in _LEGACY:
            end = text.find(char, i + 1)
            kind, body, width = _LEGACY[char], text[i + 1 : end], 1
        elif char == "[":
            i = _legacy_link(text, i, out)
            continue
        else:
            out.emit(char)
            i += 1
            continue
        if end < 0:
            raise parse_error(
                f"Can't find end of the entity starting at byte offset {byte_offset(text, i)}"
            )
        start = out.position
        out.emit(body)
        out.close_entity(kind, start)
        i = end + width
    return out.result()


def _legacy_link(text: str, i: int, out: TextBuilder) -> int:
    close = text.find("](", i)
    end = text.find(")", close) if close >= 0 else -1
    if close < 0 or end < 0:
        raise parse_error(
            f"Can't find end of the entity starting at byte offset {byte_offset(text, i)}"
        )
    start = out.position
    out.emit(text[i + 1 : close])
    out.close_entity("text_link", start, url=text[close + 2 : end])
    return end + 1
