"""The list of areas: `p2k2 areas import`, finding a place by name, `admin add --area`."""

from __future__ import annotations

import csv
import gzip
import io
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cli import main as cli
from storage.areas import search
from storage.areas.codes import covers, is_code, level_of, parent_of, timezone_for
from storage.areas.importing import VENDORED, AreaFileError, read_rows
from storage.models import Area, Assignment, AssignmentRole, Person
from tests.test_cli import query

SLICE = Path(__file__).parent / "data" / "wilayah_slice.csv"


@pytest.fixture
def url(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    from tests.test_cli import ALIASES

    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    return database_url


@pytest.fixture
def loaded(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["areas", "import", str(SLICE)]) == 0
    capsys.readouterr()
    return url


def test_codes() -> None:
    assert level_of("32") == 1 and level_of("32.79.01.1001") == 4
    assert parent_of("32.79.01") == "32.79" and parent_of("32") is None
    assert is_code("32.79") and not is_code("32.7") and not is_code("Banjar")
    assert covers("32.79", "32.79.01.1001") and not covers("32.7", "32.79.01")
    assert timezone_for("32.79.01.1001") == "Asia/Jakarta"
    assert timezone_for("51.71") == "Asia/Makassar"
    assert timezone_for("91.71.01") == "Asia/Jayapura"


def test_the_vendored_file_is_the_whole_decree() -> None:
    rows = read_rows(VENDORED.read_bytes())
    assert len(rows) == 91599
    assert rows["32.79"] == "Kota Banjar" and rows["32"] == "Jawa Barat"
    assert rows["11.01.02.2018"] == "Pasi Kuala Ba'u"  # SQL's '' read back as '


def test_bad_files_are_refused() -> None:
    with pytest.raises(AreaFileError, match="header"):
        read_rows(b"code,name\n32,Jawa Barat\n")
    with pytest.raises(AreaFileError, match="line 3"):
        read_rows(b"kode,nama\n32,Jawa Barat\n3x.1,Nowhere\n")
    with pytest.raises(AreaFileError, match="no areas"):
        read_rows(gzip.compress(b"kode,nama\n"))


def test_import_is_an_idempotent_upsert(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli.main(["areas", "import", str(SLICE)]) == 0
    assert "348 areas added, 0 renamed, 0 unchanged" in capsys.readouterr().out
    assert cli.main(["areas", "import", str(SLICE)]) == 0
    assert "0 areas added, 0 renamed, 348 unchanged" in capsys.readouterr().out
    newer = io.StringIO()
    csv.writer(newer).writerows([["kode", "nama"], ["32.79", "Kota Banjar Patroman"]])
    path = tmp_path / "newer.csv.gz"
    path.write_bytes(gzip.compress(newer.getvalue().encode()))
    assert cli.main(["areas", "import", str(path)]) == 0
    assert "0 areas added, 1 renamed, 0 unchanged" in capsys.readouterr().out

    async def read(session: AsyncSession) -> tuple[int, str | None, Area | None]:
        count = await session.scalar(select(func.count()).select_from(Area)) or 0
        return (
            count,
            await session.scalar(select(Area.name).where(Area.code == "32.79")),
            (await session.get(Area, "32.79.01")),
        )

    count, name, kecamatan = query(url, read)
    assert count == 348 and name == "Kota Banjar Patroman"
    assert kecamatan is not None and kecamatan.level == 3 and kecamatan.parent_code == "32.79"


def test_import_refuses_a_missing_or_bad_file(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert cli.main(["areas", "import", str(tmp_path / "none.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("kode;nama\n")
    assert cli.main(["areas", "import", str(bad)]) == 2
    assert "header kode,nama" in capsys.readouterr().err


def test_the_whole_list_loads_quickly(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    assert cli.main(["areas", "import"]) == 0
    assert "91599 areas added" in capsys.readouterr().out
    assert time.monotonic() - started < 30  # under 3 s on either database on a 2-core machine


def test_finding_a_desa_forgives_misspellings_inside_an_area(loaded: str) -> None:
    async def find(session: AsyncSession) -> list[list[str]]:
        inside = await search.find(session, "mekarsri", levels=(4,), within=["32.79"])
        anywhere = await search.find(session, "Ciamis", levels=(4,))
        elsewhere = await search.find(session, "Ciamis", levels=(4,), within=["32.79"])
        return [[c.label for c in inside], [c.code for c in anywhere], [c.code for c in elsewhere]]

    inside, anywhere, elsewhere = query(loaded, find)
    assert inside[0] == "Mekarsari, Banjar, Kota Banjar, Jawa Barat"
    assert "32.07.01.1001" in anywhere and len(anywhere) <= search.SHOWN
    assert all(not code.startswith("32.07") for code in elsewhere)


def assignments(url: str) -> list[tuple[str, AssignmentRole, str | None]]:
    async def read(session: AsyncSession) -> list[tuple[str, AssignmentRole, str | None]]:
        rows = await session.execute(
            select(Person.name, Assignment.role, Assignment.area_code)
            .join(Person, Person.id == Assignment.person_id)
            .order_by(Assignment.area_code)
        )
        return [(n, r, a) for n, r, a in rows.tuples()]

    return query(url, read)


def test_admin_add_coordinator_of_an_area(loaded: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["admin", "add", "--telegram-id", "77", "--name", "Pak Korkab", "--role", "coordinator"]
    assert cli.main(argv) == 0
    assert "covers: the whole deployment" in capsys.readouterr().out
    assert assignments(loaded) == [("Pak Korkab", AssignmentRole.KORWIL, None)]
    assert cli.main([*argv, "--area", "32.79"]) == 0
    assert "covers: Kota Banjar, Jawa Barat (32.79)" in capsys.readouterr().out
    assert assignments(loaded) == [("Pak Korkab", AssignmentRole.KORKAB, "32.79")]
    assert cli.main([*argv, "--area", "51"]) == 0
    assert assignments(loaded) == [
        ("Pak Korkab", AssignmentRole.KORKAB, "32.79"),
        ("Pak Korkab", AssignmentRole.KORWIL, "51"),
    ]


def test_admin_remove_takes_an_area_or_the_role_and_says_what_it_did(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["admin", "add", "--telegram-id", "77", "--name", "Pak K", "--role", "coordinator"]
    assert cli.main([*argv, "--area", "32.79"]) == 0
    assert cli.main([*argv, "--area", "32"]) == 0
    capsys.readouterr()
    remove = ["admin", "remove", "--telegram-id", "77"]
    assert cli.main([*remove, "--area", "32.07"]) == 2
    assert "77 does not cover 32.07; covers: 32, 32.79" in capsys.readouterr().err
    assert cli.main([*remove, "--area", "32.79"]) == 0
    assert "open complaints named to the level above: 0" in capsys.readouterr().out
    assert assignments(loaded) == [("Pak K", AssignmentRole.KORWIL, "32")]
    assert cli.main(remove) == 0
    assert assignments(loaded) == []
    assert cli.main(remove) == 2
    assert "77 is not staff" in capsys.readouterr().err


def test_admin_add_refuses_an_area_that_does_not_fit(
    loaded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["admin", "add", "--telegram-id", "77", "--name", "Pak K", "--role", "coordinator"]
    assert cli.main([*argv, "--area", "32.78"]) == 2
    err = capsys.readouterr().err
    assert "no area has the code 32.78; 32 is Jawa Barat" in err
    assert cli.main([*argv, "--area", "32.79.01"]) == 2
    assert "a kecamatan: a coordinator covers a kabupaten/kota" in capsys.readouterr().err
    assert cli.main([*argv, "--area", "Kota Banjr"]) == 2
    assert "nearest: 32.79 Kota Banjar, Jawa Barat" in capsys.readouterr().err
    facilitator = ["admin", "add", "--telegram-id", "78", "--name", "Bu P", "--role", "facilitator"]
    assert cli.main([*facilitator, "--area", "32.79"]) == 2
    assert "a kabupaten/kota: a facilitator works in a kecamatan" in capsys.readouterr().err
    assert cli.main([*facilitator, "--area", "32.79.09"]) == 2
    assert "no area has the code 32.79.09; 32.79 is Kota Banjar" in capsys.readouterr().err
    assert assignments(loaded) == []


def test_admin_add_a_facilitator_in_a_kecamatan_and_a_viewer(loaded: str) -> None:
    facilitator = ["admin", "add", "--telegram-id", "78", "--name", "Bu P", "--role", "facilitator"]
    assert cli.main([*facilitator, "--area", "32.79.01"]) == 0
    viewer = ["admin", "add", "--telegram-id", "79", "--name", "Pak V", "--role", "viewer"]
    assert cli.main(viewer) == 0
    assert sorted(assignments(loaded), key=str) == sorted(
        [("Bu P", AssignmentRole.PENDAMPING, "32.79.01"), ("Pak V", AssignmentRole.VIEWER, None)],
        key=str,
    )
    # Without --area again: no kecamatan, as before areas existed.
    assert cli.main(facilitator) == 0
    assert assignments(loaded) == [("Pak V", AssignmentRole.VIEWER, None)]
