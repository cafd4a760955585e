"""Telegram's HTML parse mode, following tdlib's parse_html error wording."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import parse_error
from .text import Parsed, TextBuilder, byte_offset

# Tag name -> entity type; span and tg-emoji need attributes checked below.
TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
# Where plain text stops: an entity reference or a tag.
_SPECIAL = re.compile(r"[&<]")
_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9.\-]*")


@dataclass
class _OpenTag:
    name: str
    start: int
    attributes: dict[str, str] = field(default_factory=dict)


class HtmlParser:
    """Single pass over the text; one instance per parse."""

    def __init__(self, text: str, strict_ampersand: bool = True) -> None:
        self.text = text
        self.i = 0
        self.out = TextBuilder()
        self.stack: list[_OpenTag] = []
        # Telegram itself treats a stray "&" as literal; the fake is stricter by default
        # so that forgotten html.escape() calls fail loudly in tests.
        self.strict_ampersand = strict_ampersand

    def parse(self) -> Parsed:
        while self.i < len(self.text):
            char = self.text[self.i]
            if char == "&":
                self._entity_reference()
            elif char == "<":
                self._tag()
            else:
                # A run of plain text at once: character by character, this loop was the
                # emulator's largest cost in the paid broadcast benchmark.
                special = _SPECIAL.search(self.text, self.i)
                end = len(self.text) if special is None else special.start()
                self.out.emit(self.text[self.i : end])
                self.i = end
        if self.stack:
            name = self.stack[-1].name
            raise parse_error(f'Can\'t find end tag corresponding to start tag "{name}"')
        return self.out.result()

    def _offset(self, index: int | None = None) -> int:
        return byte_offset(self.text, self.i if index is None else index)

    def _at(self, index: int) -> str:
        return self.text[index] if index < len(self.text) else ""

    def _entity_reference(self) -> None:
        match = _ENTITY_RE.match(self.text, self.i)
        decoded = _decode_entity(match.group(1)) if match else None
        if match and decoded is not None:
            self.out.emit(decoded)
            self.i = match.end()
            return
        if self.strict_ampersand:
            raise parse_error(
                f'Character "&" at byte offset {self._offset()} must be escaped as "&amp;"'
            )
        self.out.emit("&")
        self.i += 1

    def _tag(self) -> None:
        if self._at(self.i + 1) == "/":
            self._end_tag()
        else:
            self._start_tag()

    def _start_tag(self) -> None:
        begin = self.i
        self.i += 1
        while self._at(self.i) and not self._at(self.i).isspace() and self._at(self.i) != ">":
            self.i += 1
        if self.i >= len(self.text):
            raise parse_error(f"Unclosed start tag at byte offset {self._offset(begin)}")
        name = self.text[begin + 1 : self.i].lower()
        if name not in TAGS:
            raise parse_error(
                f'Unsupported start tag "{name}" at byte offset {self._offset(begin)}'
            )
        tag = _OpenTag(name, self.out.position)
        self._attributes(tag, begin)
        self.i += 1  # the closing ">"
        if name == "span" and tag.attributes.get("class") != "tg-spoiler":
            raise parse_error(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._offset(begin)}'
            )
        self.stack.append(tag)

    def _attributes(self, tag: _OpenTag, begin: int) -> None:
        while True:
            self._skip_spaces()
            if self.i >= len(self.text):
                raise parse_error(f"Unclosed start tag at byte offset {self._offset(begin)}")
            if self.text[self.i] == ">":
                return
            name_start = self.i
            while (
                self._at(self.i) and not self._at(self.i).isspace() and self._at(self.i) not in "=>"
            ):
                self.i += 1
            attribute = self.text[name_start : self.i].lower()
            self._skip_spaces()
            if self._at(self.i) != "=":
                # <blockquote expandable> is the one valueless attribute Telegram knows.
                if tag.name == "blockquote" and attribute == "expandable":
                    tag.attributes[attribute] = ""
                    continue
                raise parse_error(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag.name}" at byte offset {self._offset(begin)}'
                )
            self.i += 1
            self._skip_spaces()
            tag.attributes[attribute] = self._attribute_value(begin)

    def _attribute_value(self, begin: int) -> str:
        quote = self._at(self.i)
        if not quote:
            raise parse_error(f"Unclosed start tag at byte offset {self._offset(begin)}")
        if quote not in ('"', "'"):
            token = _NAME_TOKEN_RE.match(self.text, self.i)
            assert token is not None  # the pattern matches the empty string
            self.i = token.end()
            if self._at(self.i) and not self._at(self.i).isspace() and self._at(self.i) != ">":
                raise parse_error(
                    f"Unexpected end of name token at byte offset {self._offset(token.start())}"
                )
            return token.group(0).lower()
        end = self.text.find(quote, self.i + 1)
        if end < 0:
            raise parse_error(f"Unclosed start tag at byte offset {self._offset(begin)}")
        raw = self.text[self.i + 1 : end]
        self.i = end + 1
        return _ENTITY_RE.sub(lambda m: _decode_entity(m.group(1)) or m.group(0), raw)

    def _end_tag(self) -> None:
        begin = self.i
        if not self.stack:
            raise parse_error(f"Unexpected end tag at byte offset {self._offset(begin)}")
        close = self.text.find(">", begin)
        name = self.text[begin + 2 : close].strip().lower() if close >= 0 else ""
        if close < 0 or any(char.isspace() for char in name):
            raise parse_error(f"Unclosed end tag at byte offset {self._offset(begin)}")
        tag = self.stack.pop()
        if name and name != tag.name:
            raise parse_error(
                f"Unmatched end tag at byte offset {self._offset(begin)}, "
                f'expected "</{tag.name}>", found "</{name}>"'
            )
        self.i = close + 1
        self._emit_entity(tag)

    def _emit_entity(self, tag: _OpenTag) -> None:
        kind = TAGS[tag.name]
        attrs = tag.attributes
        if kind == "text_link":
            if attrs.get("href"):
                self.out.close_entity(kind, tag.start, url=attrs["href"])
        elif kind == "custom_emoji":
            self.out.close_entity(kind, tag.start, custom_emoji_id=attrs.get("emoji-id"))
        elif kind == "blockquote" and "expandable" in attrs:
            self.out.close_entity("expandable_blockquote", tag.start)
        elif kind == "code" and attrs.get("class", "").startswith("language-"):
            language = attrs["class"].removeprefix("language-")
            self.out.close_entity(kind, tag.start, language=language)
        else:
            self.out.close_entity(kind, tag.start)

    def _skip_spaces(self) -> None:
        while self._at(self.i).isspace() and self._at(self.i):
            self.i += 1


def _decode_entity(body: str) -> str | None:
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return NAMED_ENTITIES.get(body)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None


def parse_html(text: str, strict_ampersand: bool = True) -> Parsed:
    """Return the plain text and entities, or raise ApiError like Telegram."""
    return HtmlParser(text, strict_ampersand).parse()
