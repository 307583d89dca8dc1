"""The Telegram front end: `build_application(settings, engine=None)` and `run(settings)`."""

from bot.telegram.app import build_application, run

__all__ = ["build_application", "run"]
