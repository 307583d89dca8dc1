"""`python -m bot` runs the procbot command line."""

from bot.app.cli import app

app(prog_name="procbot")
