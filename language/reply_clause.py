"""One clause of a chair's reply: what it says about the meeting, the count, the information.

The reply is cut into clauses (sentences, commas, "tapi"); in each, numbers that are not a
head count are masked (masks.py), every word gets a kind (lexicon.py), each "sudah"/"belum"
is attached to what it speaks about, and each remaining number to the word that says what it
counts. What the clauses mean together is decided in chair_reply.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from language.lexicon import Kind, kind_of
from language.masks import mask
from language.numbers import words_to_digits

Outcome = Literal["held", "not_held", "postponed"]

_Topic = Literal["outcome", "attendance", "info"]
_TOPIC: dict[Kind, _Topic] = {
    Kind.HELD: "outcome",
    Kind.HELD_IF_SAID: "outcome",
    Kind.MEETING: "outcome",
    Kind.MATERIAL: "outcome",
    Kind.CANCEL: "outcome",
    Kind.JADI: "outcome",
    Kind.POSTPONE: "outcome",
    Kind.CAME: "attendance",
    Kind.COUNTER: "attendance",
    Kind.ABSENT: "attendance",
    Kind.ALL: "attendance",
    Kind.INFO: "info",
    Kind.TOLD: "info",
    Kind.TOLD_IF_INFO: "info",
}
_NOUNS = {Kind.MEETING, Kind.MATERIAL, Kind.INFO}
_POLARITY = {Kind.AFF, Kind.NEG}
# Words that make "lengkap" and friends mean "everyone came" on their own.
_SELF_STANDING_ALL = {"lengkap", "komplit", "komplet", "full", "fullteam", "penuh"}
_AWAY = {Kind.ABSENT, Kind.EXCUSED, Kind.EXCEPT}
_COUNT_LABELS = {Kind.CAME, Kind.ABSENT, Kind.EXCUSED, Kind.ALL, Kind.EXCEPT, Kind.TOTAL}
_WEEKDAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    # Sundanese and Javanese: Senen, Salasa/Seloso, Rebo, Kemis, Jumaah, Saptu/Setu.
    "senen": 0,
    "salasa": 1,
    "seloso": 1,
    "rebo": 2,
    "kemis": 3,
    "jumaah": 4,
    "jemuah": 4,
    "saptu": 5,
    "setu": 5,
}
_RELATIVE_DAYS = {"besok": 1, "besoknya": 1, "tomorrow": 1, "lusa": 2}
_DATE_WORDS = {"depan", "next", "week", "pekan", "minggu", "on", "hari"}
_FUTURE = {
    "nanti", "nnti", "ntar", "akan", "will", "later", "rencana", "rencananya", "sesuk", "setelah",
    "sesudah", "habis", "abis", "after", "kapan", "next", "depan", "besok", "lusa", "mangke",
    "mengko", "engko", "engke", "ngke",
}  # fmt: skip
# Yes in Sundanese ("muhun", "sumuhun") and Javanese ("nggih", "inggih") too.
_YES_PARTICLES = {"ya", "iya", "iyaa", "y", "muhun", "sumuhun", "nggih", "enggih", "inggih"}
_ACKNOWLEDGEMENTS = _YES_PARTICLES | {"yes", "yess", "yup", "yep", "yeah"}
_WHEN_WORDS = {
    "hari", "minggu", "tanggal", "tgl", "depan", "bulan", "pekan", "week", "date", "day", "dinten",
}  # fmt: skip


@dataclass
class _Token:
    kind: Kind | None  # None: a word the reader does not know
    word: str
    number: int | None = None  # for NUM-like tokens
    special: str = ""  # "num", "share", "neg", "nobody", "date", "day"


@dataclass
class Clause:
    """What one clause says; filled in by _read_clause."""

    text: str
    outcomes: list[tuple[Outcome, int]] = field(default_factory=list)  # (outcome, strength)
    counts: list[int] = field(default_factory=list)
    absent: list[int] = field(default_factory=list)
    excused: list[int] = field(default_factory=list)
    negative: list[int] = field(default_factory=list)
    info: list[bool] = field(default_factory=list)
    dates: list[tuple[int, int, int]] = field(default_factory=list)
    weekdays: list[int] = field(default_factory=list)
    relative_days: list[int] = field(default_factory=list)
    total_counts: list[int] = field(default_factory=list)  # "total 14"
    bare_counts: list[int] = field(default_factory=list)  # "12" with nothing to say what
    unplaced: list[int] = field(default_factory=list)  # numbers about people, not placed
    of_total: list[int] = field(default_factory=list)  # "dari 20": the group's size as she says
    said_something: bool = False  # words about the meeting, the attendance or the information
    acknowledgement: bool = False  # a bare "iya"/"yes"
    later: bool = False  # "nanti", "akan": a promise, not a report
    when_only: bool = False  # only a day: "besok aja ya"
    future: bool = False  # speaks of a later time: "nanti", "setelah Lebaran", "kapan"
    everyone: bool = False
    except_: bool = False
    except_without_count: bool = False
    rest: bool = False
    nobody: bool = False
    vague: bool = False
    postpone_word: bool = False
    correction: bool = False
    understood: bool = True
    # "kumpul tapi bubar": they gathered and broke up; whether it took place is hers to say.
    broke_up: bool = False
    first_answer: bool = False  # a bare "sudah"/"belum" opens the clause: it answers the request
    bare_outcomes: list[Outcome] = field(default_factory=list)  # from a bare "sudah"/"belum"
    named_absent: bool = False  # the people away were named (a list), not a typed number
    joint: bool = False  # "digabung dengan kelompok sebelah": who came is not her group alone
    unsure: bool = False  # "kalau ga salah", "lupa pastinya": her figures are from memory
    # "mau diundur" (meant) or "sempat diundur" (did not last): see chair_reply.py.
    tentative_postpone: Literal["", "meant", "not_lasting"] = ""
    bare_cancel: bool = False  # "ga jadi bu" and nothing else: what is called off, the context says
    cancel_word: bool = False  # "batal", "ga jadi": called off (not just "belum", not yet)
    planned: bool = False  # "rencana(nya)", "dijadwalkan": a day planned, not a day moved to


# -- splitting and normalising ---------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(
    r"[\n!?;]+\s*|(?<!\d)[.,]|[.,](?!\d)|\s[-–—]+\s|\s*\b(?:tapi|tetapi|tp|namun|but|cuma tapi|"
    r"sedangkan|hanya saja|nanging|ananging)\b\s*",
    re.IGNORECASE,
)
# A sentence opening with these asks ("gimana kalau...", "kalau ada yang tidak datang...").
# A sentence with one of these anywhere asks, whatever its other clauses say ("ada anggota
# yang sudah meninggal, gimana datanya").
_ASKING_WORD = re.compile(
    r"\b(?:gimana|bagaimana|gmn|gmana|bgmn|kenapa|mengapa|knp|kumaha|piye|pripun|apakah|"
    r"bolehkah|bisakah|diapakan|diapain|ngapain)\b",
    re.IGNORECASE,
)
_ASKING_START = re.compile(
    r"^(?:(?:bu|buk|bun|pak|mbak|teh|kak|maaf|mf|permisi|assalamualaikum)\b[\s,]*)*"
    r"(?:gimana|bagaimana|gmn|gmana|bgmn|kalau|kalo|klo|kumaha|piye|pripun)\b",
    re.IGNORECASE,
)
_NOT_TEXT = re.compile(r"[^a-z0-9\s/.:,%+~#'_-]")


def split_clauses(message: str) -> list[tuple[str, bool]]:
    """The clauses of a message, each with whether it is part of a question: a sentence that
    ends in a question mark or opens with "gimana"/"kalau" asks the facilitator something;
    none of its clauses is a statement about the meeting ("kalau ada anggota yang tidak mau
    datang, bagaimana bu?")."""
    out: list[tuple[str, bool]] = []
    start = sentence_start = 0
    sentence: list[int] = []  # indexes in `out` of the current sentence's clauses
    text = message + "\n"
    for match in _CLAUSE_SPLIT.finditer(text):
        part = message[start : match.start()].strip()
        if part:
            sentence.append(len(out))
            out.append((part, "?" in match[0]))
        start = match.end()
        # Every cut but a comma ends a sentence: a full stop, "?", a line break, "tapi".
        if match[0].strip() != "," or match.end() >= len(text):
            opened = text[sentence_start : match.start()].strip()
            if "?" in match[0] or _ASKING_START.match(opened) or _ASKING_WORD.search(opened):
                for index in sentence:
                    if index == sentence[0] and len(sentence) > 1 and _bare_answer(out[index][0]):
                        continue  # "Belum bu, kapan ya jadwalnya?": she answers, then asks
                    out[index] = (out[index][0], True)
            sentence, sentence_start = [], match.end()
    return out


def _bare_answer(clause: str) -> bool:
    """ "Sudah bu", "belum pak": a yes or a no and nothing else."""
    kinds = {kind_of(word) for word in re.findall(r"[a-z]+", clause.lower())}
    return bool(kinds & {Kind.AFF, Kind.NEG}) and kinds <= {Kind.AFF, Kind.NEG, Kind.FILLER}


_LIST_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.)-]\s+(\S.*)$")


