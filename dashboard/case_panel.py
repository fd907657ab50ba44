"""The selected case: the post in context, why it ranks where it does, and what to do next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.context import cached_case_context, engine_for, utc_now
from dashboard.i18n import t, value_label
from dashboard.posts import safe_link, snippet
from dashboard.replies import TEMPLATES, fill
from data.cases import (
    LABELS,
    Actor,
    TransitionRefused,
    claim_case,
    correct_label,
    mark_not_a_complaint,
    release_case,
    reopen_case,
    reply_case,
    resolve_case,
    snooze_case,
)
from data.sla import SlaPolicy
from hundredfold.config import Config

SNOOZE_HOURS = 4
TABLE_GENERATION = "queue_table_generation"


def table_key() -> str:
    """The queue table's widget key (a new one after each action clears the selection)."""
    return f"queue_table_{st.session_state.get(TABLE_GENERATION, 0)}"


def show_message() -> None:
    """The outcome of the last action (success, or why it was refused), shown once."""
    if message := st.session_state.pop("queue_message", None):
        getattr(st, message[0])(message[1])


def show_case(case: pd.Series, published_local, me: str, settings: Config, lang: str) -> None:
    """Render one case: post, context, priority factors, reply editor and transitions."""
    case_id = int(case["case_id"])
    with st.container(border=True):
        if case["title"]:
            st.subheader(case["title"], anchor=False)
        st.caption(
            f"#{case_id} · {case['author'] or '—'} · {case['source']} · "
            f"{value_label('channel', case['channel'], lang)} · {published_local:%Y-%m-%d %H:%M}"
        )
        st.text(case["body"])  # always as text: a post is never rendered as HTML or Markdown
        label = value_label("label", case["label"] or "neutral", lang)
        st.caption(
            t("judged_by", lang, label=label, model=case["model"], p=case["p_negative"] or 0)
        )
        if case["uncertain"]:
            st.warning(t("uncertain", lang))
        st.caption(
            t("why_rank", lang, negativity=case["negativity"], reach=case["reach"],
              urgency=case["urgency"], priority=case["priority"])
        )  # fmt: skip
        link = safe_link(case["url"])
        if link:
            st.link_button(t("open_original", lang), link)
        _show_context(settings.database_url, case_id, lang)
        _show_actions(case, me, settings, lang)


def _show_context(url: str, case_id: int, lang: str) -> None:
    """The thread's parent, the author's other posts, duplicates and the audit trail."""
    context = cached_case_context(url, case_id)
    sections = [
        ("parent_post", [context.parent] if context.parent else []),
        ("same_author", context.same_author),
        ("duplicates", context.duplicates),
    ]
    for key, items in sections:
        if items:
            with st.expander(f"{t(key, lang)} ({len(items)})"):
                for item in items:
                    st.text(snippet(item["title"], item["body"]))
    if context.events:
        with st.expander(t("history", lang)):
            for event in context.events:
                st.text(
                    f"{event['at']:%Y-%m-%d %H:%M} · {event['actor']} · "
                    f"{value_label('status', event['from_status'], lang)} → "
                    f"{value_label('status', event['to_status'], lang)}"
                    + (f" · {event['note']}" if event["note"] else "")
                )


def _act(action: Callable[[], object], done: str) -> None:
    """Run a transition; show why when it is refused, else refresh every cached read."""
    try:
        action()
    except TransitionRefused as refusal:
        st.session_state["queue_message"] = ("error", str(refusal))
    else:
        st.session_state["queue_message"] = ("success", done)
        # A new table key clears the selection: the acted-on case may have left this view,
        # and the row it stood on now holds another case.
        st.session_state[TABLE_GENERATION] = st.session_state.get(TABLE_GENERATION, 0) + 1
        st.cache_data.clear()


