"""Every button of the bot, declared once: views build from these, handlers register them.

A new button is one line here (code, fields, who may press it), the view that shows it and
the handler that answers it; bot start-up refuses a declaration without a handler and a
handler without a declaration."""

from __future__ import annotations

from views.callbacks import Audience, Button, Field, Kind, month, number, optional

# announcements
START = Button("an", audience=Audience.STAFF)
CHOOSE_ALL = Button("ana", audience=Audience.STAFF)
ASK_TEXT = Button("ann", audience=Audience.STAFF)
ANNOUNCEMENTS_SEND = Button("ans", audience=Audience.STAFF)
TOGGLE = Button("ant", (number("n0"),), audience=Audience.STAFF)

# attendance
ABSEN = Button("ab")
OPEN_GROUP = Button("abg", (number("n0"),))
ALL_PRESENT = Button("abh", (number("n0"), optional(number("n1"))))
SHOW_PAGE = Button("abp", (number("n0"), optional(number("n1"))))
SHOW_HISTORY = Button("abr", (number("n0"),))
ATTENDANCE_SAVE = Button("abs", (number("n0"),))
SAVE_AS_ALFA = Button("absa", (number("n0"),))
TAP = Button("abt", (number("n0"), number("n1"), number("n2"), optional(number("n3"))))
CHECKIN_OFFER = Button("ah")
CHECKIN = Button("ahy", (number("n0"),))

# complaints
COMPLAINT_BUTTON = Button("kl")
TOGGLE_ANONYMOUS = Button("kla")
MEETING_TOPICS = Button("klan", audience=Audience.STAFF)
TO_ATTACH = Button("klb")
COMPLAINT_CATEGORY = Button("klc", (number("n0"),))
CHANGE_CATEGORY = Button("klcc")
SHOW_CHANNELS = Button("klch")
ADD_MORE = Button("kld", (number("n0"),))
SEND_FILES = Button("kle", (number("n0"),))
FORWARD = Button("klf", (number("n0"),), audience=Audience.STAFF)
FULL_TEXT = Button("klft", (number("n0"),), audience=Audience.STAFF)
COMPLAINT_GROUP = Button("klg", (number("n0"),))
HISTORY = Button("klh", (number("n0"),))
HANDOVER_TO = Button("klhf", (number("n0"),), audience=Audience.COORDINATOR)
HANDOVER_FROM = Button("klho", audience=Audience.COORDINATOR)
HANDOVER = Button("klht", (number("n0"), number("n1")), audience=Audience.COORDINATOR)
INBOX = Button("kli", (optional(number("n0")), optional(number("n1"))), audience=Audience.STAFF)
ASK_REJECT = Button("klj", (number("n0"),), audience=Audience.STAFF)
KEEP = Button("klk")
MY_TICKETS = Button("klm")
OFFER_NO = Button("kln")
OFFER_YES = Button("klo")
SOLVED = Button("klok", (number("n0"),))
ASK_REPLY = Button("klp", (number("n0"),), audience=Audience.STAFF)
CANCEL_PRESSED = Button("klq")
TO_REVIEW = Button("klr")
REOPEN = Button("klre", (number("n0"),))
COMPLAINTS_SEND = Button("kls")
STATUS_MENU = Button("klt", (number("n0"),), audience=Audience.STAFF)
SET_STATUS = Button("klu", (number("n0"), number("n1")), audience=Audience.STAFF)
VIEW_TICKET = Button("klv", (number("n0"),))
DISCARD = Button("klx")

# confirmations
OUTCOME = Button("cfa", (number("n0"), number("n1")))
CORRECT = Button("cfc", (number("n0"),))
DATE_UNKNOWN = Button("cfd", (number("n0"),))
INFO = Button("cfi", (number("n0"), number("n1")))
OPEN_LIST = Button("cfl")
ADD_LATE_NOTE = Button("cfln", (number("n0"),))
COUNT = Button("cfn", (number("n0"), number("n1")))
OPEN_REQUEST = Button("cfo", (number("n0"),))
ASK_MENU = Button("cfq", audience=Audience.STAFF)
ASK_ALL = Button("cfqa", audience=Audience.STAFF)
ASK_GROUP = Button("cfqg", (number("n0"),), audience=Audience.STAFF)
RESTART = Button("cfr", (number("n0"),))
NO_NOTES = Button("cfx", (number("n0"),))