def count_list(text: str) -> str:
    """A numbered list of names under "yg hadir:" counts them: the header gets the count and
    the items lose their numbers (which are not head counts), keeping the names as a note."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        j, expected = i, 1
        while j < len(lines) and (m := _LIST_ITEM.match(lines[j])) and int(m[1]) == expected:
            j, expected = j + 1, expected + 1
        if expected > 2 and out:  # two or more items, under a header line
            header = out.pop().rstrip().rstrip(":")
            out.append(f"{header} {expected - 1} orang qnamed:")  # a list of the people
            out += [_LIST_ITEM.sub(r"\2", line) for line in lines[i:j]]
            i = j
        else:
            out.append(lines[i])
            i += 1
    return "\n".join(out)


def _normalise(text: str) -> str:
    # "dibéjaan" is typed with and without the accent: read both as plain letters.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.lower().replace("’", "'").replace("`", "'")
    text = re.sub(r"n't\b", " not", text)
    text = re.sub(r"\b(did|was|were|has|have|is|are|could|do|does)nt\b", r"\1 not", text)
    text = _NOT_TEXT.sub(" ", text)  # emoji and symbols say nothing the words do not
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)  # "sudahhh"
    text = re.sub(r"\b(ibu|bapak)[\s-]*\1\b|\b(ibu|bapak)2\b", " ibuibu ", text)
    text = re.sub(r"\b([a-z]{2,})2\b", r"\1 \1", text)  # "kira2"
    text = re.sub(r"\b([a-z]{2,})-\1\b", r"\1 \1", text)
    text = re.sub(r"\balun alun\b", "alunalun", text)  # the town square, not "alun" (not yet)
    text = re.sub(r"(\d)(?!(?:st|nd|rd|th)\b)([a-z])", r"\1 \2", text)
    text = re.sub(r"([a-z])(\d)", r"\1 \2", text)
    text = re.sub(r"\bp\s*2\s*k\s*2?\b", " qp2k2 ", text)
    # Javanese "tak" is "I" before a verb ("wis tak kandani"), not the negation "tak".
    text = re.sub(
        r"\btak\s+(?=(?:kandani|sampek|sampaik|omong|kabar|wenehi|critani|jelask))", "", text
    )
    text = re.sub(r"\b(?:teu|henteu|te)\s+acan\b|\btacan\b", " belum ", text)  # Sundanese
    # Sundanese "can" (not yet) before a passive verb, a particle or the clause's end; the
    # English "can" comes before a verb ("can come") and is left alone.
    text = re.sub(
        r"\bcan\b(?=\s*(?:$|[,.!?;]|\s(?:bu|teh|mah|euy|atuh|nya|kumpul\w*|di[a-z]+|[a-z]+keun)\b))",
        " belum ",
        text,
    )
    text = words_to_digits(text)
    text = re.sub(r"\b(?:sudah|sdh|udah|udh|dah)\s+(?=lama\b)", "", text)  # "for a long time"
    # The attendance sheet ("absen", "daftar hadir") signed by N is N who came; "absen" alone
    # may be either the sheet or those away, so only next to signing or filling in it.
    text = _SHEET.sub(" hadir ", text)
    text = mask(text)
    text = re.sub(r"\bseorang\b", " 1 orang ", text)
    return text


_SIGN = r"(?:tanda\s*tangan|tandatangan|ttd|paraf|isi|ngisi|mengisi|diisi)"
_SHEET = re.compile(
    rf"\b(?:{_SIGN}\s+(?:di\s+)?(?:absen|absensi|daftar\s+hadir|daftar\s+absen|daftar)"
    rf"|(?:absen|absensi)\s*/\s*{_SIGN}|(?:absen|absensi|daftar\s+hadir)\s+{_SIGN}|{_SIGN})\b"
)
# "mundur jam 10", "diundur sore": later the same day, unless a day is named.
_TIME_OF_DAY = re.compile(r"\b(?:jam|pukul|pkl|menit|mnt|pagi|siang|sore|malam|petang)\b")
# "mau diundur", "sempat diundur", "hampir ditunda": a postponement meant, or one that did not
# last; what the meeting came to is said elsewhere in the reply (chair_reply.py weighs it).
_TENTATIVE = {"mau", "sempat", "sempet", "hampir", "rencana", "rencananya", "akan", "ingin",
              "pengen", "pengin"}  # fmt: skip
_NOT_LASTING = {"sempat", "sempet", "hampir"}
_OTHER_MONTH = re.compile(
    r"\b(?:bulan|bln|sasih|wulan)\s*(?:kemarin|kemaren|kmrn|kmarin|lalu|lalu2|sebelumnya|"
    r"kapungkur|wingi|kepungkur)\b|\blast month\b|\bprevious month\b"
)
# "hadir 15 kalau ga salah", "seingat saya 15", "lupa pastinya": a figure she is not sure of.
_UNSURE = re.compile(
    r"\b(?:kalau|kalo|klo|kl|kalu)\s+(?:ga|gak|gk|g|nggak|ngga|tidak|tdk|ndak)\s+salah\b"
    r"|\bseingat\w*|\bseinget\w*|\bsetahu\s+(?:saya|sy|aku)\b"
    r"|\b(?:lupa|ga|gak|tidak|tdk|kurang|nggak)\s+(?:pasti\w*|tau\s+pasti|tahu\s+pasti)"
    r"|\bif i remember\b|\bnot sure\b|\bi think\b"
)
_JOINT = {
    "gabung", "digabung", "gabungan", "bergabung", "digabungkan", "gabungkan", "join", "joint",
    "combined", "campur", "dicampur",
}  # fmt: skip
_GROUPS = re.compile(r"\b(?:\d+|dua|tiga|empat|loro|telu|tilu)\s*(?:kelompok|klp|grup|groups?)\b")
_PLANNED = {"rencana", "rencananya", "direncanakan", "dijadwalkan", "jadwalnya", "jadwal"}
# "yg 3 lagi nyusul", "2 telat": people who came late; counted in, or not? Hers to say.
_LATE = {"nyusul", "menyusul", "susul", "nyusulnya", "telat", "terlambat", "belakangan"}
_LATER_DAY = {"besok", "besoknya", "lusa", "depan", "dpn", "nanti", "nnti", "ntar", "payun"}
_BROKE_UP = {"bubar", "bubaran", "dibubarkan", "buyar", "bubarkan"}


_TOKEN = re.compile(r"q[a-z0-9]+(?:_\d+)*|-?\d+|~|[a-z_']+")


def _tokens(text: str, language: str) -> list[_Token]:
    # `language` is accepted for vocabulary that one day may differ by language; today both
    # vocabularies are always read, because chairs mix Indonesian, English and regional words.
    del language
    tokens: list[_Token] = []
    for word in _TOKEN.findall(_normalise(text)):
        word = word.strip("'")
        if not word:
            continue
        if word.isdigit():
            tokens.append(_Token(None, word, int(word), "num"))
        elif word.startswith("qatt_"):
            tokens.append(_Token(None, word, int(word[5:]), "share"))
        elif word.startswith("qof_"):
            tokens.append(_Token(Kind.FILLER, word, int(word[4:]), "of"))
        elif word == "qnamed":
            tokens.append(_Token(Kind.FILLER, word))  # the names of the people away were listed
        elif word == "qmask":
            tokens.append(_Token(Kind.FILLER, word))
        elif word.startswith("qneg_"):
            tokens.append(_Token(None, word, int(word[5:]), "neg"))
        elif word == "qnobody":
            tokens.append(_Token(None, word, 0, "nobody"))
        elif word.startswith("qdate_"):
            tokens.append(_Token(Kind.FILLER, word, None, "date"))
        elif word in _WEEKDAYS or word in _RELATIVE_DAYS:
            tokens.append(_Token(Kind.FILLER, word, None, "day"))
        else:
            tokens.append(_Token(kind_of(word), word))
    return tokens


# -- reading one clause ------------------------------------------------------------------------


def _merge(tokens: list[_Token]) -> list[_Token]:
    """Join words whose meaning is the pair's: "tidak hadir" is absent, "gak jadi" cancelled."""
    out: list[_Token] = []
    seen_content = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        nxt = _next_content(
            tokens, i + 1, skip={"bisa", "sempat", "sempet", "mau", "dapat", "saged", "tiasa"}
        )
        if token.kind is Kind.NEG and nxt is not None:
            following = tokens[nxt]
            if following.kind is Kind.CAME:
                out.append(_Token(Kind.ABSENT, f"{token.word} {following.word}"))
                i, seen_content = nxt + 1, True
                continue
            if following.kind is Kind.JADI:
                out.append(_Token(Kind.CANCEL, f"{token.word} {following.word}"))
                i, seen_content = nxt + 1, True
                continue
            rest = [t for t in tokens[nxt + 1 :] if not _is_filler(t)]
            before = [t for t in out if not _is_filler(t)]
            no_info = not rest and bool(before) and before[-1].kind is Kind.INFO
            if following.word == "ada" and ((rest and rest[0].kind is not Kind.MEETING) or no_info):
                # ("untuk info tidak ada": there was no information to pass on.)
                # "belum ada info", "tidak ada masalah", "tidak ada yang izin": there is no
                # such thing; not a yes or a no about the meeting. (But "tidak ada pertemuan"
                # and "pertemuannya tidak ada" are.) Kept as a note.
                out.append(_Token(None, f"{token.word} ada"))
                i = nxt + 1
                continue
        if token.kind is Kind.NEG and nxt is not None and tokens[nxt].kind is Kind.FORGOT:
            out.append(_Token(None, f"{token.word} {tokens[nxt].word}"))  # "tidak lupa": ask
            i = nxt + 1
            continue
        # "gagal menyampaikan", "gagal sy sampaikan": not passed on (the "sy" between
        # them is skipped, as any filler is).
        told = _next_not_filler(tokens, i)
        if (
            token.kind is Kind.CANCEL
            and told is not None
            and tokens[told].kind in (Kind.TOLD, Kind.TOLD_IF_INFO)
        ):
            token = _Token(Kind.FORGOT, token.word)
        if token.kind is Kind.NOT_THIS and nxt is not None and tokens[nxt].special == "num":
            i = nxt + 1  # "bukan 8, 9": the 8 is withdrawn
            continue
        if token.kind is Kind.AFF and token.word in _YES_PARTICLES and seen_content:
            token = _Token(Kind.FILLER, token.word)  # "sudah ya bu": a particle, not a yes
        if token.kind is Kind.JADI and not _only_jadi(tokens):
            token = _Token(Kind.FILLER, token.word)  # "jadi" is mostly "so"
        if token.kind is not Kind.FILLER or token.special:
            seen_content = True
        out.append(token)
        i += 1
    return _called_off(out)


