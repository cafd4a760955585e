"""`p2k2 simulate` over HTTP, without a browser: the page's API drives the real bot."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from simulator.demo import (
    CAST,
    GROUP_CHAT_ID,
    GROUP_DESA,
    GROUP_NAME,
    SECOND_GROUP_DESA,
    SECOND_GROUP_NAME,
)
from simulator.server import Host, create_app
from simulator.simulation import Config
from storage import access, deliveries, groups
from storage.actors import load_actor
from storage.models import Area, Group, Meeting, MeetingStatus, Member, Person
from storage.models.attendance import Attendance, AttendanceSource, AttendanceStatus

FACILITATOR = 100_002
CHAIR = 100_003
GUARD = {"X-Simulator": "1"}
JSON = dict[str, Any]


@pytest.fixture
async def host(tmp_path: Path) -> AsyncIterator[Host]:
    config = Config(
        database_path=tmp_path / "simulator.sqlite3", real_time=False, tick_every=0.2, env_file=None
    )
    simulator = Host(config)
    await simulator.start()
    yield simulator
    await simulator.stop()


@pytest.fixture
async def client(host: Host) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(create_app(host))) as test_client:
        yield test_client


async def post(client: TestClient[Any, Any], path: str, payload: JSON, status: int = 200) -> JSON:
    response = await client.post(path, json=payload, headers=GUARD)
    data: JSON = await response.json()
    assert response.status == status, data
    return data


async def state(client: TestClient[Any, Any]) -> JSON:
    response = await client.get("/api/state")
    assert response.status == 200
    data: JSON = await response.json()
    return data


async def wait_for(
    client: TestClient[Any, Any], chat: int, found: Callable[[JSON], bool], timeout: float = 10.0
) -> JSON:
    """The first message in the chat matching `found`, waiting on the page's long poll."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    version = -1
    while True:
        response = await client.get(f"/api/state?since={version}&wait=1")
        data = await response.json()
        version = data["version"]
        for message in data["chats"][str(chat)]["messages"]:
            if found(message):
                return message
        if loop.time() > deadline:
            texts = [m["text"] for m in data["chats"][str(chat)]["messages"]]
            raise AssertionError(f"no matching message in {chat}; messages: {texts}")


def bot_text(part: str) -> Callable[[JSON], bool]:
    return lambda m: bool(m["from"]["is_bot"] and part in m["text"])


async def test_the_demo_has_its_cast_a_group_and_the_bound_chat(
    client: TestClient[Any, Any], host: Host
) -> None:
    data = await state(client)
    assert [p["key"] for p in data["people"]] == [role.key for role in CAST]
    roles = {p["key"]: p["role"] for p in data["people"]}
    assert roles["coordinator"] == "coordinator" and roles["chair"] == "chair"
    phones = {p["key"]: p["chats"] for p in data["people"]}
    assert phones["coordinator"] == [100_001]
    assert phones["member1"] == [100_004, GROUP_CHAT_ID]
    assert data["chats"][str(GROUP_CHAT_ID)]["members"] == 6
    assert data["language"] == "id"

    bound = await groups.groups_of_chat(host.sim.db, GROUP_CHAT_ID)
    assert bound is not None and bound.name == GROUP_NAME
    async with host.sim.db.begin() as session:
        group = await session.get_one(Group, bound.id)
        members = (
            await session.execute(Member.__table__.select().where(Member.group_id == bound.id))
        ).all()
    assert group.chair_member_id is not None
    assert len(members) == 7 and sum(m.person_id is not None for m in members) == 5


