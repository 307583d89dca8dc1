"""The `procbot` command line: the same engine the Telegram bot uses, one command per task."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bot.core.errors import InputError, ProcbotError
from bot.core.files import private_umask
from bot.core.settings import Settings, load_settings
from bot.render import (
    answer_json,
    answer_text,
    hits_json,
    hits_text,
    rule_matches_json,
    rule_matches_text,
    sources_json,
    sources_text,
)

app = typer.Typer(
    name="procbot",
    help="Cited answers to federal civil-procedure questions. Legal information, not advice.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Domain errors become one `Error: ...` line and exit code 1, never a traceback."""
    try:
        yield
    except ProcbotError as error:
        err.print(f"Error: {error}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("Interrupted; nothing already indexed was changed.", highlight=False)
        raise typer.Exit(130) from None


def _engine(settings: Settings | None = None):
    # Imported here, not at the top: `procbot rule` must not pay for what `serve` or `eval`
    # import (the Bot API library, the evaluation's charts).
    from bot.app.engine import Engine

    return Engine(settings or load_settings())


def _print_json(payload: object) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def _emit(as_json: bool, data: Callable[[], object], text: Callable[[], str]) -> None:
    """One result, as JSON for programs or as plain text for people."""
    if as_json:
        _print_json(data())
    else:
        out.print(text(), markup=False, highlight=False)


@contextmanager
def _progress_bars() -> Iterator[object]:
    """Rich progress bars driven by the index stage's `progress(stage, done, total)` calls,
    each with the time it has taken and, from its rate so far, the time it still needs."""
    bars = Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total or None)
        bars.update(tasks[stage], completed=done, total=total or None)

    with bars:
        yield update


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False,
) -> None:
    private_umask()  # history, uploads and index files: readable by their owner only
    level = logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Libraries that set their own loggers to DEBUG on import (bm25s) still stop here.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@app.command()
def index(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: PROCBOT_KNOWLEDGE).")
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Make PATHS the whole index instead of adding to it."),
    ] = False,
    remove: Annotated[
        bool,
        typer.Option("--remove", help="Remove the documents of PATHS (files, folders or ids)."),
    ] = False,
) -> None:
    """Add or update documents in the search index (incremental; never half-built).

    The documents of PATHS join what is indexed, or replace their earlier versions; nothing
    else is removed unless you say so with --remove or --replace.
    """
    with _clean_errors():
        if remove and (replace or not paths):
            raise InputError(
                "--remove needs the files, folders or ids to remove, and no --replace."
            )
        engine = _engine()
        with _progress_bars() as progress:
            if remove:
                report = engine.remove(paths or [], progress=progress)
            else:
                report = engine.index(paths or None, progress=progress, replace=replace)
        for problem in report.errors:
            err.print(f"Skipped {problem}", markup=False, highlight=False)
        for problem in report.guide_errors:
            err.print(f"Guide not served: {problem}", markup=False, highlight=False)
        for note in report.notes:
            err.print(f"Note: {note}", markup=False, highlight=False)
        out.print(
            f"Indexed {report.documents} documents, {report.passages} passages "
            f"({report.embedded} embedded, {report.reused} reused, {report.removed} removed) "
            f"and {report.guides} guides in {report.seconds:.1f} s.",
            highlight=False,
        )
        if report.guides_waiting:
            out.print(report.guides_waiting + ".", markup=False, highlight=False)
        changes = [
            f"{label} {len(ids)} ({', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})"
            for label, ids in (
                ("added", report.added),
                ("updated", report.updated),
                ("removed", report.dropped),
            )
            if ids
        ]
        out.print(
            "Documents: " + ("; ".join(changes) if changes else "none changed") + ".",
            markup=False,
            highlight=False,
        )


@app.command()
def sources(as_json: JsonOption = False) -> None:
    """List what is indexed: documents, passages, rule versions, excerpts."""
    with _clean_errors():
        summary = _engine().sources()
        _emit(as_json, lambda: sources_json(summary), lambda: sources_text(summary))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many passages.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense, bm25 or authority.")] = "hybrid",
    as_json: JsonOption = False,
) -> None:
    """Ranked passages with citation, pinpoint, authorities and score."""
    with _clean_errors():
        hits = _engine().search(query, k=k, mode=mode)
        _emit(as_json, lambda: hits_json(hits), lambda: hits_text(hits))


