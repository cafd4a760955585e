"""`p2k2 areas import`: load the list of areas (the vendored one by default) as an upsert.

Running it twice changes nothing; a newer list adds new codes and renames changed ones. A code
missing from the new list is kept: groups and assignments that name it keep their place."""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, select, update

from storage.areas.codes import is_code, level_of, parent_of
from storage.db import SessionFactory
from storage.models import Area

VENDORED = Path(__file__).with_name("data") / "wilayah.csv.gz"
_BATCH = 5000


class AreaFileError(Exception):
    """The file is not a list of areas; the message says what is wrong, for the operator."""


@dataclass(frozen=True)
class ImportSummary:
    added: int
    renamed: int
    unchanged: int


def read_rows(data: bytes) -> dict[str, str]:
    """kode -> nama from a `kode,nama` CSV, gzip'd or not."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AreaFileError("not UTF-8 text") from exc
    rows: dict[str, str] = {}
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header[:2] != ["kode", "nama"]:
        raise AreaFileError("the first line must be the header kode,nama")
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) < 2 or not is_code(row[0]) or not row[1].strip():
            raise AreaFileError(f"line {line}: not a code and a name: {','.join(row)[:60]!r}")
        rows[row[0].strip()] = row[1].strip()[:100]
    if not rows:
        raise AreaFileError("the file has no areas")
    return rows


async def import_areas(db: SessionFactory, rows: dict[str, str]) -> ImportSummary:
    """Upsert the areas in one transaction."""
    async with db.begin() as session:
        known = dict((await session.execute(select(Area.code, Area.name))).tuples().all())
        new = [
            {"code": code, "name": name, "level": level_of(code), "parent_code": parent_of(code)}
            for code, name in rows.items()
            if code not in known
        ]
        renamed = [
            {"code": code, "name": name}
            for code, name in rows.items()
            if code in known and known[code] != name
        ]
        for start in range(0, len(new), _BATCH):
            await session.execute(insert(Area), new[start : start + _BATCH])
        for row in renamed:
            await session.execute(
                update(Area).where(Area.code == row["code"]).values(name=row["name"])
            )
    return ImportSummary(len(new), len(renamed), len(rows) - len(new) - len(renamed))
