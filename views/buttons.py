"""Every button of the bot, declared once: views build from these, handlers register them.

A new button is one line here (code, fields, who may press it), the view that shows it and
the handler that answers it; bot start-up refuses a declaration without a handler and a
handler without a declaration."""

from __future__ import annotations

from views.callbacks import Audience, Button, Field, Kind, month, number, optional

# announcements
ANNOUNCE = Button("an", audience=Audience.STAFF)
ANNOUNCE_ALL = Button("ana", audience=Audience.STAFF)
ANNOUNCE_TEXT = Button("ann", audience=Audience.STAFF)
ANNOUNCE_SEND = Button("ans", audience=Audience.STAFF)
ANNOUNCE_TOGGLE = Button("ant", (number("group"),), audience=Audience.STAFF)

# attendance
ROLL_CALL = Button("ab")
OPEN_GROUP = Button("abg", (number("group"),))
ALL_PRESENT = Button("abh", (number("meeting"), optional(number("page"))))
SHOW_PAGE = Button("abp", (number("meeting"), optional(number("page"))))
SHOW_HISTORY = Button("abr", (number("group"),))
ATTENDANCE_SAVE = Button("abs", (number("meeting"),))
SAVE_AS_ALFA = Button("absa", (number("meeting"),))
ROLL_CALL_TAP = Button(
    "abt", (number("meeting"), number("member"), number("status"), optional(number("page")))
)
CHECKIN_OFFER = Button("ah")
CHECKIN = Button("ahy", (number("meeting"),))

# complaints
COMPLAINT_BUTTON = Button("kl")
TOGGLE_ANONYMOUS = Button("kla")
MEETING_TOPICS = Button("klan", audience=Audience.STAFF)
TO_ATTACH = Button("klb")
COMPLAINT_CATEGORY = Button("klc", (number("category"),))
CHANGE_CATEGORY = Button("klcc")
SHOW_CHANNELS = Button("klch")
ADD_MORE = Button("kld", (number("ticket"),))
COMPLAINT_FILES = Button("kle", (number("ticket"),))
COMPLAINT_FORWARD = Button("klf", (number("ticket"),), audience=Audience.STAFF)
FULL_TEXT = Button("klft", (number("ticket"),), audience=Audience.STAFF)
COMPLAINT_GROUP = Button("klg", (number("group"),))
COMPLAINT_HISTORY = Button("klh", (number("ticket"),))
HANDOVER_TO = Button("klhf", (number("person"),), audience=Audience.COORDINATOR)
HANDOVER_FROM = Button("klho", audience=Audience.COORDINATOR)
HANDOVER = Button(
    "klht", (number("from_person"), number("to_person")), audience=Audience.COORDINATOR
)
COMPLAINT_INBOX = Button(
    "kli", (optional(number("filter")), optional(number("page"))), audience=Audience.STAFF
)
ASK_REJECT = Button("klj", (number("ticket"),), audience=Audience.STAFF)
COMPLAINT_KEEP = Button("klk")
MY_TICKETS = Button("klm")
OFFER_NO = Button("kln")
OFFER_YES = Button("klo")
SOLVED = Button("klok", (number("ticket"),))
ASK_REPLY = Button("klp", (number("ticket"),), audience=Audience.STAFF)
CANCEL_PRESSED = Button("klq")
TO_REVIEW = Button("klr")
REOPEN = Button("klre", (number("ticket"),))
COMPLAINTS_SEND = Button("kls")
STATUS_MENU = Button("klt", (number("ticket"),), audience=Audience.STAFF)
SET_STATUS = Button("klu", (number("ticket"), number("status")), audience=Audience.STAFF)
VIEW_TICKET = Button("klv", (number("ticket"),))
DISCARD = Button("klx")

# confirmations
CONFIRM_OUTCOME = Button("cfa", (number("request"), number("outcome")))
CONFIRM_CORRECT = Button("cfc", (number("request"),))
DATE_UNKNOWN = Button("cfd", (number("request"),))
CONFIRM_INFO = Button("cfi", (number("request"), number("yes")))
OPEN_LIST = Button("cfl")
ADD_LATE_NOTE = Button("cfln", (number("request"),))
CONFIRM_COUNT = Button("cfn", (number("request"), number("count")))
OPEN_REQUEST = Button("cfo", (number("request"),))
ASK_MENU = Button("cfq", audience=Audience.STAFF)
ASK_ALL = Button("cfqa", audience=Audience.STAFF)
ASK_GROUP = Button("cfqg", (number("group"),), audience=Audience.STAFF)
CONFIRM_RESTART = Button("cfr", (number("request"),))
NO_NOTES = Button("cfx", (number("request"),))

