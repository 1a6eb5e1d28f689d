"""Canned replies inside the composer: the picker (its key and ``::``), the fuzzy filter, the
reply language, a template's questions, its own key, and the refusals (a missing value, a
broken or unsafe template) that leave the draft exactly as it was.

The composer is opened straight on a chosen conversation (as the main screen does), so each
test picks the conversation it needs from the demo store.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static, TextArea

from agentconsole.services.context import Services
from agentconsole.services.records import TemplateRecord
from agentconsole.tui.app import AgentConsoleApp
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.template_picker import TemplatePicker
from agentconsole.tui.screens.template_prompts import TemplatePrompts
from tests.tui.conftest import SIGNATURE
from tests.tui.pilot import settle

WIDE = (120, 40)


# -- finding what each test needs in the demo store -------------------------------------


def template(services: Services, key: str, language: str) -> TemplateRecord:
    return services.knowledge.find(key, language)


def german_wismo(services: Services) -> int:
    """A German "Wo bleibt meine Bestellung" conversation whose order has a tracking link."""
    with services.store.read() as db:
        ids = db.scalars(
            "SELECT id FROM conversation WHERE subject LIKE 'Wo bleibt meine Bestellung%' "
            "ORDER BY id"
        )
    wismo = template(services, "where-is-my-order", "de")
    for conversation_id in ids:
        if services.replies.language(conversation_id).language != "de":
            continue
        filled = services.replies.fill(wismo, conversation_id)
        if not filled.missing and "https://" in filled.text:
            return int(conversation_id)
    raise AssertionError("the demo has no German where-is-my-order conversation with tracking")


def without_order(services: Services) -> int:
    """A conversation where where-is-my-order lacks values (no order to track)."""
    with services.store.read() as db:
        ids = db.scalars("SELECT id FROM conversation ORDER BY id")
    wismo = template(services, "where-is-my-order", "en")
    for conversation_id in ids:
        if "order.tracking_link" in services.replies.fill(wismo, conversation_id).missing:
            return int(conversation_id)
    raise AssertionError("every demo conversation has a tracked order")


def first_name(services: Services, conversation_id: int) -> str:
    summary = services.inbox.summary(conversation_id)
    assert summary is not None
    return summary.customer_name.split()[0]


def tracking_link(services: Services, conversation_id: int) -> str:
    order_id = services.replies.relevant_order(conversation_id)
    assert order_id is not None
    order = services.orders.detail(order_id)
    assert order is not None
    link = order.tracking_link()  # type: ignore[attr-defined]
    assert link
    return str(link)


def write_template(services: Services, name: str, text: str) -> None:
    folder = services.settings.knowledge_folder
    (folder / name).write_text(text, encoding="utf-8")


# -- driving the composer ---------------------------------------------------------------


async def open_composer(
    pilot: Pilot[None], services: Services, conversation_id: int | None, **kwargs: object
) -> ComposeScreen:
    await settle(pilot)
    if conversation_id is not None:
        draft = services.drafts.start(services.agent, "reply", conversation_id=conversation_id)
    else:  # a new message to the customer of the German conversation
        summary = services.inbox.summary(german_wismo(services))
        assert summary is not None
        draft = services.drafts.start(services.agent, "new", customer_id=summary.customer_id)
    screen = ComposeScreen(services, draft, **kwargs)  # type: ignore[arg-type]
    await pilot.app.push_screen(screen)
    await settle(pilot)
    assert pilot.app.screen is screen
    return screen


def body(screen: ComposeScreen) -> TextArea:
    return screen.query_one("#compose-body", TextArea)


def picker(app: AgentConsoleApp) -> TemplatePicker:
    assert isinstance(app.screen, TemplatePicker), type(app.screen).__name__
    return app.screen


def rendered(widget: Static) -> str:
    shown = widget.render()
    return getattr(shown, "plain", str(shown))


def notes(app: AgentConsoleApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


async def press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


# -- the picker -------------------------------------------------------------------------


async def test_f3_opens_the_picker_and_enter_inserts_at_the_cursor(
    app: AgentConsoleApp, services: Services
) -> None:
    """German conversation → the German template, the customer's first name, the link."""
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        assert "reply in de (detected)" in rendered(screen.query_one("#compose-head", Static))
        await type_text(pilot, "Vorweg")
        await press(pilot, "enter", "f3")
        chooser = picker(app)
        language = rendered(chooser.query_one("#picker-language", Static))
        assert "Language: de (detected from the customer's message) · ctrl+l to switch" in language
        await type_text(pilot, "wimo")
        await settle(pilot)
        assert chooser.highlighted is not None
        assert (chooser.highlighted.key, chooser.highlighted.language) == (
            "where-is-my-order",
            "de",
        )
        preview = rendered(chooser.query_one("#picker-preview", Static))
        assert f"Hallo {first_name(services, conversation_id)}," in preview
        await press(pilot, "enter")

        assert app.screen is screen and body(screen).has_focus
        text = body(screen).text
        link = tracking_link(services, conversation_id)
        assert text.startswith(f"Vorweg\nHallo {first_name(services, conversation_id)},")
        assert link in text
        assert text.index(link) < text.index("wrote:")  # the quote stays below
        assert "{{" not in text

        # A second snippet goes in where the cursor is now: after the first one.
        await type_text(pilot, "::")
        await settle(pilot)
        picker(app)
        await type_text(pilot, "thanks")
        await press(pilot, "enter")
        after = body(screen).text
        thanks = services.replies.fill(template(services, "thanks", "de"), conversation_id).text
        assert "::" not in after
        assert after.index(link) < after.index(thanks.strip()) < after.index("wrote:")
        assert after.startswith("Vorweg\n")