@app.command()
def rule(
    citation: Annotated[
        str,
        typer.Argument(
            help='E.g. "26(b)(1)", "Fed. R. App. P. 4(a)(1)(A)", "FRE 801(d)(2)", '
            '"L.R. 183(b)", "28 U.S.C. § 1915(e)(1)".'
        ),
    ],
    version: Annotated[
        str | None,
        typer.Option(help='An older version of the book, e.g. "2022-12-01" (default: newest).'),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """The exact text of a rule or subdivision, with its version and provenance."""
    with _clean_errors():
        matches = _engine().lookup_rule(citation, version=version)
        _emit(
            as_json,
            lambda: rule_matches_json(citation, matches),
            lambda: rule_matches_text(matches),
        )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A procedural question, in your own words.")],
    as_json: JsonOption = False,
) -> None:
    """A short answer, cited sentences and numbered sources."""
    with _clean_errors():
        answer = _engine().ask(question)
        _emit(as_json, lambda: answer_json(answer), lambda: answer_text(answer))


@app.command()
def read(
    files: Annotated[list[Path], typer.Argument(help="One PDF, or photos of the pages (1-10).")],
    as_json: JsonOption = False,
) -> None:
    """Read your own court order: what it decided, what it tells you to do and by when."""
    from bot.reader.limits import MAX_BYTES, MB, ReadError
    from bot.reader.read import Upload, read_files
    from bot.reader.summary import order_json, summary_text

    with _clean_errors():
        uploads = []
        for path in files:
            if not path.is_file():
                raise ReadError(f"{path} does not exist or is not a file.")
            size = path.stat().st_size  # before reading: a huge file costs nothing
            if size > MAX_BYTES:
                raise ReadError(
                    f"{path} is {size / MB:.0f} MB; I read files up to {MAX_BYTES // MB} MB."
                )
            uploads.append(Upload(path.name, path.read_bytes()))
        order = read_files(uploads, progress=lambda message: err.print(message, highlight=False))
        _emit(as_json, lambda: order_json(order), lambda: summary_text(order))


@app.command()
def deadline(
    event: Annotated[str | None, typer.Option(help="Event key (see --list).")] = None,
    on: Annotated[str | None, typer.Option("--date", help="Date of the event, YYYY-MM-DD.")] = None,
    days: Annotated[
        int | None, typer.Option(help="A period an order or you give, in days.")
    ] = None,
    after: Annotated[str | None, typer.Option(help="served, entered or filed.")] = None,
    service: Annotated[
        str | None, typer.Option(help="mail, personal, electronic, clerk or other.")
    ] = None,
    court: Annotated[str | None, typer.Option(help='District court, e.g. "E.D. Cal.".')] = None,
    list_events: Annotated[
        bool, typer.Option("--list", help="List the events and whether each is enabled.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """The last day to act, counted step by step under Rule 6 (or FRAP 26), each step cited."""
    from bot.deadlines.render import events_json, events_text
    from bot.deadlines.service import parse_date, parse_service
    from bot.render import deadline_json, deadline_text

    with _clean_errors():
        engine = _engine()
        if list_events:
            book = engine.deadline_events()
            _emit(as_json, lambda: events_json(book), lambda: events_text(book))
            return
        if on is None:
            raise InputError("Give the date of the event: --date YYYY-MM-DD.")
        if (event is None) == (days is None):
            raise InputError("Give either --event KEY or --days N --after served|entered|filed.")
        found = engine.deadline(
            parse_date(on),
            event=event,
            days=days,
            after=after,
            service=parse_service(service),
            court=court,
        )
        title = engine.deadline_events().get(event).event.title if event else None
        _emit(as_json, lambda: deadline_json(found), lambda: deadline_text(found, title))


@app.command("eval")
def evaluate(
    question_files: Annotated[list[Path], typer.Argument(help="Question sets (YAML).")],
    knowledge: Annotated[
        list[Path] | None,
        typer.Option(help="Evaluate over these paths, in a separate cached index."),
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=10, help="Passages per question.")] = 5,
    compare: Annotated[
        str, typer.Option(help="Retrievers to compare, comma-separated.")
    ] = "baseline,bm25,dense,hybrid",
    composer: Annotated[str, typer.Option(help="extractive or llm.")] = "extractive",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder for metrics, results, report, charts.")
    ] = None,
    floors: Annotated[
        Path | None, typer.Option(help="Fail (exit 1) when a metric is below these floors.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Score retrieval and answers over question sets; no LLM judge needed."""
    from bot.evaluate.report import summary_table
    from bot.evaluate.run import check_floors
    from bot.evaluate.run import evaluate as run_evaluation

    with _clean_errors():
        with _progress_bars() as progress:
            run = run_evaluation(
                load_settings(),
                question_files,
                knowledge=knowledge or None,
                k=k,
                compare=[name.strip() for name in compare.split(",") if name.strip()],
                composer=composer,
                out=out_dir,
                progress=progress,
            )
        for warning in run.warnings:
            err.print(f"Warning: {warning}", markup=False, highlight=False)
        if as_json:
            _print_json(run.metrics)
        else:
            out.print(summary_table(run))
            if out_dir:
                out.print(f"Report written to {out_dir}", markup=False, highlight=False)
        failures = check_floors(run.metrics, floors) if floors else []
        for failure in failures:
            err.print(f"Floor check failed: {failure}", markup=False, highlight=False)
        if failures:
            raise typer.Exit(1)


@app.command()
def serve() -> None:
    """Run the Telegram bot (polling, or a webhook when PROCBOT_WEBHOOK_URL is set)."""
    with _clean_errors():
        from bot.app.telegram.app import run

        run(load_settings())


def main() -> None:  # pragma: no cover - console entry point
    app()
