"""`hundredfold bench --sentiment`: scoring speed of the named models on a mixed stream built
like the bench database's (half reviews, a quarter forum posts, a quarter social posts; 55%
Chinese) from the labelled dev files, and on long reviews alone."""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from sentiment import analyse, detect_language
from sentiment.training.data import default_data_directory, read_labelled_csv

# channel -> language -> dev files its texts are drawn from.
STREAM = {
    "review": {"zh": ("zh_shopping", "zh_waimai"), "en": ("en_amazon3",)},
    "forum": {"zh": ("zh_weibo",), "en": ("en_sst2",)},
    "social": {"zh": ("zh_weibo",), "en": ("en_tweets13",)},
}
CHANNEL_SHARES = {"review": 0.5, "forum": 0.25, "social": 0.25}
CHINESE_SHARE = 0.55
LONG_REVIEW = 700  # characters: a long review


def _pools(directory: Path) -> dict[str, list[str]]:
    """Dev texts per file name."""
    names = {
        name for languages in STREAM.values() for files in languages.values() for name in files
    }
    pools = {}
    for name in sorted(names):
        path = directory / f"{name}_dev.csv"
        if path.exists():
            pools[name] = [text for text, _ in read_labelled_csv(path)[0]]
    return pools


def mixed_stream(count: int, directory: Path | None = None, seed: int = 7) -> list[str]:
    """Up to `count` distinct texts in the bench's channel and language shares (distinct:
    the analyser scores a repeated text once, which would flatter the figure)."""
    pools = _pools(directory or default_data_directory())
    rng = random.Random(seed)
    for pool in pools.values():
        rng.shuffle(pool)
    texts: list[str] = []
    channels, weights = list(CHANNEL_SHARES), list(CHANNEL_SHARES.values())
    while len(texts) < count and any(pools.values()):
        channel = rng.choices(channels, weights)[0]
        language = "zh" if rng.random() < CHINESE_SHARE else "en"
        files = [name for name in STREAM[channel][language] if pools.get(name)]
        if files:
            texts.append(pools[rng.choice(files)].pop())
    return list(dict.fromkeys(texts))


def long_reviews(count: int, directory: Path | None = None) -> list[str]:
    """Up to `count` English reviews of at least LONG_REVIEW characters."""
    pools = _pools(directory or default_data_directory())
    return [text for text in pools.get("en_amazon3", []) if len(text) >= LONG_REVIEW][:count]


def texts_per_second(texts: list[str], model: str, repeat: int) -> dict:
    """Median texts/second of language detection plus scoring, `repeat` runs after a warm-up."""
    analyse(texts[:32], [detect_language(text) for text in texts[:32]], model=model)
    rates = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        analyse(texts, [detect_language(text) for text in texts], model=model)
        rates.append(len(texts) / (time.perf_counter() - started))
    return {
        "texts": len(texts),
        "mean_chars": round(statistics.mean(len(text) for text in texts), 1),
        "median_texts_per_s": round(statistics.median(rates), 1),
    }


def sentiment_bench(models: list[str], count: int, repeat: int) -> dict:
    """Speed per model on the mixed stream and on long reviews."""
    stream, long = mixed_stream(count), long_reviews(max(count // 4, 50))
    return {
        model: {
            "mixed_stream": texts_per_second(stream, model, repeat),
            "long_reviews": texts_per_second(long, model, repeat) if long else None,
        }
        for model in models
    }
