"""Callback data: short, versioned strings, parsed defensively because anyone can forge them."""

from __future__ import annotations

from dataclasses import dataclass

from timekeeping.months import is_month

MAX_BYTES = 64
# Arguments are database ids, pages and small numbers: a signed 32-bit integer, the range of
# an INTEGER column on PostgreSQL, so a forged huge number cannot reach a query.
MAX_ARG = 2**31 - 1
# Arguments that are calendar months (YYYYMM), by action and position. A forged month such as
# 12, -88 or 999912 makes the data stale here, where it is parsed, instead of reaching the
# calendar (`year 0 is out of range`, issue 16). "rp" alone also takes 0 for "this month".
MONTH_ARGS: dict[str, tuple[int, ...]] = {
    "sb": (0,),
    "sbf": (1,),
    "sbc": (1,),
    "sbl": (1,),
    "sbly": (1,),
    "sbu": (1,),
    "rp": (0,),
    "rpg": (1,),
    "rx": (1,),
}


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[int, ...]

    def arg(self, index: int) -> int:
        """The argument, or MalformedCallback when a forged button left it out."""
        if index >= len(self.args):
            raise MalformedCallback(self.action)
        return self.args[index]

    def arg_or(self, index: int, default: int) -> int:
        return self.args[index] if index < len(self.args) else default

    def month(self, index: int) -> int:
        """The argument as a month (YYYYMM), or MalformedCallback when it cannot be one."""
        value = self.arg(index)
        if not is_month(value):
            raise MalformedCallback(self.action)
        return value

    def month_or(self, index: int, default: int) -> int:
        return self.month(index) if index < len(self.args) else default


class MalformedCallback(Exception):
    """Callback data that names one of our actions but lacks its arguments."""


def pack(action: str, *args: int | str) -> str:
    for arg in args:
        if isinstance(arg, int) and not -MAX_ARG <= arg <= MAX_ARG:
            raise ValueError(f"callback argument out of range: {arg}")
    data = ":".join([action, *(str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def unpack(data: str | None) -> Callback | None:
    """None when the data is not ours or malformed; every argument must be an integer."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    action, *raw = data.split(":")
    if not action or not all(_is_number(part) for part in raw):
        return None
    args = tuple(int(part) for part in raw)
    months = [args[i] for i in MONTH_ARGS.get(action, ()) if i < len(args)]
    if not all(is_month(m) or (action == "rp" and m == 0) for m in months):
        return None
    return Callback(action, args)


def _is_number(part: str) -> bool:
    digits = part.removeprefix("-")
    return digits.isascii() and digits.isdigit() and len(digits) <= 10 and int(digits) <= MAX_ARG