async def test_the_demo_is_a_province_with_a_coordinator_for_each_area(host: Host) -> None:
    """Jawa Barat: a Korkab of Kota Banjar and one of Kabupaten Ciamis each see the one group
    the facilitator placed in a desa of their kabupaten/kota; the Korwil of the province and
    the programme viewer of the province see both; the time zone follows the province."""
    by_key = {role.key: role for role in CAST}
    seen: dict[str, set[str]] = {}
    async with host.sim.db.begin() as session:
        placed = {
            name: (code, zone)
            for name, code, zone in (
                await session.execute(select(Group.name, Group.area_code, Group.timezone))
            ).tuples()
        }
        for key in ("coordinator", "korkab_ciamis", "korwil", "viewer", "facilitator"):
            person = await session.get_one(Person, host.sim.demo.person_ids[key])
            actor = await load_actor(session, person, "id")
            seen[key] = set(
                await session.scalars(
                    select(Group.name).where(Group.id.in_(access.readable_groups(actor)))
                )
            )
            if by_key[key].area is not None:
                assert actor.areas == {by_key[key].area}, key
            if key == "viewer":
                # She reads the programme and changes nothing.
                assert access.may(actor, access.Duty.READ_PROGRAMME)
                assert not access.may(actor, access.Duty.STAFF)
        areas = (await session.execute(select(Area.code, Area.name))).tuples()
        named = {code: name for code, name in areas}
    assert placed == {
        GROUP_NAME: (GROUP_DESA, "Asia/Jakarta"),
        SECOND_GROUP_NAME: (SECOND_GROUP_DESA, "Asia/Jakarta"),
    }
    assert (named["32"], named["32.79"], named["32.07"]) == (
        "Jawa Barat",
        "Kota Banjar",
        "Kabupaten Ciamis",
    )
    assert GROUP_DESA.startswith("32.79.") and SECOND_GROUP_DESA.startswith("32.07.")
    assert {GROUP_DESA, SECOND_GROUP_DESA} <= named.keys()
    assert seen == {
        "coordinator": {GROUP_NAME},
        "korkab_ciamis": {SECOND_GROUP_NAME},
        "korwil": {GROUP_NAME, SECOND_GROUP_NAME},
        "viewer": {GROUP_NAME, SECOND_GROUP_NAME},
        "facilitator": {GROUP_NAME, SECOND_GROUP_NAME},
    }


async def test_a_message_and_a_button_press_reach_the_real_bot(
    client: TestClient[Any, Any],
) -> None:
    await post(
        client, "/api/send", {"person": "facilitator", "chat": FACILITATOR, "text": "/start"}
    )
    menu = await wait_for(client, FACILITATOR, bot_text("pendamping"))
    labels = [b["text"] for row in menu["buttons"] for b in row]
    assert any("Kelompok saya" in label for label in labels)
    data = next(b["data"] for row in menu["buttons"] for b in row if "Kelompok saya" in b["text"])

    await post(
        client,
        "/api/press",
        {"person": "facilitator", "chat": FACILITATOR, "message": menu["id"], "data": data},
    )
    edited = await wait_for(client, FACILITATOR, lambda m: m["id"] == menu["id"] and m["edited"])
    assert "MAWAR1" in " ".join(b["text"] for row in edited["buttons"] for b in row)
    first = (await state(client))["chats"][str(FACILITATOR)]["messages"][0]
    assert first["from"]["id"] == FACILITATOR and first["text"] == "/start"
    assert first["date"] is not None


async def test_user_text_stays_text_and_replies_quote_their_target(
    client: TestClient[Any, Any],
) -> None:
    await post(client, "/api/send", {"person": "chair", "chat": CHAIR, "text": "/start"})
    menu = await wait_for(client, CHAIR, bot_text("Ketua"))
    typed = "<b>bukan tebal</b> & <script>alert(1)</script>"
    await post(
        client,
        "/api/send",
        {"person": "chair", "chat": CHAIR, "text": typed, "reply_to": menu["id"]},
    )
    messages = (await state(client))["chats"][str(CHAIR)]["messages"]
    mine = next(m for m in messages if m["text"] == typed)
    assert mine["entities"] == []
    assert mine["reply_to"]["id"] == menu["id"] and mine["reply_to"]["name"] == "P2K2"


async def test_the_page_cannot_act_for_others_or_press_buttons_that_are_not_there(
    client: TestClient[Any, Any],
) -> None:
    response = await client.post(
        "/api/send", json={"person": "chair", "chat": CHAIR, "text": "hi"}
    )  # no guard header: a cross-site form could send this
    assert response.status == 403
    unknown = await post(
        client, "/api/send", {"person": "nobody", "chat": CHAIR, "text": "x"}, status=400
    )
    assert unknown["error"] == "unknown_person"
    # A member's phone has no coordinator's chat in it.
    other = await post(
        client, "/api/send", {"person": "member1", "chat": 100_001, "text": "x"}, status=400
    )
    assert other["error"] == "unknown_chat"
    empty = await post(
        client, "/api/send", {"person": "chair", "chat": CHAIR, "text": "  "}, status=400
    )
    assert empty["error"] == "empty_text"

    await post(client, "/api/send", {"person": "chair", "chat": CHAIR, "text": "/start"})
    menu = await wait_for(client, CHAIR, bot_text("Ketua"))
    forged = await post(
        client,
        "/api/press",
        {"person": "chair", "chat": CHAIR, "message": menu["id"], "data": "gs"},
        status=400,
    )
    assert forged["error"] == "unknown_button"
    broken = await post(client, "/api/press", {"person": "chair"}, status=400)
    assert broken["error"] == "bad_request"


