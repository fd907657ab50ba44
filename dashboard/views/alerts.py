"""Alerts, for support leads: what is wrong now, worst first, why, and who has seen it."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.alert_text import alert_sentence, queue_link, waited
from dashboard.charts import topic_label
from dashboard.context import config, engine_for, language, utc_now
from dashboard.i18n import t, value_label
from dashboard.i18n_charts import tc
from dashboard.links import page_link
from dashboard.numbers import local_time
from dashboard.posts import safe_link
from dashboard.refusals import refusal_text
from dashboard.safe_text import as_text, said
from dashboard.sign_in import acting_user, page_actor
from data.access import Refused
from data.alerts import acknowledge_alert, list_alerts, snooze_alert

SNOOZE_HOURS = (1, 4, 24)
QUEUE_PAGE = "views/queue.py"


@st.cache_data(ttl=30, show_spinner=False)
def cached_alerts(url: str, closed: bool) -> list[dict]:
    """Open alerts (worst first) or closed ones (newest first)."""
    return list_alerts(engine_for(url), utc_now(), closed=closed)


INCIDENT_KINDS = ("spike", "viral", "new_topic")
INCIDENTS_KEPT = timedelta(days=7)
lang = language()
settings = config()
url = settings.database_url
zone = settings.timezone
me = page_actor("alerts")
now = utc_now()
st.title(t("alerts", lang))
st.caption(t("alerts_intro", lang))


def sentence(alert: dict) -> str:
    """What the alert says, in the reader's language."""
    return alert_sentence(alert, lang, settings, now)


def listed_cases(alert: dict, details: dict) -> None:
    """A grouped overdue alert's oldest cases; selecting one opens it in the queue."""
    listed = details.get("cases") or []
    if not listed:
        return
    st.caption(t("alert_cases_listed", lang, shown=len(listed), count=details.get("count", "?")))
    table = pd.DataFrame({
        t("alert_case", lang): [f"#{case['case_id']}" for case in listed],
        t("alert_waited", lang): [waited(case.get("published_at"), now, lang) for case in listed],
        t("alert_holder", lang): [case.get("assignee") or t("alert_nobody", lang)
                                  for case in listed],
        t("text", lang): [case.get("text") or "" for case in listed],
    })  # fmt: skip
    chosen = st.dataframe(
        table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
        key=f"alert-cases-{alert['id']}",
    )  # fmt: skip
    rows = list(chosen.selection.rows) if chosen else []
    if rows and rows[0] < len(listed):
        case_id = str(listed[rows[0]]["case_id"])
        st.switch_page(QUEUE_PAGE, query_params={"case": case_id, "lang": lang})


def explain(alert: dict) -> None:
    """The alert's why: topics, terms against the baseline, top posts, channels (all as text)."""
    details = alert["details"] or {}
    st.text(sentence(alert))
    if link := queue_link(alert, lang):
        page_link(QUEUE_PAGE, link[0], ":material/forum:", link[1])
    elif alert["kind"] == "silent_source" and me.is_lead:
        page_link("views/sources.py", t("alert_open_sources", lang), ":material/rss_feed:",
                  {"lang": lang})  # fmt: skip
    if alert["kind"] == "spike" and details.get("topics"):  # which complaints it is made of
        st.text(", ".join(f"{topic_label(str(row.get('topic')), lang)} {row.get('count')}"
                          for row in details["topics"]))  # fmt: skip
    if details.get("terms"):
        terms = pd.DataFrame(details["terms"]).rename(columns={
            "term": t("alert_term", lang), "window": t("alert_in_window", lang),
            "baseline": t("alert_usual", lang)})  # fmt: skip
        st.dataframe(terms, hide_index=True)
    if details.get("top_posts"):
        posts = pd.DataFrame(details["top_posts"])
        st.dataframe(
            pd.DataFrame({
                t("alert_reach", lang): posts["reach"],
                t("channel", lang): [value_label("channel", c, lang) for c in posts["channel"]],
                t("text", lang): posts["text"],
                # javascript: or data: never becomes a link
                t("link", lang): [safe_link(value) for value in posts["url"]],
            }),
            hide_index=True,
            column_config={t("link", lang): st.column_config.LinkColumn(
                t("link", lang), display_text=t("open", lang))},
        )  # fmt: skip
    if details.get("channels"):
        st.text(", ".join(f"{value_label('channel', k, lang)} {v}"
                          for k, v in details["channels"].items()))  # fmt: skip
    if alert["kind"] == "overdue":
        listed_cases(alert, details)
    elif details.get("text"):
        st.text(details["text"])
    if alert["kind"] != "overdue" and (original := safe_link(details.get("url"))):
        st.link_button(t("open_original", lang), original)


