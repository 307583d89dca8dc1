"""App layer: the engine both front ends call, the command line and the Telegram bot."""
