"""The tests' name for the Bot API emulator, which lives in bot/emulator so the simulator uses it too."""

from bot.emulator import *  # noqa: F403
from bot.emulator import __all__  # noqa: F401
