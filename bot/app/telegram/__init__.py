"""The Telegram front end: `build_application(settings, engine=None)` and `run(settings)`."""

from bot.app.telegram.app import build_application, run

__all__ = ["build_application", "run"]
