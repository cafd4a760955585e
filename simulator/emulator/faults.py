"""Fault injection (scripted and random) and Telegram-like flood limits."""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Literal

FaultKind = Literal["429", "500", "502", "timeout", "403_blocked", "403_kicked", "network"]
Clock = Callable[[], float]

# Methods that Telegram's flood control counts: anything that puts a message in a chat.
FLOOD_COUNTED_PREFIXES = ("send", "edit", "copy", "forward", "stopPoll")
FLOOD_EXEMPT = frozenset({"sendChatAction"})


@dataclass
class FaultRule:
    """fail_next(...): the next `times` matching requests fail with `kind`."""

    kind: FaultKind
    method: str | None = None  # None matches every method except getUpdates
    chat_id: int | str | None = None
    times: int = 1
    retry_after: int = 1

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        if self.method is None:
            method_ok = method != "getUpdates"
        else:
            method_ok = self.method.lower() == method.lower()
        chat_ok = self.chat_id is None or str(self.chat_id) == str(chat_id)
        return self.times > 0 and method_ok and chat_ok


@dataclass
class RandomFaults:
    """faults(...): each request independently fails with these probabilities."""

    rate_5xx: float = 0.0
    rate_timeout: float = 0.0
    rate_429: float = 0.0
    methods: Collection[str] | None = None  # None: every method except getUpdates
    seed: int | None = None
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def pick(self, method: str) -> FaultKind | None:
        if self.methods is None and method == "getUpdates":
            return None
        if self.methods is not None and method not in self.methods:
            return None
        roll = self.rng.random()
        chances: list[tuple[FaultKind, float]] = [
            ("500", self.rate_5xx),
            ("timeout", self.rate_timeout),
            ("429", self.rate_429),
        ]
        for kind, rate in chances:
            if roll < rate:
                return kind
            roll -= rate
        return None


class FaultInjector:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.random: RandomFaults | None = None

    def add(self, rule: FaultRule) -> None:
        self.rules.append(rule)

    def take(self, method: str, chat_id: int | str | None) -> FaultRule | None:
        """The fault for this request, consuming one use of a scripted rule."""
        for rule in self.rules:
            if rule.matches(method, chat_id):
                rule.times -= 1
                self.rules = [r for r in self.rules if r.times > 0]
                return rule
        kind = self.random.pick(method) if self.random else None
        return FaultRule(kind=kind) if kind else None


@dataclass
class FloodLimits:
    """Telegram's limits, on by default: the fake is only useful if it is as strict as Telegram.

    From the Bot FAQ ("My bot is hitting limits, how do I avoid this?",
    https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): "When
    sending messages inside a particular chat, avoid sending more than one message per second.
    We may allow short bursts that go over this limit, but eventually you'll begin receiving
    429 errors"; bulk notifications are held to "30 messages per second or so"; and "your bot
    will not be able to send more than 20 messages per minute to the same group". The exact
    burst is not published: a few messages, then about one a second. Telegram's retry_after
    grows while a chat keeps being flooded (reported by TDLib users, tdlib/td#1062: "I usually
    see the SECONDS increase over time"). Here a request that comes before the chat's last
    retry_after has passed (a client that does not wait, or several sends at once) is a strike,
    and every strike adds `strike_penalty` seconds to the chat's later retry_after until the
    chat has calmed down (its burst allowance refilled). A client that waits as told is let
    through, about one message a second."""

    enabled: bool = True
    global_per_second: int = 30
    per_group_per_minute: int = 20
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3  # a short burst in one chat, then about one message a second
    strike_penalty: float = 1.0  # extra seconds of retry_after per earlier refusal in the chat
    # allow_paid_broadcast: up to 1,000 a second instead of the free broadcasting limit, for
    # 0.1 Star each (Bot API 7.11, https://core.telegram.org/bots/api#sendmessage).
    paid_per_second: int = 1000


class FloodLimiter:
    """Sliding windows for the global and per-group limits, a token bucket per chat, and a
    refusal count per chat that makes retry_after grow until the chat calms down."""

    def __init__(self, limits: FloodLimits, clock: Clock) -> None:
        self.limits = limits
        self.clock = clock
        self._global: deque[float] = deque()
        self._paid: deque[float] = deque()
        self._groups: dict[int | str, deque[float]] = {}
        self._buckets: dict[int | str, tuple[float, float]] = {}  # chat -> (tokens, at)
        self._strikes: dict[int | str, int] = {}  # chat -> early requests since it calmed down
        self._blocked_until: dict[int | str, float] = {}  # chat -> end of its last retry_after

    @staticmethod
    def counts(method: str) -> bool:
        return method.startswith(FLOOD_COUNTED_PREFIXES) and method not in FLOOD_EXEMPT

    def check(self, chat_id: int | str | None, is_group: bool, paid: bool = False) -> int | None:
        """Record a send and return None, or return retry_after seconds without recording.

        A paid broadcast counts against its own 1,000 a second, not the free global limit."""
        if not self.limits.enabled:
            return None
        now = self.clock()
        overall, limit = (
            (self._paid, self.limits.paid_per_second)
            if paid
            else (self._global, self.limits.global_per_second)
        )
        waits = [self._window_wait(overall, now, 1.0, limit)]
        if chat_id is not None:
            self._calm_down(chat_id, now)
            waits.append(self._bucket_wait(chat_id, now))
            if is_group:
                window = self._groups.setdefault(chat_id, deque())
                waits.append(self._window_wait(window, now, 60.0, self.limits.per_group_per_minute))
        wait = max(waits)
        if wait <= 0:
            self._record(chat_id, is_group, now, overall)
            return None
        if chat_id is None:
            return max(1, math.ceil(wait))
        if now < self._blocked_until.get(chat_id, 0.0):
            self._strikes[chat_id] = self._strikes.get(chat_id, 0) + 1
        penalty = self._strikes.get(chat_id, 0) * self.limits.strike_penalty
        retry_after = max(1, math.ceil(wait + penalty))
        self._blocked_until[chat_id] = now + retry_after
        return retry_after

    def _calm_down(self, chat_id: int | str, now: float) -> None:
        """A chat whose burst allowance has refilled is calm again: its strikes are forgotten."""
        if self._tokens(chat_id, now) >= self.limits.per_chat_burst:
            self._strikes.pop(chat_id, None)
            self._blocked_until.pop(chat_id, None)

    @staticmethod
    def _window_wait(window: deque[float], now: float, span: float, limit: int) -> float:
        while window and window[0] <= now - span:
            window.popleft()
        return window[0] + span - now if len(window) >= limit else 0.0

    def _tokens(self, chat_id: int | str, now: float) -> float:
        burst = float(self.limits.per_chat_burst)
        tokens, at = self._buckets.get(chat_id, (burst, now))
        return min(burst, tokens + (now - at) * self.limits.per_chat_per_second)

    def _bucket_wait(self, chat_id: int | str, now: float) -> float:
        tokens = self._tokens(chat_id, now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.limits.per_chat_per_second

    def _record(
        self, chat_id: int | str | None, is_group: bool, now: float, overall: deque[float]
    ) -> None:
        overall.append(now)
        if chat_id is None:
            return
        self._buckets[chat_id] = (self._tokens(chat_id, now) - 1, now)
        if is_group:
            self._groups[chat_id].append(now)
