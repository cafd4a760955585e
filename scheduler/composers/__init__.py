"""Composers for every delivery kind; importing this package registers them all."""

from scheduler.composers import (
    announcements,  # noqa: F401  (registers its composers)
    complaints,  # noqa: F401  (registers its composers)
    confirmations,  # noqa: F401  (registers its composers)
    meetings,  # noqa: F401  (registers its composers)
    month_plan,  # noqa: F401  (registers its composers)
    notices,  # noqa: F401  (registers its composers)
    questions,  # noqa: F401  (registers its composers)
    replan,  # noqa: F401  (registers its composers)
)
from scheduler.registry import compose

__all__ = ["compose"]