def _called_off(tokens: list[_Token]) -> list[_Token]:
    """ "ga jadi diundur", "batal dipindah": the postponement was called off, which says
    neither that the meeting was moved nor that it was cancelled. Kept as a note."""
    out: list[_Token] = []
    skip = -1
    for i, token in enumerate(tokens):
        if i == skip:
            continue
        nxt = _next_not_filler(tokens, i)
        if (
            token.kind is Kind.CANCEL
            and nxt is not None
            and tokens[nxt].kind in (Kind.POSTPONE, Kind.POSTPONE_IF_WHEN)
        ):
            out.append(_Token(None, f"{token.word} {tokens[nxt].word}"))
            out.extend(tokens[i + 1 : nxt])
            skip = nxt
            continue
        out.append(token)
    return out


def _only_jadi(tokens: list[_Token]) -> bool:
    """ "Jadi bu", "pertemuan kemarin jadi": it went ahead (and "jadi" is not "so")."""
    allowed = {Kind.FILLER, Kind.MEETING, Kind.AFF, Kind.JADI}
    return all(t.kind in allowed and not t.special for t in tokens)


def _next_content(tokens: list[_Token], start: int, skip: set[str]) -> int | None:
    for j in range(start, min(len(tokens), start + 3)):
        if tokens[j].word in skip:
            continue
        return j
    return None


