"""SQLAlchemy's aiosqlite driver, with each statement run in one hop to SQLite's thread.

aiosqlite runs SQLite in a thread of its own; every call is a hop there and back (a queue, a
thread switch, a wake-up of the event loop). SQLAlchemy's adapter makes four per statement:
open a cursor, execute, fetch the rows, close the cursor. Under a burst of presses those hops
were a good part of the CPU a press costs. Here the four run as one function in SQLite's
thread: the same statements, in the same order, on the same connection, with the same
results and errors (SQLAlchemy maps them as before). Only the plain cursor changes; the
server-side cursor (streaming results, unused here) stays SQLAlchemy's own.

Used through `create_async_engine(..., module=dbapi())` (storage.db.create_engine), the
documented way to hand a dialect its DB-API module."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

# What one statement gives back: its result's description, its rows, lastrowid, rowcount.
_Outcome = tuple[Any, list[Any], Any, int]


def _execute(connection: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    """In SQLite's thread: what the adapter did in four hops (see its cursor's execute)."""
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, [], cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


def _executemany(
    connection: sqlite3.Connection, operation: str, seq_of_parameters: Sequence[Any]
) -> tuple[Any, int]:
    cursor = connection.cursor()
    try:
        cursor.executemany(operation, seq_of_parameters)
        return cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _run(self, function: Any, *args: Any) -> Any:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        # aiosqlite's own way to run a function in its thread (its cursor methods use it).
        call = connection._execute(function, connection._conn, *args)  # type: ignore[no-untyped-call]
        return self.await_(call)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            description, rows, lastrowid, rowcount = self._run(_execute, operation, parameters)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
            return
        self.description = description
        self._rows = deque(rows)
        self.lastrowid = lastrowid
        self.rowcount = rowcount

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            lastrowid, rowcount = self._run(_executemany, operation, seq_of_parameters)
        except Exception as error:
            self._adapt_connection._handle_exception(error)
            return
        self.description = None
        self.lastrowid = lastrowid
        self.rowcount = rowcount


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side=True)
        return OneHopCursor(self)


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)


# What this module uses of SQLAlchemy's adapter and of aiosqlite that is not their public API.
_CURSOR_SLOTS = frozenset({"_adapt_connection", "_connection", "await_", "_rows"})


def fits() -> bool:
    """Whether the installed SQLAlchemy and aiosqlite have the parts used here; when an
    upgrade moves them, storage.db keeps SQLAlchemy's own driver (slower, the same results)."""
    slots = {
        name
        for klass in AsyncAdapt_aiosqlite_cursor.__mro__
        for name in getattr(klass, "__slots__", ())
    }
    return _CURSOR_SLOTS <= slots and callable(getattr(aiosqlite.Connection, "_execute", None))


def dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)
