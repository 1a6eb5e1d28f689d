"""`agentconsole kb`: list, show, new, import, export and render, on a copy of the demo shop."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agentconsole.cli import app
from agentconsole.cli.demo import DEMO_MARKER
from agentconsole.demo import write_knowledge
from agentconsole.demo.hostile import HOSTILE_SUBJECT

runner = CliRunner()


@pytest.fixture
def home(demo_store_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "demo"
    home.mkdir()
    shutil.copy(demo_store_file, home / "store.db")
    (home / DEMO_MARKER).write_text("{}\n")
    write_knowledge(home / "knowledge")
    monkeypatch.setenv("COLUMNS", "120")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    return home


def run(home: Path, *args: str) -> Any:
    return runner.invoke(app, ["--home", str(home), *args])


def one(home: Path, sql: str, *params: object) -> Any:
    con = sqlite3.connect(home / "store.db")
    try:
        return con.execute(sql, params).fetchone()
    finally:
        con.close()


def german_wismo(home: Path) -> int:
    """A German order enquiry whose order (the one it quotes) has shipped."""
    row = one(
        home,
        "SELECT c.id FROM conversation c JOIN message m ON m.conversation_id = c.id"
        ' JOIN "order" o ON c.subject LIKE \'%\' || o.name || \'%\' AND o.customer_id = c.customer_id'
        " JOIN shipment s ON s.order_id = o.id"
        " WHERE c.subject LIKE 'Wo bleibt meine Bestellung%' ORDER BY c.id LIMIT 1",
    )
    return int(row[0])


def test_list_shows_every_template_with_its_languages(home: Path) -> None:
    result = run(home, "kb", "list")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("where-is-my-order"))
    assert "de en es fr it pl" in line and "Where is my order?" in line and "alt+w" in line
    items = json.loads(run(home, "kb", "list", "--json").stdout)
    assert len(items) == 66
    assert {"id", "language", "title", "body", "ask", "key", "problems"} <= set(items[0])
    german = json.loads(run(home, "kb", "list", "--lang", "de", "--json").stdout)
    assert {i["language"] for i in german} == {"de"}


def test_a_broken_file_is_one_line_on_stderr(home: Path) -> None:
    (home / "knowledge" / "bad.en.md").write_text("---\ntitle: Bad\n---\n{{ order.trakcing }}\n")
    result = run(home, "kb", "list")
    assert result.exit_code == 0
    assert result.stderr == "agentconsole: bad.en.md: line 4: unknown variable order.trakcing\n"
    assert "⚠ problems" in next(x for x in result.stdout.splitlines() if x.startswith("bad"))


def test_show_prints_the_template_as_written(home: Path) -> None:
    result = run(home, "kb", "show", "where-is-my-order", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wo ist meine Bestellung?\nwhere-is-my-order · de (also: ")
    assert "{{ order.tracking_link }}" in result.stdout
    assert "composer key: alt+w" in result.stdout
    shown = json.loads(run(home, "kb", "show", "missing-item.fr", "--json").stdout)
    assert shown["language"] == "fr" and shown["ask"]["item"]["choices"] == "order.items"
    assert shown["file"].endswith("knowledge/missing-item.fr.md")
    missing = run(home, "kb", "show", "nope")
    assert missing.exit_code == 1
    assert missing.stderr == "agentconsole: no template 'nope' (see: agentconsole kb list)\n"


def test_render_prints_what_the_composer_inserts(home: Path) -> None:
    conversation = german_wismo(home)
    result = run(home, "kb", "render", "where-is-my-order", "--conversation", str(conversation))
    assert result.exit_code == 0, result.output
    from agentconsole.config import Settings, ShopSection, StoreSection
    from agentconsole.demo import RETURNS_URL
    from agentconsole.services.context import Services

    services = Services.open(
        Settings(store=StoreSection(home=home), shop=ShopSection(return_policy_url=RETURNS_URL))
    )
    try:
        template = services.knowledge.find("where-is-my-order", "de")
        expected = services.replies.fill(template, conversation).text
    finally:
        services.close()
    assert result.stdout == expected
    assert result.stdout.startswith("Hallo ") and "https://" in result.stdout
    english = run(
        home, "kb", "render", "where-is-my-order", "--conversation", str(conversation),
        "--lang", "en",
    )
    assert english.stdout.startswith("Hi ")


def test_render_names_missing_values_and_prompts_and_exits_2(home: Path) -> None:
    conversation = german_wismo(home)
    unshipped = one(
        home,
        'SELECT name FROM "order" o WHERE NOT EXISTS (SELECT 1 FROM shipment s'
        " WHERE s.order_id = o.id) LIMIT 1",
    )[0]
    result = run(
        home, "kb", "render", "where-is-my-order", "--conversation", str(conversation),
        "--order", unshipped,
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"agentconsole: no value for order.tracking_link in conversation {conversation}" in (
        result.stderr
    )
    asked = run(home, "kb", "render", "missing-item", "--conversation", str(conversation))
    assert asked.exit_code == 2
    assert "asks: Welcher Artikel fehlt" in asked.stderr and "(--set item=…)" in asked.stderr
    answered = run(
        home, "kb", "render", "missing-item", "--conversation", str(conversation),
        "--set", "item=Teekanne Hana",
    )
    assert answered.exit_code == 0, answered.output
    assert "Teekanne Hana" in answered.stdout
    as_json = run(
        home, "kb", "render", "missing-item", "--conversation", str(conversation), "--json"
    )
    assert as_json.exit_code == 2
    body = json.loads(as_json.stdout)
    assert body["text"] is None and body["asks"][0]["name"] == "item"
    assert body["asks"][0]["choices"]


def test_render_for_the_hostile_customer_stays_inert(home: Path) -> None:
    row = one(home, "SELECT id FROM conversation WHERE subject = ?", HOSTILE_SUBJECT)
    result = run(home, "kb", "render", "thanks.en", "--conversation", str(row[0]))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "Eve" in result.stdout


def test_a_sandbox_escape_is_refused_in_one_line(home: Path) -> None:
    (home / "knowledge" / "evil.en.md").write_text(
        "---\ntitle: Evil\n---\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n"
    )
    conversation = german_wismo(home)
    result = run(home, "kb", "render", "evil", "--conversation", str(conversation))
    assert result.exit_code == 1
    assert result.stderr == (
        "agentconsole: the template cannot be used: not allowed in a template: "
        "__class__ is not available to templates\n"
    )


def test_new_import_export(home: Path, tmp_path: Path) -> None:
    created = run(home, "kb", "new", "gift-wrap", "--lang", "fr", "--title", "Papier cadeau")
    assert created.exit_code == 0, created.output
    path = Path(created.stdout.strip())
    assert path == home / "knowledge" / "gift-wrap.fr.md" and path.exists()
    again = run(home, "kb", "new", "gift-wrap", "--lang", "fr")
    assert again.exit_code == 1 and again.stderr == (
        "agentconsole: gift-wrap already exists in fr\n"
    )
    exported = run(home, "kb", "export", str(tmp_path / "out"))
    assert exported.stdout == f"exported 67 files to {tmp_path / 'out'}\n"
    dump = run(home, "kb", "export", "--json")
    (tmp_path / "kb.json").write_text(dump.stdout)
    shutil.rmtree(home / "knowledge")
    imported = run(home, "kb", "import", str(tmp_path / "out"))
    assert imported.stdout == f"imported 67 files into {home / 'knowledge'}\n"
    refused = run(home, "kb", "import", str(tmp_path / "kb.json"))
    assert refused.exit_code == 1 and "(--replace to overwrite)" in refused.stderr
    replaced = run(home, "kb", "import", str(tmp_path / "kb.json"), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert json.loads(run(home, "kb", "export", "--json").stdout) == json.loads(dump.stdout)