def _is_filler(token: _Token) -> bool:
    return token.kind is Kind.FILLER and token.special == ""


def _next_not_filler(tokens: list[_Token], i: int) -> int | None:
    """The index of the first word after i that is not a filler, if any."""
    return next((j for j in range(i + 1, len(tokens)) if not _is_filler(tokens[j])), None)


def _neighbour(tokens: list[_Token], i: int, step: int) -> tuple[int, bool]:
    """The index of the next word from i in direction step that says what a number counts,
    skipping fillers and counters; and whether a counter ("orang") was passed on the way."""
    counted = False
    j = i + step
    while 0 <= j < len(tokens):
        token = tokens[j]
        if token.kind is Kind.COUNTER:
            counted = True
        elif not (_is_filler(token) or token.kind in (Kind.ONLY, Kind.AFF)):
            return j, counted
        j += step
    return -1, counted


def _label(tokens: list[_Token], j: int) -> Kind | None:
    if j < 0:
        return None
    kind = tokens[j].kind
    return kind if kind in _COUNT_LABELS else None


def _number_kind(tokens: list[_Token], i: int) -> Kind | None:
    """What number i counts: CAME, ABSENT, EXCUSED, ALL, EXCEPT; None when nothing says."""
    left, counted_left = _neighbour(tokens, i, -1)
    right, counted_right = _neighbour(tokens, i, 1)
    left_kind, right_kind = _label(tokens, left), _label(tokens, right)
    if left_kind is Kind.EXCEPT:
        return Kind.EXCEPT  # "semua kecuali 2 (yang) datang": the 2 are the ones away
    if left_kind and right_kind and left_kind != right_kind:
        # "hadir 8 sakit 2": "sakit" belongs to the 2 after it; "8 hadir 2 sakit": "hadir"
        # belongs to the 8 before it.
        after_right, _ = _neighbour(tokens, right, 1)
        before_left, _ = _neighbour(tokens, left, -1)
        right_taken = after_right >= 0 and tokens[after_right].special == "num"
        left_taken = before_left >= 0 and tokens[before_left].special == "num"
        if right_taken and not left_taken:
            return left_kind
        if left_taken and not right_taken:
            return right_kind
        if {left_kind, right_kind} <= {Kind.CAME, Kind.ALL, Kind.TOTAL}:
            return Kind.CAME
        if {left_kind, right_kind} <= _AWAY:
            return Kind.EXCEPT if Kind.EXCEPT in (left_kind, right_kind) else Kind.ABSENT
        return Kind.VAGUE
    if right_kind and not left_kind:
        after_right, _ = _neighbour(tokens, right, 1)
        if after_right >= 0 and tokens[after_right].special == "num":
            right_kind = None  # "nyusul 4 lg jd total 14": "total" is the 14's, not the 4's
    if right_kind is Kind.EXCEPT and not left_kind:
        return Kind.VAGUE  # "15 kurang": fifteen short, or fewer than fifteen? Not a count.
    if left_kind or right_kind:
        return left_kind or right_kind
    only_before = i > 0 and tokens[i - 1].kind is Kind.ONLY
    known = all(t.kind is not None or t.special for t in tokens)
    if (counted_left or counted_right or only_before) and known:
        # "8 orang" says people, not what they did: a count only when nothing else is said.
        return Kind.CAME
    return None


