"""The administrative tree (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) and who
works where in it.

Codes are the Ministry of Home Affairs' (Kepmendagri) codes, dotted: "32" Jawa Barat, "32.79"
Kota Banjar, "32.79.01" Kecamatan Banjar, "32.79.01.1001" a kelurahan. A code's parent is the
code without its last part, so "everything inside 32.79" is `code LIKE '32.79.%'`. The table is
filled by `p2k2 areas import` (storage/areas/importing.py), never by hand."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, _enum


class Area(Base):
    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # 1 provinsi, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan: the number of parts.
    level: Mapped[int] = mapped_column(SmallInteger, index=True)
    parent_code: Mapped[str | None] = mapped_column(String(13), index=True)


class AssignmentRole(enum.StrEnum):
    """What a staff member is in an area (PKH's own titles)."""

    KORKAB = "korkab"  # koordinator kabupaten/kota
    KORWIL = "korwil"  # koordinator wilayah: a province, a list of kabupaten/kota, or all
    PENDAMPING = "pendamping"  # pendamping sosial: a kecamatan she places groups in
    VIEWER = "viewer"  # a read-only programme viewer: an area, or all


class Assignment(Base):
    """One area a staff member covers; no area (NULL) is the whole deployment.

    A person may hold several rows (a Korwil of two kabupaten/kota has two, a pendamping of
    two kecamatan two). A pendamping with no row works as before areas existed."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("person_id", "role", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(_enum(AssignmentRole))
    # Not a foreign key: a newer list may drop or renumber a code, and the assignment must
    # survive the import (it then covers nothing until an operator moves it).
    area_code: Mapped[str | None] = mapped_column(String(13))
