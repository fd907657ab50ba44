"""The reply queue's words, in Chinese and English (merged into `dashboard.i18n.STRINGS`)."""

from __future__ import annotations

QUEUE_STRINGS: dict[str, dict[str, str]] = {
    "queue_view": {"zh": "查看", "en": "View"},
    "view_next": {"zh": "先回复这些（{n}）", "en": "Answer next ({n})"},
    "view_overdue": {"zh": "已超时（{n}）", "en": "Overdue ({n})"},
    "view_backfill": {"zh": "积压（{n}）", "en": "Backfill ({n})"},
    "view_all": {"zh": "全部（{n}）", "en": "All ({n})"},
    "view_backfill_note": {
        "zh": "积压：采集时已经超时，或超时已超过 {stale} 的投诉。可以批量处理。",
        "en": "Backfill: complaints already late when collected, or overdue for more than "
        "{stale}. They can be closed in bulk.",
    },
    "queue_sort": {"zh": "排序", "en": "Order"},
    "sort_priority": {"zh": "按优先级", "en": "Priority"},
    "sort_due": {"zh": "最快到期", "en": "Due soonest"},
    "queue_search": {"zh": "搜索内容或作者", "en": "Search text or author"},
    "lane": {"zh": "分组", "en": "Lane"},
    "lane_answerable": {"zh": "可按时回复", "en": "In time"},
    "lane_overdue": {"zh": "已超时", "en": "Overdue"},
    "lane_backfill": {"zh": "积压", "en": "Backfill"},
    "lane_answered": {"zh": "已回复", "en": "Answered"},
    "time_left": {"zh": "剩余时限", "en": "Time left"},
    "left_span": {"zh": "剩 {span}", "en": "{span} left"},
    "overdue_span": {"zh": "超时 {span}", "en": "{span} overdue"},
    "span_hm": {"zh": "{h} 小时 {m} 分", "en": "{h} h {m} min"},
    "span_m": {"zh": "{m} 分钟", "en": "{m} min"},
    "span_d": {"zh": "{d} 天", "en": "{d} d"},
    "topics": {"zh": "主题", "en": "Topics"},
    "current": {"zh": "当前", "en": "Open"},
    "next_case": {"zh": "下一条 →", "en": "Next case →"},
    "no_next_case": {"zh": "这已是本视图的最后一条。", "en": "This is the last case in view."},
    "case_left_view": {
        "zh": "这条投诉不在当前视图中（{status}）；点“下一条”继续处理下一条。",
        "en": "This case is not in the current view ({status}); “Next case” moves on.",
    },
    "panel_due": {"zh": "{lane} · {left}", "en": "{lane} · {left}"},
    "bulk_selected": {"zh": "已选 {n} 条投诉", "en": "{n} cases selected"},
    "bulk_everything": {
        "zh": "改为处理本视图全部 {n} 条",
        "en": "Act on all {n} cases in this view instead",
    },
    "bulk_claim": {"zh": "全部认领", "en": "Claim all"},
    "bulk_resolve": {"zh": "全部标记为已解决", "en": "Resolve all"},
    "bulk_not_complaint": {"zh": "全部不是投诉", "en": "None are complaints"},
    "bulk_snooze": {"zh": "全部稍后提醒（{hours} 小时）", "en": "Snooze all {hours} h"},
    "bulk_assign": {"zh": "分配", "en": "Assign"},
    "assign_to": {"zh": "分配给", "en": "Assign to"},
    "bulk_done": {"zh": "{done} 条已处理。", "en": "{done} done."},
    "bulk_refused": {
        "zh": "{n} 条未处理（第一条原因：{reason}）",
        "en": "{n} refused (the first because: {reason})",
    },
    "send_reply": {"zh": "发送到{channel}", "en": "Send on {channel}"},
    "send_kind_reddit": {"zh": " Reddit", "en": "Reddit"},
    "send_kind_imap": {"zh": "客户邮箱", "en": "the customer's mailbox"},
    "send_kind_rss": {"zh": " Discourse 论坛", "en": "the Discourse forum"},
    "send_hint": {
        "zh": "回复会以公开回复的形式发到原帖，链接自动记录到这条投诉。",
        "en": "The reply is posted on the original thread and its link is recorded here.",
    },
    "sent_done": {"zh": "回复已发出。", "en": "Reply sent."},
    "already_sent": {
        "zh": "这条回复之前已经发出，没有重复发送。",
        "en": "This reply had been sent already; it was not sent again.",
    },
    "copy_paste_hint": {
        "zh": "这个渠道不能从这里直接发送：复制上面的回复，在原帖公开回复，"
        "再把回复的链接填在下面。",
        "en": "This channel cannot send from here: copy the reply above, post it on the "
        "original, then paste the reply's URL below.",
    },
    "internal_note": {"zh": "内部备注（不会发给客户）", "en": "Internal note (never sent)"},
    "add_note": {"zh": "添加备注", "en": "Add the note"},
    "note_saved": {"zh": "备注已保存。", "en": "Note saved."},
    "event_note": {"zh": "备注", "en": "note"},
    "event_send_failed": {"zh": "发送失败", "en": "send failed"},
    "status_unassigned": {"zh": "未分配", "en": "unassigned"},
}