# group_chat
BIND_PRESSED = Button("bind", (number("group"),), audience=Audience.STAFF, private_only=False)

# groups
SHOW_GROUP = Button("g", (number("group"),), audience=Audience.READERS)
SHOW_LINKS = Button("gl", (number("group"),), audience=Audience.STAFF)
NEW_GROUP = Button("gn", audience=Audience.FACILITATOR)
PICKED_NEW_PLACE = Button(
    "gpc", (number("kecamatan"), number("desa")), audience=Audience.FACILITATOR
)
PICKED_PLACE = Button(
    "gpe", (number("group"), number("kecamatan"), number("desa")), audience=Audience.STAFF
)
KEEP_TYPED_PLACE = Button("gpk", audience=Audience.FACILITATOR)
ASK_PLACE = Button("gpl", (number("group"),), audience=Audience.STAFF)
ASK_ZONE = Button("gz", (number("group"),), audience=Audience.FACILITATOR)
SET_ZONE = Button("gzs", (number("group"), number("zone")), audience=Audience.FACILITATOR)
ASK_RENEW_LINKS = Button("grn", (number("group"),), audience=Audience.STAFF)
RENEW_LINKS = Button("grny", (number("group"),), audience=Audience.STAFF)
LIST_GROUPS = Button("gs", audience=Audience.READERS)
SAVE_GROUP = Button("gsv", audience=Audience.FACILITATOR)
SKIP_GROUP_FIELD = Button("sk", audience=Audience.FACILITATOR)

# joining
TOGGLE_CHECK = Button("gjc", (number("join"),), audience=Audience.FACILITATOR)
JOIN_ANSWER = Button("ja", (number("join"), number("yes")))
SHOW_QUESTION = Button("jv", (number("join"),), audience=Audience.STAFF)
UNLINK = Button("mu", (number("member"),), audience=Audience.STAFF)

# materials
SHOW_MODULES = Button("mt", private_only=False)
SHOW_MODULE = Button("mtm", (number("module"),), private_only=False)
SHOW_SESSION = Button("mts", (number("session"),), private_only=False)

# meetings
RSVP_PRESSED = Button("rv", (number("meeting"), number("coming")), private_only=False)
BACK_TO_DATE = Button("wb", audience=Audience.FACILITATOR)
ASK_CANCEL = Button("wc", (number("meeting"),), audience=Audience.FACILITATOR)
MEETINGS_CANCEL = Button("wcy", (number("meeting"),), audience=Audience.FACILITATOR)
DATE_PICKED = Button("wd", (number("day"),), audience=Audience.FACILITATOR)
GROUP_PICKED = Button("wg", (number("group"),), audience=Audience.FACILITATOR)
SHOW_SCHEDULE = Button("wj", private_only=False)
SESSION_LIST = Button("wl", audience=Audience.FACILITATOR)
SHOW_MEETING = Button("wm", (number("meeting"),), audience=Audience.STAFF)
NEW_MEETING = Button("wn", audience=Audience.FACILITATOR)
MEETINGS_SAVE = Button("wok", audience=Audience.FACILITATOR)
START_RESCHEDULE = Button("wr", (number("meeting"),), audience=Audience.FACILITATOR)
SESSION_PICKED = Button("ws", (number("session"),), audience=Audience.FACILITATOR)
MEETINGS_TIME_PICKED = Button("wt", (number("time"),), audience=Audience.FACILITATOR)
MEETINGS_USUAL_VENUE = Button("wv", audience=Audience.FACILITATOR)

# menu
SHOW_HELP = Button("hp", private_only=False)
SET_LANGUAGE = Button("lang", (number("language"),), private_only=False)
CHOOSE_LANGUAGE = Button("lg", private_only=False)
SHOW_MENU = Button("mn")
MENU_CANCEL = Button("x", private_only=False)

# my_group
SHOW_MY_GROUPS = Button("mg")
TOGGLE_PRIVATE_REMINDERS = Button("prm")

# onboarding
JOIN_NO_NUMBER = Button("jk", (number("join"),))
JOIN_NOT_LISTED = Button("jn")
JOIN_PICK_NAME = Button("jp", (number("choice"),))
JOIN_PAGE = Button("jpg")

# privacy
ANSWER_ERASURE = Button("dea", (number("erasure"), number("yes")), audience=Audience.STAFF)
MY_DATA = Button("ds", (optional(number("step")), optional(number("nonce"))))
SHOW_TRAIL = Button("jj", (optional(number("page")),), audience=Audience.COORDINATOR)

