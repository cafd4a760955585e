"""The words a chair's reply is made of, grouped by what they say, with their misspellings.

Chairs type quickly on small phones: abbreviations ("sdh", "blm", "yg", "dtg") and regional
words (Javanese "sampun", "durung"; Sundanese "atos", "teu") are listed as they are written;
other slips of the finger ("berlangsug", "disampaikn") are caught by fuzzy matching with
rapidfuzz's optimal-string-alignment distance (a transposition counts as one edit), only for
long words, only against long keywords, and only when the first letter agrees, because short
Indonesian words are one letter apart from each other ("sudah"/"susah", "ada"/"apa").
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel, Levenshtein


class Kind(Enum):
    """What a word contributes to the reading."""

    AFF = "aff"  # already, yes
    NEG = "neg"  # not, not yet
    HELD = "held"  # took place, went smoothly
    HELD_IF_SAID = "held_if_said"  # "jalan", "kumpul": a meeting only with sudah/belum
    MEETING = "meeting"  # the meeting itself
    MATERIAL = "material"  # the session's material (not the facilitator's information)
    CANCEL = "cancel"
    JADI = "jadi"  # "gak jadi" is cancelled; "jadi" alone is "so"
    POSTPONE = "postpone"
    POSTPONE_IF_WHEN = "postpone_if_when"  # "pindah": moved, only with a day or the meeting
    LATER = "later"  # nanti, akan: what follows has not happened yet
    QUESTION = "question"  # kapan, gimana: she is asking, not answering
    HEDGE = "hedge"  # kayaknya, mungkin, insyaallah: not a statement of fact
    TOTAL = "total"  # total, jumlah: the number that follows is the head count
    CAME = "came"  # hadir, datang
    COUNTER = "counter"  # orang, anggota: what is counted
    ABSENT = "absent"  # absen, bolos
    EXCUSED = "excused"  # sakit, izin: absent with a reason
    ALL = "all"  # semua, lengkap
    EXCEPT = "except"
    REST = "rest"  # sisanya
    ONLY = "only"  # cuma, hanya
    VAGUE = "vague"  # beberapa, banyak
    INFO = "info"  # info, informasi, pesan
    TOLD = "told"  # disampaikan, diteruskan
    TOLD_IF_INFO = "told_if_info"  # "sampai": reached, only next to "info"
    FORGOT = "forgot"  # lupa: "lupa menyampaikan" negates the passing on, like "belum"
    CORRECTION = "correction"  # maaf, ralat
    NOT_THIS = "not_this"  # bukan
    FILLER = "filler"  # honorifics, particles, greetings: understood, say nothing


_WORDS: dict[Kind, str] = {
    Kind.AFF: """sudah sdh sdah sudh suda sudahh udah udh uda udahh dah dh udeh sampun wis uwis
        wes uwes atos parantos tos telah tlh already yes yess yup yep yeah iya iyaa ya y alah
        muhun sumuhun nggih enggih inggih
        lah_ sdhh""",
    Kind.NEG: """belum blm blom blum belom lum durung dereng tidak tdk tak gak ga gk g nggak ngga
        nggk ngak enggak engga nga ndak nda ndk kagak ora mboten boten teu henteu not no never
        nope tdak tida acan alun indak urung lom""",
    Kind.HELD: """berlangsung berlangsungnya langsungkan terlaksana terlaksanakan dilaksanakan
        dilaksanain laksanakan melaksanakan terselenggara diselenggarakan diadakan mengadakan
        adakan ngadain digelar dilakukan berjalan selesai kelar beres rampung lancar
        terlaksanakan ngariung kumpulan_ held happened happen took met done finished
        completed""",
    Kind.HELD_IF_SAID: "jalan kumpul ngumpul berkumpul meet meeting_verb kempal",
    Kind.MEETING: """pertemuan pertemuannya ptm qp2k2 fds kegiatan kegiatannya acara acaranya rapat
        kumpulan sesinya kelas meeting session kempalan""",
    Kind.MATERIAL: "materi materinya modul modulnya material topic",
    Kind.CANCEL: """batal dibatalkan dibatalin batalin gagal libur diliburkan ditiadakan cancel
        cancelled canceled""",
    Kind.JADI: "jadi jd jdi sios siyos sido",
    Kind.POSTPONE: """diundur undur diundurkan ditunda tunda tertunda diganti reschedule
        rescheduled postponed postpone delayed mundur dimundurkan mundurkan dimundur
        diundurin undurin mengundur ngundur dimajukan majukan dimajuin""",
    Kind.POSTPONE_IF_WHEN: """pindah dipindah dipindahkan moved ganti geser digeser digeserkan
        bergeser dialihkan dialihkeun dipindahkeun""",
    Kind.LATER: """nanti nnti ntar entar akan mau will later rencana rencananya sesuk mangke
        mengko engko engke ngke""",
    Kind.HEDGE: """kayaknya kayanya kyknya kyk sepertinya sptnya mungkin mngkin insyaallah
        inshaallah insya insha maybe probably perhaps think guess seems semoga smoga moga
        mudah mudahan hope hopefully meureun kinten kintene""",
    Kind.TOTAL: "total totalnya jumlah jumlahnya sejumlah",
    Kind.QUESTION: """apa apakah kapan gimana bagaimana gmn berapa brp kenapa mengapa knp siapa
        dimana mana bisakah boleh bolehkah what when how why who where which piye pripun
        kumaha diapakan ngapain""",
    Kind.CAME: """hadir hadirnya dateng datang datangnya dtg hdr ikut ikutan mengikuti kumpul2
        came come attended attend present showed turned joined rawuh teko sumping kehadiran
        kehadirannya attendance attendances dihadiri hadiri menghadiri dongkap""",
    Kind.COUNTER: """orang org orng ornag anggota anggotanya agt kpm kk peserta pesertanya jiwa
        people peoples persons person members member participants mothers ladies women ibuibu
        wong tiyang urang ahli""",
    Kind.ABSENT: "absen absent alpa alfa alpha bolos missing",
    Kind.EXCUSED: "sakit izin ijin sick excused berhalangan halangan",
    Kind.ALL: """semua semuanya smua smuanya seluruh seluruhnya all everyone everybody lengkap
        komplit komplet full fullteam penuh kabeh sedoyo sedaya sadayana sadaya sedanten""",
    Kind.EXCEPT: "kecuali kcuali except minus kurang kajaba kejaba iwal kejawi kajawi sajaba",
    Kind.REST: "sisanya sisa lainnya rest others",
    Kind.ONLY: "cuma cuman cm hanya hny only just tinggal je jer tok ngan mung namung",
    Kind.VAGUE: """beberapa banyak sedikit separuh setengah sebagian belasan puluhan several few
        many most half ~""",
    Kind.INFO: """info infonya informasi informasinya infomasi imformasi inpo inponya infone
        informasina maklumat pesen pesan
        pesannya amanat amanah arahan arahannya himbauan imbauan pengumuman pengumumannya
        sosialisasi information message news announcement qrecip wartos wartosna warta
        beja bejana""",
    Kind.TOLD: """disampaikan disampaikn disampein disampaiin disampekan sampaikan sampaikn
        menyampaikan nyampein nyampaikan tersampaikan tersampaikn tersampai diteruskan teruskan
        meneruskan diberitahu diberitahukan beritahu dikasihtau dikabari dikabarkan kabari
        diinfokan diinfoin diinformasikan menginformasikan informasikan disosialisasikan
        disebarkan dishare share shared passed relayed told tell informed inform conveyed
        forwarded announced delivered sampein sampeken sampekan disampekan sampekke
        disampekke disampeke disampaikeun dibejaan bejaan kandani dikandani bagitau
        diberitau beritau dibagitau dibacakan bacakan kabarkan dikabarkan mengabarkan
        aturaken diaturaken nyampekaken disampekaken nyampaikeun dibejakeun bejakeun
        ngabejaan diwartoskeun wartoskeun umumin diumumin diumumkan umumkan mengumumkan
        bilangin dibilangin""",
    Kind.FORGOT: "lupa lupaa kelupaan terlupa lali kelalen poho hilap forgot forget forgotten",
    Kind.TOLD_IF_INFO: """sampai sampe nyampe tahu tau tw ngerti paham understood explain
        explained jelaskan dijelaskan menjelaskan jelasin given diberikan dikasih dikasi""",
    Kind.CORRECTION: """maaf mf ralat koreksi salah eh ehh sorry correction maksudnya maksud
        tepatnya ding""",
    Kind.NOT_THIS: "bukan bkn",
    Kind.FILLER: """bu buk bun bunda ibu pak bapak bpk mbak mba mbk mas kak ka teh ceu umi bude
        budhe pendamping pendampingnya pdp hallo halo assalamualaikum assalamu alaikum wr wb
        waalaikumsalam selamat pagi siang sore malam terima kasih makasih trims terimakasih tks
        thx thanks thank you mohon lapor melapor melaporkan yang yg ada sebanyak tadi td
        kemarin kemaren kmrn kmarin hari ini itu tsb
        saya sy aku kami kita we i dengan dgn dg juga jg dan dn serta sama ke di untuk utk
        buat ok oke okey okay siap baik nya the a an was were is are has have it they them to
        of on in at for and too also our my group kelompok kel bulan month this lalu sempat
        sempet bisa dapat dpt kok sih deh dong kan lah kah pun loh nih tuh aja saja sj ajah
        ye yaa yah allah amin aamiin sekali banget bgt well good
        fine smoothly nicely successfully today yesterday please pls maap alhamdulillah
        alhamdulilah syukur puji tuhan qmask qrecip2 sekarang skrg barusan pada para
        mereka there up on sudah_ dah_ juga tetap tetep dari dr dri oleh by hadirin so then
        kita we've we're it's its been be did do does anggotaku wassalam salam hormat
        ingkang yet dulu sing nu aya ado mi ji ki mo wae bae kamari kmari ka kula kulo
        buat_ pasal tu tuh_ bund bunn ibuk bundaa bapa mbok ceuceu ibunda pendamping2 ya_
        kalian mereka_ hr tgl_ dinten getting got instead next depan dpn pekan week anu wib wita wit
        lg lagi bls balas mhn sms saking ma'am maam mam sir madam saged tiasa""",
}

