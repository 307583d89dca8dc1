"""Evaluation output: metrics.json, results.jsonl, report.md, PNG charts and the summary table."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from bot.evaluate.metrics import (
    CLASSES,
    AnswerMetrics,
    EvalRun,
    RetrievalMetrics,
    authority_hit_at,
    authority_met,
    hit_curve,
    mean_reciprocal_rank,
    nugget_hits,
    passage_meets,
    source_hit_at,
    verdict_correct,
)

CHARTS = ("hit_at_k.png", "confusion.png", "latency.png", "topics.png")


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def metrics_document(
    k: int, composer: str, retrievers: dict[str, RetrievalMetrics], answers: AnswerMetrics
) -> dict[str, Any]:
    """metrics.json: the composer's headline numbers, then one object per retriever."""
    hybrid = retrievers["hybrid"]
    return {
        f"authority_hit@{k}": _r(hybrid.authority_hit),
        f"source_hit@{k}": _r(hybrid.source_hit),
        "mrr": _r(hybrid.mrr),
        "verdict_accuracy": _r(answers.verdict_accuracy),
        "abstention_precision": _r(answers.abstention_precision),
        "abstention_recall": _r(answers.abstention_recall),
        "authority_citation_recall": _r(answers.authority_citation_recall),
        "source_citation_recall": _r(answers.source_citation_recall),
        "citation_precision": _r(answers.citation_precision),
        "fabricated_citations": answers.fabricated_citations,
        "latency_p50_ms": _r(answers.latency_p50_ms, 1),
        "latency_p95_ms": _r(answers.latency_p95_ms, 1),
        "questions": answers.counts.get("questions", 0),
        "wrongly_abstained_rate": _r(answers.wrongly_abstained_rate),
        "nugget_recall": _r(answers.nugget_recall),
        "not_in_sources_declined": answers.not_in_sources_declined,
        "not_in_sources_declined_rate": _r(answers.not_in_sources_declined_rate),
        "wrong_firm_verdicts": answers.wrong_firm_verdicts,
        "k": k,
        "composer": composer,
        "confusion": answers.confusion,
        "counts": answers.counts,
        "retrievers": {
            name: {
                f"authority_hit@{k}": _r(m.authority_hit),
                f"source_hit@{k}": _r(m.source_hit),
                "mrr": _r(m.mrr),
                "latency_p50_ms": _r(m.latency_p50_ms, 2),
                "latency_p95_ms": _r(m.latency_p95_ms, 2),
            }
            for name, m in retrievers.items()
        },
    }


def question_records(run: EvalRun) -> list[dict[str, Any]]:
    """One results.jsonl line per question: what each retriever found and what was answered."""
    by_retriever = {(r.qid, r.retriever): r for r in run.retrieval}
    answers = {a.qid: a for a in run.answers}
    lines: list[dict[str, Any]] = []
    for q in run.questions:
        record: dict[str, Any] = {
            "id": q.id,
            "question": q.question,
            "topic": q.topic,
            "expected": {
                "verdict": q.verdict,
                "authorities": q.authorities,
                "sources": q.sources,
                "nuggets": q.nuggets,
            },
            "retrieval": {},
        }
        for name in run.retrievers:
            result = by_retriever.get((q.id, name))
            if result is None:
                continue
            top = result.passages[: run.k]
            one = {q.id: result}
            record["retrieval"][name] = {
                "passages": [p.passage_id for p in top],
                "documents": [p.doc_id for p in top],
                "authorities": sorted({a for p in top for a in p.authorities}),
                f"authority_hit@{run.k}": authority_hit_at([q], one, run.k),
                f"source_hit@{run.k}": source_hit_at([q], one, run.k),
                "reciprocal_rank": mean_reciprocal_rank([q], one, run.k),
                "latency_ms": round(result.latency_ms, 2),
            }
        answer = answers.get(q.id)
        if answer is not None:
            record["answer"] = {
                "text": answer.text,
                "verdict": answer.verdict,
                "abstained": answer.abstained,
                "abstain_reason": answer.abstain_reason,
                "latency_ms": round(answer.latency_ms, 1),
                "citations": [
                    {
                        "passage_id": c.passage_id,
                        "doc_id": c.doc_id,
                        "authorities": c.authorities,
                        "quote": c.quote,
                        "retrieved": c.retrieved,
                        "quote_verbatim": c.quote_verbatim,
                    }
                    for c in answer.citations
                ],
                "verdict_correct": None if q.verdict is None else verdict_correct(q, answer),
                "nuggets_stated": list(nugget_hits(q, answer.text)) if q.nuggets else None,
                "cites_authority": authority_met(
                    q.authorities, [a for c in answer.citations for a in c.authorities]
                )
                if q.authorities
                else None,
                "cites_source": any(c.doc_id in q.sources for c in answer.citations)
                if q.sources
                else None,
                "fabricated_citations": sum(c.fabricated for c in answer.citations),
            }
        lines.append(record)
    return lines


