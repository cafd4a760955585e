"""The words a chair's reply is made of, grouped by what they say, with their misspellings.

Chairs type quickly on small phones: abbreviations ("sdh", "blm", "yg", "dtg") and regional
words (Javanese "sampun", "durung"; Sundanese "atos", "teu") are listed as they are written;
other slips of the finger ("berlangsug", "disampaikn") are caught by fuzzy matching with
rapidfuzz's optimal-string-alignment distance (a transposition counts as one edit), only for
long words, only against long keywords, and only when the first letter agrees, because short
Indonesian words are one letter apart from each other ("sudah"/"susah", "ada"/"apa").
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA


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
    CORRECTION = "correction"  # maaf, ralat
    NOT_THIS = "not_this"  # bukan
    FILLER = "filler"  # honorifics, particles, greetings: understood, say nothing


_WORDS: dict[Kind, str] = {
    Kind.AFF: """sudah sdh sdah sudh suda sudahh udah udh uda udahh dah dh udeh sampun wis uwis
        wes uwes atos parantos tos telah tlh already yes yess yup yep yeah iya iyaa ya y""",
    Kind.NEG: """belum blm blom blum belom lum durung dereng tidak tdk tak gak ga gk g nggak ngga
        nggk ngak enggak engga nga ndak nda ndk kagak ora mboten boten teu henteu not no never
        nope tdak tida""",
    Kind.HELD: """berlangsung berlangsungnya langsungkan terlaksana terlaksanakan dilaksanakan
        dilaksanain laksanakan melaksanakan terselenggara diselenggarakan diadakan mengadakan
        adakan ngadain digelar dilakukan berjalan selesai kelar beres rampung lancar sukses
        held happened happen took place met done finished completed went had""",
    Kind.HELD_IF_SAID: "jalan kumpul ngumpul berkumpul meet meeting_verb",
    Kind.MEETING: """pertemuan pertemuannya ptm qp2k2 fds kegiatan kegiatannya acara acaranya rapat
        kumpulan sesinya kelas meeting session""",
    Kind.MATERIAL: "materi materinya modul modulnya material topic",
    Kind.CANCEL: """batal dibatalkan dibatalin batalin gagal libur diliburkan ditiadakan cancel
        cancelled canceled""",
    Kind.JADI: "jadi",
    Kind.POSTPONE: """diundur undur diundurkan ditunda tunda tertunda dipindah
        dipindahkan diganti reschedule rescheduled postponed postpone delayed""",
    Kind.POSTPONE_IF_WHEN: "pindah mundur moved ganti",
    Kind.LATER: "nanti nnti ntar entar akan akan mau will later rencana rencananya",
    Kind.QUESTION: """apa apakah kapan gimana bagaimana gmn berapa brp kenapa mengapa knp siapa
        dimana mana bisakah boleh bolehkah what when how why who where which""",
    Kind.CAME: """hadir hadirnya dateng datang datangnya dtg hdr ikut ikutan mengikuti kumpul2
        came come attended attend present showed turned joined rawuh""",
    Kind.COUNTER: """orang org orng ornag anggota anggotanya agt kpm kk peserta pesertanya jiwa
        people persons person members member participants mothers ladies women ibuibu""",
    Kind.ABSENT: "absen absent alpa alfa alpha bolos missing",
    Kind.EXCUSED: "sakit izin ijin sick excused berhalangan halangan",
    Kind.ALL: """semua semuanya smua smuanya seluruh seluruhnya all everyone everybody lengkap
        komplit komplet full fullteam penuh""",
    Kind.EXCEPT: "kecuali kcuali except minus kurang",
    Kind.REST: "sisanya sisa lainnya rest others",
    Kind.ONLY: "cuma cuman cm hanya hny only just tinggal",
    Kind.VAGUE: """beberapa banyak sedikit separuh setengah sebagian belasan puluhan several few
        many most half ~""",
    Kind.INFO: """info infonya informasi informasinya infomasi imformasi inpo inponya pesan
        pesannya amanat amanah arahan arahannya himbauan imbauan pengumuman pengumumannya
        sosialisasi information message news announcement qrecip""",
    Kind.TOLD: """disampaikan disampaikn disampein disampaiin disampekan sampaikan sampaikn
        menyampaikan nyampein nyampaikan tersampaikan tersampaikn tersampai diteruskan teruskan
        meneruskan diberitahu diberitahukan beritahu dikasihtau dikabari dikabarkan kabari
        diinfokan diinfoin diinformasikan menginformasikan informasikan disosialisasikan
        disebarkan dishare share shared passed relayed told tell informed inform conveyed
        forwarded announced""",
    Kind.TOLD_IF_INFO: "sampai sampe nyampe",
    Kind.CORRECTION: """maaf mf ralat koreksi salah eh ehh sorry correction maksudnya maksud
        tepatnya ding""",
    Kind.NOT_THIS: "bukan bkn",
    Kind.FILLER: """bu buk bun bunda ibu pak bapak bpk mbak mba mbk mas kak ka teh ceu umi bude
        budhe pendamping pendampingnya pdp hallo halo assalamualaikum assalamu alaikum wr wb
        waalaikumsalam selamat pagi siang sore malam terima kasih makasih trims terimakasih tks
        thx thanks thank you mohon lapor melapor melaporkan yang yg ada sebanyak sejumlah
        jumlah jumlahnya total totalnya tadi td kemarin kemaren kmrn kmarin hari ini itu tsb
        saya sy aku kami kita we i dengan dgn dg juga jg dan dn serta sama ke di untuk utk
        buat ok oke okey okay siap baik nya the a an was were is are has have it they them to
        of on in at for and too also our my group kelompok kel bulan month this lalu sempat
        sempet bisa dapat dpt kok sih deh dong kan lah kah pun loh nih tuh aja saja sj ajah
        ye yaa yah semoga insyaallah insya allah amin aamiin sekali banget bgt well good
        fine smoothly nicely successfully today yesterday please pls maap alhamdulillah
        alhamdulilah syukur puji tuhan qmask qrecip2 sekarang skrg barusan baru pada para
        mereka there up on sudah_ dah_ juga tetap tetep dari dr dri oleh by hadirin so then
        kita we've we're it's its been be did do does anggotaku wassalam salam hormat
        ingkang yet dulu""",
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
    if len(word) >= _FUZZY_MIN and kind not in (Kind.FILLER, Kind.TOLD_IF_INFO)
]
# Real words one or two letters from a keyword; they must stay unknown (and go to the note).
_NOT_MISSPELLINGS = frozenset(
    """langsung pesanan sakitnya pindahan hadiah datangi kumpulkan selesaikan lengkapi
    sampainya seluruhnya sembilannya terlambat telat anggaran""".split()
)


@lru_cache(maxsize=4096)
def kind_of(word: str) -> Kind | None:
    """The kind of a normalised word, allowing a small misspelling of a long keyword."""
    if word in _BY_WORD:
        return _BY_WORD[word]
    if len(word) < _FUZZY_MIN or word in _NOT_MISSPELLINGS or not word.isalpha():
        return None
    allowed = 1 if len(word) <= 7 else 2
    candidates = [t for t in _FUZZY_TARGETS if t[0] == word[0]]
    match = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=allowed)
    if match is None:
        return None
    return _BY_WORD[match[0]]
