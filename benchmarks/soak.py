"""Soak run: mixed asks, index runs of changed files in other processes, a Chroma server restart.

    python benchmarks/soak.py --minutes 30 --out /tmp/soak

A Chroma server of its own (`chroma run` on a free loopback port) holds the vectors; the
engine of this process answers questions from two threads the whole time while
`python -m bot index FILE` runs in separate processes add and change documents, and the
server is killed (SIGKILL) and started again halfway through. Counted: questions answered,
abstained and failed (by error type), index runs done and refused, and lost vectors: after
every index run, the live generation's vector ids missing from the collection (expected 0).
The result is printed and written to OUT/soak.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Questions of our own (not from any evaluation set), about what the shipped order and the
# generated orders below decide, plus two the sources do not answer.
QUESTIONS = (
    "Should my letters to the other side's lawyer be filed with the court?",
    "Does the judge need a copy of discovery I send to the defendants?",
    "Can I get a lawyer appointed for my prison case?",
    "What happens if I do not tell the court my new address?",
    "Rule 5(d)",
    "Is settlement talk filed with the court?",
    "How do I appeal a parking ticket?",
    "What is the weather in Sacramento?",
)

ORDER = """---
type: order
case: Soak v. Test {n}
court: E.D. Cal.
docket: "1:20-cv-{n:05d}"
date: "2020-01-02"
---
IN THE UNITED STATES DISTRICT COURT FOR THE EASTERN DISTRICT OF CALIFORNIA

ORDER DENYING MOTION TO APPOINT COUNSEL (version {version})

Plaintiff asks the court to appoint counsel. Plaintiffs do not have a constitutional right to
appointed counsel in section 1983 actions, and the court cannot require an attorney to
represent a plaintiff. The court may request the voluntary assistance of counsel only in
exceptional circumstances, which are not shown here. A party appearing without counsel must
keep the court advised of a current address. Accordingly, IT IS HEREBY ORDERED that the motion
is denied without prejudice (revision {version}).
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, path: Path, port: int, log: Path) -> None:
        self.path, self.port, self.log = path, port, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        with open(self.log, "ab") as log:
            command = [binary, "run", "--path", str(self.path), "--host", "127.0.0.1"]
            command += ["--port", str(self.port)]
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        for _ in range(120):
            try:
                httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.5)
        raise RuntimeError("chroma did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def lost_vectors(settings) -> int:
    """Vector ids the live generation needs that its collection does not hold."""
    from bot.index.snapshot import load_snapshot
    from bot.index.store import generation_collection

    snapshot = load_snapshot(settings)
    wanted = sorted(set(snapshot.vector_ids))
    have = set(generation_collection(settings).get(ids=wanted, include=[])["ids"])
    return len(wanted) - len(have)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--index-every-s", type=float, default=30.0)
    args = parser.parse_args()
    os.environ.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")

    from bot.app.engine import Engine
    from bot.core.errors import ProcbotError
    from bot.core.settings import SHIPPED_KNOWLEDGE, Settings

    work = Path(tempfile.mkdtemp(prefix="procbot-soak-"))
    knowledge = work / "knowledge"
    shutil.copytree(SHIPPED_KNOWLEDGE, knowledge)
    server = Server(work / "chroma", free_port(), work / "chroma.log")
    server.start()
    settings = Settings(
        _env_file=None,
        data_dir=work / "data",
        knowledge=[knowledge],
        chroma_url=server.url,
        chroma_timeout_s=5.0,
        dense_retry_s=5.0,
    )
    env = {
        **os.environ,
        "PROCBOT_DATA_DIR": str(settings.data_dir),
        "PROCBOT_KNOWLEDGE": str(knowledge),
        "CHROMA_URL": server.url,
        "PROCBOT_CHROMA_TIMEOUT_S": "5",
        "PROCBOT_LOCK_TIMEOUT_S": "300",
    }
    engine = Engine(settings)
    engine.index()

    deadline = time.monotonic() + args.minutes * 60
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    latencies: list[float] = []
    lost: list[int] = []
    lock = threading.Lock()

    def asker(seed: int) -> None:
        n = seed
        while time.monotonic() < deadline:
            question = QUESTIONS[n % len(QUESTIONS)]
            n += 1
            started = time.perf_counter()
            try:
                answer = engine.ask(question)
                kind = "abstained" if answer.abstained else "answered"
                if any("word search" in note for note in answer.notes):
                    kind += "_bm25_only"
            except ProcbotError as error:
                kind = "refused"
                with lock:
                    errors[type(error).__name__] += 1
            except Exception as error:  # counted: the soak's point is that there are none
                kind = "crashed"
                with lock:
                    errors[f"crash:{type(error).__name__}"] += 1
            with lock:
                counts[kind] += 1
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=asker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    restarted_at = None
    version = 0
    half = time.monotonic() + args.minutes * 30
    while time.monotonic() < deadline:
        version += 1
        order = knowledge / f"soak-v-test-{version % 3}.md"
        order.write_text(ORDER.format(n=version % 3, version=version), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "bot", "index", str(order)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        counts["index_ok" if done.returncode == 0 else "index_failed"] += 1
        if done.returncode != 0:
            errors["index: " + (done.stderr.strip().splitlines() or ["?"])[-1][:120]] += 1
        try:
            lost.append(lost_vectors(settings))
        except Exception as error:
            errors[f"check:{type(error).__name__}"] += 1
        if restarted_at is None and time.monotonic() > half:
            server.kill()
            time.sleep(2)
            server.start()
            restarted_at = round(args.minutes * 60 - (deadline - time.monotonic()))
            counts["server_restarts"] += 1
        time.sleep(max(0.0, min(args.index_every_s, deadline - time.monotonic())))
    for thread in threads:
        thread.join()
    final_lost = lost_vectors(settings)
    server.kill()
    result = {
        "minutes": args.minutes,
        "counts": dict(counts),
        "errors": dict(errors),
        "asks": len(latencies),
        "ask_p50_s": round(statistics.median(latencies), 3) if latencies else None,
        "ask_max_s": round(max(latencies), 3) if latencies else None,
        "lost_vectors_after_each_index_run": lost,
        "lost_vectors_final": final_lost,
        "server_restart_at_s": restarted_at,
        "load_average": os.getloadavg(),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "soak.json").write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


if __name__ == "__main__":
    main()
