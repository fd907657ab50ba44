"""A refusal from `data/` (raised now, or kept in the access log) said in the reader's language.

`data/` words its refusals in English for the command line and the log; each sentence it
can say is matched here and told with `dashboard.i18n_refusals`. A sentence none of these
match is shown as it is, under a translated "Refused:".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dashboard.i18n import STRINGS, t, value_label
from data.access import NEEDS, ROLES, action_words

_NAME = r"(?P<name>.+?)"
_QUOTED = r"(?P<q>['\"])(?P<name>.*)(?P=q)"
_ROLE = r"an? (?P<role>" + "|".join(ROLES) + ")"
_STATE = r"(?P<state>new|claimed|snoozed|replied|resolved|not a complaint)"
_HOLDER = r"(?:,? (?:handled )?by (?P<holder>.+?))?"
_CASE_ACTIONS = {
    "claim it": "claim", "release it": "release", "assign it": "assign",
    "record a reply (claim it first)": "reply", "resolve it (record the reply first)": "resolve",
    "resolve it": "resolve_plain", "mark it not a complaint": "not_complaint",
    "snooze it": "snooze", "reopen it": "reopen", "send a reply": "send", "reply": "reply_plain",
}  # fmt: skip
_NEEDED_FOR = {action_words(action): action for action in NEEDS}
# (pattern, key): the first that matches the whole sentence says it; those that start with
# a name come after those that start with a fixed word.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), key)
    for pattern, key in [
        (_QUOTED + " is not a user", "refused_not_user"),
        (_QUOTED + " is disabled", "refused_disabled"),
        (r"case (?P<id>\d+) does not exist", "refused_case_missing"),
        (r"case (?P<id>\d+) is already claimed by " + _NAME, "refused_claimed_by"),
        (
            r"case (?P<id>\d+) is "
            + _STATE
            + _HOLDER
            + r": only they or a lead can (?P<action>.+)",
            "refused_not_holder",
        ),  # fmt: skip
        (
            r"case (?P<id>\d+) is " + _STATE + _HOLDER + r": cannot (?P<action>.+)",
            "refused_case_state",
        ),  # fmt: skip
        (
            r"case (?P<id>\d+) is " + _STATE + _HOLDER + r": claim it before sending a reply",
            "refused_claim_first",
        ),  # fmt: skip
        ("name the person the case is assigned to", "refused_assign_whom"),
        (r"cannot assign case (?P<id>\d+): (?P<reason>.+)", "refused_assign"),
        ("only a support lead can assign a new case to " + _NAME, "refused_assign_new"),
        ("a note needs some text", "refused_empty_note"),
        (
            r"the reply's URL must start with http:// or https://, got (?P<url>.*)",
            "refused_reply_url",
        ),  # fmt: skip
        ("a snooze must end in the future", "refused_snooze_past"),
        (r"this reply to case (?P<id>\d+) is being sent already", "refused_sending"),
        (r"alert (?P<id>\d+) does not exist", "refused_alert_missing"),
        (r"alert (?P<id>\d+) is closed already \(its condition cleared\)", "refused_alert_closed"),
        (r"say who (?:acknowledges|snoozes) the alert \(a name\)", "refused_alert_who"),
        (r"alert (?P<id>\d+) was acknowledged by " + _NAME, "refused_alert_acked"),
        ("the reply is empty", "refused_reply_empty"),
        (
            r"replies to source (?P<source>.+) are not sent from Hundredfold: post the reply there "
            "and record its URL",
            "refused_not_sent_here",
        ),  # fmt: skip
        (r"the reply was not sent: (?P<failure>.+)", "refused_send_failed"),
        ("a user name is 1 to 200 printable characters", "refused_user_name"),
        (r"role must be one of .*, got (?P<role_given>.+)", "refused_user_role"),
        (r"a password needs at least (?P<n>\d+) characters", "refused_password_short"),
        (
            "give a password, or an e-mail address for the identity provider",
            "refused_password_or_email",
        ),  # fmt: skip
        (
            r"a user named (?P<name>.+) \(or with that e-mail\) exists already",
            "refused_user_exists",
        ),  # fmt: skip
        (r"not an e-mail address: (?P<email>.+)", "refused_not_email"),
        (r"no user named (?P<name>.+)", "refused_no_user"),
        (_NAME + " is the last active admin: make another admin first", "refused_last_admin"),
        (r"label must be one of .*, got (?P<label>.+)", "refused_label"),
        ("no active user has this e-mail", "refused_no_email_user"),
        (_NAME + " is " + _ROLE + " and cannot work cases", "refused_cannot_work"),
        (
            _NAME
            + " is "
            + _ROLE
            + "; (?P<what>.+) needs "
            + _ROLE.replace("role", "needed")
            + " or above",
            "refused_role",
        ),  # fmt: skip
        (_NAME + " is (?P<role>" + "|".join(ROLES) + ")", "refused_page_role"),
        (r"Wrong name or password\.", "sign_in_wrong"),
        (r"Too many failed sign-ins: try again in (?P<minutes>\d+) minutes\.", "sign_in_locked"),
        (
            r"(?P<email>.+) has no access to this dashboard: ask an administrator\.",
            "sign_in_no_access",
        ),  # fmt: skip
    ]
]


def _unquoted(text: str) -> str:
    """A value the English sentence quoted with repr() ('ana'), without its quotes."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def _state(state: str, holder: object, lang: str) -> str:
    """'claimed by ana', in `lang`."""
    status = value_label("status", state.replace(" ", "_"), lang)
    return t("case_state_by", lang, status=status, name=holder) if holder else status


