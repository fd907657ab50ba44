"""The named models, by name only: what a config may choose, without loading any model code."""

from __future__ import annotations

DEFAULT_MODEL = "default"  # what the pipeline scores with
MODEL_NAMES = ("default", "fast", "snownlp")
