"""Why an action was refused, in Chinese and English (merged into `dashboard.i18n.STRINGS`).

`data/` refuses in English (the command line and the access log read it); the dashboard
recognises each of those sentences (dashboard.refusals) and says it with these.
"""

from __future__ import annotations

REFUSAL_STRINGS: dict[str, dict[str, str]] = {
    "refused_other": {"zh": "操作被拒绝：{reason}", "en": "Refused: {reason}"},
    "refused_not_user": {"zh": "“{name}”不是这里的用户", "en": "“{name}” is not a user"},
    "refused_disabled": {"zh": "“{name}”已被停用", "en": "“{name}” is disabled"},
    "refused_cannot_work": {
        "zh": "{name} 的角色是{role}，不能处理投诉",
        "en": "{name} has the {role} role and cannot work cases",
    },
    "refused_role": {
        "zh": "{name} 的角色是{role}；{what}需要{needed}或以上的角色",
        "en": "{name} has the {role} role; {what} needs {needed} or above",
    },
    "refused_page_role": {"zh": "{name} 的角色是{role}", "en": "{name} has the {role} role"},
    "refused_case_missing": {"zh": "投诉 #{id} 不存在", "en": "Case #{id} does not exist"},
    "refused_case_state": {
        "zh": "投诉 #{id} {state}，不能{action}",
        "en": "Case #{id} is {state}: cannot {action}",
    },
    "refused_not_holder": {
        "zh": "投诉 #{id} {state}：只有处理人或客服主管可以{action}",
        "en": "Case #{id} is {state}: only they or a lead can {action}",
    },
    "refused_claimed_by": {
        "zh": "投诉 #{id} 已被 {name} 认领",
        "en": "Case #{id} is already claimed by {name}",
    },  # fmt: skip
    "refused_assign_whom": {"zh": "请填写要分配给谁", "en": "Name the person to assign it to"},
    "refused_assign": {
        "zh": "不能分配投诉 #{id}：{reason}",
        "en": "Cannot assign case #{id}: {reason}",
    },  # fmt: skip
    "refused_assign_new": {
        "zh": "只有客服主管可以把新投诉分配给 {name}",
        "en": "Only a support lead can assign a new case to {name}",
    },
    "refused_empty_note": {"zh": "备注不能为空", "en": "A note needs some text"},
    "refused_reply_url": {
        "zh": "回复的链接必须以 http:// 或 https:// 开头（填的是 {url}）",
        "en": "The reply's URL must start with http:// or https:// (got {url})",
    },
    "refused_snooze_past": {
        "zh": "稍后提醒的时间必须在将来",
        "en": "A snooze must end in the future",
    },  # fmt: skip
    "refused_claim_first": {
        "zh": "投诉 #{id} {state}：先认领再发送回复",
        "en": "Case #{id} is {state}: claim it before sending a reply",
    },
    "refused_sending": {"zh": "这条回复正在发送中", "en": "This reply is being sent already"},
    "refused_alert_missing": {"zh": "告警 #{id} 不存在", "en": "Alert #{id} does not exist"},
    "refused_alert_closed": {
        "zh": "告警 #{id} 已关闭（问题已消失）",
        "en": "Alert #{id} is closed already (its cause cleared)",
    },
    "refused_alert_who": {"zh": "请说明是谁在操作", "en": "Say who acts on the alert"},
    "refused_alert_acked": {
        "zh": "告警 #{id} 已由 {name} 确认",
        "en": "Alert #{id} was acknowledged by {name}",
    },  # fmt: skip
    "refused_reply_empty": {"zh": "回复内容为空", "en": "The reply is empty"},
    "refused_not_sent_here": {
        "zh": "数据源 {source} 的回复不从这里发送：请在原帖回复，再记录回复的链接",
        "en": "Replies to source {source} are not sent from here: post the reply there and "
        "record its URL",
    },
    "refused_send_failed": {
        "zh": "回复没有发出：{failure}",
        "en": "The reply was not sent: {failure}",
    },  # fmt: skip
    "refused_user_name": {
        "zh": "用户名为 1 到 200 个可打印字符",
        "en": "A user name is 1 to 200 printable characters",
    },
    "refused_user_role": {"zh": "没有这个角色：{role}", "en": "No such role: {role}"},
    "refused_password_short": {
        "zh": "密码至少需要 {n} 个字符",
        "en": "A password needs at least {n} characters",
    },
    "refused_password_or_email": {
        "zh": "请填写密码，或用公司账号登录时的邮箱",
        "en": "Give a password, or an e-mail address for company sign-in",
    },
    "refused_user_exists": {
        "zh": "已有名为“{name}”的用户（或邮箱相同）",
        "en": "A user named “{name}” (or with that e-mail) exists already",
    },
    "refused_not_email": {"zh": "不是邮箱地址：{email}", "en": "Not an e-mail address: {email}"},
    "refused_no_user": {"zh": "没有名为“{name}”的用户", "en": "No user named “{name}”"},
    "refused_last_admin": {
        "zh": "{name} 是最后一位启用的管理员：请先设另一位管理员",
        "en": "{name} is the last active admin: make another admin first",
    },
    "refused_label": {"zh": "没有这个判断：{label}", "en": "No such label: {label}"},
    "refused_no_email_user": {
        "zh": "没有启用的用户使用这个邮箱",
        "en": "No active user has this e-mail address",
    },
    # What a role is needed for, and what a case refused.
    "needs_read_overview": {"zh": "查看总览", "en": "reading the Overview"},
    "needs_read_queue": {"zh": "查看回复队列", "en": "reading the reply queue"},
    "needs_work_cases": {"zh": "处理投诉", "en": "working cases"},
    "needs_read_alerts": {"zh": "查看告警", "en": "reading alerts"},
    "needs_lead_cases": {
        "zh": "重开、分配或关闭他人的投诉",
        "en": "reopening, assigning or closing others' cases",
    },
    "needs_act_on_alerts": {"zh": "确认或暂停告警", "en": "acknowledging or snoozing alerts"},
    "needs_read_team": {"zh": "查看团队", "en": "reading the Team page"},
    "needs_read_sources": {"zh": "查看数据源", "en": "reading the Sources page"},
    "needs_manage_users": {"zh": "管理用户", "en": "managing users"},
    "needs_forget": {"zh": "删除作者的数据", "en": "forgetting an author"},
    "case_action_claim": {"zh": "认领", "en": "claim it"},
    "case_action_release": {"zh": "放回队列", "en": "release it"},
    "case_action_assign": {"zh": "分配", "en": "assign it"},
    "case_action_reply": {"zh": "记录回复（请先认领）", "en": "record a reply (claim it first)"},
    "case_action_resolve": {
        "zh": "标记为已解决（请先记录回复）",
        "en": "resolve it (record the reply first)",
    },  # fmt: skip
    "case_action_resolve_plain": {"zh": "标记为已解决", "en": "resolve it"},
    "case_action_not_complaint": {"zh": "标记为不是投诉", "en": "mark it not a complaint"},
    "case_action_snooze": {"zh": "稍后提醒", "en": "snooze it"},
    "case_action_reopen": {"zh": "重新打开", "en": "reopen it"},
    "case_action_send": {"zh": "发送回复", "en": "send a reply"},
    "case_action_reply_plain": {"zh": "回复", "en": "reply"},
    "case_state_by": {"zh": "{status}（{name}）", "en": "{status} by {name}"},
    "access_open_page": {"zh": "打开{page}", "en": "open {page}"},
    "access_sign_in": {"zh": "登录", "en": "sign in"},
    # What was attempted (the access log's target), as a reader says it.
    "attempt_claim": {"zh": "认领投诉 #{id}", "en": "claim case #{id}"},
    "attempt_release": {"zh": "放回投诉 #{id}", "en": "release case #{id}"},
    "attempt_assign": {"zh": "分配投诉 #{id}", "en": "assign case #{id}"},
    "attempt_add_note": {"zh": "给投诉 #{id} 加备注", "en": "add a note to case #{id}"},
    "attempt_reply": {"zh": "记录投诉 #{id} 的回复", "en": "record a reply to case #{id}"},
    "attempt_resolve": {"zh": "解决投诉 #{id}", "en": "resolve case #{id}"},
    "attempt_mark_not_a_complaint": {
        "zh": "把投诉 #{id} 标为不是投诉",
        "en": "mark case #{id} not a complaint",
    },
    "attempt_snooze": {"zh": "稍后提醒投诉 #{id}", "en": "snooze case #{id}"},
    "attempt_reopen": {"zh": "重开投诉 #{id}", "en": "reopen case #{id}"},
    "attempt_correct_label": {"zh": "纠正帖子 #{id} 的判断", "en": "correct post #{id}'s label"},
    "attempt_begin_send": {"zh": "发送投诉 #{id} 的回复", "en": "send a reply to case #{id}"},
    "attempt_acknowledge_alert": {"zh": "确认告警 #{id}", "en": "acknowledge alert #{id}"},
    "attempt_snooze_alert": {"zh": "暂停告警 #{id}", "en": "snooze alert #{id}"},
    "attempt_add_user": {"zh": "添加用户 {name}", "en": "add the user {name}"},
    "attempt_set_role": {"zh": "修改 {name} 的角色", "en": "change {name}'s role"},
    "attempt_set_password": {"zh": "修改 {name} 的密码", "en": "change {name}'s password"},
    "attempt_enable_user": {"zh": "启用 {name}", "en": "enable {name}"},
    "attempt_disable_user": {"zh": "停用 {name}", "en": "disable {name}"},
}
