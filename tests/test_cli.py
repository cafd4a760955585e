"""`p2k2 admin add` and `p2k2 roster import` against the test databases, as an operator runs
them: the DATABASE_URL from the environment, exit codes and messages on the terminal."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cli import main as cli
from config.settings import Settings
from storage.db import create_engine, session_factory
from storage.models import Group, Member, Person, StaffRole

T = TypeVar("T")
ALIASES = [str(info.alias) for info in Settings.model_fields.values() if info.alias]


def query(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(url)
        try:
            async with session_factory(engine).begin() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def url(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


@pytest.fixture
def group_code(url: str) -> str:
    async def make(session: AsyncSession) -> str:
        facilitator = Person(
            telegram_user_id=555,
            name="Bu Rina",
            staff_role=StaffRole.FACILITATOR,
            active=True,
            private_chat_open=False,
            private_reminders=True,
        )
        session.add(facilitator)
        await session.flush()
        session.add(
            Group(
                code="MAWAR1",
                name="Mawar 1",
                timezone="Asia/Jakarta",
                facilitator_id=facilitator.id,
                active=True,
            )
        )
        return "MAWAR1"

    return query(url, make)


def members(url: str) -> dict[str, tuple[str | None, str | None]]:
    async def read(session: AsyncSession) -> dict[str, tuple[str | None, str | None]]:
        rows = await session.scalars(select(Member).order_by(Member.id))
        return {m.name: (m.programme_id, m.phone) for m in rows}

    return query(url, read)


def test_admin_add_creates_then_updates_a_person(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["admin", "add", "--telegram-id", "4242", "--name", "Pak Koordinator"]
    assert cli.main([*argv, "--role", "coordinator"]) == 0
    out = capsys.readouterr().out
    assert "added coordinator 'Pak Koordinator' (telegram id 4242" in out
    assert (
        cli.main(
            ["admin", "add", "--telegram-id", "4242", "--name", "Bu Ani", "--role", "facilitator"]
        )
        == 0
    )
    assert "updated facilitator 'Bu Ani'" in capsys.readouterr().out

    async def read(session: AsyncSession) -> list[tuple[int | None, str, StaffRole | None]]:
        rows = await session.scalars(select(Person))
        return [(p.telegram_user_id, p.name, p.staff_role) for p in rows]

    assert query(url, read) == [(4242, "Bu Ani", StaffRole.FACILITATOR)]


def test_admin_add_rejects_a_bad_role(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["admin", "add", "--telegram-id", "1", "--name", "X", "--role", "chair"])
    assert exited.value.code == 2
    assert "invalid choice: 'chair'" in capsys.readouterr().err


def test_roster_import_csv_reports_bad_rows_by_line(
    url: str, group_code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "anggota.csv"
    path.write_bytes(
        "nama;id kpm;no hp\n"
        "Siti Aminah;3201;0812\n"
        ";3202;\n"
        "Dewi <b>Lestari</b>;3203;\n"
        "siti aminah;3204;\n".encode("cp1252")
    )
    assert cli.main(["roster", "import", str(path), "--group", group_code.lower()]) == 1
    out, err = capsys.readouterr()
    assert "Mawar 1: 2 added, 0 updated" in out
    assert f"{path}: line 3: the name is empty; row not imported" in err
    assert f"{path}: line 5: the same name as line 2; row not imported" in err
    assert members(url) == {"Siti Aminah": ("3201", "0812"), "Dewi <b>Lestari</b>": ("3203", None)}
    # Importing again updates and never duplicates; a clean file exits 0.
    path.write_text("nama,no hp\nSiti Aminah,0899\nNur,\n", encoding="utf-8")
    assert cli.main(["roster", "import", str(path), "--group", group_code]) == 0
    assert "Mawar 1: 1 added, 1 updated" in capsys.readouterr().out
    assert members(url)["Siti Aminah"] == ("3201", "0899")
    assert len(members(url)) == 3


def test_roster_import_xlsx(
    url: str, group_code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nama KPM", "ID KPM", "Nomor HP"])
    sheet.append(["Rina Wati", 3201010101010001, "081234567890"])
    sheet.append(["Ani 🌸", "3201010101010002", None])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "Daftar KPM.xlsx"
    path.write_bytes(buffer.getvalue())
    assert cli.main(["roster", "import", str(path), "--group", group_code]) == 0
    assert "2 added" in capsys.readouterr().out
    assert members(url) == {
        "Rina Wati": ("3201010101010001", "081234567890"),
        "Ani 🌸": ("3201010101010002", None),
    }


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("anggota.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV or XLSX file"),
        ("anggota.csv", b"", "the file has no rows"),
        ("anggota.csv", b"alamat;no hp\nJl. Mawar;0812\n", "no column named 'nama'"),
    ],
)
def test_roster_import_refuses_unusable_files(
    url: str,
    group_code: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    expected: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert cli.main(["roster", "import", str(path), "--group", group_code]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert expected in err
    assert members(url) == {}


def test_roster_import_unknown_group_or_missing_file(
    url: str, group_code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "anggota.csv"
    path.write_text("nama\nSiti\n", encoding="utf-8")
    assert cli.main(["roster", "import", str(path), "--group", "NOPE"]) == 2
    assert "no group with code 'NOPE'" in capsys.readouterr().err
    assert cli.main(["roster", "import", str(tmp_path / "missing.csv"), "--group", group_code]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert members(url) == {}


def test_db_upgrade(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["db", "upgrade"]) == 0
    assert "database is up to date" in capsys.readouterr().out


def test_admin_add_makes_a_korwil_of_a_list_of_kabupaten_kota(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two kabupaten/kota in one command (repeated --area, or a comma list) make a Korwil of
    that list; one makes a Korkab; a code that does not exist refuses the whole command."""
    from storage.areas.importing import import_areas, read_rows
    from storage.models import Assignment, AssignmentRole
    from tests.e2e.test_areas_access import SLICE

    async def areas() -> None:
        engine = create_engine(url)
        try:
            await import_areas(session_factory(engine), read_rows(SLICE.read_bytes()))
        finally:
            await engine.dispose()

    assert cli.main(["db", "upgrade"]) == 0
    asyncio.run(areas())

    def held(telegram_id: int) -> set[tuple[AssignmentRole, str | None]]:
        async def read(session: AsyncSession) -> set[tuple[AssignmentRole, str | None]]:
            rows = await session.execute(
                select(Assignment.role, Assignment.area_code)
                .join(Person, Person.id == Assignment.person_id)
                .where(Person.telegram_user_id == telegram_id)
            )
            return set(rows.tuples())

        return query(url, read)

    add = ["admin", "add", "--name", "Bu Korwil", "--role", "coordinator"]
    assert cli.main([*add, "--telegram-id", "71", "--area", "32.79", "--area", "32.07"]) == 0
    out = capsys.readouterr().out
    assert "covers: Kota Banjar, Jawa Barat (32.79); Kabupaten Ciamis, Jawa Barat (32.07)" in out
    korwil = {(AssignmentRole.KORWIL, "32.79"), (AssignmentRole.KORWIL, "32.07")}
    assert held(71) == korwil
    assert cli.main([*add, "--telegram-id", "72", "--area", "32.79, 32.07"]) == 0
    assert held(72) == korwil
    assert cli.main([*add, "--telegram-id", "73", "--area", "32.79"]) == 0
    assert held(73) == {(AssignmentRole.KORKAB, "32.79")}
    capsys.readouterr()
    assert cli.main([*add, "--telegram-id", "74", "--area", "32.79,32.99"]) == 2
    assert "no area has the code 32.99" in capsys.readouterr().err
    assert held(74) == set()
