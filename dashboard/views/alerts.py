"""Alerts, for support leads: what is wrong now, worst first, why, and who has seen it."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.context import config, engine_for, language, utc_now
from dashboard.i18n import t, value_label
from dashboard.posts import safe_link
from dashboard.safe_text import as_text, said
from dashboard.sign_in import acting_user, page_actor
from data.access import Refused
from data.alerts import acknowledge_alert, list_alerts, snooze_alert
from sentiment.topics import TOPICS

SNOOZE_HOURS = (1, 4, 24)


@st.cache_data(ttl=30, show_spinner=False)
def cached_alerts(url: str, closed: bool) -> list[dict]:
    """Open alerts (worst first) or closed ones (newest first)."""
    return list_alerts(engine_for(url), utc_now(), closed=closed)


lang = language()
settings = config()
url = settings.database_url
me = page_actor("alerts")
st.title(t("alerts", lang))
st.caption(t("alerts_intro", lang))


def topic_name(key: str) -> str:
    """A complaint topic as the reader calls it."""
    topic = TOPICS.get(key)
    return key if topic is None else (topic.label_zh if lang == "zh" else topic.label_en)


def explain(alert: dict) -> None:
    """The alert's why: topics, terms against the baseline, top posts, channels (all as text)."""
    details = alert["details"] or {}
    st.text(alert["title"])
    if "count" in details and "baseline_mean" in details:
        st.text(t("alert_count", lang, count=details["count"], usual=details["baseline_mean"]))
    if details.get("spiking_topics"):
        labels = [topic_name(topic) for topic in details["spiking_topics"]]
        st.text(t("alert_topics", lang, topics=", ".join(labels)))
    if details.get("terms"):
        terms = pd.DataFrame(details["terms"]).rename(columns={
            "term": t("alert_term", lang), "window": t("alert_in_window", lang),
            "baseline": t("alert_usual", lang)})  # fmt: skip
        st.dataframe(terms, hide_index=True)
    if details.get("top_posts"):
        posts = pd.DataFrame(details["top_posts"])[["reach", "channel", "text", "url"]]
        posts["url"] = posts["url"].map(safe_link)  # javascript: or data: never becomes a link
        st.dataframe(posts, hide_index=True, column_config={"url": st.column_config.LinkColumn()})
    if details.get("channels"):
        st.text(", ".join(f"{value_label('channel', k, lang)} {v}"
                          for k, v in details["channels"].items()))  # fmt: skip
    if details.get("text"):
        st.text(details["text"])
    if link := safe_link(details.get("url")):
        st.link_button(t("open_original", lang), link)


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
                now = utc_now()
                if (actor := acting_user()) is not None:
                    snooze_alert(engine_for(url), alert["id"], actor,
                                 now + timedelta(hours=hours), now)  # fmt: skip
                cached_alerts.clear()
                st.rerun()
    except Refused as refusal:
        st.warning(as_text(str(refusal)))


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
    label = f"{severity} · {kind} · {alert['opened_at']:%Y-%m-%d %H:%M} UTC {seen}"
    with st.expander(label, expanded=alert["severity"] == "critical"):
        explain(alert)
        if alert["deliveries"]:
            st.dataframe(pd.DataFrame(alert["deliveries"]), hide_index=True)
        act(alert)

st.subheader(t("alert_history", lang))
history = cached_alerts(url, True)
if history:
    st.dataframe(
        pd.DataFrame({
            t("alert_kind", lang): [t(f"alert_kind_{a['kind']}", lang) for a in history],
            t("alert_title", lang): [a["title"] for a in history],
            t("alert_opened", lang): [a["opened_at"] for a in history],
            t("alert_closed", lang): [a["closed_at"] for a in history],
            t("alert_acked", lang): [a["acknowledged_by"] or "—" for a in history],
        }),
        hide_index=True,
    )  # fmt: skip
else:
    st.caption(t("alert_no_history", lang))