def _alone(tokens: list[_Token], i: int) -> bool:
    """Number i stands with nothing but greetings, "sudah" and words about the meeting:
    "Sudah bu, 12" or "Sdh berlangsung 12"."""
    allowed = {Kind.FILLER, Kind.AFF, Kind.ONLY, Kind.HELD, Kind.MEETING, Kind.CORRECTION}
    return all(j == i or (t.kind in allowed and t.special != "day") for j, t in enumerate(tokens))


def says_when(text: str, language: str) -> bool:
    """The message names a day ("tgl 12", "hari Kamis", "minggu depan")."""
    return any(
        t.special in ("date", "day") or t.word in _WHEN_WORDS for t in _tokens(text, language)
    )


def read_clause(text: str, asked: bool, language: str, when: bool) -> Clause:
    clause = Clause(text)
    clause.unsure = bool(_UNSURE.search(text.lower()))
    tokens = _merge(_tokens(text, language))
    kinds = {t.kind for t in tokens}
    # "nanti saya kabari kapan gantinya" speaks of later; "kapan ya bu?" asks, and says nothing.
    clause.future = not asked and any(t.word in _FUTURE for t in tokens)
    if _OTHER_MONTH.search(text.lower()):
        # "bulan kemarin hadir 20": another month's meeting, not the one asked about. Kept
        # as her note; the rest of the reply answers (or the bot asks).
        clause.understood = False
        return clause
    if asked or Kind.QUESTION in kinds or Kind.HEDGE in kinds:
        # A question to the facilitator answers nothing ("Pertemuannya gimana bu?"), and a
        # guess is not a report ("kayaknya sudah", "insyaallah sudah"): ask instead.
        clause.understood = False
        return clause
    clause.later = Kind.LATER in kinds
    clause.broke_up = any(t.word in _BROKE_UP for t in tokens)
    clause.named_absent = any(t.word == "qnamed" for t in tokens)
    clause.joint = any(t.word in _JOINT for t in tokens) or bool(_GROUPS.search(text.lower()))
    if kinds & {Kind.POSTPONE, Kind.POSTPONE_IF_WHEN} and _TIME_OF_DAY.search(text.lower()):
        if not any(t.special in ("date", "day") for t in tokens):
            # "mundur jam 10": it started later the same day, or moved? Only a day says moved.
            moving = (Kind.POSTPONE, Kind.POSTPONE_IF_WHEN)
            tokens = [_Token(None, t.word) if t.kind in moving else t for t in tokens]
            kinds = {t.kind for t in tokens}
    clause.when_only = any(t.special in ("date", "day") for t in tokens) and all(
        t.kind in (Kind.FILLER, Kind.LATER, Kind.MEETING, Kind.HELD, Kind.HELD_IF_SAID) or t.special
        for t in tokens
    )
    if Kind.POSTPONE_IF_WHEN in kinds:
        # "pindah ke balai desa" moves the place; only a day makes it a postponement.
        moved = Kind.POSTPONE if when else None
        tokens = [_Token(moved, t.word) if t.kind is Kind.POSTPONE_IF_WHEN else t for t in tokens]
        kinds = {t.kind for t in tokens}

    for i, token in enumerate(tokens):
        if token.kind is None and token.special == "":
            clause.understood = False
        if token.special == "date":
            _, day, month, year = token.word.split("_")
            clause.dates.append((int(day), int(month), int(year)))
        elif token.special == "day":
            if token.word in _RELATIVE_DAYS:
                clause.relative_days.append(_RELATIVE_DAYS[token.word])
            elif not (token.word == "minggu" and _near_word(tokens, i, _DATE_WORDS - {"hari"})):
                clause.weekdays.append(_WEEKDAYS[token.word])
        elif token.kind is Kind.CORRECTION:
            clause.correction = True
        elif token.kind is Kind.POSTPONE:
            clause.postpone_word = True
            before = {t.word for t in tokens[max(0, i - 2) : i]}
            if before & _NOT_LASTING:
                clause.tentative_postpone = "not_lasting"
            elif before & _TENTATIVE and not clause.tentative_postpone:
                clause.tentative_postpone = "meant"
        elif token.special == "nobody":
            clause.nobody = True
        elif token.special == "of":
            clause.of_total.append(token.number or 0)
        elif token.special == "share":
            if _away_before(tokens, i):
                clause.absent.append(token.number or 0)  # "yg tdk hadir 3 dari 20": away
            else:
                clause.counts.append(token.number or 0)
        elif token.special == "neg":
            clause.negative.append(token.number or 0)
        elif token.special == "num":
            _read_number(tokens, i, clause)
        elif token.kind is Kind.REST:
            clause.rest = True
        elif token.kind is Kind.VAGUE:
            people = {Kind.CAME, Kind.COUNTER, Kind.ALL}
            if _near_kinds(tokens, i, people, reach=4) or _alone(tokens, i):
                clause.vague = True
                if Kind.CAME in kinds:
                    clause.outcomes.append(("held", 1))  # "setengahnya yg datang": it took place
        elif token.kind is Kind.ALL:
            near = _nearest_topic(tokens, i)
            standing = token.word in _SELF_STANDING_ALL and not _next_to_other_topic(tokens, i)
            people_only = Kind.CAME not in kinds and not standing
            told = bool(kinds & {Kind.TOLD, Kind.TOLD_IF_INFO, Kind.INFO})
            unknown = any(t.kind is None and not t.special for t in tokens)
            if near == "attendance" and people_only and (told or unknown):
                # "semua anggota sudah dikasih tahu": all were told, not all came; "semua
                # ibu2 antusias": all keen. Without a word for coming, it is no count.
                clause.understood = False
            elif (near == "attendance" or standing) and Kind.REST not in kinds:
                clause.everyone = True  # not "sisanya hadir semua": the rest, not everyone
        elif (
            token.kind is Kind.EXCEPT
            and not any(tokens[j].special == "num" for j in range(i + 1, min(len(tokens), i + 3)))
            and kinds & {Kind.ALL, Kind.CAME, Kind.COUNTER}
        ):
            # "semua hadir kecuali yg sakit": not everyone, and not a number we can count.
            clause.understood = False
            clause.except_without_count = True
        elif token.kind is Kind.EXCEPT:
            clause.understood = clause.understood and any(
                tokens[j].special == "num" for j in range(i + 1, min(len(tokens), i + 3))
            )

    _read_polarity(tokens, clause, kinds)
    clause.cancel_word = Kind.CANCEL in kinds
    clause.planned = any(t.word in _PLANNED for t in tokens)
    clause.bare_cancel = Kind.CANCEL in kinds and all(
        t.kind in (Kind.CANCEL, Kind.FILLER) and not t.special for t in tokens
    )
    return clause


