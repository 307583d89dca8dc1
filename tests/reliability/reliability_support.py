"""Helpers of the reliability suite: Chroma servers to kill and freeze, vector inventories."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.core.settings import SHIPPED_KNOWLEDGE, Settings

REPO = Path(__file__).resolve().parents[2]
MASTERSON = SHIPPED_KNOWLEDGE / "masterson-v-killen-2014-11-24.txt"

# A short order of our own, so two different document sets exist.
ORDER_TWO = """---
type: order
case: Roe v. Doe
court: E.D. Cal.
docket: "1:20-cv-00001"
date: "2020-01-02"
---
IN THE UNITED STATES DISTRICT COURT FOR THE EASTERN DISTRICT OF CALIFORNIA

ORDER DENYING MOTION TO APPOINT COUNSEL

Plaintiff asks the court to appoint counsel. Plaintiffs do not have a constitutional right to
appointed counsel in section 1983 actions, and the court cannot require an attorney to represent
a plaintiff. The court may request the voluntary assistance of counsel only in exceptional
circumstances. Accordingly, IT IS HEREBY ORDERED that the motion is denied without prejudice.
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ChromaServer:
    """A `chroma run` process of this test's own, so it may be stopped, frozen and killed."""

    path: Path
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = chroma_binary()
        assert binary is not None
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    binary,
                    "run",
                    "--path",
                    str(self.path),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise RuntimeError(f"chroma did not start: {self.log.read_text()[-2000:]}")

    def freeze(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)
        self.process = None


def chroma_binary() -> str | None:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.is_file() else shutil.which("chroma")


def served(settings: Settings, server: ChromaServer, data_dir: Path) -> Settings:
    """`settings` for another data folder on `server`, with short network bounds."""
    return settings.model_copy(
        update={
            "chroma_url": server.url,
            "data_dir": data_dir,
            "chroma_timeout_s": 3.0,
            "dense_retry_s": 1.0,
        }
    )


def live_records(settings: Settings) -> list[dict]:
    """The passages of the live generation, read from disk: (vector id, passage id, text)."""
    index = settings.index_dir
    folder = index / (index / "current").read_text(encoding="utf-8").strip()
    with open(folder / "passages.jsonl", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def live_vector_ids(settings: Settings) -> set[str]:
    return {record["vector_id"] for record in live_records(settings)}


def stored_vector_ids(settings: Settings) -> set[str]:
    """Every vector id in the collection the live generation names."""
    from bot.index.store import generation_collection

    collection = generation_collection(settings)
    return set(collection.get(include=[])["ids"])


def python_process(code: str, *, preexec_fn=None) -> subprocess.Popen:
    """A real Python process running `code` from the repository root (no model loaded unless
    the code embeds something: every vector it needs should already be stored)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=preexec_fn,
    )


HOLD_LOCK = """
import sys, time
from pathlib import Path
from bot.core.settings import Settings
from bot.index.lock import writer_lock
with writer_lock(Settings(_env_file=None, data_dir=Path(sys.argv[1]))):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""

INDEX_RUNS = """
import json, sys
from pathlib import Path
from bot.core.settings import Settings
from bot.index.build import build_index
from bot.index.embed import make_embedder
settings = Settings(_env_file=None, data_dir=Path(sys.argv[1]), lock_timeout_s=900)
embedder = make_embedder(settings)
if len(sys.argv) > 4:
    class KnownVectors:
        # The model's own vectors for these texts, computed once by the test's process: no
        # child loads torch. A text the test did not foresee fails the run (KeyError).
        name = embedder.name
        vectors = json.loads(Path(sys.argv[4]).read_text(encoding="utf-8"))
        def embed_documents(self, texts):
            return [self.vectors[text] for text in texts]
    embedder = KnownVectors()
for _ in range(int(sys.argv[3])):
    build_index(settings, [Path(sys.argv[2])], embedder)
print("ok", flush=True)
"""


class RecordingEmbedder:
    """An embedder that keeps every (text, vector) it computed, for INDEX_RUNS children."""

    def __init__(self, embedder) -> None:
        self.embedder = embedder
        self.name = embedder.name
        self.vectors: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self.embedder.embed_documents(texts)
        self.vectors.update(zip(texts, vectors, strict=True))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(self.vectors), encoding="utf-8")
        return path


def script(code: str, *args: object) -> str:
    """`code` with its sys.argv filled in, for `python -c`."""
    return f"import sys; sys.argv = ['-c', *{[str(a) for a in args]!r}]\n" + code
