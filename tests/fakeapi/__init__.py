"""The tests' name for the Bot API emulator (simulator/emulator), shared with the simulator."""

from simulator.emulator import *  # noqa: F403
from simulator.emulator import __all__  # noqa: F401
