"""The tests' name for the Bot API emulator (bot/emulator), shared with the simulator."""

from bot.emulator import *  # noqa: F403
from bot.emulator import __all__  # noqa: F401