_BY_WORD: dict[str, Kind] = {}
for _kind, _text in _WORDS.items():
    for _word in _text.split():
        _BY_WORD.setdefault(_word, _kind)

# Long keywords a misspelling may be matched to (short ones are matched exactly only).
_FUZZY_MIN = 6
_FUZZY_TARGETS: list[str] = [
    word
    for word, kind in _BY_WORD.items()
    if len(word) >= _FUZZY_MIN and kind not in (Kind.FILLER, Kind.TOLD_IF_INFO, Kind.FORGOT)
]
# Real words one or two letters from a keyword; they must stay unknown (and go to the note).
_NOT_MISSPELLINGS = frozenset(
    """langsung pesanan sakitnya pindahan hadiah datangi kumpulkan selesaikan lengkapi
    sampainya seluruhnya sembilannya terlambat telat anggaran
    babakan karang tanggal tanggalnya kelurahan dagang dagangan sampean sampeyan terusan
    samping sampingnya kuring komplek kompleks damang""".split()
)


_VOWELS = frozenset("aeiou")


@lru_cache(maxsize=4096)
def kind_of(word: str) -> Kind | None:
    """The kind of a normalised word, allowing the usual ways chairs shorten or slip:
    doubled letters ("sudahh", "buu"), dropped vowels ("prtmuan", "hdir"), and a small
    misspelling of a long keyword ("berlansung")."""
    if word in _BY_WORD:
        return _BY_WORD[word]
    if not word.isalpha() or word in _NOT_MISSPELLINGS:
        return None
    single = re.sub(r"(.)\1+", r"\1", word)
    if single != word and single in _BY_WORD:
        return _BY_WORD[single]
    if word.endswith("nya") and word[:-3] in _BY_WORD:
        return _BY_WORD[word[:-3]]  # "setengahnya", "hadirnya": the word with "its"
    kinds = {_BY_WORD[target] for target in _without_vowels(word)}
    if len(kinds) == 1:
        return kinds.pop()
    if len(word) < _FUZZY_MIN:
        return None
    allowed = 1 if len(word) <= 8 else 2
    candidates = [
        t for t in _FUZZY_TARGETS if t[0] == word[0] and abs(len(t) - len(word)) <= allowed
    ]
    matches = process.extract(
        word, candidates, scorer=OSA.distance, score_cutoff=allowed, limit=None
    )
    slips = [(score, target) for target, score, _ in matches if _slip(word, target, allowed)]
    if not slips:
        return None
    return _BY_WORD[min(slips)[1]]


def _slip(word: str, target: str, allowed: int) -> bool:
    """A letter dropped, doubled or two swapped ("disampaikn", "dilaksnaakan"), not one
    letter put for another: that turns other real words into keywords ("kuring", Sundanese
    for "I", is one letter from "kurang"; "Babakan", a place, from "bacakan"; "dagang" from
    "datang")."""
    if Indel.distance(word, target) <= allowed:
        return True
    return OSA.distance(word, target) < Levenshtein.distance(word, target)  # a swap


def _without_vowels(word: str) -> list[str]:
    """Keywords that `word` is, with some vowels left out: "trlksana" is "terlaksana"."""
    if len(word) < 3:
        return []
    return [
        target
        for target in _BY_WORD
        if len(target) > len(word)
        and target[0] == word[0]
        and target[-1] == word[-1]
        and _BY_WORD[target] is not Kind.FILLER
        and _drops_only_vowels(word, target)
    ]


def _drops_only_vowels(short: str, long: str) -> bool:
    i = 0
    for char in long:
        if i < len(short) and short[i] == char:
            i += 1
        elif char not in _VOWELS:
            return False
    return i == len(short)
