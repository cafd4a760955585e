"""Two real `p2k2 run` processes on one SQLite file: the second stands by, says so in one
line, and takes over within seconds of a SIGTERM to the first (a rolling deploy)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from simulator.emulator import FakeTelegram
from tests.e2e.harness import Person
from tests.e2e.test_rejected_token import ALIASES, ROOT

TOKEN = "0:FAKE-token-for-two-processes"


class P2k2Process:
    """`p2k2 run` in a child process; its log lines are read as they come."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []

    @classmethod
    async def start(cls, fake: FakeTelegram, database: Path) -> P2k2Process:
        env = {name: value for name, value in os.environ.items() if name not in ALIASES}
        env |= {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_API_FILE_URL": fake.base_file_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "P2K2_LOG_LEVEL": "INFO",
            "P2K2_STANDBY_INTERVAL": "0.2",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "cli.main",
            "run",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        return cls(process)

    async def wait_for(self, words: str, timeout: float = 30.0) -> str:
        """The first log line (from now on or already read) that contains `words`."""
        for line in self.lines:
            if words in line:
                return line
        assert self.process.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.process.stdout.readline()
                assert raw, f"exited before {words!r}:\n" + "".join(self.lines)
                line = raw.decode()
                self.lines.append(line)
                if words in line:
                    return line

    async def stop(self) -> str:
        """SIGTERM, as a service manager sends it; the whole output."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(self.process.communicate(), 30)
        self.lines.append(rest.decode())
        assert self.process.returncode == 0, "".join(self.lines)
        return "".join(self.lines)


async def test_a_second_process_on_the_same_sqlite_file_stands_by_then_takes_over(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with FakeTelegram(bot_username="p2k2_test_bot") as fake:
        first = await P2k2Process.start(fake, database)
        second: P2k2Process | None = None
        try:
            await first.wait_for("receiving updates by long polling")
            second = await P2k2Process.start(fake, database)
            line = await second.wait_for("standing by")
            assert f"holds {database}.dispatch.lock" in line
            assert "takes over within seconds" in line

            person = Person(fake, fake.user(4444, "Ibu", "Tini"))
            assert (await person.says("/start", timeout=20)).plain  # the first one answers

            first_output = await first.stop()  # a rolling deploy: SIGTERM to the old one
            await second.wait_for("took the sender lock", timeout=10)
            await second.wait_for("receiving updates by long polling", timeout=10)
            before = len(fake.messages(person.chat))
            assert (await person.says("/start", timeout=20)).plain  # the second one answers
            second_output = await second.stop()
        finally:
            for running in (first, second):
                if running is not None and running.process.returncode is None:
                    running.process.kill()
                    await running.process.wait()
        assert len(fake.messages(person.chat)) == before + 1
        assert fake.world.updates.conflicts == 0
        for output in (first_output, second_output):
            assert "Traceback" not in output and " ERROR " not in output, output
        assert second_output.count("standing by") == 1
