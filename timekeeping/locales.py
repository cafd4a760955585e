"""Which Babel (CLDR) locale speaks for a language code of the bot."""

from __future__ import annotations

INDONESIAN = "id_ID"
ENGLISH = "en"


def babel_locale(lang: str) -> str:
    """English for any English code ("en", "en-US"); Indonesian, the bot's home language,
    for everything else."""
    return ENGLISH if lang.lower().startswith("en") else INDONESIAN