async def test_moving_time_sends_what_is_due_at_its_own_time(
    client: TestClient[Any, Any], host: Host
) -> None:
    sim = host.sim
    nothing = await post(client, "/api/time", {"step": "next"})
    assert nothing["nothing_due"] is True

    start = sim.clock.now()
    moved = await post(client, "/api/time", {"step": "hour"})
    assert moved["sent"] == 0 and sim.clock.now() - start >= timedelta(hours=1)

    due = sim.clock.now() + timedelta(days=2, hours=3)
    async with sim.db.begin() as session:
        await deliveries.enqueue(
            session,
            key="test:notice",
            kind="notice",
            chat_id=CHAIR,
            due_at=due,
            person_id=sim.demo.person_ids["chair"],
            payload={"text": "simulator.ok", "params": {}},
        )
    await post(client, "/api/time", {"step": "day"})
    assert not any(
        m["text"] == "OK" for m in (await state(client))["chats"][str(CHAIR)]["messages"]
    )
    jumped = await post(client, "/api/time", {"step": "next"})
    assert jumped == {"ok": True, "sent": 1, "nothing_due": False}
    assert sim.clock.now() == due
    notice = await wait_for(client, CHAIR, bot_text("OK"))
    assert datetime.fromisoformat(notice["date"]) == due  # stamped with the simulated time
    assert datetime.fromisoformat((await state(client))["clock"]) == due


async def test_a_day_forward_stops_at_each_delivery_on_the_way(
    client: TestClient[Any, Any], host: Host
) -> None:
    sim = host.sim
    start = sim.clock.now()
    async with sim.db.begin() as session:
        for hours in (5, 2):
            await deliveries.enqueue(
                session,
                key=f"test:{hours}",
                kind="notice",
                chat_id=CHAIR,
                due_at=start + timedelta(hours=hours),
                person_id=sim.demo.person_ids["chair"],
                payload={"text": "simulator.ok", "params": {}},
            )
    moved = await post(client, "/api/time", {"step": "day"})
    assert moved["sent"] == 2
    assert sim.clock.now() == start + timedelta(days=1)
    stamps = [
        m["date"]
        for m in (await state(client))["chats"][str(CHAIR)]["messages"]
        if m["text"] == "OK"
    ]
    expected = [start + timedelta(hours=hours) for hours in (2, 5)]
    assert [datetime.fromisoformat(stamp) for stamp in stamps] == expected


async def test_files_go_both_ways_and_polls_can_be_answered(
    client: TestClient[Any, Any], host: Host
) -> None:
    sim = host.sim
    await post(
        client, "/api/send", {"person": "facilitator", "chat": FACILITATOR, "text": "/start"}
    )
    await wait_for(client, FACILITATOR, bot_text("pendamping"))

    # A document the bot sends can be downloaded with its name.
    assert sim.app is not None
    workbook = b"PK\x03\x04 not really a workbook"
    await sim.app.bot.send_document(
        FACILITATOR, document=io.BytesIO(workbook), filename="kehadiran Mawar 1.xlsx"
    )
    sent = await wait_for(client, FACILITATOR, lambda m: "document" in m)
    response = await client.get(f"/api/file/{sent['document']['file_id']}")
    assert response.status == 200 and await response.read() == workbook
    assert "kehadiran%20Mawar%201.xlsx" in response.headers["Content-Disposition"]
    missing = await client.get("/api/file/NOPE")
    assert missing.status == 404

    # A file sent from the page reaches the bot as a document (here: a roster file).
    form = {
        "person": "facilitator",
        "chat": str(FACILITATOR),
        "file": io.BytesIO(b"nama\nRatna Sari\n"),
    }
    response = await client.post("/api/upload", data=form, headers=GUARD)
    assert response.status == 200, await response.text()
    uploaded = await wait_for(
        client, FACILITATOR, lambda m: not m["from"]["is_bot"] and "document" in m
    )
    assert uploaded["document"]["size"] == len(b"nama\nRatna Sari\n")
    await wait_for(client, FACILITATOR, lambda m: m["from"]["is_bot"] and m["id"] > uploaded["id"])

    # A quiz: answered once, the results show the person's choice.
    await sim.app.bot.send_poll(
        GROUP_CHAT_ID, "Berapa?", ["Satu", "Dua"], type="quiz", correct_option_ids=[1]
    )
    quiz = await wait_for(client, GROUP_CHAT_ID, lambda m: "poll" in m)
    await post(
        client,
        "/api/vote",
        {"person": "member1", "chat": GROUP_CHAT_ID, "message": quiz["id"], "option": 0},
    )
    poll = await wait_for(
        client, GROUP_CHAT_ID, lambda m: m["id"] == quiz["id"] and m["poll"]["total"] == 1
    )
    assert poll["poll"]["votes"] == {"100004": [0]} and poll["poll"]["correct"] == [1]
    again = await post(
        client,
        "/api/vote",
        {"person": "member1", "chat": GROUP_CHAT_ID, "message": quiz["id"], "option": 1},
        status=400,
    )
    assert again["error"] == "already_voted"