def write_report(run: EvalRun, out: Path) -> list[Path]:
    """Write metrics.json, results.jsonl, report.md and the charts into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    files = [out / "metrics.json", out / "results.jsonl", out / "report.md"]
    files[0].write_text(json.dumps(run.metrics, indent=2) + "\n", encoding="utf-8")
    with files[1].open("w", encoding="utf-8") as handle:
        for record in question_records(run):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    files.extend(_charts(run, out))
    files[2].write_text(report_markdown(run), encoding="utf-8")
    return files


def _cell(value: Any, percent: bool = True) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, int) or not percent:
        return f"{value:g}" if isinstance(value, float) else str(value)
    return f"{100 * value:.1f}%"


def report_markdown(run: EvalRun) -> str:
    m, k = run.metrics, run.k
    lines = [
        "# procbot evaluation",
        "",
        f"Question files: {', '.join(run.question_files)} ({m['questions']} questions); "
        f"k = {k}; composer: {run.composer}; index: `{run.index_dir}`.",
        "",
        "## Retrieval",
        "",
        f"| retriever | authority hit@{k} | source hit@{k} | MRR@{k} | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in m["retrievers"].items():
        lines.append(
            f"| {name} | {_cell(r[f'authority_hit@{k}'])} | {_cell(r[f'source_hit@{k}'])} | "
            f"{_cell(r['mrr'], False)} | {_cell(r['latency_p50_ms'], False)} | "
            f"{_cell(r['latency_p95_ms'], False)} |"
        )
    lines += ["", "![hit@k](hit_at_k.png)", "", "## Answers", "", "| metric | value |", "|---|---|"]
    for key in (
        "verdict_accuracy",
        "abstention_precision",
        "abstention_recall",
        "wrongly_abstained_rate",
        "nugget_recall",
        "authority_citation_recall",
        "source_citation_recall",
        "citation_precision",
    ):
        lines.append(f"| {key} | {_cell(m[key])} |")
    counts = m["counts"]
    lines.append(
        f"| not_in_sources_declined | {m['not_in_sources_declined']} of "
        f"{counts.get('not_in_sources', 0)} ({_cell(m['not_in_sources_declined_rate'])}) |"
    )
    lines.append(
        f"| wrong_firm_verdicts (firm Yes/No, expected otherwise) | {m['wrong_firm_verdicts']} |"
    )
    lines.append(f"| fabricated_citations | {m['fabricated_citations']} |")
    lines.append(f"| latency p50 / p95 ms | {m['latency_p50_ms']} / {m['latency_p95_ms']} |")
    lines += ["", "![confusion](confusion.png)", "", "![latency](latency.png)", ""]
    lines += ["## By topic", "", "![topics](topics.png)", ""]
    if run.warnings:
        lines += ["## Warnings", "", *[f"- {w}" for w in run.warnings], ""]
    lines += [
        "Metrics are deterministic: an expected authority is met by a passage carrying it or",
        "one of its subdivisions; a citation is fabricated when its passage was not among the",
        "retrieved hits or its quote is not in that passage's text.",
        "",
    ]
    return "\n".join(lines)


# -- charts ---------------------------------------------------------------------------------


def _charts(run: EvalRun, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    paths = [out / name for name in CHARTS]
    drawers = (_hit_chart, _confusion_chart, _latency_chart, _topic_chart)
    for path, draw in zip(paths, drawers, strict=True):
        figure, axes = plt.subplots(figsize=(7, 4.5), dpi=100)
        try:
            draw(run, axes)
            figure.tight_layout()
            figure.savefig(path, format="png")
        finally:
            plt.close(figure)
    return paths


def _hit_chart(run: EvalRun, axes: Any) -> None:
    kmax = max(len(r.passages) for r in run.retrieval) if run.retrieval else 1
    ks = list(range(1, max(kmax, 1) + 1))
    for name in run.retrievers:
        curve = hit_curve(list(run.questions), list(run.retrieval), name, len(ks))
        line = axes.plot(ks, _zeroed(curve["authority"]), marker="o", label=f"{name} authority")
        axes.plot(
            ks,
            _zeroed(curve["source"]),
            linestyle="--",
            color=line[0].get_color(),
            label=f"{name} source",
        )
    axes.set(xlabel="k", ylabel="hit@k", ylim=(0, 1.02), title="Hit@k per retriever")
    axes.set_xticks(ks)
    axes.legend(fontsize=7, ncol=2)


def _zeroed(values: Sequence[float | None]) -> list[float]:
    return [v if v is not None else 0.0 for v in values]


def _confusion_chart(run: EvalRun, axes: Any) -> None:
    matrix = run.answer_scores.confusion
    rows = list(matrix)
    grid = [[matrix[e][p] for p in CLASSES] for e in rows]
    axes.imshow(grid, cmap="Blues")
    for i, row in enumerate(grid):
        for j, count in enumerate(row):
            axes.text(j, i, str(count), ha="center", va="center")
    axes.set_xticks(range(len(CLASSES)), labels=list(CLASSES))
    axes.set_yticks(range(len(rows)), labels=rows)
    axes.set(xlabel="predicted", ylabel="expected", title="Verdict confusion matrix")


def _latency_chart(run: EvalRun, axes: Any) -> None:
    series = {
        name: [r.latency_ms for r in run.retrieval if r.retriever == name]
        for name in run.retrievers
    }
    series["answer"] = [a.latency_ms for a in run.answers]
    labels = [name for name, values in series.items() if values]
    axes.boxplot([series[name] for name in labels], tick_labels=labels)
    axes.set_yscale("log")
    axes.set(ylabel="ms (log scale)", title="Latency per query")


def _topic_chart(run: EvalRun, axes: Any) -> None:
    hybrid = {r.qid: r for r in run.retrieval if r.retriever == "hybrid"}
    answers = {a.qid: a for a in run.answers}
    found: dict[str, list[bool]] = defaultdict(list)
    cited: dict[str, list[bool]] = defaultdict(list)
    for q in run.questions:
        if not q.in_scope or not (q.authorities or q.sources):
            continue
        topic = q.topic or "(no topic)"
        if q.id in hybrid:
            top = hybrid[q.id].passages[: run.k]
            found[topic].append(any(passage_meets(q, p) for p in top))
        if q.id in answers:
            cited[topic].append(any(passage_meets(q, c) for c in answers[q.id].citations))
    topics = sorted(set(found) | set(cited))
    positions = range(len(topics))
    share = [sum(found[t]) / len(found[t]) if found[t] else 0 for t in topics]
    cite = [sum(cited[t]) / len(cited[t]) if cited[t] else 0 for t in topics]
    axes.barh([p + 0.2 for p in positions], share, height=0.4, label=f"hybrid hit@{run.k}")
    axes.barh([p - 0.2 for p in positions], cite, height=0.4, label="answer cites expected")
    axes.set_yticks(list(positions), labels=topics, fontsize=7)
    axes.set(xlim=(0, 1.02), title="Per topic")
    # Below the axes: bars often reach 1.0, so any spot inside would hide one.
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2)


# -- terminal -------------------------------------------------------------------------------


def summary_table(run: EvalRun) -> Table:
    """The table `procbot eval` prints: one row per retriever, then the composer's numbers."""
    m, k = run.metrics, run.k
    table = Table(title=f"procbot eval: {m['questions']} questions, k={k}, {run.composer}")
    table.add_column("measure")
    table.add_column(f"authority hit@{k}", justify="right")
    table.add_column(f"source hit@{k}", justify="right")
    table.add_column(f"MRR@{k}", justify="right")
    table.add_column("p95 ms", justify="right")
    for name, r in m["retrievers"].items():
        table.add_row(
            f"retriever: {name}",
            _cell(r[f"authority_hit@{k}"]),
            _cell(r[f"source_hit@{k}"]),
            _cell(r["mrr"], False),
            _cell(r["latency_p95_ms"], False),
        )
    table.add_section()
    table.add_row(
        "answers: cited",
        _cell(m["authority_citation_recall"]),
        _cell(m["source_citation_recall"]),
        "",
        _cell(m["latency_p95_ms"], False),
    )
    table.add_row("verdict accuracy", _cell(m["verdict_accuracy"]), "", "", "")
    table.add_row("wrong firm Yes/No", str(m["wrong_firm_verdicts"]), "", "", "")
    table.add_row("nugget recall", _cell(m["nugget_recall"]), "", "", "")
    table.add_row("in-scope refused", _cell(m["wrongly_abstained_rate"]), "", "", "")
    table.add_row(
        "not in sources declined",
        f"{m['not_in_sources_declined']} of {m['counts'].get('not_in_sources', 0)}",
        "",
        "",
        "",
    )
    table.add_row(
        "abstention P / R",
        _cell(m["abstention_precision"]),
        _cell(m["abstention_recall"]),
        "",
        "",
    )
    table.add_row("citation precision", _cell(m["citation_precision"]), "", "", "")
    table.add_row("fabricated citations", str(m["fabricated_citations"]), "", "", "")
    return table
