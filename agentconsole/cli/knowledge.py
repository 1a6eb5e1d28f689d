"""``agentconsole kb``: the knowledge base from a shell — list, show, new, import, export and
render a template for a conversation exactly as the composer would insert it.

The files in the knowledge folder are the truth; every command reads them first, so an edit
made in any editor (or a ``git pull``) counts at once.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from agentconsole.cli.about import PROG
from agentconsole.cli.context import open_services
from agentconsole.cli.errors import CliError
from agentconsole.cli.output import clean, literal_cell, literal_line, new_console, print_json

if TYPE_CHECKING:
    from agentconsole.services.records import TemplateRecord

kb_app = typer.Typer(
    help="The knowledge base: reply templates and articles kept as Markdown files.",
    no_args_is_help=True,
    add_completion=False,
)


def _problems_to_stderr(problems: tuple[tuple[str, str], ...]) -> None:
    for path, problem in problems:
        typer.echo(f"{PROG}: {clean(path)}: {' '.join(clean(problem).split())}", err=True)


@kb_app.command("list")
def list_(
    ctx: typer.Context,
    language: str | None = typer.Option(None, "--lang", help="Only templates in this language."),
    as_json: bool = typer.Option(False, "--json", help="Print the templates as JSON."),
) -> None:
    """Every template: id, languages, title, category, composer key, problems."""
    from agentconsole.services.knowledge import export_item

    with open_services(ctx) as services:
        report = services.knowledge.refresh()
        records = services.knowledge.all()
        folder = services.knowledge.folder
    if language:
        records = [r for r in records if r.language == language]
    if as_json:
        print_json([export_item(r) for r in records])
        return
    known = dict.fromkeys([*report.problems, *((r.path, p) for r in records for p in r.problems)])
    _problems_to_stderr(tuple(known))
    if not records:
        typer.echo(f"no templates in {folder} (create one with: {PROG} kb new ID)")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("id", "languages", "title", "category", "key", ""):
        table.add_column(column)
    by_key: dict[str, list[TemplateRecord]] = {}
    for record in records:
        by_key.setdefault(record.key, []).append(record)
    for key, group in by_key.items():
        shown = services.knowledge.pick(group, services.settings.shop.language)
        table.add_row(
            literal_cell(key),
            Text(" ".join(r.language for r in group)),
            literal_cell(shown.title),
            literal_cell(shown.category),
            Text(shown.hotkey),
            Text("⚠ problems" if any(r.problems for r in group) else "", style="yellow"),
        )
    new_console().print(table)


@kb_app.command()
def show(
    ctx: typer.Context,
    template: str = typer.Argument(..., metavar="TEMPLATE", help="id, id.lang or file name"),
    language: str | None = typer.Option(None, "--lang", help="Which translation."),
    as_json: bool = typer.Option(False, "--json", help="Print it as JSON."),
) -> None:
    """One template as written: its fields, its file and its text (not filled in)."""
    from agentconsole.services.knowledge import export_item

    with open_services(ctx) as services:
        record = services.knowledge.find(template, language)
        others = [
            t.language
            for t in services.knowledge.translations(record.key)
            if t.language != record.language
        ]
        path = services.knowledge.path_of(record)
    if as_json:
        print_json({**export_item(record), "translations": others, "file": str(path)})
        return
    console = new_console()
    console.print(literal_line(f"{record.title}", "bold"))
    also = f" (also: {' '.join(others)})" if others else ""
    console.print(literal_line(f"{record.key} · {record.language}{also}"))
    console.print(literal_line(f"file: {path}", "dim"))
    if record.category or record.tags:
        console.print(literal_line(f"{record.category}  {', '.join(record.tags)}", "dim"))
    if record.hotkey:
        console.print(literal_line(f"composer key: {record.hotkey}", "dim"))
    for prompt in record.prompts:
        console.print(literal_line(f"asks {prompt.name}: {prompt.question}", "dim"))
    for problem in record.problems:
        console.print(literal_line(f"problem: {problem}", "yellow"))
    console.print()
    console.print(Text(clean(record.body)), end="")


def _edit(path: Path) -> None:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        subprocess.run([*shlex.split(editor), str(path)], check=False)  # noqa: S603
    except OSError as exc:
        raise CliError(f"cannot start the editor {editor!r}: {exc.strerror}") from None


@kb_app.command()
def new(
    ctx: typer.Context,
    template_id: str = typer.Argument(..., metavar="ID", help="e.g. where-is-my-order"),
    language: str | None = typer.Option(None, "--lang", help="Default: the shop's language."),
    title: str = typer.Option("", "--title", help="Its title (default: from the id)."),
    edit: bool = typer.Option(False, "--edit", help="Open it in $EDITOR afterwards."),
) -> None:
    """Start a new template file from a skeleton (a translation: the same ID, another --lang)."""
    with open_services(ctx) as services:
        path = services.knowledge.create(
            template_id, language or services.settings.shop.language, title
        )
        if edit:
            _edit(path)
            report = services.knowledge.refresh()
            _problems_to_stderr(report.problems)
    typer.echo(str(path))


@kb_app.command("import")
def import_(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(
        ...,
        metavar="PATH...",
        help="Markdown files, folders of them, or a `kb export --json` file.",
    ),
    replace: bool = typer.Option(False, "--replace", help="Overwrite templates that exist."),
) -> None:
    """Copy templates into the knowledge folder; all are checked before any is written."""
    with open_services(ctx) as services:
        written = services.knowledge.import_paths(paths, replace_existing=replace)
        folder = services.knowledge.folder
    typer.echo(f"imported {len(written)} file{'s' if len(written) != 1 else ''} into {folder}")


@kb_app.command()
def export(
    ctx: typer.Context,
    destination: Path | None = typer.Argument(None, metavar="DIR", help="Folder to write to."),
    as_json: bool = typer.Option(False, "--json", help="Print every template as JSON instead."),
) -> None:
    """Every template as files in DIR, or as JSON (which `kb import` reads back)."""
    from agentconsole.services.knowledge import export_item

    if destination is None and not as_json:
        raise CliError("give a folder to export to, or --json")
    with open_services(ctx) as services:
        if as_json:
            print_json([export_item(r) for r in services.knowledge.all()])
            return
        assert destination is not None
        written = services.knowledge.export(destination.expanduser())
    typer.echo(f"exported {len(written)} files to {destination}")


def _settings_from(pairs: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    answers: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        name = name.strip()
        if not eq or not name:
            raise CliError(f"--set {pair!r}: expected name=value")
        if name.startswith("ask."):
            answers[name.removeprefix("ask.")] = value
        elif "." in name:
            overrides[name] = value
        else:
            answers[name] = value
    return answers, overrides


@kb_app.command()
def render(
    ctx: typer.Context,
    template: str = typer.Argument(..., metavar="TEMPLATE", help="id, id.lang or file name"),
    conversation_id: int = typer.Option(..., "--conversation", metavar="ID"),
    language: str | None = typer.Option(
        None, "--lang", help="Translation to use (default: the customer's language)."
    ),
    order: str | None = typer.Option(
        None, "--order", metavar="NUMBER", help="The order it is about (default: as the console)."
    ),
    values: list[str] = typer.Option(
        [], "--set", metavar="NAME=VALUE", help="A prompted value (item=…) or any value."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Print the reply exactly as the composer would insert it.

    Exits 2 naming what is missing: values this conversation has none of, and the values the
    template asks the agent for (give them with --set name=value).
    """
    answers, overrides = _settings_from(values)
    with open_services(ctx) as services:
        replies = services.replies
        choice = replies.language(conversation_id)
        record = services.knowledge.find(template, language or choice.language)
        order_id = None
        if order is not None:
            found = services.orders.find(order)
            if found is None:
                raise CliError(f"no order {order!r} in the store")
            order_id = found.id
        else:
            order_id = replies.relevant_order(conversation_id)
        prompts = replies.prompts(record, order_id)
        filled = replies.fill(
            record, conversation_id, order_id=order_id, answers=answers, overrides=overrides
        )
    unanswered = [p for p in prompts if p.name not in answers]
    missing = [m for m in filled.missing if not m.startswith("ask.")]
    if as_json:
        print_json(
            {
                "template": record.key,
                "language": record.language,
                "language_reason": choice.source,
                "text": filled.text if not missing and not unanswered else None,
                "missing": missing,
                "asks": [
                    {"name": p.name, "question": p.question, "choices": list(p.choices)}
                    for p in unanswered
                ],
            }
        )
        if missing or unanswered:
            raise typer.Exit(2)
        return
    if missing or unanswered:
        for name in missing:
            typer.echo(
                f"{PROG}: no value for {name} in conversation {conversation_id} (--set {name}=…)",
                err=True,
            )
        for prompt in unanswered:
            choices = f" [{' | '.join(prompt.choices)}]" if prompt.choices else ""
            typer.echo(
                f"{PROG}: {record.key} asks: {clean(prompt.question)}{clean(choices)} "
                f"(--set {prompt.name}=…)",
                err=True,
            )
        raise typer.Exit(2)
    sys.stdout.write(clean(filled.text))
    if not filled.text.endswith("\n"):
        sys.stdout.write("\n")
