"""`p2k2 simulate`: the bot, a local Telegram emulator and a web page of phones, in one process.

Nothing leaves the machine: the real Application talks to the emulator (simulator.emulator) with a
dummy token, the demo lives in its own SQLite file, and the page at http://127.0.0.1:8080
lets you hold each demo person's phone in turn and move the clock forward."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path

from aiohttp import web

from bot.logs import configure_logging
from simulator.server import Host, create_app
from simulator.simulation import SIMULATOR_TOKEN, Config

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def run(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    database: Path = Path("data/simulator.sqlite3"),
    real_time: bool = True,
) -> int:
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    configure_logging(os.environ.get("P2K2_LOG_LEVEL", "WARNING"), SIMULATOR_TOKEN)
    config = Config(database_path=database, real_time=real_time)
    try:
        asyncio.run(serve(config, host, port))
    except KeyboardInterrupt:
        print("\nsimulator stopped")
    except OSError as exc:
        print(f"p2k2 simulate: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        print(f"try another port: p2k2 simulate --port {port + 1}", file=sys.stderr)
        return 2
    return 0


async def serve(config: Config, host: str, port: int, ready: asyncio.Event | None = None) -> None:
    """Run until cancelled; `ready` is set once the page answers."""
    simulator = Host(config, os.environ.get("P2K2_LANGUAGE", "id"))
    if simulator.language not in ("id", "en"):
        simulator.language = "id"
    await simulator.start()
    runner = web.AppRunner(create_app(simulator), access_log=None, shutdown_timeout=1.0)
    try:
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        print(banner(f"http://{shown}:{port}", config.database_path), flush=True)
        if ready is not None:
            ready.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await simulator.stop()


def banner(url: str, database: Path) -> str:
    return "\n".join(
        [
            "",
            "P2K2 simulator (no Telegram needed)",
            f"  Open {url} in your browser.",
            f"  Demo data: {database} (starts fresh each time; 'Reset' on the page too).",
            "  To run the real bot instead: put TELEGRAM_BOT_TOKEN=<token from @BotFather>",
            "  in .env (or the environment) and run `make run` or `p2k2 run`.",
            "  Stop with Ctrl+C.",
            "",
        ]
    )
