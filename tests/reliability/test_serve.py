"""`procbot serve` that cannot start says why in one line: a webhook port already in use."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _harness():
    """tests/app/telegram/emulator.py, the harness the Telegram tests start the emulator with."""
    if "emulator" in sys.modules:  # the Telegram tests imported it first
        return sys.modules["emulator"]
    path = REPO / "tests" / "app" / "telegram" / "emulator.py"
    spec = importlib.util.spec_from_file_location("emulator", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["emulator"] = module  # under the name the Telegram tests import it by
    spec.loader.exec_module(module)
    return module


harness = _harness()


@pytest.fixture
def emulator(tmp_path: Path):
    why = harness.emulator_unavailable()
    if why:
        pytest.skip(why)
    server = harness.Emulator(tmp_path / "emulator.log")
    yield server
    server.stop()


@pytest.mark.emulator
def test_a_webhook_port_in_use_is_one_error_line_naming_it(emulator, tmp_path: Path) -> None:
    with socket.socket() as taken:  # another server already listens on the port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("PROCBOT_", "TELEGRAM_")) and k != "CHROMA_URL"
            },
            "TELEGRAM_BOT_TOKEN": harness.TOKEN,
            "TELEGRAM_BASE_URL": emulator.bot_api_url,
            "PROCBOT_DATA_DIR": str(tmp_path / "data"),
            "PROCBOT_WEBHOOK_URL": "https://bot.example.org/tg/hook",
            "PROCBOT_WEBHOOK_SECRET": "webhook-secret_1",
            "PROCBOT_WEBHOOK_LISTEN": "127.0.0.1",
            "PROCBOT_WEBHOOK_PORT": str(port),
            "PROCBOT_LOG_LEVEL": "DEBUG",  # the most the bot would ever log
            "PYTHONPATH": str(REPO),
        }
        done = subprocess.run(
            [sys.executable, "-m", "bot", "serve"],
            cwd=tmp_path,  # no developer's .env
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert errors == [
        f"Error: Cannot listen on 127.0.0.1:{port} (Address already in use); "
        "choose a free PROCBOT_WEBHOOK_PORT."
    ], output
    assert "Traceback" not in output
    token_secret = harness.TOKEN.split(":", 1)[1]
    assert token_secret not in output and "webhook-secret_1" not in output
