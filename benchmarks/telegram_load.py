"""Load test: many emulated users question a real `procbot serve` through the Bot API emulator.

50 users (by default) each send 3 messages at once — the letter-to-defense-counsel question,
a rule lookup and a question procbot must decline — to the real `procbot serve` process polling
telegram-test-api. Latency is measured on the emulator's own clock, from a user's message to
the first part of the bot's reply. Every message must be answered exactly once.

    python benchmarks/telegram_load.py [--users 50] [--per-user 3] [--out benchmarks/out]

Needs Node.js and `npm ci --prefix tests/telegram/emulator`. Uses ../shared/corpus when present.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "app" / "telegram"))

from emulator import (  # noqa: E402  (the test harness, shared with the end-to-end test)
    TOKEN,
    BotProcess,
    Emulator,
    TelegramUser,
    emulator_unavailable,
    peak_rss_mb,
)

from bot.core.settings import SHIPPED_KNOWLEDGE, Settings  # noqa: E402

CORPUS = Path(os.environ.get("PROCBOT_CORPUS", REPO.parent / "shared" / "corpus"))
LETTER = "Should I file my letter to defense counsel with the court?"
DECLINE = "Can you write my complaint for me?"
RULES_FULL = ("/rule 5(d)", "/rule 26(b)(1)", "/rule 33(a)(1)", "/rule L.R. 183(b)")
RULES_SHIPPED = ("/rule 5(d)",)

#: Telegram's flood limits the bot is paced to (bot.app.telegram.pacing).
OVERALL_PER_S = 30
CHAT_INTERVAL_S = 1.0
#: The bot's one outcome line per handled message (ids and timings only).
HANDLED = re.compile(r"chat=(\d+) kind=(?:question|rule|small_talk) ")

# How the first part of each kind of reply begins (later parts of a split reply do not).
REPLY_HEADS = {
    "question": "<b>No.</b>",
    "rule": "<b>Fed. R. Civ. P.",
    "local_rule": "<b>E.D. Cal. L.R.",
    "abstention": "I can't write court papers",
}


def knowledge_paths() -> tuple[list[Path], bool]:
    """The shipped order, plus the corpus (read in place) when it is present."""
    if (CORPUS / "README.md").is_file():
        return [SHIPPED_KNOWLEDGE, CORPUS / "orders", CORPUS / "rules", CORPUS / "statutes"], True
    # No corpus: rule lookups get the clear "not in my sources" reply, still one per message.
    return [SHIPPED_KNOWLEDGE], False


def messages_for(user_index: int, per_user: int, rules: tuple[str, ...]) -> list[str]:
    """A realistic mix: the letter question, a rule lookup, a question to decline.

    Each of a user's messages must differ (replies are matched by chat and text), so
    `per_user` is at most 3.
    """
    mix = [LETTER, rules[user_index % len(rules)], DECLINE]
    return [mix[n % len(mix)] for n in range(per_user)]


def expected_head(text: str) -> tuple[str, ...]:
    if text == LETTER:
        return (REPLY_HEADS["question"],)
    if text == DECLINE:
        return (REPLY_HEADS["abstention"],)
    # A rule reply, or the clear "not in my sources" when the rule book is absent.
    return (REPLY_HEADS["rule"], REPLY_HEADS["local_rule"], "<b>" + text.split(" ", 1)[1])


async def send_all(emulator: Emulator, users: int, per_user: int, rules) -> dict[int, list[str]]:
    sent: dict[int, list[str]] = {}
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=200)) as client:
        jobs = []
        for index in range(users):
            user = TelegramUser(emulator, 10_000 + index)
            texts = messages_for(index, per_user, rules)
            sent[user.user_id] = texts
            jobs.extend(user.send_text(client, text) for text in texts)
        await asyncio.gather(*jobs)
    return sent


async def history(emulator: Emulator) -> list[dict]:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{emulator.url}/getUpdatesHistory", json={"token": TOKEN})
        response.raise_for_status()
        return response.json()["result"]


def tally(items: list[dict], sent: dict[int, list[str]]) -> dict:
    """Match each message to the first part of its reply by chat and kind; time both."""
    asked: dict[tuple[int, str], float] = {}
    firsts: dict[tuple[int, str], list[float]] = {}
    parts = 0
    with_buttons = 0  # answers whose first message carries its inline keyboard
    replies_at: dict[int, list[float]] = {}  # every part the bot sent to a chat, ms
    for item in items:
        message = item["message"]
        if "chat_id" in message:  # sent by the bot
            chat = int(message["chat_id"])
            if chat not in sent:
                continue
            parts += 1
            replies_at.setdefault(chat, []).append(item["time"])
            for text in sent[chat]:
                if str(message.get("text", "")).startswith(expected_head(text)):
                    firsts.setdefault((chat, text), []).append(item["time"])
                    markup = message.get("reply_markup") or {}
                    if text == LETTER and markup.get("inline_keyboard"):
                        with_buttons += 1
        elif int(message["chat"]["id"]) in sent:
            asked[(int(message["chat"]["id"]), message.get("text", ""))] = item["time"]
    latencies = [
        (times[0] - asked[key]) / 1000 for key, times in firsts.items() if key in asked and times
    ]
    counts = Counter(len(firsts.get(key, [])) for key in asked)
    return {
        "sent": sum(len(texts) for texts in sent.values()),
        "answered_once": counts.get(1, 0),
        "lost": counts.get(0, 0),
        "duplicated": sum(n for c, n in counts.items() if c > 1),
        "reply_parts": parts,
        "answers_with_buttons": with_buttons,
        "latencies": sorted(latencies),
        **pace(asked, replies_at),
    }


def pace(asked: dict[tuple[int, str], float], replies_at: dict[int, list[float]]) -> dict:
    """Drain time on the emulator's clock against the least time Telegram's limits allow.

    Telegram delivers at most `OVERALL_PER_S` messages a second for a bot and about one a
    second in a private chat, so n parts overall and n_c in chat c cannot all go out sooner
    than max(n / 30, max_c (n_c - 1) * 1 s) after the first question arrives.
    """
    if not asked or not replies_at:
        return {"drain_s": None, "bound_s": None, "drain_over_bound": None}
    first = min(asked.values())
    last = max(t for times in replies_at.values() for t in times)
    total = sum(len(times) for times in replies_at.values())
    per_chat = max((len(times) - 1) * CHAT_INTERVAL_S for times in replies_at.values())
    bound = max(total / OVERALL_PER_S, per_chat)
    gaps = [
        (b - a) / 1000
        for times in replies_at.values()
        for a, b in itertools.pairwise(sorted(times))
    ]
    drain = (last - first) / 1000
    return {
        "drain_s": round(drain, 2),
        "bound_s": round(bound, 2),
        "drain_over_bound": round(drain / bound, 3) if bound else None,
        "min_chat_gap_s": round(min(gaps), 3) if gaps else None,
        # Two parts to one chat less than a second apart (what Telegram's per-chat limit forbids).
        "chats_two_in_one_second": sum(
            any(b - a < 1000 * CHAT_INTERVAL_S for a, b in itertools.pairwise(sorted(times)))
            for times in replies_at.values()
        ),
    }


def finished(log_text: str, users: set[int]) -> int:
    """How many of the users' messages the bot has finished (one outcome line each)."""
    return sum(int(chat) in users for chat in HANDLED.findall(log_text))


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def run_load(args: argparse.Namespace) -> dict:
    knowledge, full = knowledge_paths()
    rules = RULES_FULL if full else RULES_SHIPPED
    work = Path(tempfile.mkdtemp(prefix="procbot-load-"))
    data_dir = work / "data"
    from bot.app.engine import Engine

    started = time.perf_counter()
    report = Engine(Settings(_env_file=None, data_dir=data_dir, knowledge=knowledge)).index()
    index_s = time.perf_counter() - started
    print(f"indexed {report.documents} documents, {report.passages} passages in {index_s:.0f} s")
    emulator = Emulator(work / "emulator.log")
    bot = BotProcess(emulator, data_dir, knowledge)
    try:
        warm = TelegramUser(emulator, 999)
        async with httpx.AsyncClient() as client:
            await warm.send_text(client, "/help")
            await warm.wait_for(client, 1, timeout=300)
        rss_before, _ = peak_rss_mb(bot.pid)
        sent = await send_all(emulator, args.users, args.per_user, rules)
        began = time.monotonic()
        expected = args.users * args.per_user
        # Done when the bot has logged an outcome for every message (it logs after sending),
        # so no reply, and no duplicate, can still be on its way: no fixed wait.
        while finished(bot.log_text(), set(sent)) < expected:
            if time.monotonic() - began > args.timeout:
                break
            await asyncio.sleep(0.05)
        result = tally(await history(emulator), sent)
        wall_s = time.monotonic() - began
        peak, peak_source = peak_rss_mb(bot.pid)
    finally:
        bot.stop()
        emulator.stop()
    # The bot's own timings from its log (ids and milliseconds only): the engine's share, and
    # engine plus sending (which waits in the flood limiter: 30 messages a second overall).
    timings = re.findall(r"kind=(?:question|rule) .*? ms=(\d+) engine_ms=(\d+)", bot.log_text())
    handled = sorted(float(total) / 1000 for total, _ in timings)
    engine_s = sorted(float(engine) / 1000 for _, engine in timings)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    latencies = result.pop("latencies")
    return {
        "users": args.users,
        "messages_per_user": args.per_user,
        "knowledge": [str(p) for p in knowledge],
        "passages": report.passages,
        **result,
        "p50_s": round(percentile(latencies, 50), 3),
        "p95_s": round(percentile(latencies, 95), 3),
        "max_s": round(max(latencies), 3) if latencies else None,
        "wall_s": round(wall_s, 2),
        "engine_p50_s": round(percentile(engine_s, 50), 3),
        "engine_p95_s": round(percentile(engine_s, 95), 3),
        "handler_p50_s": round(percentile(handled, 50), 3),
        "handler_p95_s": round(percentile(handled, 95), 3),
        "rss_after_warmup_mb": round(rss_before, 1) if rss_before else None,
        "peak_rss_mb": round(peak, 1) if peak else None,
        "peak_rss_source": peak_source,
        "work_dir": str(work) if args.keep else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-user", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for replies")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--keep", action="store_true", help="keep the index and logs")
    args = parser.parse_args()
    if not 1 <= args.per_user <= 3:
        parser.error("--per-user must be 1, 2 or 3 (each of a user's messages must differ)")
    reason = emulator_unavailable()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    summary = asyncio.run(run_load(args))
    rows = [
        ("users x messages", f"{summary['users']} x {summary['messages_per_user']}"),
        ("sent", summary["sent"]),
        ("answered exactly once", summary["answered_once"]),
        ("lost", summary["lost"]),
        ("duplicated", summary["duplicated"]),
        ("reply parts sent", summary["reply_parts"]),
        ("letter answers with their buttons", summary["answers_with_buttons"]),
        ("p50 reply latency (s)", summary["p50_s"]),
        ("p95 reply latency (s)", summary["p95_s"]),
        ("max reply latency (s)", summary["max_s"]),
        ("all answered after (s)", summary["wall_s"]),
        (
            "drain (s) / Telegram bound (s)",
            f"{summary['drain_s']} / {summary['bound_s']} = {summary['drain_over_bound']}x",
        ),
        ("least gap between two parts to one chat (s)", summary["min_chat_gap_s"]),
        ("chats with two parts in one second", summary["chats_two_in_one_second"]),
        ("engine time p50 / p95 (s)", f"{summary['engine_p50_s']} / {summary['engine_p95_s']}"),
        (
            "engine + sending p50 / p95 (s)",
            f"{summary['handler_p50_s']} / {summary['handler_p95_s']}",
        ),
        (f"peak RSS of procbot serve (MB, {summary['peak_rss_source']})", summary["peak_rss_mb"]),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"telegram_load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"wrote {path}")
    return 0 if summary["lost"] == 0 and summary["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
