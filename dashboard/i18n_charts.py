"""Words of the charts, the headline changes, the custom period and the report (zh / en)."""

from __future__ import annotations

from dashboard.i18n import t

CHART_STRINGS: dict[str, dict[str, str]] = {
    "change_pts": {"zh": "{n} 个百分点", "en": "{n} pts"},
    "change_hours": {"zh": "{n} 小时", "en": "{n} h"},
    "value_hours": {"zh": "{n} 小时", "en": "{n} h"},
    "period_custom": {"zh": "自选日期", "en": "Custom dates"},
    "date_range": {"zh": "起止日期", "en": "From – to"},
    "date_range_help": {
        "zh": "包含两端的日期（按 {zone} 时间）。",
        "en": "Both days included ({zone} time).",
    },
    "report_title": {"zh": "品牌声音报告", "en": "Brand voice report"},
    "report_period": {"zh": "统计期间", "en": "Period"},
    "report_previous": {"zh": "对比期间", "en": "Compared with"},
    "report_filters": {"zh": "筛选条件", "en": "Filters"},
    "report_no_filters": {"zh": "无（全部帖子）", "en": "none (all posts)"},
    "report_figure": {"zh": "指标", "en": "Figure"},
    "report_now": {"zh": "本期", "en": "This period"},
    "report_before": {"zh": "上期", "en": "Previous period"},
    "report_change": {"zh": "变化", "en": "Change"},
    "report_alerts": {"zh": "本期告警", "en": "Alerts in the period"},
    "alert_recent_incident": {"zh": "已结束的事件", "en": "Closed incident"},
    "report_generated": {"zh": "生成于 {at}", "en": "Generated {at}"},
    "report_all_time": {"zh": "全部时间", "en": "all time"},
    "download_report_pdf": {"zh": "下载本期报告（PDF）", "en": "Download the report (PDF)"},
    "report_subject": {
        "zh": "{brand}品牌声音报告 · {period}",
        "en": "{brand}brand voice report · {period}",
    },
    "report_mail_body": {
        "zh": "附件是 {period} 的品牌声音报告（HTML 和 PDF）。\n\n{figures}",
        "en": "Attached: the brand voice report for {period} (HTML and PDF).\n\n{figures}",
    },
}


def tc(key: str, language: str, **values: object) -> str:
    """A chart or report text in `language`; keys not in this table come from dashboard.i18n."""
    entry = CHART_STRINGS.get(key)
    if entry is None:
        return t(key, language, **values)
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text