async def test_the_chart_shows_as_a_picture_that_opens_at_full_size(
    client: TestClient[Any, Any], host: Host
) -> None:
    sim = host.sim
    demo = sim.demo
    # Last month's meeting with a roll call, so the chart has something to draw.
    async with sim.db.begin() as session:
        meeting = Meeting(
            group_id=demo.group_id,
            session_number=1,
            starts_at=sim.clock.now() - timedelta(days=31),
            duration_minutes=120,
            venue="Balai Desa",
            status=MeetingStatus.SCHEDULED,
            revision=1,
        )
        session.add(meeting)
        await session.flush()
        members = await session.execute(select(Member).where(Member.group_id == demo.group_id))
        for index, member in enumerate(members.scalars()):
            session.add(
                Attendance(
                    meeting_id=meeting.id,
                    member_id=member.id,
                    status=AttendanceStatus.HADIR if index % 2 else AttendanceStatus.ALFA,
                    source=AttendanceSource.CHAIR,
                    recorded_at=meeting.starts_at,
                )
            )
    await post(
        client, "/api/send", {"person": "facilitator", "chat": FACILITATOR, "text": "/grafik"}
    )
    chart = await wait_for(client, FACILITATOR, lambda m: bool(m.get("photo")))
    assert "Kehadiran 6 bulan terakhir" in chart["text"]
    response = await client.get(f"/api/file/{chart['photo']}")
    assert response.status == 200 and response.content_type == "image/png"
    png = await response.read()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert int.from_bytes(png[16:20], "big") == 1080  # the phone-width picture, unscaled
    page = await (await client.get("/static/app.js")).text()
    assert 'link.target = "_blank"' in page  # a tap opens it full size


async def test_language_reset_and_texts(client: TestClient[Any, Any], host: Host) -> None:
    texts = await (await client.get("/api/texts")).json()
    assert set(texts) == {"id", "en"} and set(texts["id"]) == set(texts["en"])
    assert texts["id"]["plus_day"] == "+1 hari" and texts["en"]["plus_day"] == "+1 day"

    await post(client, "/api/language", {"language": "en"})
    await post(client, "/api/send", {"person": "chair", "chat": CHAIR, "text": "/start"})
    await wait_for(client, CHAIR, lambda m: m["from"]["is_bot"] and "Hello" in m["text"])
    bad = await post(client, "/api/language", {"language": "fr"}, status=400)
    assert bad["error"] == "bad_request"

    before = await state(client)
    await post(client, "/api/reset", {})
    after = await state(client)
    assert after["generation"] == before["generation"] + 1
    assert after["language"] == "en"
    assert all(chat["messages"] == [] for chat in after["chats"].values())


async def test_a_start_link_opens_the_bot_chat_with_its_token(
    client: TestClient[Any, Any], host: Host
) -> None:
    token = host.sim.demo.member_link_token
    opened = await post(
        client,
        "/api/link",
        {"person": "member2", "url": f"https://t.me/p2k2_demo_bot?start={token}"},
    )
    assert opened["chat"] == 100_005
    first = (await state(client))["chats"]["100005"]["messages"][0]
    assert first["text"] == f"/start {token}"
    await wait_for(client, 100_005, lambda m: m["from"]["is_bot"])
    elsewhere = await post(
        client, "/api/link", {"person": "member2", "url": "https://example.com/x"}, status=400
    )
    assert elsewhere["error"] == "unknown_link"