def _case_action(phrase: str, lang: str) -> str:
    """What was refused on a case ('claim it'), in `lang`."""
    key = _CASE_ACTIONS.get(phrase)
    return t(f"case_action_{key}", lang) if key else phrase


def refusal_text(refusal: object, lang: str, shown: Callable[[str], str] = str) -> str:
    """The refusal (an exception or a logged reason) in `lang`; `shown` prepares each outside
    value in it (names, URLs, a server's error) for the widget it goes to."""
    text = str(refusal).strip()
    for pattern, key in _PATTERNS:
        found = pattern.fullmatch(text)
        if found is None:
            continue
        raw = found.groupdict()
        values: dict[str, object] = {
            name: shown(_unquoted(value))
            for name, value in raw.items()
            if value is not None and name in ("name", "email", "url", "source", "failure",
                                              "role_given", "label", "holder")
        }  # fmt: skip
        for number in ("id", "n", "minutes"):
            if raw.get(number):
                values[number] = raw[number]
        if raw.get("role"):
            values["role"] = t(f"role_{raw['role']}", lang)
        if raw.get("needed"):
            values["needed"] = t(f"role_{raw['needed']}", lang)
        if raw.get("what"):
            action = _NEEDED_FOR.get(str(raw["what"]))
            values["what"] = t(f"needs_{action}", lang) if action else shown(str(raw["what"]))
        if raw.get("state"):
            values["state"] = _state(str(raw["state"]), values.get("holder"), lang)
        if raw.get("action"):
            values["action"] = _case_action(str(raw["action"]), lang)
        if raw.get("reason"):
            values["reason"] = refusal_text(raw["reason"], lang, shown)
        if "role_given" in values:
            values["role"] = values.pop("role_given")
        return t(key, lang, **values)
    return t("refused_other", lang, reason=shown(text))


def access_action(action: str, target: str, lang: str) -> str:
    """What a refused attempt was (the access log's action and target), in `lang`."""
    if action.startswith("open "):
        page = action.removeprefix("open ")
        return t("access_open_page", lang, page=t(page, lang) if page in STRINGS else page)
    if action == "sign_in":
        return t("access_sign_in", lang)
    verb, _, rest = str(target).partition(" ")
    if f"attempt_{verb}" in STRINGS:
        return t(f"attempt_{verb}", lang, id=rest, name=rest)
    return t(f"needs_{action}", lang) if f"needs_{action}" in STRINGS else action
