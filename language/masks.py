"""Rewrite a lower-cased reply so that only numbers that may be a head count stay digits.

Dates, times, money, phone numbers, RT/RW, house and session numbers, durations and years
become placeholder words ("qmask", or "qdate_<day>_<month>_<year>" for a date someone may
be moving the meeting to); a stated share ("12 dari 15") becomes "qatt_12 qof_15"; an estimate
("sekitar 10", "10an", "10-12") becomes "~". Order matters: the more specific patterns run
first, so "tgl 12" is a date before "12" can be anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "januari jan january",
        "februari pebruari feb february",
        "maret mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "agustus agu agt agst aug august",
        "september sep sept",
        "oktober okt oct october",
        "november nov nop",
        "desember des dec december",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b"
_DAY_WORD = r"(?:tgl|tanggal|tangal|tg|tang|date|the)\.?\s*"
# With the Sundanese and Javanese words West Java chairs use ("teu aya nu sumping").
_CAME = (
    r"\b(?:hadir|datang|dateng|dtg|hdr|ikut|came|attended|present|kehadiran|attendance|sumping|"
    r"rawuh|teko)"
)
_NEG = (
    r"\b(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|engga|ndak|belum|blm|ora|teu|henteu|mboten|no|"
    r"not)"
)
_WHO = r"\b(?:yang|yg|nu|anu|sing|ingkang)"
_THERE_IS = r"(?:ada|aya|ana|ono|wonten)"
_TO_MEMBERS = (
    r"\b(?:ke|kepada|pada|sama|to|ka|dhateng|marang)\s+(?:(?:semua\s+|seluruh\s+|para\s+|all\s+|"
    r"the\s+|sadaya\s+|sadayana\s+|sedaya\s+|sedoyo\s+|kabeh\s+)?"
    r"(?:anggota\w*|ibuibu|ibu\s+ibu|kpm|peserta|members?|everyone|mereka|warga|them)\b|"
    r"(?:semua|all|everybody|semuanya|sadaya|sadayana|sedaya|sedoyo|kabeh)\s*$)"
)


def _date(day: str, month: str | int = 0, year: str = "0") -> str:
    month_number = month if isinstance(month, int) else MONTHS.get(month, 0)
    return f" qdate_{int(day)}_{month_number}_{int(year or 0)} "


def _share(match: re.Match[str]) -> str:
    """ "12/15" is no date (no 15th month): 12 of 15 people, unless more than all of them."""
    if "/" in match[0] and match[3] is None and int(match[1]) <= int(match[2]):
        return f" qatt_{int(match[1])} qof_{int(match[2])} "
    return match[0]


_Rule = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]
_RULES: list[_Rule] = [
    # Phone numbers and long ids (NIK, KKS card): never a head count.
    (re.compile(r"(?:\+?62|\b0)\s?8[\d\s.-]{7,14}\d"), " qmask "),
    (re.compile(r"\d{5,}"), " qmask "),
    # Money.
    (re.compile(r"\brp\.?\s*\d[\d.,]*(?:\s*(?:rb|ribu|k|jt|juta))?"), " qmask "),
    (re.compile(r"\b\d[\d.,]*\s*(?:rb|rbu|ribu|k|jt|juta|rupiah|perak)\b"), " qmask "),
    (re.compile(r"\b\d{1,3}(?:\.\d{3})+\b"), " qmask "),
    # "hadir 12/15": a share, not a date (when it follows a word for coming).
    (
        re.compile(_CAME + r"\s*:?\s*(\d{1,3})\s*/\s*(\d{1,3})\b"),
        lambda m: f" hadir qatt_{m[1]} qof_{m[2]} ",
    ),
    # A range of people is an estimate, not a date: "10-12 orang", "hadir 10-12".
    (
        re.compile(
            r"\b\d{1,3}\s*[-–]\s*\d{1,3}\s*(?=(?:orang|org|anggota|kpm|peserta|people|members)\b)"
        ),
        " ~ ",
    ),
    (re.compile(_CAME + r"\s*:?\s*\d{1,3}\s*[-–]\s*\d{1,3}\b"), " hadir ~ "),
    # Dates: "12 desember 2026", "desember 12", "12/12", "tgl 12", "12th".
    (
        re.compile(r"(?:" + _DAY_WORD + r")?\b(\d{1,2})\s*-?\s*" + _MONTH + r"(?:\s*(\d{4}))?"),
        lambda m: _date(m[1], m[2], m[3] or "0"),
    ),
    (re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b"), lambda m: _date(m[2], m[1])),
    (
        re.compile(r"(?:" + _DAY_WORD + r")?\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?\b"),
        lambda m: _date(m[1], int(m[2]), m[3] or "0") if 1 <= int(m[2]) <= 12 else _share(m),
    ),
    (re.compile(r"\b" + _DAY_WORD + r"(\d{1,2})(?:st|nd|rd|th)?\b"), lambda m: _date(m[1])),
    (re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b"), lambda m: _date(m[1])),
    # "diundur ke 12": the day it moves to.
    (
        re.compile(
            r"\b(\w*(?:undur|tunda|pindah|ganti|moved|postponed))\s+(?:ke|jadi|to)\s+(\d{1,2})\b"
        ),
        lambda m: f" {m[1]} {_date(m[2])} ",
    ),
    # Times.
    (
        re.compile(
            r"\b(?:jam|jm|pukul|pkl|pk|at)\.?\s*\d{1,2}(?:[.:]\d{2})?"
            r"(?:\s*(?:wib|wita|wit|pagi|siang|sore|malam|am|pm))?"
        ),
        " qmask ",
    ),
    (re.compile(r"\b\d{1,2}[.:]\d{2}\b"), " qmask "),
    (re.compile(r"\b\d{1,2}\s*(?:am|pm|wib|wita|wit)\b"), " qmask "),
    # RT/RW, house, group and session numbers, ordinals.
    (re.compile(r"\brt\s*/\s*rw\s*:?\s*\d+\s*/\s*\d+"), " qmask "),
    (re.compile(r"\b(?:rt|rw)\s*\.?\s*:?\s*\d+(?:\s*/\s*(?:rw\s*\.?\s*)?\d+)?"), " qmask "),
    (
        re.compile(
            r"\b(?:no|nomor|nmr|nomer|kelompok|klp|kel|blok|gang|gg|jl|jln|jalan|dusun|dsn|"
            r"desa|sesi|session|modul|module|materi|bab|lantai|kamar|kode|room|number|ke|"
            r"group|grup|kloter|tahap|angkatan|week|minggu ke)\s*[.:#-]?\s*\d+\b"
        ),
        " qmask ",
    ),
    (re.compile(r"#\s*\d+"), " qmask "),
    (re.compile(r"\b(?:19|20)\d{2}\b"), " qmask "),
    # Everyone, as a percentage.
    (re.compile(r"\b100\s*%"), " lengkap "),
    # Durations and other things counted.
    (
        re.compile(
            r"\b\d+\s*(?:jam|jm|menit|mnt|detik|hari|hr|minggu|mgg|bulan|bln|tahun|thn|th|"
            r"kali|x|kg|gram|gr|liter|ltr|km|meter|m|anak|balita|bayi|cucu|rumah|buku|lembar|"
            r"foto|bungkus|kotak|dus|porsi|%|minutes|mins|hours|hrs|days|weeks|months|years|"
            r"times|kids|children|babies|photos|pages|rumah\w*|kelompok|klp|grup|group|groups)\b"
        ),
        " qmask ",
    ),
    (re.compile(r"\d+\s*%"), " qmask "),
    (
        re.compile(r"\b(?:anak|balita|bayi|cucu|kids|children)\s+(?:saya\s+|sy\s+|nya\s+)?\d+\b"),
        " qmask ",
    ),
    # A stated share: "12 dari 15", "12 of 15", Sundanese "12 ti 15".
    (
        re.compile(
            r"\b(\d{1,3})\s*(?:orang\s+|org\s+)?(?:dari|dr|dri|of|out of|ti|tina)\s*(\d{1,3})\b"
        ),
        lambda m: f" qatt_{m[1]} qof_{m[2]} ",
    ),
    # "total anggota 20", "jumlah anggota kelompok 20": the size of the group.
    (
        re.compile(
            r"\b(?:total|jumlah|jml)\s+(?:anggota|kpm|peserta|members?)\w*\s+(?:kelompok\s+)?"
            r"(?:ada\s+|sebanyak\s+)?(\d{1,3})\b"
        ),
        r" qof_\1 ",
    ),
    (re.compile(r"\b(?:dari|dr|of)\s+(?:total|jumlah)\s+(\d{1,3})\b"), r" qof_\1 "),
    # "dari 28", "of 25" on their own: the size of the group, not who came.
    (
        re.compile(
            r"\b(?:dari|dr|dri|out of|of)\s+(\d{1,3})\b(?!\s*(?:orang|org)\s+(?:hadir|datang))"
        ),
        r" qof_\1 ",
    ),
    # "10 orang + saya": ten, or eleven with her? Ask.
    (
        re.compile(
            r"\b\d+\s*(?:orang\s+|org\s+)?(?:\+|plus|ditambah|tambah)\s*(?:saya|sy|aku|me)\b"
        ),
        " ~ ",
    ),
    # Estimates.
    (
        re.compile(r"\b\d+\s*(?:-|–|s/d|sd|sampai|sampe|ampe|to|or|atau|ato|/)\s*\d+\b"),
        " ~ ",
    ),
    (
        re.compile(
            r"(?:\bsekitar|\bkira kira|\bkurang lebih|\bkrg lbh|\bkurleb|\blebih kurang|±|\+-|"
            r"\+/-|\babout|\baround|\bapproximately|\bapprox|\broughly|\bhampir|\balmost|"
            r"\bnearly|\blebih dari|\blbh dari|\bmore than|\bover|\bunder|\bless than|"
            r"\bkurang dari|\bkrg dari|>|<|\bkisaran|\bkurang lbh|\bsktr|"
            # Sundanese and Javanese: "kirang langkung", "udakara", "kinten kinten", "kira kira"
            r"\bkirang langkung|\bkurang leuwih|\budakara|\bkinten kinten|\bsakitar|\bkinten|"
            r"\bkira|\bkurang lebihnya)\s*\d+"
        ),
        " ~ ",
    ),
    # "15 kurang lebih", "15 kira2": the estimate after the number.
    (
        re.compile(
            r"\b\d+\s*(?:orang\s+|org\s+)?(?:kurang lebih|krg lbh|kurleb|lebih kurang|kurang lbh|"
            r"kira kira|kira2|kirang langkung|approximately|roughly)\b"
        ),
        " ~ ",
    ),
    (re.compile(r"\b\d+\s*(?:an\b|lebih\b|lbh\b|\+(?!\s*\d)|more\b|or so\b|ish\b|plus\b)"), " ~ "),
    (re.compile(r"\b(?:hampir|almost|nearly)\s+(?:semua|all|lengkap|everyone)\w*"), " ~ "),
    # Decimals and a negative count.
    (re.compile(r"\b\d+[.,]\d+\b"), " qmask "),
    (re.compile(r"(?:(?<=\s)|^)(?:-|minus\s+)\s*(\d+)\b"), lambda m: f" qneg_{m[1]} "),
]

# Whole phrases with a single meaning, rewritten before the words are looked up.
_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:terima kasih|makasih|trima kasih)\s+banyak\b"), " terima kasih "),
    (
        re.compile(
            r"\b(?:tidak|gak|ga|nggak|ngga|enggak|ndak)\s+(?:apa\s*apa|papa)\b|\bgapapa\b|"
            r"\bgpp\b|\bno problem\b"
        ),
        " ",
    ),
    (
        re.compile(
            _NEG
            + rf"\s+(?:{_THERE_IS}\s+)?(?:1\s*pun|seorang\s*pun|sama sekali\s+)?\s*"
            + _WHO
            + r"\s+"
            r"(?:absen|bolos|alpa|" + _NEG + r"\s+(?:bisa\s+)?" + _CAME + r")\b"
        ),
        " lengkap ",
    ),
    (
        re.compile(r"\b(?:nobody|no_one|noone|none)\s+(?:was\s+)?(?:absent|missed|missing)\b"),
        " lengkap ",
    ),
    (
        re.compile(
            r"\b(?:1\s*pun\s+)?" + _NEG + rf"\s+(?:{_THERE_IS}\s+)?(?:1\s*pun\s+|seorang\s*pun\s+|"
            r"sama sekali\s+)?(?:anggota\s+)?" + _WHO + r"\s+(?:mau\s+|bisa\s+)?" + _CAME + r"\b"
        ),
        " qnobody ",
    ),
    (
        re.compile(_WHO + r"\s+" + _CAME + r"\s+(?:tidak|gak|ga|nggak|ngga|enggak|ndak)\s+ada\b"),
        " qnobody ",
    ),
    (
        re.compile(
            r"\b(?:nobody|no_one|noone|none of them|no members?|not a single (?:one|member))\s+"
            r"(?:came|come|attended|showed|turned|was there|were there|joined)\b"
        ),
        " qnobody ",
    ),
    (re.compile(r"\beuweuh\s+(?:nu|anu)\s+" + _CAME + r"\b"), " qnobody "),
    (
        re.compile(
            r"\b(?:kosong|sepi)\s+(?:sekali|banget|total)?\s*(?:gak|tidak|ga)\s+ada\s+(?:orang|yang)\b"
        ),
        " qnobody ",
    ),
    (re.compile(_TO_MEMBERS), " qrecip "),
    (re.compile(r"\b(?:kasih|kasi|kasi)\s*(?:tau|tahu|tw)\b"), " dikasihtau "),
    (re.compile(r"\b(?:di)?(?:kasih|kasi)\s*(?:tau|tahu|tw)\b"), " dikasihtau "),
    (re.compile(r"\bs/d\b"), " sampai "),
    (re.compile(r"\btook place\b|\btake place\b|\bwe did it\b|\bwent well\b"), " held "),
    (re.compile(r"\b(?:got|received|heard) the (?:message|info|information|news)\b"), " informed "),
    (re.compile(r"\bcalled off\b"), " cancelled "),
    (re.compile(r"\bpass(?:ed)? (?:on|along)\b"), " passed "),
    (re.compile(r"\b(?:showed|turned) up\b"), " came "),
    (re.compile(r"\byang lain\b|\bthe others\b|\bthe rest\b"), " lainnya "),
    (
        re.compile(
            r"\b(?:kurang|tidak|tdk|gak|ga|nggak|belum|blm|blom|belom|not)\s+"
            r"(?:lengkap|komplit|full|semua|semuanya|smua|smuanya|sedaya|sadayana|all)\b"
        ),
        " sebagian ",
    ),
    (re.compile(r"\bganti hari\b|\bpindah hari\b|\bhari lain\b"), " diganti "),
    (re.compile(r"\b(?:di)?jadwal(?:kan)?\s+ulang\b|\bre\s*-?\s*schedule\w*"), " diundur "),
]


_NAME = r"\b(?:bu|ibu|pak|bapak|mbak|mba|mak|nenek|nek|mas|kak)\.?\s+[a-z]+"
# "and" in Indonesian, Javanese ("lan", "karo", "kaliyan") and Sundanese ("sareng", "jeung").
_NAMES = (
    _NAME
    + r"(?:\s*(?:,|\bdan\b|&|\bsama\b|\blan\b|\bkaro\b|\bkaliyan\b|\bsareng\b|\bjeung\b)\s*"
    + _NAME
    + r")*"
)
# Another name soon after a list ("kecuali bu Sri terus bu Ani"): a list joined by a word not
# read here; its length is not known, so the names are not counted (the bot asks).
_MORE_NAMES = (
    r"(?!\s*[,&]?\s*(?:[a-z]+\s+){0,2}"
    r"(?:bu|ibu|pak|bapak|mbak|mba|mak|nenek|nek|mas|kak)\.?\s+[a-z])"
)
_NAMED = [
    # "semua hadir kecuali bu Sri": one named person away.
    (
        re.compile(
            r"\b(kecuali|except|selain|kajaba|kejaba|iwal|kejawi|kajawi|sajaba)\s+("
            + _NAMES
            + r")"
            + _MORE_NAMES,
            re.IGNORECASE,
        ),
        "except",
    ),
    # "yg tidak hadir bu Ani, bu Tini": as many away as named.
    (
        re.compile(
            r"\b((?:yang|yg)\s+(?:tidak|tdk|gak|gk|ga|nggak|ngga|belum|blm)\s+"
            r"(?:hadir|datang|dtg|dateng|ikut))\s*:?\s*(" + _NAMES + r")" + _MORE_NAMES,
            re.IGNORECASE,
        ),
        "except",
    ),
    # "cuma bu Ijah yg gk dtg": only the named ones stayed away.
    (
        re.compile(
            r"\b(?:cuma|cuman|cm|hanya|only)\s+(" + _NAMES + r")\s+(?:yang|yg)\s+"
            r"(?:tidak|tdk|gak|gk|ga|nggak|ngga|belum|blm)\s+(?:hadir|datang|dtg|dateng|ikut)\b",
            re.IGNORECASE,
        ),
        "only",
    ),
]


def _count_names(names: str) -> int:
    return len(re.findall(_NAME, names, re.IGNORECASE))


def count_named(text: str) -> str:
    """Named people stand for a number: "kecuali bu Sri dan bu Ani" is "kecuali 2 orang".

    Run on a whole message before it is cut into clauses: a list of names has commas."""
    for pattern, form in _NAMED:
        if form == "except":
            text = pattern.sub(lambda m: f"{m[1]} {_count_names(m[2])} orang qnamed ({m[2]})", text)
        else:
            text = pattern.sub(
                lambda m: f"{_count_names(m[1])} orang qnamed tidak hadir ({m[1]})", text
            )
    return text


def mask(text: str) -> str:
    """The text with non-count numbers replaced and fixed phrases rewritten (see above)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text
