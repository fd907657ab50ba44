"""Public reply templates (zh / en), signed with the brand and the manager's own sign-off."""

from __future__ import annotations

from string import Formatter

# Placeholders: {customer} the author's name, {order_hint} where to send order details,
# {apology} a sentence of apology, {signature} the sign-off (the manager's, else the brand's).
TEMPLATES: dict[str, dict[str, str]] = {
    "apology": {
        "zh": "{customer}您好，{apology}我们已经看到您反馈的问题，请{order_hint}，"
        "我们会在今天内跟进处理。——{signature}",
        "en": "Hi {customer}, {apology} We have seen your post. Please {order_hint} and we "
        "will follow up today. — {signature}",
    },
    "refund": {
        "zh": "{customer}您好，{apology}您的退款我们正在加急处理，请{order_hint}，"
        "到账后我们会再通知您。——{signature}",
        "en": "Hi {customer}, {apology} We are rushing your refund now. Please {order_hint} "
        "and we will confirm once it has arrived. — {signature}",
    },
    "delivery": {
        "zh": "{customer}您好，{apology}我们已联系物流核实您的包裹，请{order_hint}，"
        "我们会尽快给您答复。——{signature}",
        "en": "Hi {customer}, {apology} We have asked the courier about your parcel. Please "
        "{order_hint} so we can track it for you. — {signature}",
    },
}
DEFAULTS = {
    "zh": {"apology": "非常抱歉给您带来不好的体验。", "order_hint": "私信我们您的订单号"},
    "en": {
        "apology": "we are sorry for the trouble.",
        "order_hint": "send us your order number by DM",
    },
}
BRAND_SIGNATURES = {"zh": "{brand}客服", "en": "{brand} support"}


def placeholders(template: str) -> list[str]:
    """The placeholder names a template uses, in order."""
    return [name for _, name, _, _ in Formatter().parse(template) if name]


def signature(language: str, brand: str, manager_signature: str = "") -> str:
    """The sign-off: the manager's own, else the brand's support team ("Acme support")."""
    if manager_signature.strip():
        return manager_signature.strip()
    return BRAND_SIGNATURES.get(language, BRAND_SIGNATURES["en"]).format(brand=brand).strip()


def fill(template: str, language: str, **values: str) -> str:
    """The template with its placeholders filled; missing ones keep the default wording."""
    known = {"customer": "", "signature": ""} | DEFAULTS.get(language, DEFAULTS["en"])
    known |= {key: value for key, value in values.items() if value}
    return template.format(**{name: known.get(name, "") for name in placeholders(template)})


def draft(key: str, language: str, customer: str, brand: str, manager_signature: str = "") -> str:
    """A reply drafted from template `key` in `language`, signed for the brand and manager."""
    language = language if language in ("zh", "en") else "en"
    if key not in TEMPLATES:
        raise KeyError(f"unknown template {key!r} (known: {', '.join(TEMPLATES)})")
    sign_off = signature(language, brand, manager_signature)
    return fill(TEMPLATES[key][language], language, customer=_name_only(customer),
                signature=sign_off)  # fmt: skip


def _name_only(author: str) -> str:
    """How a reply greets the author: "Li Lei <li@x.cn>" is greeted as Li Lei."""
    name = author.split("<", 1)[0].strip().strip('"')
    return name or author.strip("<> ")