def _away_before(tokens: list[_Token], i: int) -> bool:
    """The word before number i (fillers and counters skipped) says they stayed away."""
    left, _ = _neighbour(tokens, i, -1)
    return left >= 0 and tokens[left].kind in _AWAY


def _topic(token: _Token) -> _Topic | None:
    return _TOPIC.get(token.kind) if token.kind is not None else None


def _next_to_other_topic(tokens: list[_Token], i: int) -> bool:
    """ "info lengkap", "lengkap materinya": complete, but not about who came."""
    return any(
        0 <= j < len(tokens)
        and _topic(tokens[j]) in ("info", "outcome")
        and tokens[j].kind is not Kind.HELD
        for j in (i - 1, i + 1)
    )


def _near_word(tokens: list[_Token], i: int, words: set[str]) -> bool:
    return any(
        tokens[j].word in words for j in range(max(0, i - 2), min(len(tokens), i + 3)) if j != i
    )


def _near_kinds(tokens: list[_Token], i: int, kinds: set[Kind], reach: int = 2) -> bool:
    return any(
        tokens[j].kind in kinds
        for j in range(max(0, i - reach), min(len(tokens), i + reach + 1))
        if j != i
    )


def _nearest_topic(tokens: list[_Token], i: int) -> _Topic | None:
    best: tuple[int, _Topic] | None = None
    for j, token in enumerate(tokens):
        if j == i or token.kind not in _TOPIC or token.kind is Kind.ALL:
            continue
        if _unknown_between(tokens, min(i, j), max(i, j)):
            continue  # "ibu2 semangat semua": all keen, not all there
        distance = abs(j - i)
        if distance <= 3 and (best is None or distance < best[0]):
            best = (distance, _TOPIC[token.kind])
    if best is None and any(t.special == "num" for t in tokens):
        return "attendance"  # "semua 15": everyone, and a count
    return best[1] if best else None


