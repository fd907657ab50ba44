"""The Sources page's and the Team backlog's words, in Chinese and English (merged into
`dashboard.i18n.STRINGS`)."""

from __future__ import annotations

SOURCE_STRINGS: dict[str, dict[str, str]] = {
    "source_http_error": {
        "zh": "服务器返回 HTTP {status}",
        "en": "the server answered HTTP {status}",
    },
    "source_timed_out": {"zh": "{seconds} 秒内没有响应", "en": "no answer within {seconds} s"},
    "source_too_large": {
        "zh": "内容超过 {limit} 字节的上限",
        "en": "the body is over the {limit}-byte limit",
    },
    "last_run": {"zh": "上次运行", "en": "Last run"},
    "kind_rss": {"zh": "RSS 订阅", "en": "RSS feed"},
    "kind_file": {"zh": "导出文件", "en": "Export file"},
    "kind_reddit": {"zh": "Reddit", "en": "Reddit"},
    "kind_imap": {"zh": "邮箱（IMAP）", "en": "Mailbox (IMAP)"},
    "band_under_1h": {"zh": "不到 1 小时", "en": "under 1 h"},
    "band_1_6h": {"zh": "1–6 小时", "en": "1–6 h"},
    "band_6_24h": {"zh": "6–24 小时", "en": "6–24 h"},
    "band_1_3d": {"zh": "1–3 天", "en": "1–3 d"},
    "band_over_3d": {"zh": "超过 3 天", "en": "over 3 d"},
    "team_no_replies": {
        "zh": "这个时间范围内还没有回复过的投诉。",
        "en": "No complaint in this period has been answered yet.",
    },
    "source_error_detail": {"zh": "{ago}：{problem}", "en": "{ago}: {problem}"},
}
