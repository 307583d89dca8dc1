"""`python -m bot` runs the procbot command line."""

from bot.cli import app

app(prog_name="procbot")
