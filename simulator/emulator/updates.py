"""The update queue behind getUpdates, including long polling and offset confirmation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from .errors import ApiError

# Telegram's default when allowed_updates was never set.
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CONFLICT = ApiError(
    409,
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
)


@dataclass
class QueuedUpdate:
    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_api(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


class UpdateQueue:
    def __init__(self, first_update_id: int = 100_000) -> None:
        self._pending: list[QueuedUpdate] = []
        self._next_id = first_update_id
        self._changed = asyncio.Condition()
        self._poller = 0  # bumped per getUpdates, so an older long poll learns it lost
        self._closed = False
        self.allowed: set[str] | None = None  # None means Telegram's default set
        self.last_handed_out = 0  # highest update_id returned by getUpdates so far
        # Long polls terminated by another getUpdates whose client was still waiting for the
        # answer (409 Conflict); counted by the server, which knows the connection.
        self.conflicts = 0
        # Handed out lately, so a test can have them handed out again (redeliver).
        self._handed_out: dict[int, QueuedUpdate] = {}

    @property
    def pending(self) -> list[QueuedUpdate]:
        return list(self._pending)

    async def push(self, kind: str, payload: dict[str, Any]) -> int:
        update = QueuedUpdate(self._next_id, kind, payload)
        self._next_id += 1
        self._pending.append(update)
        await self._notify()
        return update.update_id

    def has_unfetched(self) -> bool:
        """True while some update the bot would accept has not been handed out yet."""
        return any(
            u.update_id > self.last_handed_out and self._is_allowed(u.kind) for u in self._pending
        )

    def has_unconfirmed(self) -> bool:
        """True while an update was handed out but no later getUpdates confirmed it (its offset
        moved past it): until then the bot may not have queued it for handling."""
        return any(
            u.update_id <= self.last_handed_out and self._is_allowed(u.kind) for u in self._pending
        )

    async def redeliver(self, update_ids: list[int]) -> None:
        """Hand these updates out again, as Telegram does when their offset was never
        confirmed (the bot stopped between fetching them and its next getUpdates) or a
        webhook's answer timed out."""
        for update_id in sorted(update_ids):
            self._pending.append(self._handed_out[update_id])
        self._pending.sort(key=lambda u: u.update_id)
        self.last_handed_out = min(self.last_handed_out, min(update_ids) - 1)
        await self._notify()

    def drop_all(self) -> None:
        """drop_pending_updates=True on setWebhook/deleteWebhook."""
        self._pending.clear()

    async def close(self) -> None:
        self._closed = True
        await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _confirm(self, offset: int | None) -> None:
        """An offset confirms every earlier update; a negative one keeps only the last -N."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u.update_id >= offset]

    def _is_allowed(self, kind: str) -> bool:
        if self.allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self.allowed

    def _ready(self, limit: int) -> list[QueuedUpdate]:
        return [u for u in self._pending if self._is_allowed(u.kind)][:limit]

    async def fetch(
        self,
        offset: int | None,
        limit: int,
        poll_seconds: float,
        allowed: list[str] | None,
    ) -> list[dict[str, Any]]:
        """Serve getUpdates: hold the request until an update arrives or timeout passes."""
        self._confirm(offset)
        limit = limit if 1 <= limit <= 100 else 100
        if allowed is not None:
            # Like Telegram, the setting sticks for later calls; [] restores the default.
            self.allowed = set(allowed) or None
        self._poller += 1
        me = self._poller
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(poll_seconds, 0.0)
        async with self._changed:
            self._changed.notify_all()  # wake an older long poll so it can answer 409
            while not self._ready(limit) and not self._closed:
                if self._poller != me:
                    raise CONFLICT
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    break
            if self._poller != me:
                raise CONFLICT
            ready = self._ready(limit)
        if ready:
            self.last_handed_out = max(self.last_handed_out, ready[-1].update_id)
            for update in ready:
                self._handed_out[update.update_id] = update
            for old in list(self._handed_out)[: max(len(self._handed_out) - 1000, 0)]:
                del self._handed_out[old]
        return [u.to_api() for u in ready]
