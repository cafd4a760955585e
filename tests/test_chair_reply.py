"""The reader of chairs' replies against a table of realistic replies (tests/data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from language.chair_reply import Reading, read_reply

TODAY = date(2026, 11, 30)  # a Monday
# Read while the tests are collected, by every worker: libyaml's loader when there is one
# (the same YAML, several times faster than the pure-Python one).
TABLE: list[dict[str, Any]] = yaml.load(
    (Path(__file__).parent / "data" / "chair_replies.yaml").read_text(),
    Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
)


def _read(item: dict[str, Any]) -> Reading:
    return read_reply(item["text"].split("\n---\n"), item["roster"], "id", today=TODAY)


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 100


@pytest.mark.parametrize("item", TABLE, ids=[item["text"][:60] for item in TABLE])
def test_reply(item: dict[str, Any]) -> None:
    expect = item["expect"]
    reading = _read(item)
    got: dict[str, Any] = {
        "outcome": reading.outcome,
        "attended": reading.attended,
        "info_passed": reading.info_passed,
    }
    wanted = {key: expect[key] for key in got}
    for flag in ("everyone", "inexact_count", "cancelled_or_moved"):
        got[flag], wanted[flag] = getattr(reading, flag), expect.get(flag, False)
    if "postponed_to" in expect:
        got["postponed_to"], wanted["postponed_to"] = reading.postponed_to, expect["postponed_to"]
    got["problems"] = sorted(p.code for p in reading.problems)
    wanted["problems"] = sorted(expect.get("problems", []))
    assert got == wanted, reading
    if "note" in expect:
        if expect["note"] == "":
            assert reading.note == ""
        else:
            assert expect["note"].lower() in reading.note.lower()


NOT_COUNTS = [
    "tgl 5",
    "tanggal 12 Desember",
    "12/12",
    "jam 9",
    "pukul 13.30",
    "jam sembilan pagi",
    "RT 03/RW 05",
    "rt 3 rw 5",
    "no HP 081234567890",
    "wa 0812-3456-7890",
    "+62 812 3456 7890",
    "Rp 50.000",
    "iuran 50rb",
    "kas 2 juta",
    "sesi 5",
    "modul 3",
    "pertemuan ke 4",
    "kelompok 2",
    "rumah no 17",
    "tahun 2026",
    "2 jam",
    "3 anak",
    "anak saya 2",
    "100 ribu",
    "NIK 3201234567890001",
]


@pytest.mark.parametrize("phrase", NOT_COUNTS)
def test_numbers_that_are_not_a_head_count(phrase: str) -> None:
    alone = read_reply(f"Sudah bu, {phrase}", 20, "id", today=TODAY)
    assert alone.attended is None and not alone.problems, alone
    with_count = read_reply(f"Sudah bu, {phrase}, yang hadir 7 orang", 20, "id", today=TODAY)
    assert with_count.attended == 7 and not with_count.problems, with_count


def test_several_messages_as_a_list_read_like_one_reply() -> None:
    reading = read_reply(["Sudah bu", "yg datang 10", "info sudah"], 15, "id", today=TODAY)
    assert (reading.outcome, reading.attended, reading.info_passed) == ("held", 10, True)


# Kinds of mistakes seen on replies written apart from the reader (issue 23, part 8). Each
# reply with what must be read: None means the bot must ask, never guess.
ASK = None
SEEN_MISTAKES: list[tuple[str, int, tuple[str | None, int | None, bool | None]]] = [
    # A verb that negates the passing on: forgot, did not manage, did not.
    ("Alhamdulillah sdh bu, 11 org, cuma sy lupa menyampaikan info", 14, ("held", 11, False)),
    ("kumpulan udh, pesan ibu kelupaan sy sampaikan", 14, ("held", ASK, False)),
    ("udah ngumpul 9 orang, infonya belum sempat saya sampaikan", 12, ("held", 9, False)),
    ("Pertemuan lancar. Arahan ibu tidak saya sampaikan, waktunya mepet", 16, ("held", ASK, False)),
    ("sampun, ingkang rawuh 8, nanging info kula lali nyampekaken", 10, ("held", 8, False)),
    ("Sdh bu hadir 7, gagal menyampaikan pengumuman krn hp lowbat", 9, ("held", 7, False)),
    ("Pertemuan sudah, saya lupa jumlah yang hadir", 20, ("held", ASK, ASK)),  # forgot the count
    ("infonya gagal sy sampaikan bu", 20, (ASK, ASK, False)),  # "gagal" is no cancel here
    ("sdh bu hadir 10, pengumuman gagal saya sampaikan krn hujan", 20, ("held", 10, False)),
    ("sdh bu hadir 9, info urung disampaikan", 20, ("held", 9, False)),  # "urung": not yet
    ("sdh bu hadir 9, info blm smua", 20, ("held", 9, ASK)),  # not to all yet: ask
    ("sdh bu hadir 9, info belum semuanya", 20, ("held", 9, ASK)),
    ("sdh terlaksana, infonya tidak lupa sy sampaikan", 20, ("held", ASK, True)),
    ("we forgot to pass on the info but 12 came", 20, ("held", 12, False)),  # English
    # A complaint or a problem passed on (to the RT, the village) is not the information.
    ("sudah bu, keluhan bu Ani sudah saya sampaikan ke pak RT, hadir 12", 20, ("held", 12, ASK)),
    ("sudah bu hadir 12, masalahnya sudah saya sampaikan ke kades", 20, ("held", 12, ASK)),
    ("sdh bu hadir 13, semua sdh sy kabari soal jadwal posyandu", 20, ("held", 13, True)),
    ("meeting done, I did not forget to tell them", 20, ("held", ASK, True)),
    ("sudah bu, info dari ibu saya sampaikan besok pas arisan", 20, ("held", ASK, ASK)),
    ("sudah bu. Kalau info memang tidak ada", 20, ("held", ASK, ASK)),
    ("Sudah bu, untuk informasi tidak ada", 20, ("held", ASK, ASK)),
    # Moved: "mundur", "dimundurkan", "diundur", "geser ke tanggal N".
    ("pertemuannya mundur bu, ketua RT ada acara", 20, ("postponed", ASK, ASK)),
    ("Kegiatan P2K2 dimundurkan ke hari Rabu", 20, ("postponed", ASK, ASK)),
    ("Bu, pertemuan kita geser ke tanggal 14 nggih", 20, ("postponed", ASK, ASK)),
    ("acaranya digeser ke tgl 9 bu krn posyandu", 20, ("postponed", ASK, ASK)),
    ("kegiatannya dimajukan ke hari senin bu", 20, ("postponed", ASK, ASK)),  # moved earlier
    ("sudah bu tapi mundur jam 10, hadir 12", 15, ("held", 12, ASK)),  # started later
    ("Pertemuan kami undur ke kamis dpn", 15, ("postponed", ASK, ASK)),  # "dpn" is "depan"
    # A postponement called off, only meant, or one that did not last: not what happened.
    ("tadinya mau diundur bu tapi gak jadi, tetap jalan, hadir 14", 20, ("held", 14, ASK)),
    ("mau diundur tp gak jadi bu", 20, (ASK, ASK, ASK)),
    ("tidak jadi ditunda bu, tetap kemarin sore, yg dtg 12", 20, ("held", 12, ASK)),
    ("batal dipindah bu, tetap di rumah sy, hadir 10", 15, ("held", 10, ASK)),
    ("ga jadi diundur bu", 20, (ASK, ASK, ASK)),
    ("sempet diundur bu, tp akhirnya jadi hari sabtu, hadir 17 org", 20, ("held", 17, ASK)),
    ("hampir diundur bu krn hujan, alhamdulillah terlaksana, 11 orang", 20, ("held", 11, ASK)),
    ("sempat ditunda bu", 20, (ASK, ASK, ASK)),
    ("pertemuan mau diundur ke minggu depan bu", 20, ("postponed", ASK, ASK)),  # meant, alone
    # Not yet, and planned for a day: not held yet, or moved? Ask (cancelled_or_moved).
    ("belum bu, rencananya hari kamis", 20, (ASK, ASK, ASK)),
    ("blm pertemuan bu, rencana tgl 10", 20, (ASK, ASK, ASK)),
    ("belum ya bu, rencana lusa siang", 20, (ASK, ASK, ASK)),
    ("ga jadi bu, rencananya jumat", 20, ("postponed", ASK, ASK)),  # called off: moved
    # The group's size beside the count ("anggota 25"), or alone: not who came.
    ("sdh terlaksana bu. Anggotanya 20 org; yg hadir 17 org", 20, ("held", 17, ASK)),
    ("sudah bu, anggota kita 19 orang yg hadir 15", 19, ("held", 15, ASK)),
    ("bu anggota kelompok sy skrg 18 ya, ada yg meninggal 1", 18, (ASK, ASK, ASK)),
    ("sudah bu, anggota 18", 20, ("held", ASK, ASK)),
    ("sudah bu, 18 anggota", 20, ("held", 18, ASK)),
    ("sudah bu, anggota yg hadir 18", 20, ("held", 18, ASK)),
    # A promise in Javanese or Sundanese ("mangke", "engke"): no report, nothing passed on.
    ("inggih, infone mangke kulo sampekke", 20, (ASK, ASK, False)),  # not passed on yet
    ("muhun bu, engke ku abdi dibejaan", 20, (ASK, ASK, ASK)),
    ("nggih, mengko tak kandani ibu-ibu", 20, (ASK, ASK, ASK)),
    # Estimates in Sundanese and Javanese: not a count.
    ("sampun bu, kirang langkung kalih dasa ingkang rawuh", 25, ("held", ASK, ASK)),
    ("tos bu, nu sumping udakara lima welas", 20, ("held", ASK, ASK)),
    ("atos bu, kinten-kinten 15 nu hadir", 20, ("held", ASK, ASK)),
    # "kurang" (short) with a count: plain only when they add up to the roster.
    ("hadir 15 kurang 2", 20, ("held", ASK, ASK)),
    ("hadir 18, kurang 2", 20, ("held", 18, ASK)),
    ("Alhamdulillah pertemuan sdh, 15 kurang", 20, ("held", ASK, ASK)),  # not 20 less 15
    # A figure she is not sure of, or an estimate after the number: ask the number.
    ("sudah bu, 15 kurang lebih", 20, ("held", ASK, ASK)),
    ("sudah bu, 15 orang kira2", 20, ("held", ASK, ASK)),
    ("sudah bu, hadir 15 kalau ga salah", 20, ("held", ASK, ASK)),
    ("sudah bu, hadir 15 seingat saya", 20, ("held", ASK, ASK)),
    ("sudah bu, hadir 15, lupa pastinya", 20, ("held", ASK, ASK)),
    ("sudah, semua hadir kalo gak salah", 20, ("held", ASK, ASK)),
    ("ingkang rawuh kinten 12", 20, ("held", ASK, ASK)),
    ("nu sumping meureun 12", 20, (ASK, ASK, ASK)),  # "meureun": maybe
    # Moved, and people counted: moved and then held, or moved after a small gathering? Ask.
    ("pertemuan dimajukan jadi kemarin, hadir 14", 20, (ASK, ASK, ASK)),
    ("diundurnya ke tgl 10 tapi tgl 10 jadi, hadir 11", 20, (ASK, ASK, ASK)),
    ("diundur ke tgl 15 bu, krn yg hadir cuma 4", 20, (ASK, ASK, ASK)),
    # Rescheduled: moved.
    ("sudah dijadwalkan ulang ke tgl 20", 20, ("postponed", ASK, ASK)),
    ("dijadwal ulang bu jadi hari jumat", 20, ("postponed", ASK, ASK)),
    # Moved to later the same day ("diundur siang"), without a day: it started later.
    ("rencana pagi tp diundur siang bu krn hujan, siangnya jadi, 13 org", 20, ("held", 13, ASK)),
    # Questions to the facilitator say nothing about the meeting.
    ("Bu, kalau ada anggota yang tidak pernah mau datang, bagaimana ya?", 20, (ASK, ASK, ASK)),
    ("Gimana bu kalau bu Warsih tidak datang terus, dicoret saja?", 20, (ASK, ASK, ASK)),
    ("Kalau anggota yang pindah rumah tidak hadir, tetap dihitung bu", 20, (ASK, ASK, ASK)),
    ("Sudah bu, hadir 13. Kalau anggota yg malas datang gimana bu?", 20, ("held", 13, ASK)),
    ("Bu, ada anggota yang sudah meninggal, gimana datanya", 20, (ASK, ASK, ASK)),
    ("Bu, anggota yang tidak mau datang harus diapakan", 20, (ASK, ASK, ASK)),
    ("Bu ada 2 orang yang sudah lama tidak hadir", 20, (ASK, ASK, ASK)),
    # The attendance sheet: who signed it came.
    ("sdh bu, yang tanda tangan absen 18 orang", 22, ("held", 18, ASK)),
    ("Sudah, yg ttd daftar hadir 16", 22, ("held", 16, ASK)),
    ("sudah bu, yg absen/tanda tangan 17", 22, ("held", 17, ASK)),
    ("alhamdulillah lancar bu, isi absen 19 orang", 22, ("held", 19, ASK)),
    # Those who did not come, as a number: not the attendance; ask.
    ("Sudah bu, yang tidak datang 4", 20, ("held", ASK, ASK)),
    ("sdh bu yg ga dateng 3 org", 20, ("held", ASK, ASK)),
    # The group's size she gives, less those away: the rest of her group came.
    ("Pertemuan lancar, dari 20 anggota cuma 3 yang tidak hadir", 20, ("held", 17, ASK)),
    ("sdh bu, anggota 18, yg tidak hadir 2, izin 1", 18, ("held", 15, ASK)),
    ("sudah bu, dari 20 anggota sakit 2 izin 1", 22, ("held", 17, ASK)),
    ("Pertemuan lancar, dari 25 anggota cuma 3 yang tidak hadir", 20, ("held", ASK, ASK)),
    # Those away as a share ("3 dari 20" after "tidak hadir"): away, not the count.
    ("yg tdk hadir 3 dari 20 anggota", 20, ("held", 17, ASK)),
    ("yg ga dateng 2 dr 18 org", 18, ("held", 16, ASK)),
    # A total that adds those who came and those away is the group, not the count.
    ("sudah, yg hadir 15, yg ga hadir 5, jadi total 20", 20, ("held", 15, ASK)),
    ("hadir 15, sakit 2, izin 1, total 18", 18, ("held", 15, ASK)),
    ("hadir 15, sakit 2, total 20", 20, ("held", ASK, ASK)),  # does not add up: ask
    # Another month's meeting: not the one asked about.
    ("bulan kemarin yg dtg 19, bulan ini lom ada pertemuan", 20, ("not_held", ASK, ASK)),
    ("bln lalu hadir 18, bulan ini sudah, hadir 16", 20, ("held", 16, ASK)),
    ("last month 12 came, this month not yet", 20, ("not_held", ASK, ASK)),
    # A meeting joined with another group: the count may be both groups'. Ask for hers.
    ("gabung sama kelompok melati bu, hadir 18", 20, ("held", ASK, ASK)),
    ("sdh bu, bareng dua kelompok, hadir 19", 20, ("held", ASK, ASK)),
    ("sudah bu, hadir 2 kelompok 40 orang", 25, ("held", ASK, ASK)),
    # A plain yes or no that the other words contradict: ask.
    ("kmrn ga jadi bu, tp hari ini sudah, hadir 13", 20, (ASK, ASK, ASK)),
    ("sudah bu, kami bahas soal gizi, 14 orang semangat semua", 20, ("held", ASK, ASK)),
    # Late comers: counted in or not? Ask.
    ("Sudah bu, ibu ibu yg datang ada 14, yg 3 lagi nyusul", 20, ("held", ASK, ASK)),
    ("sudah, 11 hadir, 2 terlambat", 20, ("held", ASK, ASK)),
    ("sudah bu. 13 orang ttd, 3 orang tidak ttd karena datang telat", 20, ("held", ASK, ASK)),
    # Nobody came, in Sundanese and Javanese: no meeting to count.
    ("parantos bu, teu aya nu sumping", 18, (ASK, ASK, ASK)),
    ("teu jadi, euweuh nu sumping", 18, ("not_held", ASK, ASK)),
    ("wis bu, ora ono sing teko", 18, (ASK, ASK, ASK)),
    ("sampun, mboten wonten ingkang absen", 18, ("held", 18, ASK)),
    ("atos bu, sadaya sumping kajaba bu Euis", 18, ("held", 17, ASK)),  # Sundanese "except"
    ("Muhun bu, atos rengse", 18, ("held", ASK, ASK)),  # "muhun": yes
    ("parantos bu, wartos atos dibejakeun ka sadaya anggota", 18, ("held", ASK, True)),
    ("Sudah bu, semua anggota sudah saya beritahu", 18, ("held", ASK, True)),  # all were told
    ("sudah bu, alhamdulillah semua ibu2 semangat", 18, ("held", ASK, ASK)),
    # Place names and other words are not misspellings of keywords.
    ("Sudah bu di Kp. Babakan RT 02, hadir 14", 20, ("held", 14, ASK)),
    ("sudah bu, kumpul di alun-alun, hadir 11", 20, ("held", 11, ASK)),
    ("sdh bu hadir 12, yg 3 lg dagang di pasar", 20, ("held", 12, ASK)),
    ("atos bu, kuring sareng ibu-ibu kumpul di komplek, hadir 10", 20, ("held", 10, ASK)),
    ("udah bu di samping masjid, yang datang 9", 20, ("held", 9, ASK)),
    ("Mhn maaf bu, br bls, hp sy mati", 20, (ASK, ASK, ASK)),  # "mhn" is "mohon", not "muhun"
    # Javanese and Sundanese numbers up to 30.
    ("sampun bu, ingkang rawuh kalih welas", 20, ("held", 12, ASK)),
    ("sampun, ingkang rawuh kalih dasa", 25, ("held", 20, ASK)),
    ("sampun bu, ingkang rawuh rolas", 20, ("held", 12, ASK)),
    ("wis bu, sing teko pitulas wong", 20, ("held", 17, ASK)),
    ("sampun, rawuh selikur tiyang", 25, ("held", 21, ASK)),
    ("wis rampung, sing teko rong puluh", 25, ("held", 20, ASK)),
    ("atos bu, nu sumping tilu welas", 20, ("held", 13, ASK)),
    ("parantos, nu hadir duawelas urang", 20, ("held", 12, ASK)),
    ("atos, anu sumping dua puluh hiji", 25, ("held", 21, ASK)),
    ("parantos bu, nu hadir salikur", 25, ("held", 21, ASK)),
    ("atos ngariung, nu sumping genep belas", 20, ("held", 16, ASK)),
    ("parantos bu, nu hadir duapuluh", 25, ("held", 20, ASK)),
    # A digit typed before the joiner: "3 welas" is 13, "2 puluh 1" is 21, "2 likur" is 22.
    ("parantos bu, nu sumping 3 welas, nu teu sumping 2", 20, ("held", 13, ASK)),
    ("sampun, rawuh 2 puluh 1", 25, ("held", 21, ASK)),
    ("atos, nu sumping 2 likur", 25, ("held", 22, ASK)),
    ("sampun bu, ingkang rawuh 1 welas", 20, ("held", 11, ASK)),
    # Javanese krama "kejawi" (except); Sundanese "can" (not yet).
    ("sampun rampung bu, sedaya rawuh kejawi bu Parmi", 20, ("held", 19, ASK)),
    ("sampun, sedaya rawuh kajawi bu Parmi lan bu Sum", 20, ("held", 18, ASK)),
    ("tos, sadayana sumping iwal bu Euis sareng bu Imas", 20, ("held", 18, ASK)),
    # Names joined by a word not read ("terus", "ditambah"): how many? Ask.
    ("semua hadir kecuali bu Sri terus bu Ani", 20, ("held", ASK, ASK)),
    ("yg tidak hadir bu Ani ditambah bu Tini", 20, (ASK, ASK, ASK)),
    ("tos bu, infona can dibejakeun", 20, ("held", ASK, False)),
    ("kumpulan can bu", 20, ("not_held", ASK, ASK)),
    ("we can meet next week", 20, (ASK, ASK, ASK)),
    # Sundanese and Javanese words: moved ("dialihkeun"), days ("dinten Saptu", "Kemis"),
    # not yet ("teu acan", "tacan"), only ("ngan", "namung"), came ("dongkap"), of ("ti").
    ("Kumpulan dialihkeun ka dinten Saptu bu, seueur nu hajat", 20, ("postponed", ASK, ASK)),
    ("pertemuan dialihkeun ka Kemis payun", 20, ("postponed", ASK, ASK)),
    ("tos bu, info teu acan dibejakeun", 20, ("held", ASK, False)),
    ("atos kumpulan bu, wartos tacan", 20, ("held", ASK, False)),
    ("parantos bu, nu sumping tujuh welas ti salawe, info atos", 25, ("held", 17, True)),
    ("parantos bu, nu dongkap salapan welas", 25, ("held", 19, ASK)),
    ("tos bu, nu datang ngan dalapan", 20, ("held", 8, ASK)),
    ("sampun bu, ingkang rawuh namung 9", 20, ("held", 9, ASK)),
    # Javanese krama "kempal" (gather), "saged" (can), "sido" (go ahead); Sundanese "tiasa".
    ("mboten saged kempal bu", 20, ("not_held", ASK, ASK)),
    ("dereng kempal bu", 20, ("not_held", ASK, ASK)),
    ("sampun kempal bu, ingkang rawuh 14", 20, ("held", 14, ASK)),
    ("ora sido kumpulan", 20, ("not_held", ASK, ASK)),
    ("kumpulan teu tiasa bu", 20, ("not_held", ASK, ASK)),
    ("can kumpulan bu", 20, ("not_held", ASK, ASK)),
    # Passing on in everyday words: "umumin", "diumumkan", "bilangin".
    ("sdh bu, 12 org hadir, info bansos sdh sy umumin", 20, ("held", 12, True)),
    ("sudah bu, hadir 15, info udah saya bilangin ke ibu2", 20, ("held", 15, True)),
    ("sudah, pengumuman sudah diumumkan ke anggota, hadir 11", 20, ("held", 11, True)),
    ("sudah bu, hadir 15, info belum saya umumkan", 20, ("held", 15, False)),
]


@pytest.mark.parametrize(
    ("text", "roster", "expected"), SEEN_MISTAKES, ids=[text[:50] for text, _, _ in SEEN_MISTAKES]
)
def test_seen_mistakes(
    text: str, roster: int, expected: tuple[str | None, int | None, bool | None]
) -> None:
    reading = read_reply(text, roster, "id", today=TODAY)
    assert (reading.outcome, reading.attended, reading.info_passed) == expected, reading


# "Belum" first, then a gathering that broke up: not held, or ask; never held, nobody counted.
BROKE_UP = [
    "Belum bu. Tadi sudah kumpul tapi bubar karena hujan besar",
    "blm bu, td sdh pd kumpul trs bubar krn ada kematian",
    "ibu2 sudah kumpul tapi bubar lagi, listrik padam",
    "belum ya bu, sudah ngumpul 6 orang lalu bubar",
    "blm bu. udh kumpul 7 org tp bubar",
]


@pytest.mark.parametrize("text", BROKE_UP)
def test_a_gathering_that_broke_up_is_never_recorded_as_held(text: str) -> None:
    reading = read_reply(text, 18, "id", today=TODAY)
    assert reading.outcome in (None, "not_held") and reading.attended is None, reading


# A plain "belum" first, then the gathering that broke up: the no stands. Anything else that
# says it took place is still a conflict to ask about.
@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("blm bu. Ibu2 sdh ngumpul tp trus bubar, ada yg meninggal", "not_held"),
        ("blm bu. udh kumpul 7 org tp bubar", "not_held"),
        ("belum ya bu, sudah ngumpul 6 orang lalu bubar", "not_held"),
        ("belum bu, kemarin kumpul tp bubar, hari ini sudah terlaksana hadir 12", None),
        ("ibu2 sudah kumpul tapi bubar lagi, listrik padam", None),
    ],
)
def test_no_then_a_gathering_that_broke_up_is_not_held(text: str, outcome: str | None) -> None:
    reading = read_reply(text, 18, "id", today=TODAY)
    assert (reading.outcome, reading.attended) == (outcome, None), reading


JAVANESE = """siji loro telu papat limo enem pitu wolu songo sepuluh sewelas rolas telulas patbelas
    limolas nembelas pitulas wolulas songolas rongpuluh selikur rolikur telulikur patlikur selawe
    nemlikur pitulikur wolulikur songolikur telungpuluh""".split()
SUNDANESE = [
    *"hiji dua tilu opat lima genep tujuh dalapan salapan sapuluh sabelas".split(),
    *(f"{unit} welas" for unit in "dua tilu opat lima genep tujuh dalapan salapan".split()),
    "dua puluh",
    "salikur",
    *(f"{unit} likur" for unit in "dua tilu opat".split()),
    "salawe",
    *(f"{unit} likur" for unit in "genep tujuh dalapan salapan".split()),
    "tilu puluh",
]


@pytest.mark.parametrize(
    ("words", "value"),
    [*zip(JAVANESE, range(1, 31), strict=True), *zip(SUNDANESE, range(1, 31), strict=True)],
)
def test_javanese_and_sundanese_numbers_to_thirty(words: str, value: int) -> None:
    reading = read_reply(f"Sampun rampung, ingkang rawuh {words}", 40, "id", today=TODAY)
    assert reading.attended == value, reading
