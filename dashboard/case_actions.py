"""What a manager does with the open case, and with several selected cases at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.context import engine_for, language, utc_now
from dashboard.i18n import t, value_label
from dashboard.queue_state import clear_selection
from dashboard.refusals import refusal_text
from dashboard.safe_text import as_text, said
from dashboard.sign_in import acting_user
from data.access import Actor, Refused
from data.case_bulk import apply_to_cases
from data.cases import (
    add_note,
    claim_case,
    mark_not_a_complaint,
    release_case,
    reopen_case,
    reply_case,
    resolve_case,
    snooze_case,
)
from data.corrections import LABELS, correct_label
from hundredfold.config import Config
from hundredfold.reply_templates import TEMPLATES, draft
from hundredfold.replying import send_reply, source_replier

SNOOZE_HOURS = 4


def _act(action: Callable[[], object], done: str | Callable[[object], str]) -> None:
    """Run an action while the session still holds; say why when it is refused, else what
    was done. The case stays open."""
    if acting_user() is None:
        return  # the session ended since the page was drawn: the sign-in form comes next
    try:
        result = action()
    except Refused as refusal:
        # Names, URLs and a server's words in it are escaped.
        st.session_state["queue_message"] = ("error", refusal_text(refusal, language(), as_text))
    else:
        st.session_state["queue_message"] = ("success", done(result) if callable(done) else done)
        _refresh()


def _refresh() -> None:
    """After a change: the table's selection points at other rows, and every read is stale."""
    clear_selection()
    st.cache_data.clear()


def _button(column, label: str, key: str, action: Callable[[], object], done: str, **kwargs):
    """A button running `action` in a callback (before the page is drawn again)."""
    column.button(label, key=key, on_click=_act, args=(action, done), **kwargs)


def show_actions(case: pd.Series, actor: Actor, settings: Config, lang: str) -> None:
    """The buttons for this case's state, and the reply editor when it is mine."""
    engine = engine_for(settings.database_url)
    me = actor.name
    case_id, status, holder = int(case["case_id"]), case["status"], case["assignee"]
    now = utc_now()
    done = t("done", lang)
    buttons = st.columns(4)
    if status == "new":
        _button(buttons[0], t("claim", lang), f"claim-{case_id}",
                lambda: claim_case(engine, case_id, actor, now), t("claimed_done", lang),
                type="primary")  # fmt: skip
    if status in ("new", "claimed"):
        _button(buttons[1], t("not_complaint", lang), f"nac-{case_id}",
                lambda: mark_not_a_complaint(engine, case_id, actor, now), done)  # fmt: skip
        _button(buttons[2], t("snooze", lang, hours=SNOOZE_HOURS), f"snooze-{case_id}",
                lambda: snooze_case(engine, case_id, actor, now,
                                    now + timedelta(hours=SNOOZE_HOURS)), done)  # fmt: skip
    if status == "claimed" and holder != me:
        st.info(said("held_by", lang, name=holder))
    if status == "claimed" and holder == me:
        _button(buttons[3], t("release", lang), f"release-{case_id}",
                lambda: release_case(engine, case_id, actor, now), done)  # fmt: skip
        _reply_editor(case, engine, actor, settings, lang)
    if status == "replied" or (status == "new" and case["lane"] == "backfill"):
        _button(buttons[0] if status == "replied" else buttons[3], t("resolve", lang),
                f"resolve-{case_id}", lambda: resolve_case(engine, case_id, actor, now), done,
                type="primary" if status == "replied" else "secondary")  # fmt: skip
    if status in ("resolved", "not_a_complaint") and actor.is_lead:
        _button(buttons[0], t("reopen", lang), f"reopen-{case_id}",
                lambda: reopen_case(engine, case_id, actor, now), done)  # fmt: skip
    _note(case_id, engine, actor, lang)
    _relabel(case, engine, actor, lang)


def _note(case_id: int, engine, actor: Actor, lang: str) -> None:
    """An internal note for the case's history (never sent to the customer)."""
    with st.expander(t("internal_note", lang)):
        note = st.text_area(t("internal_note", lang), key=f"note-{case_id}",
                            label_visibility="collapsed")  # fmt: skip

        def save() -> None:
            _act(lambda: add_note(engine, case_id, actor, note, utc_now()), t("note_saved", lang))
            st.session_state.pop(f"note-{case_id}", None)

        st.button(t("add_note", lang), key=f"save-note-{case_id}", on_click=save,
                  disabled=not note.strip())  # fmt: skip


