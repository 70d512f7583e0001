"""`storyline eval`: scores on public benchmarks and on gold annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ..errors import UsageError
from ._common import JsonOption, _print_json, _usage, app, out

eval_app = typer.Typer(
    help="Score storyline on public benchmarks and on gold annotations.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

SystemOut = Annotated[
    Path | None,
    typer.Option("--system-out", help="Also write the system's raw output here, for independent scoring."),
]
LimitOpt = Annotated[int | None, typer.Option(help="Only the first N documents (a quick look).")]


def _existing_dir(path: Path) -> Path:
    if not path.is_dir():
        raise _usage(f"{path}: no such directory")
    return path


def _print_scores(result: dict[str, Any], json_out: bool, keys: tuple[str, ...]) -> None:
    if json_out:
        _print_json(result)
        return
    table = Table(show_header=False)
    table.add_column("measure")
    table.add_column("value", overflow="fold")
    rows: list[tuple[str, Any]] = []
    for key in keys:
        value = result.get(key)
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            rows.extend((f"{key}: {sub}", v) for sub, v in value.items())
        else:
            rows.append((key, value))
    for key, value in rows:
        if isinstance(value, dict):
            value = "  ".join(
                f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items()
            )
        elif isinstance(value, float):
            value = f"{value:.4f}"
        table.add_row(key, escape(str(value)))
    out.print(table)


@eval_app.command("tempeval3")
def eval_tempeval3(
    path: Annotated[Path, typer.Argument(help="A TimeML folder (.tml files, searched recursively).")],
    system_out: SystemOut = None,
    limit: LimitOpt = None,
    json_out: JsonOption = False,
    narrative: Annotated[
        bool, typer.Option("--narrative", help="Histories (WikiWars): partial dates take the text's years.")
    ] = False,
) -> None:
    """TempEval-3 time expression scores: strict/relaxed span P/R/F1, type and value accuracy, value F1."""
    from ..eval.tempeval3 import default_system, evaluate_tempeval3, narrative_system

    system = narrative_system if narrative else default_system
    result = evaluate_tempeval3(_existing_dir(path), system_out=system_out, limit=limit, system=system)
    _print_scores(result, json_out, tuple(k for k in result if k not in ("per_doc", "errors")))


@eval_app.command("event-dates")
def eval_event_dates(
    path: Annotated[
        Path,
        typer.Argument(help="A folder of TimeML .tml (TBAQ) or MEANTIME .xml files, searched recursively."),
    ],
    system_out: SystemOut = None,
    limit: LimitOpt = None,
    json_out: JsonOption = False,
    triggers: Annotated[
        str,
        typer.Option(
            "--triggers",
            help="'system': the event extractor's own triggers; 'gold': the gold EVENT spans, dated by the "
            "system (the date attachment measured on every gold dated event).",
        ),
    ] = "system",
) -> None:
    """Event date accuracy and coverage against TimeML links of events to day-precision dates."""
    from ..errors import MalformedInput
    from ..eval.event_dates import TRIGGERS, evaluate_event_dates

    if triggers not in TRIGGERS:
        raise _usage(f"--triggers: expected one of {', '.join(TRIGGERS)}, got {triggers!r}")
    try:
        result = evaluate_event_dates(
            _existing_dir(path), system_out=system_out, limit=limit, triggers=triggers
        )
    except MalformedInput as exc:
        raise _usage(str(exc)) from exc
    _print_scores(result, json_out, tuple(result))


@eval_app.command("polnear")
def eval_polnear(
    path: Annotated[Path, typer.Argument(help="A PolNeAR split folder (with attributions/ and text/).")],
    system_out: SystemOut = None,
    limit: LimitOpt = None,
    json_out: JsonOption = False,
    reference: Annotated[
        str,
        typer.Option(
            "--reference",
            help="Also score a reference extractor on the same documents: textacy (direct_quotations, "
            "skipped with a message when textacy is not installed) or none.",
        ),
    ] = "textacy",
) -> None:
    """PolNeAR attribution scores: content P/R/F1 (exact and ≥50% overlap), source and cue accuracy."""
    from ..eval.polnear import REFERENCES, evaluate_polnear

    if reference not in REFERENCES:
        raise _usage(f"--reference: expected one of {', '.join(REFERENCES)}, got {reference!r}")
    result = evaluate_polnear(_existing_dir(path), system_out=system_out, limit=limit, reference=reference)
    _print_scores(result, json_out, tuple(k for k in result if k not in ("per_doc", "errors")))


@eval_app.command("gold")
def eval_gold(
    gold_dir: Annotated[Path, typer.Argument(help="A folder of gold_*.jsonl files (shared/gold format).")],
    articles: Annotated[Path, typer.Option("--articles", help="Folder holding the articles the gold names.")],
    no_sidecars: Annotated[
        bool, typer.Option("--no-sidecars", help="Ignore the articles' sidecars.")
    ] = False,
    system_out: SystemOut = None,
    json_out: JsonOption = False,
) -> None:
    """Score cleaning, statements, time expressions and dates against gold annotations."""
    from ..eval.gold import evaluate_gold

    try:
        result = evaluate_gold(
            _existing_dir(gold_dir), _existing_dir(articles), system_out=system_out, sidecars=not no_sidecars
        )
    except UsageError as exc:
        raise _usage(str(exc)) from exc
    if json_out:
        _print_json(result)
        return
    summary = {
        "cleaning": {k: v for k, v in result["cleaning"].items() if k != "lost"},
        "statements": {k: v for k, v in result["statements"].items() if k != "errors"},
        "partial_quotes": {k: v for k, v in result["partial_quotes"].items() if k != "errors"},
        "timexes": {k: v for k, v in result["timexes"].items() if k != "details"},
        "figures": {k: v for k, v in result["figures"].items() if k != "errors"},
        "published": {k: v for k, v in result["published"].items() if k != "details"},
    }
    if "events" in result:
        summary["events"] = {k: v for k, v in result["events"].items() if k != "details"}
    if "positions" in result:
        positions = result["positions"]
        summary["positions"] = {k: v for k, v in positions.items() if k not in ("details", "missed")}
    _print_scores(summary, False, tuple(summary))


@eval_app.command("babe")
def eval_babe(
    csv_path: Annotated[Path, typer.Argument(help="A BABE CSV file (';'-separated).")],
    split: Annotated[
        str, typer.Option(help="'all' rows of the file, or the 'dev' split of the train file.")
    ] = "all",
    system_out: SystemOut = None,
    json_out: JsonOption = False,
    model: Annotated[
        str,
        typer.Option(
            help="Sentence model: 'classical' (default install), 'embeddings' (the optional extra, every "
            "sentence embedded), 'borderline' (embeddings only where the classical model is unsure) or "
            "'finetuned' (the same extra: MiniLM fine-tuned with adapters, blended with the classical "
            "model) or 'mpnet' (the same recipe on all-mpnet-base-v2: its five packages, more CPU)."
        ),
    ] = "classical",
) -> None:
    """BABE sentence bias and opinion: macro F1 of each label ('No agreement' rows left out)."""
    from ..eval.babe import evaluate_babe

    if not csv_path.is_file():
        raise _usage(f"{csv_path}: no such file")
    if split not in ("all", "dev"):
        raise _usage(f"--split must be 'all' or 'dev', not {split!r}")
    if model not in ("classical", "embeddings", "borderline", "finetuned", "mpnet"):
        raise _usage(
            f"--model must be 'classical', 'embeddings', 'borderline', 'finetuned' or 'mpnet', not {model!r}"
        )
    if model != "classical":
        from .. import embed

        if not embed.available():
            raise _usage(f"--model {model} needs the embeddings extra: {embed.INSTALL_HINT}")
        if model == "mpnet" and not embed.available("mpnet"):
            raise _usage(
                f"--model mpnet needs the all-mpnet-base-v2 packages: {embed.MODELS['mpnet'].install}"
            )
    result = evaluate_babe(csv_path, system_out=system_out, split=split, model_name=model)
    _print_scores(result, json_out, tuple(result))


@eval_app.command("ecbplus")
def eval_ecbplus(
    path: Annotated[
        Path, typer.Argument(help="The ECB+ folder (ECB+/<topic>/*.xml and doc_clusters_gold.tsv).")
    ],
    topics: Annotated[str | None, typer.Option(help="Only these topics, e.g. 1,3,5 or 1-10.")] = None,
    system_out: SystemOut = None,
    json_out: JsonOption = False,
    embeddings: Annotated[
        bool, typer.Option("--embeddings", help="Add sentence embeddings (the optional extra).")
    ] = False,
    encoder: Annotated[
        str | None,
        typer.Option(help="Sentence encoder: minilm (the default) or mpnet; implies --embeddings."),
    ] = None,
) -> None:
    """ECB+ document clustering: B-cubed and pairwise P/R/F1 at topic and sub-topic level."""
    from ..eval.ecbplus import evaluate_ecbplus

    if encoder is not None and encoder not in ("minilm", "mpnet"):
        raise _usage(f"--encoder must be 'minilm' or 'mpnet', not {encoder!r}")
    chosen: list[int] | None = None
    if topics:
        try:
            chosen = []
            for part in topics.split(","):
                lo, _, hi = part.partition("-")
                chosen.extend(range(int(lo), int(hi or lo) + 1))
        except ValueError:
            raise _usage(f"--topics {topics!r}: expected numbers like 1,3,5 or 1-10") from None
    result = evaluate_ecbplus(
        _existing_dir(path), system_out=system_out, topics=chosen, embeddings=encoder or embeddings
    )
    _print_scores(result, json_out, tuple(k for k in result if k not in ("per_doc", "errors")))
