"""The delivery kinds, as storage and the floors above it have always imported them.

They are defined in timekeeping/delivery_kinds.py, one floor down, where the send windows
(timekeeping/send_windows.py) can use the members too."""

from __future__ import annotations

from timekeeping.delivery_kinds import MEETING_KINDS, TO_STAFF, DeliveryKind

__all__ = ["MEETING_KINDS", "TO_STAFF", "DeliveryKind"]