# group_chat
BIND_PRESSED = Button("bind", (number("n0"),), audience=Audience.STAFF, private_only=False)

# groups
SHOW_GROUP = Button("g", (number("n0"),), audience=Audience.STAFF)
SHOW_LINKS = Button("gl", (number("n0"),), audience=Audience.STAFF)
NEW_GROUP = Button("gn", audience=Audience.FACILITATOR)
PICKED_NEW_PLACE = Button("gpc", (number("n0"), number("n1")), audience=Audience.FACILITATOR)
PICKED_PLACE = Button("gpe", (number("n0"), number("n1"), number("n2")), audience=Audience.STAFF)
KEEP_TYPED_PLACE = Button("gpk", audience=Audience.FACILITATOR)
ASK_PLACE = Button("gpl", (number("n0"),), audience=Audience.STAFF)
ASK_RENEW_LINKS = Button("grn", (number("n0"),), audience=Audience.STAFF)
RENEW_LINKS = Button("grny", (number("n0"),), audience=Audience.STAFF)
LIST_GROUPS = Button("gs", audience=Audience.STAFF)
SAVE_GROUP = Button("gsv", audience=Audience.FACILITATOR)
SKIP_GROUP_FIELD = Button("sk", audience=Audience.FACILITATOR)

# joining
TOGGLE_CHECK = Button("gjc", (number("n0"),), audience=Audience.FACILITATOR)
ANSWER = Button("ja", (number("n0"), number("n1")))
SHOW_QUESTION = Button("jv", (number("n0"),), audience=Audience.STAFF)
UNLINK = Button("mu", (number("n0"),), audience=Audience.STAFF)

# materials
SHOW_MODULES = Button("mt", private_only=False)
SHOW_MODULE = Button("mtm", (number("n0"),), private_only=False)
SHOW_SESSION = Button("mts", (number("n0"),), private_only=False)

# meetings
RSVP_PRESSED = Button("rv", (number("n0"), number("n1")), private_only=False)
BACK_TO_DATE = Button("wb", audience=Audience.FACILITATOR)
ASK_CANCEL = Button("wc", (number("n0"),), audience=Audience.FACILITATOR)
MEETINGS_CANCEL = Button("wcy", (number("n0"),), audience=Audience.FACILITATOR)
DATE_PICKED = Button("wd", (number("n0"),), audience=Audience.FACILITATOR)
GROUP_PICKED = Button("wg", (number("n0"),), audience=Audience.FACILITATOR)
SHOW_SCHEDULE = Button("wj", private_only=False)
SESSION_LIST = Button("wl", audience=Audience.FACILITATOR)
SHOW_MEETING = Button("wm", (number("n0"),), audience=Audience.STAFF)
NEW_MEETING = Button("wn", audience=Audience.FACILITATOR)
MEETINGS_SAVE = Button("wok", audience=Audience.FACILITATOR)
START_RESCHEDULE = Button("wr", (number("n0"),), audience=Audience.FACILITATOR)
SESSION_PICKED = Button("ws", (number("n0"),), audience=Audience.FACILITATOR)
MEETINGS_TIME_PICKED = Button("wt", (number("n0"),), audience=Audience.FACILITATOR)
MEETINGS_USUAL_VENUE = Button("wv", audience=Audience.FACILITATOR)

# menu
SHOW_HELP = Button("hp", private_only=False)
SET_LANGUAGE = Button("lang", (number("n0"),), private_only=False)
CHOOSE_LANGUAGE = Button("lg", private_only=False)
SHOW_MENU = Button("mn")
MENU_CANCEL = Button("x", private_only=False)

# my_group
SHOW_MY_GROUPS = Button("mg")
TOGGLE_PRIVATE_REMINDERS = Button("prm")

# onboarding
JOIN_NO_NUMBER = Button("jk", (number("n0"),))
JOIN_NOT_LISTED = Button("jn")
JOIN_PICK_NAME = Button("jp", (number("n0"),))
JOIN_PAGE = Button("jpg")

# privacy
ANSWER_ERASURE = Button("dea", (number("n0"), number("n1")), audience=Audience.STAFF)
MY_DATA = Button("ds", (optional(number("n0")), optional(number("n1"))))
SHOW_TRAIL = Button("jj", (optional(number("n0")),), audience=Audience.COORDINATOR)

