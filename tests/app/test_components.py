"""The engine's components: the live generation followed, and why none can be read."""

from __future__ import annotations

import pytest

from bot.app.engine import Engine
from bot.core.errors import ConfigError, IndexMissingError
from bot.core.settings import SHIPPED_KNOWLEDGE, Settings

LETTER = "Should I file my letter to defense counsel with the court?"
MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"
RULING = "settlement negotiations are considered confidential"


def test_a_serving_engine_follows_a_reindex_done_elsewhere(settings, knowledge):
    # The bot's engine and a `procbot index` run are two engines on one data folder.
    bot, cli = Engine(settings), Engine(settings)
    cli.index([knowledge])
    assert any(RULING in hit.passage.text for hit in bot.search(RULING, k=5))

    order = knowledge / MASTERSON.name
    order.write_text(order.read_text("utf-8").replace(RULING, "settlement talks stay private"))
    report = cli.index([knowledge])
    assert report.removed == 1

    texts = [hit.passage.text for hit in bot.search("settlement talks stay private", k=5)]
    assert any("settlement talks stay private" in text for text in texts)
    assert not any(RULING in text for text in texts)
    # Every passage of the live generation still has its vector: dense search is whole.
    assert len(bot.search("settlement", k=5, mode="dense")) == report.passages


def test_nothing_indexed_says_what_to_do(settings):
    with pytest.raises(IndexMissingError, match="procbot index"):
        Engine(settings).ask(LETTER)


def test_a_data_folder_that_is_a_file_is_a_config_error(tmp_path):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("oops")
    settings = Settings(_env_file=None, data_dir=not_a_folder)
    with pytest.raises(ConfigError, match="PROCBOT_DATA_DIR"):
        Engine(settings).search("letter")