def _show_actions(case: pd.Series, me: str, settings: Config, lang: str) -> None:
    """The buttons for this case's state, and the reply editor when it is mine."""
    if not me:
        st.info(t("name_first", lang))
        return
    engine = engine_for(settings.database_url)
    actor = Actor(me, is_lead=me in settings.leads)
    case_id, status, holder = int(case["case_id"]), case["status"], case["assignee"]
    now = utc_now()
    buttons = st.columns(4)
    if status == "new":
        buttons[0].button(t("claim", lang), key=f"claim-{case_id}", type="primary",
                          on_click=_act, args=(lambda: claim_case(engine, case_id, actor, now),
                                               t("claimed_done", lang)))  # fmt: skip
    if status in ("new", "claimed"):
        buttons[1].button(t("not_complaint", lang), key=f"nac-{case_id}", on_click=_act,
                          args=(lambda: mark_not_a_complaint(engine, case_id, actor, now),
                                t("done", lang)))  # fmt: skip
        buttons[2].button(t("snooze", lang, hours=SNOOZE_HOURS), key=f"snooze-{case_id}",
                          on_click=_act, args=(lambda: snooze_case(
                              engine, case_id, actor, now, now + timedelta(hours=SNOOZE_HOURS)),
                              t("done", lang)))  # fmt: skip
    if status == "claimed" and holder != me:
        st.info(t("held_by", lang, name=holder))
    if status == "claimed" and holder == me:
        buttons[3].button(t("release", lang), key=f"release-{case_id}", on_click=_act,
                          args=(lambda: release_case(engine, case_id, actor, now),
                                t("done", lang)))  # fmt: skip
        _reply_editor(case, engine, actor, settings.sla(), lang)
    if status == "replied":
        buttons[0].button(t("resolve", lang), key=f"resolve-{case_id}", type="primary",
                          on_click=_act, args=(lambda: resolve_case(engine, case_id, actor, now),
                                               t("done", lang)))  # fmt: skip
    _relabel(case, engine, actor, lang)
    if status in ("resolved", "not_a_complaint") and actor.is_lead:
        buttons[0].button(t("reopen", lang), key=f"reopen-{case_id}", on_click=_act,
                          args=(lambda: reopen_case(engine, case_id, actor, now),
                                t("done", lang)))  # fmt: skip


def _relabel(case: pd.Series, engine, actor: Actor, lang: str) -> None:
    """Correct the model's label; corrections feed `hundredfold train --with-corrections`."""
    post_id = int(case["post_id"])
    with st.expander(t("correct_label", lang)):
        label = st.radio(
            t("true_label", lang), LABELS, horizontal=True, key=f"relabel-{post_id}",
            format_func=lambda value: value_label("label", value, lang),
        )  # fmt: skip
        st.button(t("save_correction", lang), key=f"save-relabel-{post_id}", on_click=_act,
                  args=(lambda: correct_label(engine, post_id, actor, label, utc_now()),
                        t("correction_saved", lang)))  # fmt: skip


def _reply_editor(case: pd.Series, engine, actor: Actor, sla: SlaPolicy, lang: str) -> None:
    """A reply seeded from a template, the public reply's URL, and the button to record it."""
    case_id = int(case["case_id"])
    reply_language = case["language"] if case["language"] in ("zh", "en") else lang
    template = st.selectbox(
        t("template", lang), list(TEMPLATES), key=f"template-{case_id}",
        format_func=lambda key: t(f"template_{key}", lang),
    )  # fmt: skip
    seeded = fill(TEMPLATES[template][reply_language], reply_language,
                  customer=case["author"] or "", brand="")  # fmt: skip
    text = st.text_area(t("reply_text", lang), value=seeded, key=f"reply-{case_id}-{template}")
    reply_url = st.text_input(t("reply_url", lang), key=f"reply-url-{case_id}",
                              placeholder="https://")  # fmt: skip
    st.button(
        t("record_reply", lang), key=f"record-{case_id}", type="primary",
        disabled=not reply_url,
        on_click=_act,
        args=(lambda: reply_case(engine, case_id, actor, utc_now(), reply_url.strip(), text,
                                 sla=sla),
              t("replied_done", lang)),
    )  # fmt: skip
