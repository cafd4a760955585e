"""Once started, the bot sets its long-lived objects aside from the collector's full passes."""

from __future__ import annotations

import gc
import weakref

from bot.heap import freeze_startup_objects


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_start_up_garbage_is_freed_and_what_lives_on_is_set_aside() -> None:
    garbage = Node()
    gone = weakref.ref(garbage)
    del garbage
    kept = Node()
    try:
        freeze_startup_objects()
        assert gone() is None  # collected first, not kept for good
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for o in gc.get_objects())  # no later pass walks it
        made_after = Node()
        assert any(o is made_after for o in gc.get_objects())
    finally:
        gc.unfreeze()
