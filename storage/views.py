"""Plain read-only snapshots that handlers render; ORM objects never leave a transaction."""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Group, JoinCheck, Member


@dataclass(frozen=True)
class GroupView:
    id: int
    code: str
    name: str
    village: str | None
    venue: str | None
    timezone: str
    facilitator_id: int
    chat_id: int | None
    chat_title: str | None
    chair_member_id: int | None
    active: bool
    join_check: JoinCheck = JoinCheck.DIGITS
    area_code: str | None = None  # its desa/kelurahan (storage/groups/places.py)

    @classmethod
    def of(cls, group: Group) -> GroupView:
        return cls(
            id=group.id,
            code=group.code,
            name=group.name,
            village=group.village,
            venue=group.venue,
            timezone=group.timezone,
            facilitator_id=group.facilitator_id,
            chat_id=group.chat_id,
            chat_title=group.chat_title,
            chair_member_id=group.chair_member_id,
            active=group.active,
            join_check=group.join_check or JoinCheck.DIGITS,
            area_code=group.area_code,
        )


@dataclass(frozen=True)
class MemberView:
    id: int
    group_id: int
    name: str
    programme_id: str | None
    phone: str | None
    person_id: int | None
    active: bool

    @property
    def has_telegram(self) -> bool:
        return self.person_id is not None

    @classmethod
    def of(cls, member: Member, *, programme_id: bool = False) -> MemberView:
        """programme_id: whether the reader may see the ID KPM (storage/access.py decides;
        left out unless said)."""
        return cls(
            id=member.id,
            group_id=member.group_id,
            name=member.name,
            programme_id=member.programme_id if programme_id else None,
            phone=member.phone,
            person_id=member.person_id,
            active=member.active,
        )
