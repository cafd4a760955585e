"""The dispatcher never waits out Telegram's flood control: it reschedules in the database.

Direct answers to people are sent again after the wait Telegram asks for (bot/rate_limits.py);
sends made while the dispatcher ticks are not, so one flooded chat cannot hold up a tick and a
429 becomes a delivery due again after retry_after (storage/operations/delivery_outcomes.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_DISPATCHING: ContextVar[bool] = ContextVar("p2k2_dispatching", default=False)


@contextmanager
def dispatching() -> Iterator[None]:
    """Sends made inside (and in tasks started inside) are the dispatcher's: never retried."""
    token = _DISPATCHING.set(True)
    try:
        yield
    finally:
        _DISPATCHING.reset(token)


def may_wait_for_flood_control() -> bool:
    return not _DISPATCHING.get()