def _unknown_between(tokens: list[_Token], i: int, j: int) -> bool:
    return any(t.kind is None and not t.special for t in tokens[i + 1 : j])


_MEMBERS = {"anggota", "anggotanya", "agt", "kpm", "member", "members"}


def _group_size(tokens: list[_Token], i: int) -> bool:
    """ "anggota 25, hadir 21", "anggota kelompok kita sekarang 23": a number after the word
    for members, with no word saying what they did, is the group's size, not who came."""
    left, _ = _neighbour(tokens, i, -1)
    right, _ = _neighbour(tokens, i, 1)
    if _label(tokens, left) is not None:
        return False
    if _label(tokens, right) is not None:
        after_right, _ = _neighbour(tokens, right, 1)
        if not (after_right >= 0 and tokens[after_right].special == "num"):
            return False  # "anggota 18 hadir": they came ("anggota 28 yg hadir 23": the 23)
    return any(t.word in _MEMBERS for t in tokens[left + 1 : i])


def _read_number(tokens: list[_Token], i: int, clause: Clause) -> None:
    value = tokens[i].number or 0
    kind = _number_kind(tokens, i)
    if kind is Kind.CAME and _group_size(tokens, i):
        clause.of_total.append(value)
        clause.understood = False  # kept in her words as the note
        return
    if kind is not Kind.TOTAL and any(t.word in _LATE for t in tokens):
        # "yg ga ttd 2 krn telat": away, or came late and counted? Not hers to be guessed.
        clause.understood = False
        clause.unplaced.append(value)
        return
    if kind is None:
        if _alone(tokens, i):
            clause.bare_counts.append(value)
        else:
            clause.understood = False  # a number we cannot place: hers to explain, not ours
            about_people = {Kind.COUNTER, Kind.CAME, Kind.ABSENT, Kind.EXCUSED, Kind.ALL}
            if any(t.kind in about_people or t.word in _LATE for t in tokens):
                clause.unplaced.append(value)  # "2 di antaranya bukan anggota"
        return
    if kind is Kind.VAGUE:
        clause.vague = True
    elif kind in (Kind.CAME, Kind.ALL, Kind.TOTAL):
        clause.counts.append(value)
        if kind is Kind.TOTAL:
            clause.total_counts.append(value)
    elif kind in (Kind.ABSENT, Kind.EXCEPT):
        clause.absent.append(value)
        clause.except_ = clause.except_ or kind is Kind.EXCEPT
    elif kind is Kind.EXCUSED:
        clause.excused.append(value)


