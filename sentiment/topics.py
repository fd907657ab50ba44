"""Complaint topics: pre-sale, in-sale and after-sale service themes, in Chinese and English."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from sentiment.term_matcher import TermMatcher


@dataclass(frozen=True)
class Topic:
    """A complaint topic: a stable key, its labels, and the terms that signal it."""

    key: str
    label_zh: str
    label_en: str
    terms: tuple[str, ...]


TOPICS: dict[str, Topic] = {
    topic.key: topic
    for topic in (
        Topic(
            "presale",
            "售前咨询",
            "pre-sale question",
            (
                "售前",
                "咨询",
                "有货",
                "现货",
                "什么时候发货",
                "参数",
                "规格",
                "能不能用",
                "适用",
                "pre-sale",
                "presale",
                "in stock",
                "availability",
                "compatible",
                "which model",
                "before buying",
                "spec",
                "想买",
                "打算买",
                "区别",
                "适合",
                "thinking of buying",
                "works with",
            ),
        ),
        Topic(
            "delivery",
            "物流配送",
            "delivery",
            (
                "物流",
                "快递",
                "配送",
                "发货",
                "送货",
                "到货",
                "签收",
                "运输",
                "包裹",
                "派送",
                "骑手",
                "送餐",
                "送达",
                "delivery",
                "shipping",
                "shipped",
                "courier",
                "package",
                "parcel",
                "tracking",
                "late",
                "delayed",
                "never arrived",
                "洒了",
                "spilled",
                "delivered",
            ),
        ),
        Topic(
            "payment",
            "支付",
            "payment",
            (
                "支付",
                "付款",
                "扣款",
                "扣费",
                "付不了",
                "支付宝",
                "微信支付",
                "银行卡",
                "发票",
                "重复扣",
                "payment",
                "charged",
                "double charged",
                "card",
                "checkout",
                "billing",
                "invoice",
                "paypal",
            ),
        ),
        Topic(
            "refund",
            "退换货",
            "returns & refunds",
            (
                "退款",
                "退货",
                "换货",
                "退钱",
                "退换",
                "售后",
                "到账",
                "退回",
                "三包",
                "refund",
                "return",
                "returned",
                "exchange",
                "money back",
                "rma",
                "chargeback",
            ),
        ),
        Topic(
            "quality",
            "质量维修",
            "quality & repair",
            (
                "质量",
                "坏了",
                "损坏",
                "故障",
                "维修",
                "破损",
                "瑕疵",
                "假货",
                "做工",
                "掉色",
                "漏",
                "不能用",
                "死机",
                "quality",
                "broken",
                "defect",
                "defective",
                "faulty",
                "repair",
                "stopped working",
                "crash",
                "crashes",
                "damaged",
                "fake",
                "cheap plastic",
                "发烫",
                "翻新",
                "broke",
                "cracked",
            ),
        ),
        Topic(
            "service",
            "客服态度",
            "service attitude",
            (
                "客服",
                "态度",
                "不理",
                "不回复",
                "敷衍",
                "推诿",
                "服务差",
                "投诉",
                "没人管",
                "customer service",
                "support",
                "rude",
                "ignored",
                "no response",
                "no reply",
                "unhelpful",
                "agent",
                "hold for",
                "on hold",
                "hung up",
                "打不通",
                "拖着",
            ),
        ),
        Topic(
            "price",
            "价格",
            "price",
            (
                "价格",
                "太贵",
                "贵了",
                "降价",
                "涨价",
                "差价",
                "性价比",
                "优惠",
                "保价",
                "price",
                "expensive",
                "overpriced",
                "price drop",
                "discount",
                "coupon",
                "cost",
                "实体店",
                "活动价",
                "full price",
            ),
        ),
    )
}


# (topic key, its terms) in table order, config's extra terms included.
TopicTerms = tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=16)
def _matcher(table: TopicTerms) -> TermMatcher:
    """The matcher of one table of topics (the built-in one, or with config's terms)."""
    return TermMatcher(table)


def _table(extra_terms: Mapping[str, Iterable[str]] | None) -> TopicTerms:
    """The topics' terms with the configured extra terms, as a hashable table."""
    extra = extra_terms or {}
    return tuple((key, topic.terms + tuple(extra.get(key, ()))) for key, topic in TOPICS.items())


def match_topics(text: str, extra_terms: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    """Keys of the topics `text` speaks of, in table order; config may add terms per topic."""
    if not text:
        return []
    # The built-in table's matcher is looked up without building and hashing the table.
    matcher = _matcher(_table(extra_terms)) if extra_terms else _built_in()
    return matcher.match(text)


@cache
def _built_in() -> TermMatcher:
    """The matcher of the built-in topics."""
    return TermMatcher(_table(None))
