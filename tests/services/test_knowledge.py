"""The knowledge base: files ↔ index, lookups, suggestions, language, rendering for a
conversation — on the demo shop's own knowledge folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agentconsole.services.context import Services
from agentconsole.services.knowledge import KnowledgeError, export_item
from agentconsole.store.reader import stored_time


def german_wismo(services: Services) -> tuple[int, int]:
    """A German "where is my order" conversation whose order has shipped: (conversation, order)."""
    with services.store.read() as db:
        ids = db.scalars(
            "SELECT id FROM conversation WHERE subject LIKE 'Wo bleibt meine Bestellung%'"
            " ORDER BY id"
        )
    for conversation_id in ids:
        order_id = services.replies.relevant_order(conversation_id)
        detail = services.orders.detail(order_id) if order_id else None
        if detail is not None and detail.shipments:
            return conversation_id, order_id  # type: ignore[return-value]
    raise AssertionError("the demo has a shipped German order enquiry")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_folder_is_indexed_once_and_then_only_changes(services: Services) -> None:
    first = services.knowledge.refresh()
    assert first.added == 66 and first.problems == ()
    assert services.knowledge.refresh() == type(first)(0, 0, 0, ())
    folder = services.knowledge.folder
    path = folder / "thanks.en.md"
    path.write_text(path.read_text().replace("title: ", "title: Many thanks — ", 1))
    (folder / "size-guide.de.md").unlink()
    report = services.knowledge.refresh()
    assert (report.added, report.updated, report.removed) == (0, 1, 1)
    assert services.knowledge.find("thanks", "en").title.startswith("Many thanks — ")
    assert [t.language for t in services.knowledge.translations("size-guide")] == [
        "en",
        "es",
        "fr",
        "it",
        "pl",
    ]


def test_a_broken_file_is_reported_and_the_last_good_version_kept(services: Services) -> None:
    services.knowledge.refresh()
    folder = services.knowledge.folder
    good = services.knowledge.find("thanks", "en")
    write(folder, "thanks.en.md", "---\ntitle: [unclosed\n---\nHi\n")
    write(folder, "typo.en.md", "---\ntitle: Typo\n---\n{{ order.traking_link }}\n")
    write(folder, "other.en.md", "---\ntitel: wrong field\n---\nHi\n")
    report = services.knowledge.refresh()
    problems = dict(report.problems)
    assert problems["thanks.en.md"].startswith("front matter line 2:")
    assert problems["typo.en.md"] == "line 4: unknown variable order.traking_link"
    assert problems["other.en.md"] == "front matter: unknown field 'titel'"
    kept = services.knowledge.find("thanks", "en")
    assert kept.body == good.body and kept.problems == (problems["thanks.en.md"],)
    assert services.knowledge.find("typo").problems == (
        "line 4: unknown variable order.traking_link",
    )


def test_two_files_claiming_one_id_and_language(services: Services) -> None:
    services.knowledge.refresh()
    write(services.knowledge.folder, "copy.md", "---\nid: thanks\nlanguage: en\n---\nHi\n")
    report = services.knowledge.refresh()
    assert report.problems == (("copy.md", "same id and language as thanks.en.md (thanks, en)"),)
    assert services.knowledge.find("thanks", "en").path == "thanks.en.md"


def test_templates_from_before_the_files_are_written_out(services: Services) -> None:
    shutil.rmtree(services.knowledge.folder)
    services.knowledge.refresh()  # everything indexed is gone with the folder
    with services.store.write() as w:
        w.execute(
            "INSERT INTO reply_template (key, language, title, body, tags) VALUES"
            " ('old-one', 'de', 'Alt', 'Hallo {{ customer.first_name }}', 'a,b')"
        )
    services.knowledge.refresh()
    path = services.knowledge.folder / "old-one.de.md"
    assert path.read_text().startswith("---\nid: old-one\ntitle: Alt\nlanguage: de\n")
    record = services.knowledge.find("old-one")
    assert record.path == "old-one.de.md" and record.tags == ("a", "b")


def test_find_by_id_translation_or_file(services: Services) -> None:
    assert services.knowledge.find("where-is-my-order", "de").title == "Wo ist meine Bestellung?"
    assert services.knowledge.find("where-is-my-order.fr").language == "fr"
    assert services.knowledge.find("where-is-my-order.pl.md").language == "pl"
    assert services.knowledge.find("where-is-my-order", "sv").language == "en"  # shop's
    with pytest.raises(KnowledgeError, match="no template 'nope'"):
        services.knowledge.find("nope")


def test_suggestions_rank_the_customers_question(services: Services) -> None:
    conversation_id, _ = german_wismo(services)
    top = services.replies.suggestions(conversation_id)
    assert top[0].key == "where-is-my-order" and top[0].language == "de"
    assert len(top) == 3 and len({t.key for t in top}) == 3


def test_language_detected_remembered_overridden_and_redetected(services: Services) -> None:
    conversation_id, _ = german_wismo(services)
    choice = services.replies.language(conversation_id)
    assert (choice.language, choice.source) == ("de", "detected")
    assert {"de", "en", "fr", "it", "es", "pl"} <= set(choice.available)
    with services.store.read() as db:
        row = db.one(
            "SELECT language, language_message_id FROM conversation WHERE id = :c",
            {"c": conversation_id},
        )
    assert row.language == "de" and row.language_message_id is not None
    assert services.replies.set_language(conversation_id, "fr").source == "agent"
    assert services.replies.language(conversation_id).language == "fr"
    assert services.replies.set_language(conversation_id, None).language == "de"
    with services.store.write() as w:  # the customer writes again, in English
        customer = w.scalar(
            "SELECT customer_id FROM conversation WHERE id = :c", {"c": conversation_id}
        )
        w.execute(
            "INSERT INTO message (message_id, conversation_id, direction, channel, from_addr,"
            " from_name, to_addrs, cc_addrs, subject, body_text, sent_at, received_at, seen,"
            ' is_automated, customer_id, "references", reply_to, flagged, size) VALUES'
            " ('<en@x>', :c, 'inbound', 'email', 'a@b', 'A', '', '', 'Re: order',"
            " 'Hello, could you please tell me where my parcel is? Thank you very much.', :t,"
            " :t, 0, 0, :cu, '', '', 0, 0)",
            {"c": conversation_id, "t": stored_time(services.clock.now()), "cu": customer},
        )
    assert services.replies.language(conversation_id).language == "en"


def test_fill_in_the_customers_language_with_their_order(services: Services) -> None:
    conversation_id, order_id = german_wismo(services)
    language = services.replies.language(conversation_id).language
    template = services.knowledge.find("where-is-my-order", language)
    filled = services.replies.fill(template, conversation_id)
    order = services.orders.detail(order_id)
    summary = services.inbox.summary(conversation_id)
    assert order is not None and summary is not None
    assert filled.missing == ()
    assert filled.text.startswith(f"Hallo {summary.customer_name.split()[0]},")
    assert order.tracking_link() in filled.text and order.name in filled.text
    assert "Mara Lind" in filled.text


def test_prompts_offer_the_orders_items(services: Services) -> None:
    conversation_id, order_id = german_wismo(services)
    template = services.knowledge.find("missing-item", "de")
    (prompt,) = services.replies.prompts(template, order_id)
    order = services.orders.detail(order_id)
    assert order is not None
    assert prompt.name == "item" and prompt.choices
    assert order.lines[0].title in prompt.choices[0]
    unanswered = services.replies.fill(template, conversation_id, order_id=order_id)
    assert "ask.item" in unanswered.missing
    answered = services.replies.fill(
        template, conversation_id, order_id=order_id, answers={"item": prompt.choices[0]}
    )
    assert answered.missing == () and prompt.choices[0] in answered.text


def test_a_value_the_conversation_lacks_is_missing(services: Services) -> None:
    conversation_id, _ = german_wismo(services)
    with services.store.read() as db:
        unshipped = db.scalar(
            'SELECT o.id FROM "order" o WHERE NOT EXISTS '
            "(SELECT 1 FROM shipment s WHERE s.order_id = o.id) LIMIT 1"
        )
    template = services.knowledge.find("where-is-my-order", "de")
    filled = services.replies.fill(template, conversation_id, order_id=unshipped)
    assert "order.tracking_link" in filled.missing
    overridden = services.replies.fill(
        template,
        conversation_id,
        order_id=unshipped,
        overrides={
            "order.carrier": "DHL",
            "order.tracking_link": "https://t.example/1",
            "order.tracking_number": "1",
        },
    )
    assert overridden.missing == () and "https://t.example/1" in overridden.text


def test_save_text_checks_before_it_writes(services: Services) -> None:
    folder = services.knowledge.folder
    with pytest.raises(KnowledgeError, match="line 4: unknown variable order.traking"):
        services.knowledge.save_text("---\nid: gift-wrap\n---\n{{ order.traking }}\n")
    with pytest.raises(KnowledgeError, match="already"):
        services.knowledge.save_text("---\nid: thanks\nlanguage: en\n---\nHi\n")
    assert not (folder / "gift-wrap.en.md").exists()
    record = services.knowledge.save_text(
        "---\nid: gift-wrap\ntitle: Gift wrap\nlanguage: en\n---\nWrapped, {{ customer.name }}.\n"
    )
    assert record.path == "gift-wrap.en.md" and (folder / "gift-wrap.en.md").exists()
    assert not list(folder.glob(".*"))  # no temporary file left behind


def test_create_refuses_an_existing_translation(services: Services) -> None:
    path = services.knowledge.create("gift-wrap", "fr", "Papier cadeau")
    assert path.name == "gift-wrap.fr.md"
    assert services.knowledge.find("gift-wrap").title == "Papier cadeau"
    with pytest.raises(KnowledgeError, match="already exists in fr"):
        services.knowledge.create("gift-wrap", "fr")
    with pytest.raises(KnowledgeError, match="lowercase"):
        services.knowledge.create("Gift Wrap", "fr")


def test_export_and_import_round_trip(services: Services, tmp_path: Path) -> None:
    before = {(t.key, t.language, t.body) for t in services.knowledge.all()}
    exported = services.knowledge.export(tmp_path / "out")
    assert len(exported) == 66
    as_json = tmp_path / "kb.json"
    as_json.write_text(json.dumps([export_item(t) for t in services.knowledge.all()]))
    shutil.rmtree(services.knowledge.folder)
    assert services.knowledge.all() == []
    services.knowledge.import_paths([tmp_path / "out"])
    assert {(t.key, t.language, t.body) for t in services.knowledge.all()} == before
    with pytest.raises(KnowledgeError, match="already exists in de .--replace"):
        services.knowledge.import_paths([as_json])
    services.knowledge.import_paths([as_json], replace_existing=True)
    assert {(t.key, t.language, t.body) for t in services.knowledge.all()} == before


def test_an_import_with_one_bad_file_writes_nothing(services: Services, tmp_path: Path) -> None:
    incoming = tmp_path / "in"
    incoming.mkdir()
    write(incoming, "a.en.md", "---\ntitle: A\n---\nFine\n")
    write(incoming, "b.en.md", "---\ntitle: B\n---\n{{ ''.__class__ }}{% if %}\n")
    with pytest.raises(KnowledgeError, match="b.en.md: line 4"):
        services.knowledge.import_paths([incoming])
    assert not (services.knowledge.folder / "a.en.md").exists()


def test_an_undeclared_ask_still_asks_and_unsafe_names_are_flagged(services: Services) -> None:
    folder = services.knowledge.folder
    write(folder, "size.en.md", "---\ntitle: Size\n---\nWe have {{ ask.shoe_size }} in stock.\n")
    write(folder, "evil.en.md", "---\ntitle: Evil\n---\n{{ ''.__class__.__mro__ }}\n")
    report = services.knowledge.refresh().problems
    (prompt,) = services.knowledge.find("size").prompts
    assert (prompt.name, prompt.question) == ("shoe_size", "Shoe size?")
    assert {p for f, p in report if f == "evil.en.md"} == {
        "line 4: __mro__ is not available to templates",
        "line 4: __class__ is not available to templates",
    }
    with pytest.raises(KnowledgeError, match="no longer exists"):
        services.knowledge.pick([], "en")