def _read_polarity(tokens: list[_Token], clause: Clause, kinds: set[Kind | None]) -> None:
    """Attach each "sudah"/"belum" to what it speaks about and turn it all into signals."""
    anchors = [j for j, t in enumerate(tokens) if t.kind in _TOPIC]
    polarity: dict[int, Kind] = {}
    bare: list[Kind] = []
    bare_at: list[int] = []
    for i, token in enumerate(tokens):
        if token.kind is Kind.FORGOT:
            # "lupa menyampaikan", "info kula lali nyampekaken": not passed on. Forgetting
            # anything else ("lupa jumlahnya") is hers to explain: ask.
            told = [
                j
                for j in anchors
                if abs(j - i) <= 3
                and tokens[j].kind in (Kind.TOLD, Kind.TOLD_IF_INFO, Kind.INFO)
                and not _blocked(tokens, min(i, j), max(i, j))
            ]
            if told:
                for j in told:
                    polarity[j] = Kind.NEG
            else:
                clause.understood = False
            continue
        if token.kind is None or token.kind not in _POLARITY:
            continue
        forward = next((j for j in anchors if i < j <= i + 4 and not _blocked(tokens, i, j)), None)
        backward = next(
            (
                j
                for j in reversed(anchors)
                if i - 3 <= j < i and j not in polarity and not _blocked(tokens, j, i)
            ),
            None,
        )
        chosen: int | None
        if (
            backward is not None
            and tokens[backward].kind in _NOUNS
            and (forward is None or _topic(tokens[forward]) != _topic(tokens[backward]))
        ):
            chosen = backward
        else:
            chosen = forward if forward is not None else backward
        if chosen is None:
            bare.append(token.kind)
            bare_at.append(i)
        else:
            polarity.setdefault(chosen, token.kind)

    material_only = Kind.MATERIAL in kinds and Kind.INFO not in kinds
    later = Kind.LATER in kinds
    for j in anchors:
        kind = tokens[j].kind
        said = polarity.get(j)
        if later and said is not Kind.NEG and kind in (Kind.TOLD, Kind.TOLD_IF_INFO, Kind.HELD):
            known = clause.understood
            clause.understood = False
            if kind is not Kind.HELD and Kind.INFO in kinds and known:
                clause.info.append(False)  # "nanti sy sampaikan ke ibu2": not passed on yet
            continue
        if _topic(tokens[j]) == "info" and _near_kinds(tokens, j, {Kind.VAGUE}, reach=3):
            clause.understood = False  # "info sebagian sudah": part of it; ask
            continue
        if kind is Kind.CANCEL and said is not Kind.NEG:
            clause.outcomes.append(("not_held", 2))
        elif kind is Kind.POSTPONE and said is not Kind.NEG:
            clause.outcomes.append(("postponed", 2))
        elif kind in (Kind.HELD, Kind.JADI):
            clause.outcomes.append(("not_held" if said is Kind.NEG else "held", 2))
        elif kind in (Kind.HELD_IF_SAID, Kind.MEETING) and said is not None:
            clause.outcomes.append(("not_held" if said is Kind.NEG else "held", 2))
        elif kind is Kind.MATERIAL and said is Kind.AFF:
            clause.outcomes.append(("held", 1))
        elif kind in (Kind.TOLD, Kind.TOLD_IF_INFO) and material_only:
            if said is not Kind.NEG:
                clause.outcomes.append(("held", 1))  # "materi sudah disampaikan"
        elif kind is Kind.TOLD or (kind is Kind.TOLD_IF_INFO and Kind.INFO in kinds):
            if said is None and any(t.word in _LATER_DAY for t in tokens):
                # "info saya sampaikan minggu depan": it will be, it has not been. Ask.
                clause.understood = False
                continue
            if Kind.INFO not in kinds and _something_else_told(tokens, j):
                # "keluhan bu Ani sudah saya sampaikan ke pak RT": something else was passed on,
                # not the facilitator's information.
                clause.understood = False
                continue
            clause.info.append(said is not Kind.NEG)
        elif kind is Kind.INFO and said is not None:
            clause.info.append(said is Kind.AFF)
        elif kind in (Kind.CAME, Kind.COUNTER, Kind.ALL) and said is Kind.AFF:
            clause.outcomes.append(("held", 1))
    if not later:
        # A bare "sudah"/"belum" answers the request's first question, but only when nothing
        # else in the clause could be what it is about ("foto blm bisa dikirim").
        for kind, i in zip(bare, bare_at, strict=True):
            if clause.understood or _answers_first(tokens, i):
                clause.outcomes.append(("held" if kind is Kind.AFF else "not_held", 1))
                clause.bare_outcomes.append("held" if kind is Kind.AFF else "not_held")
                clause.first_answer = clause.first_answer or _answers_first(tokens, i)
        clause.acknowledgement = bool(bare_at) and all(
            tokens[i].word in _ACKNOWLEDGEMENTS for i in bare_at
        )
    clause.said_something = bool(anchors) or bool(bare)
    if any(n > 0 for n in clause.counts + clause.absent) or clause.everyone:
        clause.outcomes.append(("held", 1))  # people came, or stayed away from it: it was held


# What else a chair passes on: a member's complaint or problem, to the RT or the village.
_OTHER_THINGS = {
    "keluhan", "keluhannya", "masalah", "masalahnya", "laporan", "pengaduan", "aduan", "usulan",
    "usul", "complaint", "problem",
}  # fmt: skip


def _something_else_told(tokens: list[_Token], j: int) -> bool:
    """ "keluhan bu Ani sudah saya sampaikan ke pak RT": a complaint or a problem is named
    before the verb j; what was passed on is not the information. (What the information was
    about, "soal jadwal posyandu", does not matter.)"""
    return any(t.word in _OTHER_THINGS for t in tokens[:j])


def _answers_first(tokens: list[_Token], i: int) -> bool:
    """ "sdh bu, kmrn di rmh bu RT": the first word answers, whatever else follows; but not
    "blm jelasin" (not yet explained), where an unknown word follows it."""
    first = all(_is_filler(t) for t in tokens[:i])
    unknown_next = any(t.kind is None and not t.special for t in tokens[i + 1 : i + 3])
    return first and not unknown_next


def _blocked(tokens: list[_Token], i: int, j: int) -> bool:
    """Between i and j stands another "sudah"/"belum" or a word we do not know: in "gak kuat
    jalan" the "gak" is about "kuat", not about the meeting going ahead."""
    return any(
        tokens[k].kind in _POLARITY
        or tokens[k].kind is Kind.FORGOT
        or (tokens[k].kind is None and not tokens[k].special)
        for k in range(i + 1, j)
    )
