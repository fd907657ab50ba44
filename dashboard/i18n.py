"""Every word the dashboard shows, in Chinese and English."""

from __future__ import annotations

from dashboard.i18n_access import ACCESS_STRINGS
from dashboard.i18n_alerts import ALERT_STRINGS
from dashboard.i18n_queue import QUEUE_STRINGS
from dashboard.i18n_refusals import REFUSAL_STRINGS
from dashboard.i18n_sources import SOURCE_STRINGS

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

STRINGS: dict[str, dict[str, str]] = {
    **QUEUE_STRINGS,
    **ACCESS_STRINGS,
    **ALERT_STRINGS,
    **REFUSAL_STRINGS,
    **SOURCE_STRINGS,
    "app_title": {"zh": "百倍 · 品牌声音", "en": "Hundredfold · brand voice"},
    "grain": {"zh": "粒度", "en": "By"},
    "alert_markers": {"zh": "告警", "en": "Alerts"},
    "grain_day": {"zh": "按天", "en": "Day"},
    "grain_week": {"zh": "按周", "en": "Week"},
    "product": {"zh": "产品", "en": "Product"},
    "net_sentiment": {"zh": "净情感值", "en": "Net sentiment"},
    "net_sentiment_help": {
        "zh": "（正面帖子 − 负面帖子）÷ 全部帖子，范围 −1 到 +1。",
        "en": "(positive posts − negative posts) ÷ all posts, from −1 to +1.",
    },
    "within_sla": {"zh": "{hours} 小时内回复", "en": "Answered within {hours} h"},
    "within_sla_help": {
        "zh": "投诉在时限内得到公开回复的比例（补录的历史帖子不计入）。",
        "en": "Share of complaints publicly answered in time (backfilled posts are left out).",
    },
    "median_reply": {"zh": "首次回复（中位数）", "en": "Time to first reply (median)"},
    "trend_title_week": {
        "zh": "每周负面帖子（按渠道）",
        "en": "Negative posts per week, by channel",
    },
    "products_title": {"zh": "各产品的投诉", "en": "Complaints by product"},
    "drilled_day": {
        "zh": "只看 {day} 这一天（点击图表中的某一天筛选）。",
        "en": "Showing {day} only (a day clicked on the chart).",
    },
    "clear_day": {"zh": "看整个时间范围", "en": "Back to the whole period"},
    "themes": {"zh": "主要投诉主题和例子", "en": "Top complaint themes, with examples"},
    "posts_behind": {
        "zh": "这些数字背后的帖子（共 {count} 条）",
        "en": "The posts behind these figures ({count})",
    },
    "prepare_csv": {"zh": "导出全部 {count} 条为 CSV", "en": "Export all {count} as CSV"},
    "download_csv": {"zh": "下载 CSV", "en": "Download the CSV"},
    "to_queue": {
        "zh": "在回复队列中处理这些投诉",
        "en": "Work these complaints in the reply queue",
    },
    "download_report": {"zh": "下载本期报告（HTML）", "en": "Download the report (HTML)"},
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
        "zh": "估算值：每条投诉约代表 {multiplier} 位没有发声的客户（这个倍数可以在设置中修改）。",
        "en": "An estimate: each complaint stands for about {multiplier} customers who did not "
        "speak up (a multiple you can change in the settings).",
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
        "zh": "先列还能在 {hours} 小时时限内回复的投诉（越接近超时、越负面、影响越大越靠前），"
        "再列刚超时的；积压的单独查看。选中一行查看原文并处理，选中多行可批量处理。",
        "en": "Complaints that can still be answered within {hours} h come first (closest to "
        "the deadline, most negative and most seen first), then those just missed; backfill "
        "has its own view. Select a row to read and act on it, several rows to act on all.",
    },
    "queue_empty": {"zh": "没有待处理的投诉。", "en": "No open complaints."},
    "queue_count": {"zh": "共 {count} 条", "en": "{count} cases"},
    "queue_count_one": {"zh": "共 1 条", "en": "1 case"},
    "queue_count_capped": {
        "zh": "共 {count} 条，显示排在最前的 {shown} 条",
        "en": "{count} cases, the first {shown} shown",
    },
    "open": {"zh": "打开", "en": "Open"},
    "all": {"zh": "全部", "en": "All"},
    "published": {"zh": "发布时间", "en": "Published"},
    "age": {"zh": "已过", "en": "Age"},
    "author": {"zh": "作者", "en": "Author"},
    "text": {"zh": "内容", "en": "Text"},
    "label": {"zh": "判断", "en": "Judged"},
    "label_help": {
        "zh": "模型的判断和负面概率；带问号表示模型不确定，请人工确认。",
        "en": "The model's judgement and P(negative); a question mark means it is unsure.",
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
    "status": {"zh": "状态", "en": "Status"},
    "topic": {"zh": "主题", "en": "Topic"},
    "assignee": {"zh": "处理人", "en": "Assignee"},
    "overdue_only": {"zh": "只看已超时", "en": "Overdue only"},
    "priority": {"zh": "优先级", "en": "Priority"},
    "priority_help": {
        "zh": "负面程度 × 影响范围 × 紧迫度：越大越先处理。",
        "en": "Negativity × reach × urgency: higher goes first.",
    },
    "due": {"zh": "剩余时限", "en": "Time left"},
    "overdue": {"zh": "已超时", "en": "overdue"},
    "why_rank": {
        "zh": "排序依据：负面程度 {negativity:.2f} × 影响范围 {reach:.2f} × 紧迫度 "
        "{urgency:.2f} = {priority:.2f}",
        "en": "Ranked by negativity {negativity:.2f} × reach {reach:.2f} × urgency "
        "{urgency:.2f} = {priority:.2f}",
    },
    "parent_post": {"zh": "所回复的帖子", "en": "In reply to"},
    "same_author": {"zh": "同一作者的其他帖子", "en": "Other posts by this author"},
    "duplicates": {"zh": "相同内容的帖子", "en": "Duplicates of this complaint"},
    "history": {"zh": "处理记录", "en": "History"},
    "claim": {"zh": "认领", "en": "Claim"},
    "release": {"zh": "放回队列", "en": "Release"},
    "not_complaint": {"zh": "不是投诉", "en": "Not a complaint"},
    "snooze": {"zh": "稍后提醒（{hours} 小时）", "en": "Snooze {hours} h"},
    "resolve": {"zh": "标记为已解决", "en": "Resolve"},
    "reopen": {"zh": "重新打开", "en": "Reopen"},
    "held_by": {"zh": "{name} 正在处理这条投诉。", "en": "{name} is handling this case."},
    "template": {"zh": "回复模板", "en": "Reply template"},
    "template_apology": {"zh": "致歉并跟进", "en": "Apologise and follow up"},
    "template_refund": {"zh": "退款", "en": "Refund"},
    "template_delivery": {"zh": "物流", "en": "Delivery"},
    "reply_text": {"zh": "回复内容（复制后在原帖公开回复）", "en": "Reply (post it publicly)"},
    "reply_url": {"zh": "公开回复的链接", "en": "URL of the public reply"},
    "record_reply": {"zh": "记录回复", "en": "Record the reply"},
    "claimed_done": {"zh": "已认领。", "en": "Claimed."},
    "replied_done": {"zh": "已记录回复。", "en": "Reply recorded."},
    "done": {"zh": "已完成。", "en": "Done."},
    "correct_label": {"zh": "纠正模型的判断", "en": "Correct the model's label"},
    "true_label": {"zh": "这条帖子其实是", "en": "This post is really"},
    "save_correction": {"zh": "保存纠正", "en": "Save the correction"},
    "correction_saved": {
        "zh": "已保存，下次训练模型时会用到。",
        "en": "Saved: the next training run will learn from it.",
    },
    "status_new": {"zh": "待处理", "en": "new"},
    "status_claimed": {"zh": "处理中", "en": "claimed"},
    "status_snoozed": {"zh": "稍后", "en": "snoozed"},
    "status_replied": {"zh": "已回复", "en": "replied"},
    "status_resolved": {"zh": "已解决", "en": "resolved"},
    "status_not_a_complaint": {"zh": "不是投诉", "en": "not a complaint"},
    "sources": {"zh": "数据源", "en": "Sources"},
    "sources_intro": {
        "zh": "每个数据源的运行情况。超过 {window}没有新帖子的数据源标为“沉寂”。",
        "en": "How each source is doing. A source with no new posts for over {window} is "
        "marked silent.",
    },
    "no_sources": {"zh": "还没有配置数据源。", "en": "No sources configured yet."},
    "state": {"zh": "状态", "en": "State"},
    "state_error": {"zh": "出错", "en": "error"},
    "state_silent": {"zh": "沉寂", "en": "silent"},
    "state_warning": {"zh": "有警告", "en": "warning"},
    "state_never": {"zh": "未运行", "en": "never run"},
    "state_ok": {"zh": "正常", "en": "ok"},
    "kind": {"zh": "类型", "en": "Kind"},
    "posts_24h": {"zh": "近 24 小时", "en": "Last 24 h"},
    "last_success": {"zh": "上次成功", "en": "Last success"},
    "last_error": {"zh": "上次出错", "en": "Last error"},
    "rate_budget": {"zh": "剩余请求额度", "en": "Rate-limit budget"},
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
    # Alerts and Team pages (support leads).
    "alerts": {"zh": "告警", "en": "Alerts"},
    "alerts_intro": {
        "zh": "负面声量突增、超时未回复、负面帖子快速扩散、数据源沉默、新出现的投诉主题。"
        "同一问题只告警一次，问题消失后自动关闭。",
        "en": "Surges of complaints, cases past the reply SLA, complaints spreading fast, silent "
        "sources, new complaint topics. One alert per incident; it closes when the cause clears.",
    },
    "alert_none": {"zh": "目前没有未关闭的告警。", "en": "No open alerts."},
    "alert_count": {
        "zh": "本时段 {count} 条投诉，往常同一时段约 {usual} 条",
        "en": "{count} complaints in the window; about {usual} at these hours usually",
    },
    "alert_topics": {"zh": "主题：{topics}", "en": "Topics: {topics}"},
    "alert_term": {"zh": "词语", "en": "Term"},
    "alert_in_window": {"zh": "本时段帖子数", "en": "Posts in the window"},
    "alert_usual": {"zh": "往常（每时段）", "en": "Usual (per window)"},
    "alert_lead_only": {
        "zh": "确认和暂停告警由客服主管操作。",
        "en": "Support leads acknowledge and snooze alerts.",
    },
    "alert_ack": {"zh": "确认", "en": "Acknowledge"},
    "alert_snooze": {"zh": "暂停 {hours} 小时", "en": "Snooze {hours} h"},
    "alert_acked_by": {"zh": "（{name} 已确认）", "en": "(acknowledged by {name})"},
    "alert_history": {"zh": "历史告警", "en": "History"},
    "alert_no_history": {"zh": "还没有已关闭的告警。", "en": "No closed alerts yet."},
    "alert_kind": {"zh": "类型", "en": "Kind"},
    "alert_title": {"zh": "内容", "en": "What"},
    "alert_opened": {"zh": "开始", "en": "Opened"},
    "alert_closed": {"zh": "关闭", "en": "Closed"},
    "alert_acked": {"zh": "确认人", "en": "Acknowledged by"},
    "alert_severity_critical": {"zh": "严重", "en": "Critical"},
    "alert_severity_warning": {"zh": "警告", "en": "Warning"},
    "alert_severity_info": {"zh": "提示", "en": "Info"},
    "alert_kind_spike": {"zh": "投诉突增", "en": "Complaint spike"},
    "alert_kind_overdue": {"zh": "超时未回复", "en": "Past the SLA"},
    "alert_kind_sla_warning": {"zh": "即将超时", "en": "SLA nearly over"},
    "alert_kind_viral": {"zh": "负面扩散", "en": "Complaint going viral"},
    "alert_kind_silent_source": {"zh": "数据源沉默", "en": "Silent source"},
    "alert_kind_new_topic": {"zh": "新投诉主题", "en": "New complaint topic"},
    "team": {"zh": "团队", "en": "Team"},
    "team_intro": {
        "zh": "首次回复用时与 {hours} 小时时限内的回复占比（采集时已超时的补录帖子单独计数）。",
        "en": "Time to first reply and the share answered within {hours} h (posts already late "
        "when collected are counted apart).",
    },
    "team_no_cases": {"zh": "这个时间范围内没有投诉案例。", "en": "No cases in this period."},
    "team_reply_median": {"zh": "首次回复用时（中位数）", "en": "First reply (median)"},
    "team_reply_p90": {"zh": "首次回复用时（P90）", "en": "First reply (p90)"},
    "team_within_sla": {"zh": "按时回复占比", "en": "Within SLA"},
    "team_resolution_rate": {"zh": "解决率", "en": "Resolution rate"},
    "team_cases": {"zh": "案例数", "en": "Cases"},
    "team_replied": {"zh": "已回复", "en": "Replied"},
    "team_per_manager": {"zh": "按客服", "en": "Per manager"},
    "team_manager": {"zh": "客服", "en": "Manager"},
    "team_per_channel": {"zh": "按渠道", "en": "Per channel"},
    "team_within_sla_over_time": {"zh": "按时回复占比（按天）", "en": "Within SLA, per day"},
    "team_backlog_by_age": {"zh": "待回复积压（按等待时长）", "en": "Backlog by age"},
    "team_backfill": {"zh": "补录（采集时已超时）", "en": "Backfill (late when collected)"},
    "team_age": {"zh": "等待时长", "en": "Waiting"},
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