async def test_the_filter_is_fuzzy_and_lists_each_template_once(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        await open_composer(pilot, services, conversation_id)
        await press(pilot, "f3")
        chooser = picker(app)
        keys = [t.key for t in chooser.shown]
        assert len(keys) == len(set(keys)) == len({t.key for t in services.knowledge.all()})
        assert {t.language for t in chooser.shown} == {"de"}
        where = next(t for t in chooser.shown if t.key == "where-is-my-order")
        assert "alt+w" in str(
            chooser.query_one("#picker-list", OptionList)
            .get_option_at_index(chooser.shown.index(where))
            .prompt
        )

        await type_text(pilot, "wimo")
        await settle(pilot)
        assert chooser.shown[0].key == "where-is-my-order"
        await pilot.press("down")
        assert chooser.highlighted is not None and chooser.highlighted.key != "where-is-my-order"

        chooser.query_one("#picker-filter", Input).value = "zzzq"
        await settle(pilot)
        assert chooser.shown == []
        assert "No canned reply matches." in rendered(chooser.query_one("#picker-preview", Static))
        await press(pilot, "escape")
        assert isinstance(app.screen, ComposeScreen)


async def test_escape_closes_the_picker_and_leaves_the_draft(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        before = body(screen).text
        await type_text(pilot, "ab::")
        await settle(pilot)
        picker(app)
        await press(pilot, "escape")
        assert app.screen is screen and body(screen).has_focus
        assert body(screen).text == "ab" + before


async def test_ctrl_l_switches_the_language_for_the_next_insertion(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    (services.settings.knowledge_folder / "only-english.en.md").write_text(
        "---\ntitle: Only in English\n---\nHello {{ customer.name }}\n"
    )
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        await press(pilot, "ctrl+l")
        choice = services.replies.language(conversation_id)
        assert (choice.language, choice.source) == ("en", "agent")  # kept for the conversation
        assert "reply in en (agent)" in rendered(screen.query_one("#compose-head", Static))
        await press(pilot, "alt+w")
        english = template(services, "where-is-my-order", "en")
        text = services.replies.fill(english, conversation_id).text
        assert body(screen).text.startswith(text.strip())

        # In the picker too: the list and preview follow, and the choice is kept.
        await press(pilot, "f3")
        chooser = picker(app)
        await press(pilot, "ctrl+l")
        by_key = {t.key: t.language for t in chooser.shown}
        assert by_key["where-is-my-order"] == "es"  # and the shop's where there is no Spanish
        assert by_key["only-english"] == "en"
        assert "Language: es (chosen by you" in rendered(
            chooser.query_one("#picker-language", Static)
        )
        await type_text(pilot, "wimo")
        await press(pilot, "enter")
        spanish = services.replies.fill(
            template(services, "where-is-my-order", "es"), conversation_id
        ).text
        assert spanish.strip() in body(screen).text
        assert "reply in es (agent)" in rendered(screen.query_one("#compose-head", Static))
        assert services.replies.language(conversation_id).language == "es"


# -- questions ---------------------------------------------------------------------------


async def test_missing_item_asks_which_item_from_the_order(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    order_id = services.replies.relevant_order(conversation_id)
    missing_item = template(services, "missing-item", "de")
    [prompt] = services.replies.prompts(missing_item, order_id)
    assert prompt.choices  # the order's items
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        await press(pilot, "f3")
        await type_text(pilot, "missing-item")
        await press(pilot, "enter")
        assert isinstance(app.screen, TemplatePrompts)
        choices = app.screen.query_one("#prompt-0", OptionList)
        assert [
            str(choices.get_option_at_index(n).prompt) for n in range(choices.option_count)
        ] == [*prompt.choices]
        await press(pilot, "enter")
        assert app.screen is screen
        text = body(screen).text
        assert prompt.choices[0] in text and "Hallo" in text


async def test_a_question_without_choices_is_typed(
    app: AgentConsoleApp, services: Services
) -> None:
    write_template(
        services,
        "voucher.de.md",
        "---\nid: voucher\ntitle: Gutschein\nlanguage: de\nask:\n  code: Welcher Code?\n---\n"
        "Dein Code: {{ ask.code }}\n",
    )
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        await press(pilot, "f3")
        await type_text(pilot, "voucher")
        await press(pilot, "enter")
        assert isinstance(app.screen, TemplatePrompts)
        await press(pilot, "enter")  # nothing typed yet: asked again
        assert isinstance(app.screen, TemplatePrompts)
        await type_text(pilot, "LINDEN10")
        await press(pilot, "enter")
        assert app.screen is screen
        assert body(screen).text.startswith("Dein Code: LINDEN10")


async def test_escape_in_the_questions_inserts_nothing(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        before = body(screen).text
        await press(pilot, "f3")
        await type_text(pilot, "missing-item")
        await press(pilot, "enter")
        assert isinstance(app.screen, TemplatePrompts)
        await press(pilot, "escape")
        assert app.screen is screen
        assert body(screen).text == before


# -- refusals ----------------------------------------------------------------------------


async def test_a_missing_value_is_not_inserted_and_named(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = without_order(services)
    language = services.replies.language(conversation_id).language
    title = services.replies.in_language(
        template(services, "where-is-my-order", "en"), language
    ).title
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        before = body(screen).text
        await press(pilot, "f3")
        await type_text(pilot, "wimo")
        await settle(pilot)
        preview = rendered(picker(app).query_one("#picker-preview", Static))
        assert "Missing: " in preview and "order.tracking_link" in preview
        await press(pilot, "enter")
        assert app.screen is screen
        assert body(screen).text == before
        [note] = [n for n in notes(app) if n.startswith("Not inserted")]
        assert note.startswith(f"Not inserted: “{title}” needs ")
        assert "order.tracking_link" in note and note.endswith("— this conversation has none")

        await press(pilot, "alt+w")  # the template's own key is refused the same way
        assert body(screen).text == before
        assert len([n for n in notes(app) if n.startswith("Not inserted")]) == 2


async def test_a_template_escaping_the_sandbox_is_not_inserted(
    app: AgentConsoleApp, services: Services
) -> None:
    write_template(
        services,
        "evil.en.md",
        "---\nid: evil\ntitle: Evil\nlanguage: en\n---\n{{ ''.__class__.__mro__ }}\n",
    )
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        before = body(screen).text
        await press(pilot, "f3")
        await type_text(pilot, "evil")
        await settle(pilot)
        chooser = picker(app)
        assert chooser.highlighted is not None and chooser.highlighted.key == "evil"
        preview = rendered(chooser.query_one("#picker-preview", Static))
        assert "the template is broken" in preview and "__class__" in preview
        await press(pilot, "enter")
        assert app.screen is screen
        assert body(screen).text == before
        assert any(n.startswith("Not inserted: the template is broken: ") for n in notes(app))
        assert "object" not in body(screen).text


async def test_hostile_titles_are_shown_literally(app: AgentConsoleApp, services: Services) -> None:
    write_template(
        services,
        "hostile.en.md",
        '---\nid: hostile\ntitle: "[bold red]Boom[/] \\e[2J"\nlanguage: en\n---\nHi\n',
    )
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        await open_composer(pilot, services, conversation_id)
        await press(pilot, "f3")
        await type_text(pilot, "hostile")
        await settle(pilot)
        chooser = picker(app)
        options = chooser.query_one("#picker-list", OptionList)
        shown = options.get_option_at_index(0).prompt
        plain = getattr(shown, "plain", str(shown))
        assert "[bold red]Boom[/]" in plain and "\x1b" not in plain


# -- ``::`` and a template's own key -----------------------------------------------------


async def test_undo_and_redo_do_not_open_the_picker_again(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        await type_text(pilot, "x::")
        await settle(pilot)
        picker(app)
        await press(pilot, "escape")
        for key in ("ctrl+z", "ctrl+y", "ctrl+z", "ctrl+z"):
            await press(pilot, key)
            assert app.screen is screen, key
        # A template whose text holds "::" goes in without opening the picker either.
        write_template(
            services,
            "colons.de.md",
            "---\nid: colons\ntitle: Doppelpunkt\nlanguage: de\n---\nUhrzeit:: 10 Uhr\n",
        )
        await press(pilot, "f3")
        await type_text(pilot, "colons")
        await press(pilot, "enter")
        assert app.screen is screen and "Uhrzeit:: 10 Uhr" in body(screen).text


async def test_the_template_key_inserts_in_the_reply_language(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        before = body(screen).text
        await press(pilot, "alt+w")
        text = body(screen).text
        assert text.startswith(f"Hallo {first_name(services, conversation_id)},")
        assert tracking_link(services, conversation_id) in text
        german = template(services, "where-is-my-order", "de")
        filled = services.replies.fill(german, conversation_id).text
        assert text == filled.strip("\n") + before  # and the key typed no "w"


async def test_a_template_key_the_composer_needs_is_refused_once(
    app: AgentConsoleApp, services: Services
) -> None:
    write_template(
        services, "sendy.en.md", "---\nid: sendy\ntitle: Sendy\nlanguage: en\nkey: f2\n---\nHi\n"
    )
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_composer(pilot, services, conversation_id)
        [warning] = [n for n in notes(app) if n.startswith("Template keys not bound")]
        assert "f2 of sendy is taken (Send)" in warning
        await press(pilot, "escape")
        await open_composer(pilot, services, conversation_id)
        assert len([n for n in notes(app) if n.startswith("Template keys not bound")]) == 1
        assert screen is not app.screen


async def test_a_new_message_has_no_canned_replies(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_composer(pilot, services, None)
        assert "reply in" not in rendered(screen.query_one("#compose-head", Static))
        body(screen).focus()
        await press(pilot, "f3")
        assert app.screen is screen
        assert "Canned replies need a conversation." in notes(app)
        await type_text(pilot, "a::b")
        await settle(pilot)
        assert app.screen is screen and body(screen).text.startswith("a::b")
        await press(pilot, "alt+w")
        assert body(screen).text.startswith("a::b")
        assert notes(app).count("Canned replies need a conversation.") == 2


# -- the way in from the replies pane ----------------------------------------------------


async def test_insert_on_open_goes_on_top_of_signature_and_quote(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    wismo = template(services, "where-is-my-order", "en")  # the reply language decides
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(pilot, services, conversation_id, insert=wismo)
        text = body(screen).text
        assert text.startswith(f"Hallo {first_name(services, conversation_id)},")
        assert text.index("Hallo") < text.index(SIGNATURE) < text.index("wrote:")


async def test_the_order_in_view_fills_the_reply(app: AgentConsoleApp, services: Services) -> None:
    conversation_id = german_wismo(services)
    summary = services.inbox.summary(conversation_id)
    assert summary is not None
    relevant = services.replies.relevant_order(conversation_id)
    with services.store.read() as db:
        other = db.first(
            'SELECT id, name FROM "order" WHERE customer_id = :c AND id != :o ORDER BY id',
            {"c": summary.customer_id, "o": relevant},
        )
    assert other is not None, "the demo customer has one order only"
    write_template(
        services,
        "number.de.md",
        "---\nid: number\ntitle: Nummer\nlanguage: de\n---\nBestellung {{ order.number }}\n",
    )
    number = template(services, "number", "de")
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_composer(
            pilot, services, conversation_id, order_id=other.id, insert=number
        )
        assert body(screen).text.startswith(f"Bestellung {other.name}")


async def test_the_picker_opens_on_what_fits_the_customers_message(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation_id = german_wismo(services)
    async with app.run_test(size=WIDE) as pilot:
        await open_composer(pilot, services, conversation_id)
        await press(pilot, "f3")
        chooser = picker(app)
        suggested = [t.key for t in services.replies.suggestions(conversation_id)]
        assert [t.key for t in chooser.shown[: len(suggested)]] == suggested
        assert chooser.shown[0].key == "where-is-my-order"
        assert chooser.shown[0].language == "de"
