"""Buttons declared once: a code, its typed fields and who may press it.

Views build a button from its declaration, handlers register the declaration and receive its
fields parsed and validated. Callback data is untrusted (anyone can forge it): data that names
no declaration, lacks a field or carries a value a field does not admit parses to None, and the
press is answered with the stale-button text. The 64-byte limit of Telegram is checked when a
button is declared, with the largest values its fields admit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from storage.access import DUTIES, Duty, may
from storage.actors import Actor
from storage.roles import Role
from timekeeping.months import is_month

MAX_BYTES = 64
# Fields are database ids, pages and small numbers: a signed 32-bit integer, the range of
# an INTEGER column on PostgreSQL, so a forged huge number cannot reach a query.
MAX_ARG = 2**31 - 1


class Audience(Enum):
    """Who may use an action or press a button (storage/access.DUTIES decides which roles a
    duty admits) and what anyone else is told."""

    ANYONE = (Duty.ANYONE, "")
    STAFF = (Duty.STAFF, "errors.facilitators_only")
    # The lists of groups and the status board: staff, and viewers (read only).
    READERS = (Duty.READ_PROGRAMME, "errors.facilitators_only")
    # Reports: staff, viewers, and a chair for her own group (without programme ids).
    REPORTS = (Duty.REPORTS, "reports.not_allowed")
    # The list and board of facilitators: coordinators, and viewers (read only).
    OVERSEERS = (Duty.OVERSEE, "errors.coordinators_only")
    FACILITATOR = (Duty.FACILITATE, "errors.facilitators_only")
    COORDINATOR = (Duty.COORDINATE, "errors.coordinators_only")

    def __init__(self, duty: Duty, refusal: str) -> None:
        self.duty = duty
        self._refusal = refusal

    @property
    def roles(self) -> frozenset[Role]:
        return DUTIES[self.duty]

    def admits(self, actor: Actor) -> bool:
        return may(actor, self.duty)

    def refusal_for(self, actor: Actor) -> str:
        # A viewer refused is told she reads only, not that the action is someone else's.
        return "errors.viewer_reads_only" if actor.is_viewer else self._refusal


class Kind(Enum):
    NUMBER = "number"  # an id, a page, a choice: any signed 32-bit integer
    MONTH = "month"  # a calendar month, YYYYMM
    MONTH_OR_NOW = "month_or_now"  # a month, or 0 for "this month"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind = Kind.NUMBER
    optional: bool = False  # may be left out (only at the end)

    def admits(self, value: int) -> bool:
        if self.kind is Kind.MONTH:
            return is_month(value)
        if self.kind is Kind.MONTH_OR_NOW:
            return value == 0 or is_month(value)
        return -MAX_ARG <= value <= MAX_ARG

    @property
    def widest(self) -> int:
        """The value that takes the most bytes in callback data."""
        return 209912 if self.kind is not Kind.NUMBER else -MAX_ARG


def number(name: str) -> Field:
    return Field(name)


def month(name: str = "month") -> Field:
    return Field(name, Kind.MONTH)


def optional(field: Field) -> Field:
    return Field(field.name, field.kind, optional=True)


_DECLARED: dict[str, Button] = {}


@dataclass(frozen=True)
class Button:
    """One kind of button: its code in callback data, its fields, who may press it.

    `private_only`: pressed only in a private chat (a press elsewhere is told to come there)."""

    code: str
    fields: tuple[Field, ...] = ()
    audience: Audience = Audience.ANYONE
    private_only: bool = True

    def __post_init__(self) -> None:
        if not self.code.isascii() or not self.code.isalpha():
            raise ValueError(f"button code must be ASCII letters: {self.code!r}")
        if self.code in _DECLARED:
            raise ValueError(f"button {self.code!r} declared twice")
        seen_optional = False
        for field in self.fields:
            if seen_optional and not field.optional:
                raise ValueError(f"button {self.code!r}: a required field after an optional one")
            seen_optional = seen_optional or field.optional
        widest = self.data(*(f.widest for f in self.fields))
        if len(widest.encode()) > MAX_BYTES:
            raise ValueError(f"button {self.code!r} can exceed {MAX_BYTES} bytes: {widest!r}")
        _DECLARED[self.code] = self

    @property
    def required(self) -> int:
        return sum(not f.optional for f in self.fields)

    def data(self, *values: int) -> str:
        """The callback data for these field values (checked: a bug here must not ship)."""
        if not self.required <= len(values) <= len(self.fields):
            raise ValueError(f"button {self.code!r} takes {len(self.fields)} fields: {values}")
        for field, value in zip(self.fields, values, strict=False):
            if not field.admits(value):
                raise ValueError(f"button {self.code!r}: {field.name}={value} not admitted")
        return ":".join([self.code, *(str(v) for v in values)])

    def parse(self, raw: tuple[int, ...]) -> Callback | None:
        # Values past the declared fields are ignored, as an older button may carry them.
        if len(raw) < self.required:
            return None
        if not all(f.admits(v) for f, v in zip(self.fields, raw, strict=False)):
            return None
        return Callback(self, raw[: len(self.fields)])


@dataclass(frozen=True)
class Callback:
    """A pressed button: its declaration and its validated field values."""

    button: Button
    args: tuple[int, ...]

    @property
    def action(self) -> str:
        return self.button.code

    def __getitem__(self, name: str) -> int:
        """The value of the declared field `name`; MalformedCallback when an optional field
        was left out (a handler that has a default reads `get`)."""
        index = self._index(name)
        if index >= len(self.args):
            raise MalformedCallback(self.action)
        return self.args[index]

    def get(self, name: str, default: int) -> int:
        index = self._index(name)
        return self.args[index] if index < len(self.args) else default

    def _index(self, name: str) -> int:
        for index, field in enumerate(self.button.fields):
            if field.name == name:
                return index
        raise KeyError(f"button {self.action!r} declares no field {name!r}")

    def arg(self, index: int) -> int:
        """The field's value, or MalformedCallback when an optional one was left out."""
        if index >= len(self.args):
            raise MalformedCallback(self.action)
        return self.args[index]

    def arg_or(self, index: int, default: int) -> int:
        return self.args[index] if index < len(self.args) else default

    def month(self, index: int) -> int:
        """The field as a month (YYYYMM), or MalformedCallback when it cannot be one."""
        value = self.arg(index)
        if not is_month(value):
            raise MalformedCallback(self.action)
        return value

    def month_or(self, index: int, default: int) -> int:
        return self.month(index) if index < len(self.args) else default


class MalformedCallback(Exception):
    """Callback data that names one of our buttons but lacks a field the handler needs."""


def declared() -> Iterator[Button]:
    return iter(list(_DECLARED.values()))


def unpack(data: str | None) -> Callback | None:
    """The pressed button, or None when the data names none of ours or is malformed."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    code, *raw = data.split(":")
    button = _DECLARED.get(code)
    if button is None or not all(_is_number(part) for part in raw):
        return None
    return button.parse(tuple(int(part) for part in raw))


def _is_number(part: str) -> bool:
    digits = part.removeprefix("-")
    return digits.isascii() and digits.isdigit() and len(digits) <= 10 and int(digits) <= MAX_ARG