def deliveries(alert: dict) -> None:
    """Where the alert was sent, and how that went."""
    sent = alert["deliveries"]
    if not sent:
        return
    st.caption(t("alert_deliveries", lang))
    st.dataframe(pd.DataFrame({
        t("delivery_target", lang): [d["target"] for d in sent],
        t("delivery_status", lang): [t(f"delivery_{d['status']}", lang) for d in sent],
        t("delivery_attempts", lang): [d["attempts"] for d in sent],
        t("delivery_error", lang): [d["last_error"] or "—" for d in sent],
        t("delivery_sent_at", lang): [local_time(d["sent_at"], zone) for d in sent],
    }), hide_index=True)  # fmt: skip


def act(alert: dict) -> None:
    """Acknowledge or snooze, for support leads; the role is checked again in data/."""
    if not me.is_lead:
        st.caption(t("alert_lead_only", lang))
        return
    columns = st.columns(1 + len(SNOOZE_HOURS))
    try:
        if not alert["acknowledged_by"] and columns[0].button(
            t("alert_ack", lang), key=f"ack-{alert['id']}"
        ):
            if (actor := acting_user()) is not None:
                acknowledge_alert(engine_for(url), alert["id"], actor, utc_now())
            cached_alerts.clear()
            st.rerun()
        for column, hours in zip(columns[1:], SNOOZE_HOURS, strict=True):
            if column.button(
                t("alert_snooze", lang, hours=hours), key=f"snooze-{alert['id']}-{hours}"
            ):
                moment = utc_now()
                if (actor := acting_user()) is not None:
                    snooze_alert(engine_for(url), alert["id"], actor,
                                 moment + timedelta(hours=hours), moment)  # fmt: skip
                cached_alerts.clear()
                st.rerun()
    except Refused as refusal:
        st.warning(refusal_text(refusal, lang, as_text))


open_alerts = cached_alerts(url, False)
if not open_alerts:
    st.success(t("alert_none", lang))
for alert in open_alerts:
    severity = t(f"alert_severity_{alert['severity']}", lang)
    kind = t(f"alert_kind_{alert['kind']}", lang)
    seen = (
        said("alert_acked_by", lang, name=alert["acknowledged_by"])
        if alert["acknowledged_by"]
        else ""
    )
    label = f"{severity} · {kind} · {local_time(alert['opened_at'], zone)} {seen}"
    with st.expander(label, expanded=alert["severity"] == "critical"):
        explain(alert)
        deliveries(alert)
        act(alert)

st.subheader(t("alert_history", lang))
history = cached_alerts(url, True)
# Incidents of the last days keep their explanation: the spike is over, the lead still asks why.
incidents = [a for a in history if a["kind"] in INCIDENT_KINDS and a["closed_at"]
             and utc_now() - pd.Timestamp(a["closed_at"]) < INCIDENTS_KEPT]  # fmt: skip
lasted = lambda a: pd.Timestamp(a["closed_at"]) - pd.Timestamp(a["opened_at"])  # noqa: E731
longest = max(incidents, key=lasted) if incidents else None
for alert in incidents:
    kind = t(f"alert_kind_{alert['kind']}", lang)
    seen = said("alert_acked_by", lang, name=alert["acknowledged_by"]) if alert[
        "acknowledged_by"] else ""  # fmt: skip
    span = f"{local_time(alert['opened_at'], zone)} – {local_time(alert['closed_at'], zone)}"
    label = f"{tc('alert_recent_incident', lang)} · {kind} · {span} {seen}"
    with st.expander(label, expanded=alert is longest):
        explain(alert)
if history:
    st.dataframe(
        pd.DataFrame({
            t("alert_kind", lang): [t(f"alert_kind_{a['kind']}", lang) for a in history],
            t("alert_title", lang): [sentence(a) for a in history],
            t("alert_opened", lang): [local_time(a["opened_at"], zone) for a in history],
            t("alert_closed", lang): [local_time(a["closed_at"], zone) for a in history],
            t("alert_acked", lang): [a["acknowledged_by"] or "—" for a in history],
        }),
        hide_index=True,
    )  # fmt: skip
else:
    st.caption(t("alert_no_history", lang))
