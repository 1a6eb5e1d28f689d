"""Knowledge-base files: front matter read and written, and one-line errors."""

from __future__ import annotations

import pytest

from agentconsole.services.kb_files import KbDocument, KbFileError, dump, parse, skeleton
from agentconsole.services.records import Prompt


def test_a_document_survives_a_round_trip() -> None:
    doc = KbDocument(
        id="missing-item",
        title="Fehlt: ein Artikel",
        language="de",
        body="Hallo {{ customer.first_name }},\n\n{{ ask.item }} kommt separat.\n",
        category="order-issues",
        tags=("missing", "parcel"),
        hotkey="alt+m",
        asks=(
            Prompt("item", "Welcher Artikel fehlt?", choices_from="order.items"),
            Prompt("size", "Größe?", ("S", "M")),
            Prompt("note", "Notiz?"),
        ),
    )
    text = dump(doc)
    assert text.startswith("---\nid: missing-item\ntitle: 'Fehlt: ein Artikel'\nlanguage: de\n")
    assert "tags: [missing, parcel]\nkey: alt+m\n" in text
    assert parse(text, "anything.md") == doc


def test_the_file_name_gives_what_the_front_matter_leaves_out() -> None:
    doc = parse("Just the text\n", "thanks.fr.md")
    assert (doc.id, doc.language, doc.title) == ("thanks", "fr", "Thanks")
    assert parse("Hi\n", "gift-wrap.md", default_language="de").language == "de"
    windows = parse("\ufeff---\r\ntitle: T\r\n---\r\nHi\r\n", "a.en.md")
    assert (windows.title, windows.body) == ("T", "Hi\n")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\ntitle: T\nHi\n", "the front matter opened with --- is never closed with ---"),
        ("---\ntitle: [x\n---\nHi\n", "front matter line 2:"),
        ("---\n- a\n---\nHi\n", "front matter: expected fields such as title: and language:"),
        ("---\ntitel: T\n---\nHi\n", "front matter: unknown field 'titel'"),
        ("---\nid: Big Id\n---\nHi\n", "id 'Big Id': use lowercase letters, digits and -"),
        ("---\nlanguage: german\n---\nHi\n", "language 'german': expected a code"),
        ("---\nkey: ctrl+alt+\n---\nHi\n", "key 'ctrl+alt+': expected a key such as alt+w"),
        ("---\ntags: 5\n---\nHi\n", "tags: expected a list"),
        ("---\nask: [a]\n---\nHi\n", "ask: expected names with a question"),
        ("---\nask:\n  Item-1: Q\n---\nHi\n", "ask: 'Item-1' is not a usable name"),
        ("---\nask:\n  i: {choices: nope}\n---\nHi\n", "ask.i.choices: expected a list or"),
        ("---\ntitle: T\n---\n\n  \n", "the text after the front matter is empty"),
    ],
)
def test_problems_are_one_line(text: str, problem: str) -> None:
    with pytest.raises(KbFileError) as caught:
        parse(text, "x.en.md")
    assert str(caught.value).startswith(problem)
    assert "\n" not in str(caught.value)


def test_the_skeleton_is_a_valid_file() -> None:
    doc = parse(skeleton("gift-wrap", "en", "Gift wrap"), "gift-wrap.en.md")
    assert (doc.id, doc.title, doc.language) == ("gift-wrap", "Gift wrap", "en")
    assert "{{ customer.first_name" in doc.body
