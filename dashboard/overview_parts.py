"""Pieces of the Overview: reply performance, the posts behind the view, the report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.charts import topic_label
from dashboard.context import cached_posts, utc_now
from dashboard.headline_figures import Figure, delta_colour, metric_delta
from dashboard.i18n import t, value_label
from dashboard.i18n_charts import tc
from dashboard.posts import safe_link, snippet
from dashboard.report import Report, report_html, report_pdf
from dashboard.safe_text import as_text
from data.access import Actor, allows
from data.csv_safety import csv_text
from data.pseudonyms import mask_emails, pseudonym
from data.trends import SHOWN_POSTS, View
from hundredfold.config import Config


def show_figures(figures: list[Figure]) -> None:
    """The headline figures as metrics, four to a row, each with its change and note."""
    for row in (figures[:4], figures[4:]):
        for column, figure in zip(st.columns(4), row, strict=False):
            column.metric(figure.label, figure.value, delta=metric_delta(figure.change),
                          delta_color=delta_colour(figure), help=figure.help or None)  # fmt: skip
            if figure.note:
                column.caption(figure.note)


def posts_section(
    url: str, view: View, total: int, topics: pd.DataFrame, zone: str, lang: str, chosen: dict,
    reader: Actor, author_key: bytes | None,
) -> None:  # fmt: skip
    """Top complaint themes with examples, the posts behind the view, CSV, and the queue
    (for those who work it); with `author_key`, authors and e-mail addresses read as codes."""
    if not topics.empty:
        st.subheader(t("themes", lang), anchor=False)
        for topic in topics["topic"].head(3):
            examples = cached_posts(
                url,
                View(view.start, view.end, view.threshold, view.channels, (topic,), view.products),
                True,
                2,
            )
            with st.expander(f"{as_text(topic_label(topic, lang))} · {len(examples)}"):
                for row in examples.itertuples():
                    text = snippet(row.title, row.body)  # posts are always plain text
                    st.text(mask_emails(text, author_key) if author_key else text)
    st.subheader(t("posts_behind", lang, count=f"{total:,}"), anchor=False)
    shown = cached_posts(url, view, False, SHOWN_POSTS)
    st.dataframe(_post_table(shown, zone, lang, author_key), hide_index=True, width="stretch",
                 key="overview_posts", column_config={t("link", lang): st.column_config.LinkColumn(
                     t("link", lang), display_text=t("open", lang), width="small"),
                     # P(negative) reads as a percentage; the column stays a number to sort.
                     t("confidence", lang): st.column_config.NumberColumn(
                         t("confidence", lang), format="%d%%", width="small")})  # fmt: skip
    left, right = st.columns(2)
    if left.button(t("prepare_csv", lang, count=f"{total:,}"), key="prepare_csv"):
        everything = cached_posts(url, view, False, None)
        left.download_button(
            t("download_csv", lang), posts_csv(everything, zone, lang, author_key),
            file_name="hundredfold-posts.csv", mime="text/csv", key="download_csv",
        )  # fmt: skip
    if allows(reader.role, "read_queue") and right.button(t("to_queue", lang), key="to_queue"):
        # The queue opens narrowed to the same channels and topics.
        st.session_state["queue_channel"] = list(chosen["channel"])
        st.session_state["queue_topic"] = list(chosen["topic"])
        for key in [k for k in st.session_state if str(k).startswith("queue_") and "." in k]:
            del st.session_state[key]
        st.switch_page("views/queue.py")


def posts_csv(frame: pd.DataFrame, zone: str, lang: str, key: bytes | None) -> str:
    """The posts as the export holds them: the table a reader sees, no cell a formula."""
    return csv_text(_post_table(frame, zone, lang, key))


def _post_table(frame: pd.DataFrame, zone: str, lang: str, key: bytes | None) -> pd.DataFrame:
    """Posts as a reader sees them (and as the CSV export holds them)."""
    local = frame["published_at"].dt.tz_convert(zone)
    texts = [snippet(r.title, r.body) for r in frame.itertuples()]
    authors = list(frame["author"])
    if key is not None:
        texts = [mask_emails(text, key) for text in texts]
        authors = [pseudonym(author, key) for author in authors]
    return pd.DataFrame({
        t("published", lang): local.dt.strftime("%Y-%m-%d %H:%M"),
        t("channel", lang): [value_label("channel", c, lang) for c in frame["channel"]],
        t("lang_short", lang): [value.upper() for value in frame["language"]],
        t("author", lang): authors,
        t("text", lang): texts,
        t("label", lang): [value_label("label", v or "neutral", lang) for v in frame["label"]],
        t("confidence", lang): (frame["p_negative"].fillna(0) * 100).round().astype(int),
        t("link", lang): [safe_link(value) for value in frame["url"]],
    })  # fmt: skip


def report_download(
    figures: list[Figure],
    view: View,
    previous: View | None,
    trend: pd.DataFrame,
    markers: pd.DataFrame,
    topics: pd.DataFrame,
    settings: Config,
    lang: str,
    weekly: bool,
) -> None:
    """The period's one-page report, for forwarding: HTML and PDF, built on click."""
    report = Report(figures, view, previous, trend, markers, topics, settings.timezone, lang,
                    utc_now(), weekly, settings.brand_name)  # fmt: skip
    left, right = st.columns(2)
    left.download_button(t("download_report", lang), lambda: report_html(report),
                         file_name="hundredfold-report.html", mime="text/html",
                         key="download_report")  # fmt: skip
    right.download_button(tc("download_report_pdf", lang), lambda: report_pdf(report_html(report)),
                          file_name="hundredfold-report.pdf", mime="application/pdf",
                          key="download_report_pdf")  # fmt: skip
