"""One Role enum serves menus, help, permissions and report scopes."""

from __future__ import annotations

import pytest

from handlers import menu
from handlers.base import Audience
from handlers.menu_items import MENU_ITEMS
from storage.actors import Actor
from storage.models import StaffRole
from storage.roles import Role


def actor(staff: StaffRole | None = None, chair: bool = False, member: bool = False) -> Actor:
    return Actor(
        person_id=1,
        telegram_user_id=1,
        name="Siti",
        language="id",
        staff_role=staff,
        chair_of=frozenset({7}) if chair else frozenset(),
        member_of=frozenset({7}) if member or chair else frozenset(),
    )


def test_every_role_is_served() -> None:
    menu.check_every_role_served()


def test_a_role_without_menu_buttons_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(MENU_ITEMS, Role.CHAIR)
    with pytest.raises(RuntimeError, match="chair: no menu buttons"):
        menu.check_every_role_served()


@pytest.mark.parametrize(
    ("person", "role"),
    [
        (actor(StaffRole.COORDINATOR, chair=True), Role.COORDINATOR),
        (actor(StaffRole.FACILITATOR), Role.FACILITATOR),
        (actor(StaffRole.VIEWER, chair=True), Role.VIEWER),
        (actor(chair=True), Role.CHAIR),
        (actor(member=True), Role.MEMBER),
        (actor(), Role.NEWCOMER),
    ],
)
def test_strongest_role_wins(person: Actor, role: Role) -> None:
    assert person.role is role


def test_audiences_admit_their_roles_only() -> None:
    assert Audience.STAFF.admits(actor(StaffRole.COORDINATOR))
    assert Audience.STAFF.admits(actor(StaffRole.FACILITATOR))
    assert not Audience.STAFF.admits(actor(chair=True))
    assert not Audience.FACILITATOR.admits(actor(StaffRole.COORDINATOR))
    assert not Audience.COORDINATOR.admits(actor(StaffRole.FACILITATOR))
    assert Audience.ANYONE.admits(actor())
    assert Audience.COORDINATOR.refusal_for(actor(chair=True)) == "errors.coordinators_only"


def test_a_viewer_reads_and_is_told_she_cannot_change() -> None:
    viewer = actor(StaffRole.VIEWER)
    assert Audience.READERS.admits(viewer) and Audience.REPORTS.admits(viewer)
    assert Audience.OVERSEERS.admits(viewer)
    for audience in (Audience.STAFF, Audience.FACILITATOR, Audience.COORDINATOR):
        assert not audience.admits(viewer)
        assert audience.refusal_for(viewer) == "errors.viewer_reads_only"
    assert not viewer.is_staff