# recurring
RULES_LIST = Button("jt", audience=Audience.FACILITATOR)
RULE_START = Button("jtg", (number("group"),), audience=Audience.FACILITATOR)
NTH_PICKED = Button(
    "jtn", (number("group"), number("weekday"), number("nth")), audience=Audience.FACILITATOR
)
RECURRING_TIME_PICKED = Button("jtt", (number("time"),), audience=Audience.FACILITATOR)
RECURRING_USUAL_VENUE = Button("jtv", audience=Audience.FACILITATOR)
WEEKDAY_PICKED = Button("jtw", (number("group"), number("weekday")), audience=Audience.FACILITATOR)
RULE_CLEAR = Button("jtx", (number("group"),), audience=Audience.FACILITATOR)
PROPOSAL_BUTTON = Button("mp", (month(),), audience=Audience.FACILITATOR)
CONFIRM_ALL = Button("mpc", (month(), number("facilitator")), audience=Audience.FACILITATOR)
DAY_PICKED = Button("mpd", (month(), number("group"), number("day")), audience=Audience.FACILITATOR)
CHANGE_DAY = Button("mpe", (month(), number("group")), audience=Audience.FACILITATOR)

# reports
CHART = Button("rc", audience=Audience.REPORTS)
REPORT_BUTTON = Button(
    "rp", (optional(Field("month", Kind.MONTH_OR_NOW)),), audience=Audience.REPORTS
)
GROUP_BUTTON = Button("rpg", (number("group"), month()), audience=Audience.READERS)
PHOTO_START = Button("rph", (optional(number("meeting")),))
PHOTO_PICKED = Button("rpk", (number("meeting"),))
PHOTO_DONE = Button("rpl")
SEE_PHOTO = Button("rpv", (number("meeting"),))
RECORD_BUTTON = Button("rr", (number("meeting"),))
ATTENDANCE_LIST = Button("rra", (number("meeting"),))
USE_DRAFT = Button("rrd", (number("meeting"),), audience=Audience.STAFF)
EDIT_DESCRIPTION = Button("rre", (number("meeting"),), audience=Audience.STAFF)
ASK_END_TIME = Button("rrt", (number("meeting"),), audience=Audience.STAFF)
EXPORT_BUTTON = Button(
    "rx", (number("kind"), month(), optional(number("month"))), audience=Audience.REPORTS
)

# roster
PICK_CHAIR = Button("gch", (number("group"), optional(number("page"))), audience=Audience.STAFF)
ASK_FILE = Button("gi", (number("group"),), audience=Audience.STAFF)
SHOW_MEMBER = Button("m", (number("member"),), audience=Audience.STAFF)
ACTIVATE = Button("ma", (number("member"),), audience=Audience.STAFF)
MAKE_CHAIR = Button("mc", (number("member"),), audience=Audience.STAFF)
DEACTIVATE = Button("md", (number("member"),), audience=Audience.STAFF)
ASK_MOVE = Button("mm", (number("member"),), audience=Audience.STAFF)
MEMBER_MOVE = Button("mmt", (number("member"), number("group")), audience=Audience.STAFF)
ASK_RENAME = Button("mr", (number("member"),), audience=Audience.STAFF)
FILE_TARGET = Button("rft", (number("group"),), audience=Audience.STAFF)
SHOW_ROSTER = Button("ros", (number("group"), optional(number("page"))), audience=Audience.STAFF)

# staff
INVITE_FACILITATOR = Button("fi", audience=Audience.COORDINATOR)
LIST_FACILITATORS = Button("fl", audience=Audience.OVERSEERS)
# An area picked from a list for an invite: a kecamatan (pendamping) or a kabupaten/kota (Korkab).
PICK_INVITE_KECAMATAN = Button("fik", (number("area"),), audience=Audience.COORDINATOR)
PICK_INVITE_KABUPATEN = Button("fkk", (number("area"),), audience=Audience.COORDINATOR)

# status
SHOW_BOARD = Button("sb", (optional(month()),), audience=Audience.READERS)
CHASE_FACILITATOR = Button("sbc", (number("facilitator"), month()), audience=Audience.STAFF)
SHOW_FACILITATOR = Button(
    "sbf", (number("facilitator"), optional(month())), audience=Audience.READERS
)
ASK_LOCK = Button("sbl", (number("facilitator"), month()), audience=Audience.STAFF)
MONTH_LOCK = Button("sbly", (number("facilitator"), month()), audience=Audience.STAFF)
MONTH_UNLOCK = Button("sbu", (number("facilitator"), month()), audience=Audience.STAFF)
