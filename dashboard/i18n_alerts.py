"""What an alert says, composed from its kind and details, in Chinese and English (merged
into `dashboard.i18n.STRINGS`); the clock's words and the links from alerts to the queue."""

from __future__ import annotations

ALERT_STRINGS: dict[str, dict[str, str]] = {
    "alert_spike_brand": {
        "zh": "最近 {window}有 {count} 条投诉，往常同一时段约 {usual} 条",
        "en": "{count} complaints in the last {window}, about {usual} at these hours usually",
    },
    "alert_spike_topic": {
        "zh": "最近 {window}有 {count} 条“{topic}”投诉，往常约 {usual} 条",
        "en": "{count} complaints about {topic} in the last {window}, about {usual} usually",
    },
    "alert_spike_mostly": {"zh": "，主要是{topics}", "en": ", mostly {topics}"},
    "alert_new_topic_text": {
        "zh": "{count} 条“{topic}”投诉：这个主题此前 {days} 天没有出现过",
        "en": "{count} complaints about {topic}, a topic not seen in the {days} days before",
    },
    "alert_overdue_text": {
        "zh": "{channel}有 {count} 条投诉超过 {hours} 小时时限仍未回复，最久的已等 {waited}",
        "en": "{count} complaints on {channel} past the {hours} h target, the oldest waiting "
        "{waited}",
    },
    "alert_sla_warning_text": {
        "zh": "投诉 #{case_id} 将于 {due} 到期，仍未回复",
        "en": "Case #{case_id} is due at {due} and still unanswered",
    },
    "alert_viral_text": {
        "zh": "一条投诉每小时新增 {per_hour} 次互动（目前共 {reach} 次）",
        "en": "A complaint gaining {per_hour} reactions an hour ({reach} so far)",
    },
    "alert_silent_source_text": {
        "zh": "数据源 {source} 已超过 {span}没有新帖子（最近一条：{last}）",
        "en": "Source {source} has brought no new posts for over {span} (the last: {last})",
    },
    "alert_unknown_text": {"zh": "{kind}", "en": "{kind}"},
    "alert_reach": {"zh": "互动", "en": "Reach"},
    "alert_case": {"zh": "投诉", "en": "Case"},
    "alert_waited": {"zh": "已等", "en": "Waited"},
    "alert_holder": {"zh": "处理人", "en": "Held by"},
    "alert_nobody": {"zh": "无人", "en": "nobody"},
    "alert_cases_listed": {
        "zh": "最早的 {shown} 条（共 {count} 条）。选中一行，在回复队列中打开它。",
        "en": "The oldest {shown} of {count}. Select a row to open it in the reply queue.",
    },
    "alert_open_case": {
        "zh": "在回复队列中打开投诉 #{case_id}",
        "en": "Open case #{case_id} in the reply queue",
    },  # fmt: skip
    "alert_open_lane": {
        "zh": "在回复队列中查看{channel}的已超时投诉",
        "en": "See the overdue complaints on {channel} in the reply queue",
    },
    "alert_open_topics": {
        "zh": "在回复队列中查看这些主题的投诉",
        "en": "See these topics' complaints in the reply queue",
    },
    "alert_open_sources": {"zh": "查看数据源", "en": "See the sources"},
    "alert_deliveries": {"zh": "通知发送", "en": "Notifications"},
    "delivery_target": {"zh": "发送到", "en": "To"},
    "delivery_status": {"zh": "状态", "en": "Status"},
    "delivery_attempts": {"zh": "尝试次数", "en": "Attempts"},
    "delivery_error": {"zh": "上次出错", "en": "Last error"},
    "delivery_sent_at": {"zh": "发出时间", "en": "Sent"},
    "delivery_sent": {"zh": "已发出", "en": "sent"},
    "delivery_pending": {"zh": "待发送", "en": "pending"},
    "delivery_failed": {"zh": "发送失败", "en": "failed"},
    # One clock: every time on a page is in the configured zone, said once.
    "times_in_zone": {"zh": "时间为 {zone}", "en": "Times in {zone}"},
    "ago": {"zh": "{span}前", "en": "{span} ago"},
    "just_now": {"zh": "刚刚", "en": "just now"},
    "span_hours_long": {"zh": "{n} 小时", "en": "{n} hours"},
    "span_hour_long": {"zh": "1 小时", "en": "1 hour"},
    "span_days_long": {"zh": "{n} 天", "en": "{n} days"},
    "span_day_long": {"zh": "1 天", "en": "1 day"},
    "span_minutes_long": {"zh": "{n} 分钟", "en": "{n} minutes"},
    "not_found_title": {"zh": "没有这个页面", "en": "No such page"},
    "not_found_body": {
        "zh": "这个地址没有对应的页面，可能是链接不完整。",
        "en": "Nothing lives at this address; the link may be incomplete.",
    },
    "queue_linked": {
        "zh": "从告警打开：已按告警的范围筛选。",
        "en": "Opened from an alert: narrowed to what it is about.",
    },
}