def _relabel(case: pd.Series, engine, actor: Actor, lang: str) -> None:
    """Correct the model's label; corrections feed `hundredfold train --with-corrections`."""
    post_id = int(case["post_id"])
    with st.expander(t("correct_label", lang)):
        label = st.radio(
            t("true_label", lang), LABELS, horizontal=True, key=f"relabel-{post_id}",
            format_func=lambda value: value_label("label", value, lang),
        )  # fmt: skip
        _button(st, t("save_correction", lang), f"save-relabel-{post_id}",
                lambda: correct_label(engine, post_id, actor, label, utc_now()),
                t("correction_saved", lang))  # fmt: skip


def _reply_editor(case: pd.Series, engine, actor: Actor, settings: Config, lang: str) -> None:
    """A reply drafted from a template; sent through the channel, or its URL recorded."""
    case_id = int(case["case_id"])
    reply_language = case["language"] if case["language"] in ("zh", "en") else lang
    template = st.selectbox(
        t("template", lang), list(TEMPLATES), key=f"template-{case_id}-{lang}",
        format_func=lambda key: t(f"template_{key}", lang),
    )  # fmt: skip
    seeded = draft(template, reply_language, case["author"] or "", settings.brand_name,
                   settings.signatures.get(actor.name, ""))  # fmt: skip
    text = st.text_area(t("reply_text", lang), value=seeded, key=f"reply-{case_id}-{template}",
                        height=140)  # fmt: skip
    if source_replier(settings, case["source"]) is not None:
        kind = str(case.get("source_kind") or "")
        st.caption(t("send_hint", lang))

        def sent(outcome) -> str:
            return t("already_sent" if outcome.already_sent else "sent_done", lang)

        st.button(
            t("send_reply", lang, channel=t(f"send_kind_{kind}", lang) if kind else ""),
            key=f"send-{case_id}", type="primary", disabled=not text.strip(), on_click=_act,
            args=(lambda: send_reply(settings, engine, case_id, actor, text, utc_now()), sent),
        )  # fmt: skip
        return
    st.caption(t("copy_paste_hint", lang))
    reply_url = st.text_input(t("reply_url", lang), key=f"reply-url-{case_id}",
                              placeholder="https://")  # fmt: skip
    st.button(
        t("record_reply", lang), key=f"record-{case_id}", type="primary",
        disabled=not reply_url, on_click=_act,
        args=(lambda: reply_case(engine, case_id, actor, utc_now(), reply_url.strip(), text,
                                 sla=settings.sla()), t("replied_done", lang)),
    )  # fmt: skip


def show_bulk_bar(case_ids: list[int], everything: list[int], actor: Actor, settings: Config,
                  lang: str) -> None:  # fmt: skip
    """Actions on every selected case (or every case in view), one event per case."""
    with st.container(border=True):
        st.caption(t("bulk_selected", lang, n=len(case_ids)))
        if len(everything) > len(case_ids) and st.toggle(
            t("bulk_everything", lang, n=len(everything)), key="bulk_everything"
        ):
            case_ids = everything
        engine = engine_for(settings.database_url)
        buttons = st.columns(5)
        assignee = buttons[4].text_input(t("assign_to", lang), key="bulk_assignee")
        snooze = {"snooze_for": timedelta(hours=SNOOZE_HOURS)}
        actions = [
            ("claim", "bulk_claim", {}),
            ("resolve", "bulk_resolve", {}),
            ("not_a_complaint", "bulk_not_complaint", {}),
            ("snooze", "bulk_snooze", snooze),
        ]
        for column, (action, label, extra) in zip(buttons, actions, strict=False):
            column.button(t(label, lang, hours=SNOOZE_HOURS), key=f"bulk-{action}",
                          on_click=_bulk,
                          args=(engine, action, case_ids, actor, extra, lang))  # fmt: skip
        buttons[4].button(t("bulk_assign", lang), key="bulk-assign", disabled=not assignee,
                          on_click=_bulk, args=(engine, "assign", case_ids, actor,
                                                {"assignee": assignee}, lang))  # fmt: skip


def _bulk(engine, action: str, case_ids: list[int], actor: Actor, extra: dict, lang: str) -> None:
    """Apply one action to each case and say how many moved and why the others did not."""
    if acting_user() is None:
        return
    outcome = apply_to_cases(engine, action, case_ids, actor, utc_now(), **extra)
    parts = [t("bulk_done", lang, done=len(outcome.done))]
    if outcome.refused:
        first = next(iter(outcome.refused.values()))
        reason = refusal_text(first, lang)
        parts.append(said("bulk_refused", lang, n=len(outcome.refused), reason=reason))
    st.session_state["queue_message"] = (
        "warning" if outcome.refused else "success",
        " ".join(parts),
    )
    _refresh()
