"""``viva bank``: lint, show, count and import question banks; print their schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from viva.cli.completion import complete_track
from viva.cli.options import OUTPUT_RULE, TRACK_NAME_ARG

app = typer.Typer(
    help="Validate, show, count and import question banks.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="bank")


@app.command("lint")
def lint(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Bank or catalog files, or folders to search for .yaml files."),
    ],
    schema: Annotated[
        bool,
        typer.Option(
            "--schema",
            help="Check bank files against the published JSON Schema (`viva bank schema "
            "bank`, what an editor checks) instead of viva's own checks.",
        ),
    ] = False,
) -> None:
    """Validate bank and catalog files; print every problem as file:line: field: message.

    Examples:

    \b
      viva bank lint ~/.local/share/viva/question_banks
      viva bank lint my-bank.yaml
      viva bank lint --schema my-bank.yaml
    """
    import sys

    from viva.errors import report_lines

    if schema:
        from viva.services.bank import lint_schema

        checked = lint_schema(paths)
        for line in report_lines(checked.errors):
            sys.stdout.write(f"{line}\n")
        if checked.errors:
            n = len(checked.errors)
            sys.stderr.write(f"{n} problem{'s' if n != 1 else ''} in {checked.files} files\n")
            raise typer.Exit(1)
        sys.stdout.write(f"ok: {checked.files} files match the bank schema\n")
        return

    from viva.services.bank import lint as lint_files

    result = lint_files(paths)
    for line in report_lines(result.errors):
        sys.stdout.write(f"{line}\n")
    if result.errors:
        n = len(result.errors)
        sys.stderr.write(f"{n} problem{'s' if n != 1 else ''} in {result.files} files\n")
        raise typer.Exit(1)
    sys.stdout.write(f"ok: {result.files} files, {result.questions} questions\n")


@app.command("show")
def show(
    track: Annotated[str, TRACK_NAME_ARG],
    json: Annotated[bool, typer.Option("--json", help="Print the questions as JSON.")] = False,
) -> None:
    """Print a track's questions as loaded (key points, follow-ups, minutes, source).

    Examples:

    \b
      viva bank show go/raft-kv
      viva bank show matching-engine --json
    """
    from viva.catalog.loader import load_catalog
    from viva.cli.output import console, print_json
    from viva.cli.views.bank import render_bank

    t = load_catalog().resolve(track)
    if json:
        print_json([q.model_dump(mode="json") for q in t.questions])
        return
    render_bank(t, console())


@app.command("stats")
def stats(
    json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Count every track's questions per category and kind, key points, follow-ups and
    minutes available against a 60-minute session, and check the minimums.

    Examples:

    \b
      viva bank stats
      viva bank stats --json
    """
    from viva.catalog.bankstats import bank_stats
    from viva.catalog.loader import load_catalog
    from viva.cli.output import console, print_json
    from viva.cli.views.bank import render_bank_stats

    all_stats = [bank_stats(t) for t in load_catalog().tracks.values()]
    if json:
        print_json([s.as_json() for s in all_stats])
        return
    render_bank_stats(all_stats, console())


@app.command("import")
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="A .csv or .tsv table, or a .md file of Q:/A: cards (other names: sniffed).",
            show_default=False,
        ),
    ],
    track: Annotated[
        str | None,
        typer.Option(
            "--track",
            help="The track of every question (default: the track column, or the Markdown "
            "front matter). Unique prefixes and suffixes work.",
            show_default=False,
            autocompletion=complete_track,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="The bank file to write (default: $VIVA_HOME/question_banks/"
            "imported-<name>.yaml, where every command loads it). Only an earlier import "
            "is replaced; any other file there is refused." + OUTPUT_RULE,
            show_default=False,
        ),
    ] = None,
) -> None:
    """Turn a spreadsheet or flash-card notes into a question bank of one track.

    The questions are checked as a bank file is (and against the track's existing
    ids) before anything is written; each problem is reported at its row or line of
    FILE, as FILE:LINE: field: message, and then nothing is written. Importing the
    same file again replaces its bank whole, with the same ids.

    CSV/TSV: a header row, then one question a row. Columns: id (empty: made from
    the prompt, the same on every import), track, category, kind, prompt, key_points,
    follow_ups, source, minutes (default 3), difficulty (1-3, default 2), must
    (true/false), scopes, verified (YYYY-MM). category, kind, prompt, key_points and
    source are required (source: where in the seed, "Go Mastery / Track 1 / ...").
    key_points: at least two, separated by | or by line breaks in a quoted cell (\\|
    is a literal bar). follow_ups: the same separators; an item starting with "- "
    is a key point of the follow-up question before it.

    Markdown (hashcards): "Q: question" then "A:" with one bullet per key point;
    "C: text with [deletions]" is a cloze card (the deletions are the key points);
    "F: follow-up" after the answer, with its own bullets. A card ends at the next
    Q:/C:, a heading or a --- line. Fields for the whole file come from TOML front
    matter between --- lines (track = "go/raft-kv", category, kind, source, minutes,
    must, ...); a heading such as "## category: cost; kind: review" sets them for
    the cards under it; a line "<!-- id: my-id; must: true -->" sets them for the
    next card.

    Examples:

    \b
      viva bank import cards.csv --track go/raft-kv
      viva bank import cards.tsv -o ~/banks/raft-extra.yaml
      viva bank import notes.md
    """
    import sys

    from viva.services.bank import import_bank

    done = import_bank(file, track, output)
    n = done.questions
    sys.stderr.write(
        f"imported {n} question{'s' if n != 1 else ''} for {done.track} to {done.path}"
        + (" (replacing the earlier import)" if done.replaced else "")
        + "\n"
    )
    if not done.loaded:
        sys.stderr.write(
            "note: commands load banks only from $VIVA_HOME/question_banks; copy the file "
            "there to use it\n"
        )


@app.command("schema")
def schema(
    name: Annotated[
        str,
        typer.Argument(help="bank (a question bank file) or export (viva export json)."),
    ] = "bank",
    path: Annotated[
        bool,
        typer.Option("--path", help="Print where the schema file is installed instead."),
    ] = False,
) -> None:
    """Print a published JSON Schema: the question bank format or the viva-export/1 export.

    For checking as you type, point the YAML language server at the installed file
    (the path --path prints) with a first line in the bank such as:

    \b
      # yaml-language-server: $schema=/path/to/bank.schema.json

    Examples:

    \b
      viva bank schema bank > bank.schema.json
      viva bank schema export
      viva bank schema bank --path
    """
    import sys

    from viva.errors import UsageProblem
    from viva.schemas import SCHEMAS, schema_path

    if name not in SCHEMAS:
        raise UsageProblem(f"unknown schema {name!r}; use one of: {', '.join(SCHEMAS)}")
    file = schema_path(name)
    if path:
        sys.stdout.write(f"{file}\n")
        return
    sys.stdout.write(file.read_text(encoding="utf-8"))
