"""Public reply templates (zh / en) with placeholders a manager fills in before posting."""

from __future__ import annotations

from string import Formatter

# Placeholders: {customer} the author's name, {order_hint} where to send order details,
# {apology} a sentence of apology, {brand} the brand as the customer knows it.
TEMPLATES: dict[str, dict[str, str]] = {
    "apology": {
        "zh": "{customer}您好，{apology}我们已经看到您反馈的问题，请{order_hint}，"
        "我们会在今天内跟进处理。——{brand}客服",
        "en": "Hi {customer}, {apology} We have seen your post. Please {order_hint} and we "
        "will follow up today. — {brand} support",
    },
    "refund": {
        "zh": "{customer}您好，{apology}您的退款我们正在加急处理，请{order_hint}，"
        "到账后我们会再通知您。——{brand}客服",
        "en": "Hi {customer}, {apology} We are rushing your refund now. Please {order_hint} "
        "and we will confirm once it has arrived. — {brand} support",
    },
    "delivery": {
        "zh": "{customer}您好，{apology}我们已联系物流核实您的包裹，请{order_hint}，"
        "我们会尽快给您答复。——{brand}客服",
        "en": "Hi {customer}, {apology} We have asked the courier about your parcel. Please "
        "{order_hint} so we can track it for you. — {brand} support",
    },
}
DEFAULTS = {
    "zh": {"apology": "非常抱歉给您带来不好的体验。", "order_hint": "私信我们您的订单号"},
    "en": {
        "apology": "we are sorry for the trouble.",
        "order_hint": "send us your order number by DM",
    },
}


def placeholders(template: str) -> list[str]:
    """The placeholder names a template uses, in order."""
    return [name for _, name, _, _ in Formatter().parse(template) if name]


def fill(template: str, language: str, **values: str) -> str:
    """The template with its placeholders filled; missing ones keep the default wording."""
    known = {"customer": "", "brand": ""} | DEFAULTS.get(language, DEFAULTS["en"])
    known |= {key: value for key, value in values.items() if value}
    return template.format(**{name: known.get(name, "") for name in placeholders(template)})
