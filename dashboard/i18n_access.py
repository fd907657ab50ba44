"""Sign-in, roles and the Users page, in Chinese and English (merged into
`dashboard.i18n.STRINGS`)."""

from __future__ import annotations

ACCESS_STRINGS: dict[str, dict[str, str]] = {
    "sign_in_title": {"zh": "登录", "en": "Sign in"},
    "sign_in_intro": {
        "zh": "客户的原话只给团队成员看：请用管理员为你创建的账号登录。",
        "en": "Customers' words are for the team only: sign in with the account your "
        "administrator made for you.",
    },
    "user_name": {"zh": "用户名", "en": "Name"},
    "password": {"zh": "密码", "en": "Password"},
    "sign_in": {"zh": "登录", "en": "Sign in"},
    "sign_in_wrong": {"zh": "用户名或密码不对。", "en": "Wrong name or password."},
    "sign_in_locked": {
        "zh": "失败次数太多：请 {minutes} 分钟后再试。",
        "en": "Too many failed sign-ins: try again in {minutes} minutes.",
    },
    "sign_in_oidc": {"zh": "用公司账号登录", "en": "Sign in with your company account"},
    "sign_in_no_access": {
        "zh": "{email} 没有权限使用此看板，请联系管理员。",
        "en": "{email} has no access to this dashboard: ask an administrator.",
    },
    "signed_out_idle": {
        "zh": "闲置超过 {minutes} 分钟，已自动退出，请重新登录。",
        "en": "Signed out after {minutes} minutes idle: please sign in again.",
    },
    "session_ended": {
        "zh": "你的登录已结束，请重新登录。",
        "en": "Your session has ended: please sign in again.",
    },
    "signed_in_as": {"zh": "已登录：{name}（{role}）", "en": "Signed in as {name} ({role})"},
    "sign_out": {"zh": "退出登录", "en": "Sign out"},
    "open_mode": {
        "zh": "未启用登录（还没有用户）：打开此页的人拥有全部权限。"
        "添加第一个用户即开启登录：`hundredfold users add NAME --role admin`",
        "en": "Sign-in is off (no users yet): whoever opens this page may do everything. "
        "Adding the first user turns it on: `hundredfold users add NAME --role admin`",
    },
    "local_user": {"zh": "本机", "en": "local"},
    "role_executive": {"zh": "高管", "en": "executive"},
    "role_manager": {"zh": "社区经理", "en": "manager"},
    "role_lead": {"zh": "客服主管", "en": "lead"},
    "role_admin": {"zh": "管理员", "en": "admin"},
    "page_refused": {
        "zh": "你的角色（{role}）不能打开此页面。",
        "en": "Your role ({role}) cannot open this page.",
    },
    "users": {"zh": "用户", "en": "Users"},
    "users_caption": {
        "zh": "谁可以看什么、做什么。高管只看概览；社区经理处理回复队列；"
        "客服主管还能重开、指派、确认告警、看团队和数据源；管理员管理用户。",
        "en": "Who may see and do what. Executives see the Overview; managers work the reply "
        "queue; leads also reopen, assign, acknowledge alerts and see Team and Sources; admins "
        "manage users.",
    },
    "user_role": {"zh": "角色", "en": "Role"},
    "user_email": {"zh": "邮箱（用公司账号登录时）", "en": "E-mail (for company sign-in)"},
    "user_active": {"zh": "启用", "en": "Active"},
    "user_last_sign_in": {"zh": "最近登录（{zone}）", "en": "Last sign-in ({zone})"},
    "user_never": {"zh": "从未", "en": "never"},
    "add_user": {"zh": "添加用户", "en": "Add a user"},
    "user_added": {"zh": "已添加 {name}", "en": "Added {name}"},
    "change_user": {"zh": "修改用户", "en": "Change a user"},
    "set_role": {"zh": "设为此角色", "en": "Give this role"},
    "disable_user": {"zh": "停用", "en": "Disable"},
    "enable_user": {"zh": "启用", "en": "Enable"},
    "user_changed": {"zh": "已修改 {name}", "en": "Changed {name}"},
    "refusals_title": {"zh": "最近被拒绝的操作", "en": "Recently refused actions"},
    "refusal_at": {"zh": "时间（{zone}）", "en": "When ({zone})"},
    "refusal_action": {"zh": "操作", "en": "Action"},
    "refusal_why": {"zh": "原因", "en": "Why"},
    "no_refusals": {"zh": "没有被拒绝的操作。", "en": "No refused actions."},
}
