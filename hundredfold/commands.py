"""Every `hundredfold` command: its one-line help and the module that registers it, kept
apart from those modules so `hundredfold --help` lists them without importing any."""

from __future__ import annotations

# command -> (its one-line help, the module and function that register it in full). A
# module may register several commands, each with its help from here (`command_help`).
COMMANDS = {
    "init": ("write a commented hundredfold.toml", "core_commands:add_core_commands"),
    "demo": ("load the bundled sample data into the database", "core_commands:add_core_commands"),
    "dashboard": ("serve the dashboard", "core_commands:add_core_commands"),
    "serve": (
        "collect on schedule, keep alerts on time and serve the dashboard, in one process",
        "service:add_serve_command",
    ),
    "collect": ("fetch new posts from the configured sources", "core_commands:add_core_commands"),
    "stats": ("what is stored, in numbers", "stats_command:add_stats_command"),
    "queue": ("work the reply queue", "queue_commands:add_queue_commands"),
    "alerts": ("open alerts; acknowledge", "alert_commands:add_alert_commands"),
    "eval": (
        "measure a sentiment model on a labelled CSV (text,label)",
        "model_commands:add_model_commands",
    ),
    "train": (
        "refit the default (fine-tuned encoder) and fast (n-gram) models from *_train.csv",
        "model_commands:add_model_commands",
    ),
    "bench": ("time the dashboard's queries on a database of N posts", "bench:add_bench_command"),
    "forget": (
        "erase one person's posts in a source (on request)",
        "privacy_commands:add_privacy_commands",
    ),
    "users": ("dashboard users and roles", "users_commands:add_users_commands"),
    "rescore": ("score stored posts again with a model", "rescore_command:add_rescore_command"),
    "report": (
        "the one-page report for a period: written (HTML, PDF) or mailed",
        "report_command:add_report_command",
    ),
}


def command_help(name: str) -> str:
    """The one-line help of a command, for its `add_parser` and for the listing."""
    return COMMANDS[name][0]
