"""Every word the dashboard shows, in Chinese and English."""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"zh": "百倍 · 品牌声音", "en": "Hundredfold · brand voice"},
    "overview": {"zh": "总览", "en": "Overview"},
    "queue": {"zh": "回复队列", "en": "Reply queue"},
    "period": {"zh": "时间范围", "en": "Period"},
    "period_7": {"zh": "最近 7 天", "en": "Last 7 days"},
    "period_30": {"zh": "最近 30 天", "en": "Last 30 days"},
    "period_90": {"zh": "最近 90 天", "en": "Last 90 days"},
    "period_all": {"zh": "全部", "en": "All time"},
    "vs_previous": {"zh": "与上一周期相比", "en": "vs. the previous period"},
    "posts": {"zh": "帖子数", "en": "Posts"},
    "negative_share": {"zh": "负面占比", "en": "Negative share"},
    "complaints": {"zh": "投诉候选", "en": "Complaint candidates"},
    "affected": {"zh": "受影响客户（估算）", "en": "Affected customers (estimate)"},
    "affected_help": {
        "zh": "估算值：每条投诉约代表 {multiplier} 位没有发声的客户（设置项 "
        "silent_customer_multiplier）。",
        "en": "An estimate: each complaint stands for about {multiplier} customers who did not "
        "speak up (setting silent_customer_multiplier).",
    },
    "complaints_help": {
        "zh": "模型判断为负面概率 ≥ {threshold:.0%} 的帖子。",
        "en": "Posts the model judges negative with probability ≥ {threshold:.0%}.",
    },
    "trend_title": {"zh": "每日负面帖子（按渠道）", "en": "Negative posts per day, by channel"},
    "trend_share": {"zh": "负面占比", "en": "Negative share"},
    "day": {"zh": "日期", "en": "Day"},
    "topics_title": {"zh": "投诉主题", "en": "Complaint topics"},
    "no_posts": {
        "zh": "这个时间范围内还没有帖子。"
        "运行 `hundredfold collect` 或 `hundredfold demo` 采集数据。",
        "en": "No posts in this period yet. Run `hundredfold collect` or `hundredfold demo`.",
    },
    "no_topics": {"zh": "这个时间范围内没有可归类的投诉。", "en": "No complaints with a topic."},
    "channel": {"zh": "渠道", "en": "Channel"},
    "post_language": {"zh": "帖子语言", "en": "Post language"},
    "queue_intro": {
        "zh": "负面帖子，最新的在前。选中一行查看原文。",
        "en": "Negative posts, newest first. Select a row to read the post.",
    },
    "queue_empty": {"zh": "没有待处理的投诉。", "en": "No open complaints."},
    "queue_count": {"zh": "共 {count} 条待处理", "en": "{count} open"},
    "queue_count_capped": {
        "zh": "共 {count} 条待处理，显示最新的 {shown} 条",
        "en": "{count} open, the newest {shown} shown",
    },
    "open": {"zh": "打开", "en": "Open"},
    "all": {"zh": "全部", "en": "All"},
    "published": {"zh": "发布时间", "en": "Published"},
    "age": {"zh": "已过", "en": "Age"},
    "author": {"zh": "作者", "en": "Author"},
    "text": {"zh": "内容", "en": "Text"},
    "label": {"zh": "判断", "en": "Judged"},
    "label_help": {
        "zh": "模型的判断；带问号表示模型不确定，请人工确认。",
        "en": "The model's judgement; a question mark means it is unsure: check it.",
    },
    "lang_short": {"zh": "语种", "en": "Lang"},
    "confidence": {"zh": "负面概率", "en": "P(negative)"},
    "link": {"zh": "原帖", "en": "Original"},
    "open_original": {"zh": "打开原帖", "en": "Open the original"},
    "judged_by": {
        "zh": "模型 {model} 判断为{label}，负面概率 {p:.0%}",
        "en": "Judged {label} by {model}, P(negative) {p:.0%}",
    },
    "uncertain": {"zh": "模型不确定，请人工判断", "en": "The model is unsure: check it"},
    "source": {"zh": "来源", "en": "Source"},
    "select_hint": {"zh": "在上表中选择一条帖子。", "en": "Select a post in the table above."},
    "estimate_note": {"zh": "估算", "en": "estimate"},
    # Values shown in tables and charts.
    "channel_forum": {"zh": "论坛", "en": "Forum"},
    "channel_review": {"zh": "商品评价", "en": "Reviews"},
    "channel_social": {"zh": "社交媒体", "en": "Social"},
    "channel_email": {"zh": "邮件", "en": "Email"},
    "channel_news": {"zh": "新闻", "en": "News"},
    "label_negative": {"zh": "负面", "en": "negative"},
    "label_neutral": {"zh": "中性", "en": "neutral"},
    "label_positive": {"zh": "正面", "en": "positive"},
    "lang_zh": {"zh": "中文", "en": "Chinese"},
    "lang_en": {"zh": "英文", "en": "English"},
    "hours_short": {"zh": "{n} 小时", "en": "{n} h"},
    "days_short": {"zh": "{n} 天", "en": "{n} d"},
    "minutes_short": {"zh": "{n} 分钟", "en": "{n} min"},
}


def t(key: str, language: str, **values: object) -> str:
    """The string `key` in `language` (English when a translation is missing)."""
    entry = STRINGS[key]
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text


def value_label(kind: str, value: str, language: str) -> str:
    """A stored value (channel, label, language code) as a reader calls it."""
    key = f"{kind}_{value}"
    return t(key, language) if key in STRINGS else value
