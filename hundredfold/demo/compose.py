"""Compose demo post texts from the phrase tables in templates.json."""

from __future__ import annotations

import html
import json
import random
from pathlib import Path

TEMPLATES = json.loads(Path(__file__).with_name("templates.json").read_text(encoding="utf-8"))
NAMES, PRODUCT_NAMES, PRODUCTS = (
    TEMPLATES["NAMES"],
    TEMPLATES["PRODUCT_NAMES"],
    TEMPLATES["PRODUCTS"],
)
SHORT_NAMES, ZH_NUMBERS = TEMPLATES["SHORT_NAMES"], TEMPLATES["ZH_NUMBERS"]
PHRASES = {"zh": TEMPLATES["ZH"], "en": TEMPLATES["EN"]}


def fill(rng: random.Random, template: str, lang: str, product: str) -> str:
    """Fill a template's placeholders with varied specifics."""
    days = rng.randint(3, 21)
    # Chinese posts write small numbers in characters about a third of the time.
    n = ZH_NUMBERS[days] if lang == "zh" and days <= 10 and rng.random() < 0.35 else str(days)
    return template.format(
        p=rng.choice(PRODUCT_NAMES[lang][product]),
        n=n,
        weeks=rng.randint(2, 10),
        amount=rng.choice((49, 80, 100, 150, 200, 299, 350)),
        order=rng.randrange(10**11, 10**12),
    )


def compose(
    rng: random.Random,
    lang: str,
    intent: str,
    topic: str | None,
    product: str,
    source: str,
    incident: bool,
) -> list[str]:
    """Sentences of one post: opening, product mention, specifics, ending."""
    phrases = PHRASES[lang]
    zh = lang == "zh"
    if incident:
        table = phrases["incident"]
        cores = rng.sample(table["core"], rng.choice((1, 1, 2)))
        clauses = [fill(rng, core, lang, product) for core in cores]
        if not any(name in "".join(clauses) for name in PRODUCT_NAMES[lang][product]):
            lead = "买的{p}" if zh else "Re my {p}."
            clauses.insert(0, fill(rng, lead, lang, product))
        return sentences(clauses, lang) + [rng.choice(table["end"])]
    if intent == "neutral":
        table = phrases["neutral"]
        pool = (
            table["review"]
            if source == "reviews"
            else (table["question"] + table["question_product"][product])
        )
        text = fill(rng, rng.choice(pool), lang, product)
        if product not in text:
            text = fill(rng, "关于{p}：" if zh else "About the {p}:", lang, product) + text
        return [text if text[-1] in "？。?.!" else text + ("。" if zh else ".")]
    table = phrases[intent]
    if intent == "positive":
        features = table["feature"][product]
        body = rng.sample(features, rng.randint(1, 2))
        if rng.random() < 0.5:
            body.append(rng.choice(table["generic"]))
    else:
        pool = table["topic"][topic]
        if topic == "quality":
            pool = pool + table["topic_product"][product]
        body = [rng.choice(pool)]
    clauses = [fill(rng, rng.choice(table["lead"]), lang, product)] + [
        fill(rng, part, lang, product) for part in body
    ]
    opening = rng.choice(table["open"])
    if zh:
        text = opening + "，".join(clause.rstrip("，") for clause in clauses)
        return [text + "。", rng.choice(table["end"])]
    return ([opening] if opening else []) + clauses + [rng.choice(table["end"])]


def sentences(clauses: list[str], lang: str) -> list[str]:
    """Chinese clauses become one sentence; English ones are already sentences."""
    if lang == "en":
        return clauses
    text = "，".join(clause.rstrip("？，") for clause in clauses)
    return [text + ("。" if not text.endswith(("？", "。")) else "")]


def join(sentences: list[str], lang: str) -> str:
    """Plain text of a post."""
    return ("" if lang == "zh" else " ").join(sentences)


def title(rng: random.Random, lang: str, intent: str, topic: str | None, product: str) -> str:
    """A forum thread title in the post's tone."""
    titles = PHRASES[lang]["titles"]
    return rng.choice(titles[intent]).format(
        s=SHORT_NAMES[lang][product], t=titles["topic"].get(topic or "", "")
    )


def forum_html(rng: random.Random, sentences: list[str], lang: str) -> str:
    """Small forum HTML: paragraphs, line breaks, now and then a link, image or stray script."""
    parts = [html.escape(sentence, quote=False) for sentence in sentences]
    if len(parts) > 2 and rng.random() < 0.5:
        paragraphs = [parts[:1], parts[1:]]
    else:
        paragraphs = [parts]
    separator = "<br>" if rng.random() < 0.3 else ("" if lang == "zh" else " ")
    body = "".join(f"<p>{separator.join(paragraph)}</p>" for paragraph in paragraphs)
    roll = rng.random()
    if roll < 0.10:
        label = "官方售后页面" if lang == "zh" else "Aurora Home service page"
        body += f'<p><a href="https://www.aurora-home.example/support">{label}</a></p>'
    elif roll < 0.18:
        upload = f"https://forum.aurora-home.example/uploads/{rng.randrange(1000, 9999)}.jpg"
        body += f'<p><img src="{upload}" alt="photo"></p>'
    elif roll < 0.21:
        # Forum themes inject tracking snippets into cooked HTML; collectors must drop them.
        body += "<script>window.forumTracking = {page: 'topic'};</script>"
    return body
