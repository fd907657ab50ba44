"""The Overview's headline figures with their change against the previous period, as the
page's metrics and the report both show them (one list, so the two never disagree)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n_charts import tc
from dashboard.numbers import format_count, format_share
from data.trends import Headline
from hundredfold.config import Config

MINUS = "\u2212"  # the typographic minus, as a report prints it


@dataclass(frozen=True)
class Figure:
    """One headline figure: its label, value, previous value and change ('+12%', '-3.1 pts').

    `better` says which way is good ('up', 'down', or '' for neither), for the colour of
    the change; `note` is a line under it (what an estimate rests on).
    """

    key: str
    label: str
    value: str
    before: str | None
    change: str | None
    better: str
    note: str = ""
    help: str = ""


def headline_figures(
    now: Headline,
    before: Headline | None,
    replies: dict,
    replies_before: dict | None,
    settings: Config,
    lang: str,
) -> list[Figure]:
    """Posts, negative share, net sentiment, affected customers, answered within the SLA and
    the median time to the first reply, each with its change (None without a previous one)."""
    multiplier = settings.silent_customer_multiplier
    affected = round(now.negative * multiplier)
    affected_before = round(before.negative * multiplier) if before else None
    within, within_before = (
        replies.get("within_sla_share"),
        (replies_before or {}).get("within_sla_share"),
    )
    hours, hours_before = (
        replies.get("reply_hours_median"),
        (replies_before or {}).get("reply_hours_median"),
    )

    def share(value: float | None) -> str:
        return format_share(value) if value is not None else "—"

    def duration(value: float | None) -> str:
        return tc("value_hours", lang, n=f"{value:.1f}") if value is not None else "—"

    return [
        Figure("posts", tc("posts", lang), format_count(now.posts, lang),
               format_count(before.posts, lang) if before else None,
               relative_change(now.posts, before.posts if before else None), ""),
        Figure("negative_share", tc("negative_share", lang), share(now.negative_share),
               share(before.negative_share) if before else None,
               points_change(now.negative_share, before.negative_share if before else None,
                             lang), "down",
               help=tc("complaints_help", lang, threshold=settings.negative_threshold)),
        Figure("net_sentiment", tc("net_sentiment", lang), signed(f"{now.net_sentiment:+.2f}"),
               signed(f"{before.net_sentiment:+.2f}") if before else None,
               signed(f"{now.net_sentiment - before.net_sentiment:+.2f}") if before else None,
               "up", help=tc("net_sentiment_help", lang)),
        Figure("affected", tc("affected", lang), "≈ " + format_count(affected, lang),
               "≈ " + format_count(affected_before, lang) if affected_before is not None
               else None, relative_change(affected, affected_before), "down",
               note=tc("affected_help", lang, multiplier=f"{multiplier:g}")),
        Figure("within_sla", tc("within_sla", lang, hours=f"{settings.sla_hours:g}"),
               share(within), share(within_before) if before else None,
               points_change(within, within_before, lang), "up",
               help=tc("within_sla_help", lang)),
        Figure("median_reply", tc("median_reply", lang), duration(hours),
               duration(hours_before) if before else None,
               tc("change_hours", lang, n=signed(f"{hours - hours_before:+.1f}"))
               if hours is not None and hours_before is not None else None, "down"),
    ]  # fmt: skip


def relative_change(value: float, previous: float | None) -> str | None:
    """'+12%' against the previous value; None when there is nothing to compare with."""
    if previous is None or previous == 0:
        return None
    return signed(f"{(value - previous) / previous:+.0%}")


def points_change(value: float | None, previous: float | None, lang: str) -> str | None:
    """The change of a share in percentage points: '+3.1 pts' / '+3.1 个百分点'."""
    if value is None or previous is None:
        return None
    return tc("change_pts", lang, n=signed(f"{(value - previous) * 100:+.1f}"))


def signed(text: str) -> str:
    """A number formatted with its sign, the minus typeset as a minus ('−3'), zero unsigned."""
    if text.lstrip("+-").strip("0.%") == "":
        return text.lstrip("+-")
    return text.replace("-", MINUS, 1) if text.startswith("-") else text


def metric_delta(change: str | None) -> str | None:
    """The change as st.metric needs it: it reads the direction off an ASCII '-' only."""
    return change.replace(MINUS, "-", 1) if change else change


def delta_colour(figure: Figure) -> str:
    """st.metric's delta_color for a figure: green when it moved the good way."""
    return {"up": "normal", "down": "inverse"}.get(figure.better, "off")
