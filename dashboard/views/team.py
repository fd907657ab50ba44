"""Team, for support leads: how fast and how well complaints are answered, and what waits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.context import (
    config,
    engine_for,
    language,
    lasting_key,
    period_bounds,
    utc_now,
)
from dashboard.i18n import t, value_label
from dashboard.sign_in import page_actor
from data.alert_backlog import backlog_by_age
from data.team import case_timings, team_figures

BAND_KEYS = {"<1h": "under_1h", "1-6h": "1_6h", "6-24h": "6_24h", "1-3d": "1_3d", ">3d": "over_3d"}
BACKLOG_COLOURS = ["#4C78A8", "#BAB0AC"]
PERIODS = {"period_7": 7, "period_30": 30, "period_90": 90, "period_all": None}

lang = language()
settings = config()
page_actor("team")
url = settings.database_url
st.title(t("team", lang))
st.caption(t("team_intro", lang, hours=f"{settings.sla_hours:g}"))

period_widget, remember = lasting_key("team_period", "period_30", lang)
period = st.selectbox(
    t("period", lang), list(PERIODS), format_func=lambda key: t(key, lang),
    key=period_widget, on_change=remember,
)  # fmt: skip
start, end = period_bounds(PERIODS[period], utc_now())


@st.cache_data(ttl=60, show_spinner=False)
def cached_timings(url: str, start, end, sla) -> pd.DataFrame:
    """One row per case opened in the period, with its reply time."""
    return case_timings(engine_for(url), start, end, sla)


@st.cache_data(ttl=60, show_spinner=False)
def cached_backlog(url: str, minute) -> pd.DataFrame:
    """Open unanswered cases by age band."""
    return backlog_by_age(engine_for(url), minute)


def hours(value: float | None) -> str:
    """'3.5 h' or '—'."""
    return "—" if value is None or pd.isna(value) else t("hours_short", lang, n=f"{value:.1f}")


def share(value: float | None) -> str:
    """'83%' or '—'."""
    return "—" if value is None or pd.isna(value) else f"{value:.0%}"


timings = cached_timings(url, start, end, settings.sla())
if timings.empty:
    st.info(t("team_no_cases", lang))
else:
    [overall] = team_figures(timings).to_dict("records")
    columns = st.columns(4)
    columns[0].metric(t("team_reply_median", lang), hours(overall["reply_hours_median"]))
    columns[1].metric(t("team_reply_p90", lang), hours(overall["reply_hours_p90"]))
    columns[2].metric(t("team_within_sla", lang), share(overall["within_sla_share"]))
    columns[3].metric(t("team_resolution_rate", lang), share(overall["resolution_rate"]))

    def table(by: str, label: str, values=lambda value: value, nobody: str = "—") -> None:
        """The figures per manager or per channel."""
        figures = team_figures(timings, by=by)
        st.dataframe(
            pd.DataFrame({
                label: [nobody if pd.isna(v) else values(v) for v in figures[by]],
                t("team_cases", lang): figures["cases"],
                t("team_replied", lang): figures["replied"],
                t("team_reply_median", lang): [hours(v) for v in figures["reply_hours_median"]],
                t("team_reply_p90", lang): [hours(v) for v in figures["reply_hours_p90"]],
                t("team_within_sla", lang): [share(v) for v in figures["within_sla_share"]],
                t("team_resolution_rate", lang): [share(v) for v in figures["resolution_rate"]],
            }),
            hide_index=True,
        )  # fmt: skip

    st.subheader(t("team_per_manager", lang))
    table("assignee", t("team_manager", lang), nobody=t("status_unassigned", lang))
    st.subheader(t("team_per_channel", lang))
    table("channel", t("channel", lang), lambda v: value_label("channel", v, lang))

    st.subheader(t("team_within_sla_over_time", lang))
    judged = timings[~timings["backfill"].astype(bool)].copy()
    if judged.empty or judged["first_reply_at"].isna().all():
        st.caption(t("team_no_replies", lang))
    else:
        published = pd.to_datetime(judged["published_at"], utc=True).dt.tz_convert(
            settings.timezone
        )
        judged["day"] = published.dt.tz_localize(None).dt.normalize()
        label = f"{t('team_within_sla', lang)} (%)"
        daily = (judged.groupby("day")["within_sla"].mean() * 100).round(1).rename(label)
        st.line_chart(daily, x_label=t("day", lang), y_label=label)

st.subheader(t("team_backlog_by_age", lang))
backlog = cached_backlog(url, utc_now().replace(second=0, microsecond=0))
names = {"band": t("team_age", lang), "cases": t("team_cases", lang),
         "backfill": t("team_backfill", lang)}  # fmt: skip
backlog = backlog.assign(band=[t(f"band_{BAND_KEYS[band]}", lang) for band in backlog["band"]])
# Youngest first, as the bands are listed (not alphabetically), with one colour per series in
# either language; bars lie flat so the bands' names read without turning.
st.bar_chart(
    backlog.rename(columns=names), x=names["band"], y=[names["cases"], names["backfill"]],
    stack=True, sort=False, horizontal=True, color=BACKLOG_COLOURS, height=300,
    x_label=t("team_age", lang), y_label=t("team_cases", lang),
)  # fmt: skip