# recurring
RULES_LIST = Button("jt", audience=Audience.FACILITATOR)
RULE_START = Button("jtg", (number("n0"),), audience=Audience.FACILITATOR)
NTH_PICKED = Button(
    "jtn", (number("n0"), number("n1"), number("n2")), audience=Audience.FACILITATOR
)
RECURRING_TIME_PICKED = Button("jtt", (number("n0"),), audience=Audience.FACILITATOR)
RECURRING_USUAL_VENUE = Button("jtv", audience=Audience.FACILITATOR)
WEEKDAY_PICKED = Button("jtw", (number("n0"), number("n1")), audience=Audience.FACILITATOR)
RULE_CLEAR = Button("jtx", (number("n0"),), audience=Audience.FACILITATOR)
PROPOSAL_BUTTON = Button("mp", (number("n0"),), audience=Audience.FACILITATOR)
CONFIRM_ALL = Button("mpc", (number("n0"), number("n1")), audience=Audience.FACILITATOR)
DAY_PICKED = Button("mpd", (number("n0"), number("n1"), number("n2")), audience=Audience.FACILITATOR)
CHANGE_DAY = Button("mpe", (number("n0"), number("n1")), audience=Audience.FACILITATOR)

# reports
CHART = Button("rc", audience=Audience.REPORTS)
REPORT_BUTTON = Button("rp", (optional(Field("month", Kind.MONTH_OR_NOW)),), audience=Audience.REPORTS)
GROUP_BUTTON = Button("rpg", (number("n0"), month()), audience=Audience.STAFF)
PHOTO_START = Button("rph", (optional(number("n0")),))
PHOTO_PICKED = Button("rpk", (number("n0"),))
PHOTO_DONE = Button("rpl")
SEE_PHOTO = Button("rpv", (number("n0"),))
RECORD_BUTTON = Button("rr", (number("n0"),))
ATTENDANCE_LIST = Button("rra", (number("n0"),))
USE_DRAFT = Button("rrd", (number("n0"),), audience=Audience.STAFF)
EDIT_DESCRIPTION = Button("rre", (number("n0"),), audience=Audience.STAFF)
ASK_END_TIME = Button("rrt", (number("n0"),), audience=Audience.STAFF)
EXPORT_BUTTON = Button("rx", (number("n0"), month(), optional(number("n2"))), audience=Audience.REPORTS)

# roster
PICK_CHAIR = Button("gch", (number("n0"), optional(number("n1"))), audience=Audience.STAFF)
ASK_FILE = Button("gi", (number("n0"),), audience=Audience.STAFF)
SHOW_MEMBER = Button("m", (number("n0"),), audience=Audience.STAFF)
ACTIVATE = Button("ma", (number("n0"),), audience=Audience.STAFF)
MAKE_CHAIR = Button("mc", (number("n0"),), audience=Audience.STAFF)
DEACTIVATE = Button("md", (number("n0"),), audience=Audience.STAFF)
ASK_MOVE = Button("mm", (number("n0"),), audience=Audience.STAFF)
MOVE = Button("mmt", (number("n0"), number("n1")), audience=Audience.STAFF)
ASK_RENAME = Button("mr", (number("n0"),), audience=Audience.STAFF)
FILE_TARGET = Button("rft", (number("n0"),), audience=Audience.STAFF)
SHOW_ROSTER = Button("ros", (number("n0"), optional(number("n1"))), audience=Audience.STAFF)

# staff
INVITE_FACILITATOR = Button("fi", audience=Audience.COORDINATOR)
LIST_FACILITATORS = Button("fl", audience=Audience.COORDINATOR)

# status
SHOW_BOARD = Button("sb", (optional(month()),), audience=Audience.STAFF)
CHASE = Button("sbc", (number("n0"), month()), audience=Audience.STAFF)
SHOW_FACILITATOR = Button("sbf", (number("n0"), optional(month())), audience=Audience.STAFF)
ASK_LOCK = Button("sbl", (number("n0"), month()), audience=Audience.STAFF)
LOCK = Button("sbly", (number("n0"), month()), audience=Audience.STAFF)
UNLOCK = Button("sbu", (number("n0"), month()), audience=Audience.STAFF)
