"""Phone pictures of procbot's Telegram replies: each reply's HTML in a 390 px chat bubble,
with its inline buttons, screenshotted by headless Chromium into docs/screens/*.png.

Run by hand (not in CI) over an index you built, e.g.:

    apt-get install -y chromium          # Debian's package; the script installs it if missing
    PROCBOT_DATA_DIR=/tmp/procbot-data python -m bot index knowledge ../shared/corpus/rules
    PROCBOT_DATA_DIR=/tmp/procbot-data python docs/screens/render.py

The replies are made by the same functions the bot sends them with
(bot/app/telegram/answer_html.py and buttons.py), from real answers of the engine over that index.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.app.engine import Engine  # noqa: E402
from bot.app.telegram.answer_html import exact_words_messages, first_message  # noqa: E402
from bot.app.telegram.buttons import (  # noqa: E402
    Shown,
    answer_keyboard,
    service_keyboard,
    suggestion_keyboard,
)
from bot.app.telegram.strings import text  # noqa: E402
from bot.core.settings import Settings  # noqa: E402

WIDTH = 390  # an iPhone 12-15's CSS width; Telegram's bubble leaves a margin on each side
HEIGHT = 844
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]
PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; width: {width}px; background: #dfe7ec; font: 16px/1.35 -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #000; }}
.top {{ background: #517da2; color: #fff; padding: 12px 16px; font-weight: 600; }}
.chat {{ padding: 10px 8px 20px; }}
.me {{ background: #effdde; margin: 8px 0 8px 60px; padding: 7px 10px; border-radius: 14px;
  white-space: pre-wrap; }}
.bot {{ background: #fff; margin: 8px 48px 2px 0; padding: 7px 10px; border-radius: 14px;
  white-space: pre-wrap; word-wrap: break-word; }}
.bot blockquote {{ margin: 4px 0; padding: 2px 8px; border-left: 3px solid #517da2;
  background: #eef3f7; white-space: pre-wrap; }}
.bot a {{ color: #2481cc; text-decoration: none; }}
.kb {{ margin: 0 48px 8px 0; }}
.row {{ display: flex; gap: 4px; margin-top: 4px; }}
.btn {{ flex: 1; background: rgba(81,125,162,.55); color: #fff; border-radius: 8px;
  padding: 8px 6px; text-align: center; font-size: 14px; overflow: hidden;
  white-space: nowrap; text-overflow: ellipsis; }}
</style></head><body><div class="top">procbot</div><div class="chat">{body}</div></body></html>
"""


def chromium() -> str:
    """The Chromium binary, installed from Debian's packages when missing."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "chromium"], check=True)
    return shutil.which("chromium") or "chromium"


def bubble(reply_html: str, keyboard=None) -> str:
    # Telegram's HTML is a subset of HTML: it renders as is, line breaks kept (pre-wrap).
    parts = [f'<div class="bot">{reply_html.strip()}</div>']
    if keyboard is not None:
        rows = "".join(
            '<div class="row">'
            + "".join(f'<div class="btn">{html.escape(b.text)}</div>' for b in row)
            + "</div>"
            for row in keyboard.inline_keyboard
        )
        parts.append(f'<div class="kb">{rows}</div>')
    return "".join(parts)


def said(words: str) -> str:
    return f'<div class="me">{html.escape(words)}</div>'


def shoot(binary: str, page: str, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="procbot-screens-") as folder:
        source = Path(folder) / "page.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                binary,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={Path(folder) / 'profile'}",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--screenshot={out}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def scenes(engine: Engine) -> dict[str, str]:
    """Each picture's chat: what the person typed and what procbot sent, as the bot sends it."""
    out: dict[str, str] = {}
    letter = (
        "my son wrote a letter to the lawyer for the guards he is suing. "
        "should he send a copy to the judge?"
    )
    answer = engine.ask(letter)
    first = first_message(answer)
    shown = Shown("en", answer=answer, first=first, questions=related(engine, answer))
    out["answer"] = said(letter) + bubble(first, answer_keyboard(shown, 1))
    out["exact-words"] = said("[taps Exact words]") + "".join(
        bubble(part) for part in exact_words_messages(answer, "en", first)
    )
    spanish = "¿Mi hijo tiene que mandarle al juez una copia de la carta al abogado?"
    answer_es = engine.ask(spanish)
    first_es = first_message(answer_es, "es")
    shown_es = Shown("es", answer=answer_es, first=first_es, questions=related(engine, answer_es))
    out["spanish"] = said(spanish) + bubble(first_es, answer_keyboard(shown_es, 2))
    refusal_q = "Can you write my complaint for me?"
    why = f"{text('refusals.drafting')} {text('can_do')}\n{text('try_asking')}"
    suggestions = Shown("en", questions=engine.suggestions(refusal_q))
    out["refusal"] = said(refusal_q) + bubble(why, suggestion_keyboard(suggestions, 3))
    time_q = "How long do I have to answer interrogatories?"
    timed = engine.ask(time_q)
    ask = text("ask_both") if "trigger_date" in timed.needs else text("ask_service")
    out["deadline-question"] = (
        said(time_q)
        + bubble(first_message(timed), answer_keyboard(Shown("en", answer=timed), 4))
        + (bubble(ask, service_keyboard("en", 5)) if timed.needs else "")
    )
    return out


def related(engine: Engine, answer) -> tuple[str, ...]:
    """As the bot offers them: other questions, not another wording of this one."""
    verified = engine.guides.by_id.get(answer.guide_id or "")
    own = set(verified.guide.asks + verified.guide.asks_es) if verified else set()
    return tuple(q for q in answer.related if q not in own)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screens")
    args = parser.parse_args()
    binary = chromium()
    engine = Engine(Settings())
    args.out.mkdir(parents=True, exist_ok=True)
    for name, body in scenes(engine).items():
        target = args.out / f"{name}.png"
        shoot(binary, PAGE.format(width=WIDTH, body=body), target)
        print(target)


if __name__ == "__main__":
    main()
