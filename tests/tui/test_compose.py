"""Replying from the console: the composer, drafts kept as you type, the undo window, the
background sender delivering to the demo Maildir, and the outbox screen.

The clock is fixed: a reply waits in its undo window until the test moves the clock on, then
the sender (running in the console, as always) sends it.
"""

from __future__ import annotations

import mailbox
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from agentconsole.clock import FixedClock
from agentconsole.demo import DEMO_NOW
from agentconsole.services.context import Services
from agentconsole.services.drafts import draft_key
from agentconsole.services.inbox import InboxView
from agentconsole.store.reader import stored_time
from agentconsole.tui.app import AgentConsoleApp, make_console
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.main import MainScreen
from agentconsole.tui.screens.outbox import OutboxScreen
from tests.tui.conftest import SIGNATURE, demo_settings
from tests.tui.pilot import settle, wait_for

WIDE = (120, 40)


def main(app: AgentConsoleApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def composer(app: AgentConsoleApp) -> ComposeScreen:
    assert isinstance(app.screen, ComposeScreen), type(app.screen).__name__
    return app.screen


def field(app: AgentConsoleApp, name: str) -> str:
    return composer(app).query_one(f"#compose-{name}", Input).value


def body(app: AgentConsoleApp) -> str:
    return composer(app).query_one("#compose-body", TextArea).text


def rendered(widget: object) -> str:
    shown = widget.render()  # type: ignore[attr-defined]
    return getattr(shown, "plain", str(shown))


def outgoing(screen: MainScreen) -> str:
    return rendered(screen.thread.query_one("#thread-outgoing"))


def notes(app: AgentConsoleApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def delivered(home: Path) -> list[mailbox.MaildirMessage]:
    folder = home / "Maildir"
    return list(mailbox.Maildir(folder, create=False)) if folder.exists() else []


def outbox_rows(services: Services) -> list:  # type: ignore[type-arg]
    with services.store.read() as db:
        return db.all(
            "SELECT id, state, to_addrs, cc_addrs, subject, body_text, status_after, kind, "
            "conversation_id FROM outbox ORDER BY id"
        )


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


async def open_first(pilot: Pilot[None]) -> MainScreen:
    await settle(pilot)
    screen = main(pilot.app)  # type: ignore[arg-type]
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def press_and_settle(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


# -- the whole way: reply, undo window, sent, pending -------------------------------------


async def test_reply_waits_in_the_undo_window_then_goes_out_and_the_conversation_is_pending(
    app: AgentConsoleApp, services: Services, home: Path
) -> None:
    """Needs the sender (mail/outbox.py)."""
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_first(pilot)
        summary = screen.summary
        assert summary is not None and summary.status != "pending"
        await press_and_settle(pilot, "r")
        assert field(app, "to") == summary.customer_email
        assert field(app, "subject").lower().startswith("re:")
        assert SIGNATURE in body(app) and "wrote:" in body(app)
        assert "After sending:  ◉ pending" in rendered(composer(app).query_one("#compose-status"))
        await type_text(pilot, "Your parcel left today")
        await press_and_settle(pilot, "f2")

        assert main(app) is screen
        assert any("leaves in 10 s — press u to take it back" in n for n in notes(app))
        assert [(r.state, r.status_after) for r in outbox_rows(services)] == [("queued", "pending")]
        assert "leaves in 10 s — u takes it back" in outgoing(screen)
        assert "Your parcel left today" in outgoing(screen)
        assert "outbox 1 waiting" in rendered(screen.status)
        assert delivered(home) == []  # the undo window holds it back
        assert services.drafts.get(services.agent, draft_key("reply", summary.id, None)) is None

        services.clock.advance(seconds=7)  # type: ignore[attr-defined]
        screen._tick()
        assert "leaves in 3 s" in outgoing(screen)

        services.clock.advance(seconds=4)  # type: ignore[attr-defined]
        screen.sender.wake()
        await wait_for(pilot, lambda: len(delivered(home)) == 1)
        await wait_for(pilot, lambda: outbox_rows(services)[0].state == "sent")
        screen._poll_store()
        await settle(pilot)
        assert screen.thread.outgoing == []
        assert screen.thread.detail is not None
        last = screen.thread.detail.entries[-1]
        assert last.direction == "outbound" and "Your parcel left today" in last.text
        assert screen.thread.detail.summary.status == "pending"
        assert "outbox" not in rendered(screen.status)
    mail = delivered(home)[0]
    assert mail["To"] == summary.customer_email and mail["In-Reply-To"]
    assert "Your parcel left today" in mail.get_payload()


async def test_u_takes_the_reply_back_into_the_composer(
    app: AgentConsoleApp, services: Services, home: Path
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_first(pilot)
        await press_and_settle(pilot, "r")
        await type_text(pilot, "Sorry wrong customer")
        await press_and_settle(pilot, "f2")
        assert main(app) is screen and outbox_rows(services)[0].state == "queued"
        await press_and_settle(pilot, "u")
        assert body(app).startswith("Sorry wrong customer")
        assert "Taken back" in rendered(composer(app).query_one("#compose-head"))
        assert outbox_rows(services)[0].state == "cancelled"
        await press_and_settle(pilot, "escape")
        assert main(app) is screen
        assert screen.thread.outgoing == []
        await press_and_settle(pilot, "u")
        assert "No reply of yours is waiting to leave." in notes(app)
    assert delivered(home) == []


async def test_canned_reply_goes_on_top_of_signature_and_quote(
    app: AgentConsoleApp, services: Services, home: Path
) -> None:
    """Needs the sender (mail/outbox.py) for the last part."""
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("4", *"thanks")
        await settle(pilot)
        assert screen.replies.templates
        await press_and_settle(pilot, "down", "enter")
        text = body(app)
        assert "{{" not in text and "Mara Lind" in text
        assert text.index("Mara Lind") < text.index(SIGNATURE) < text.index("wrote:")
        await press_and_settle(pilot, "f2")
        assert main(app) is screen
        summary = screen.summary
        assert summary is not None and summary.waiting_since is not None
        services.clock.advance(seconds=11)  # type: ignore[attr-defined]
        screen.sender.wake()
        await wait_for(pilot, lambda: len(delivered(home)) == 1)
        await wait_for(pilot, lambda: outbox_rows(services)[0].state == "sent")
    mail = delivered(home)[0]
    assert mail["To"] == summary.customer_email and mail["In-Reply-To"]
    with services.store.read() as db:
        row = db.one(
            "SELECT m.direction, c.waiting_since, c.status FROM message m "
            "JOIN conversation c ON c.id = m.conversation_id WHERE m.message_id = :mid",
            {"mid": mail["Message-ID"].strip("<>")},
        )
        events = db.all(
            "SELECT actor, kind FROM event WHERE subject_id = :id AND kind LIKE 'reply.%' "
            "ORDER BY id",
            {"id": summary.id},
        )
    assert row.direction == "outbound" and row.waiting_since is None and row.status == "pending"
    assert [tuple(e) for e in events] == [("mara", "reply.queued"), ("mara", "reply.sent")]


async def test_status_after_sending_is_chosen_in_the_composer(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        await open_first(pilot)
        await press_and_settle(pilot, "r")
        await pilot.press("ctrl+n", "ctrl+n")
        status = rendered(composer(app).query_one("#compose-status"))
        assert "◉ closed" in status and "○ pending" in status
        await type_text(pilot, "Done")
        await press_and_settle(pilot, "ctrl+g")
        assert [r.status_after for r in outbox_rows(services)] == ["closed"]


# -- drafts -------------------------------------------------------------------------------


async def test_draft_is_saved_as_you_type_and_restored_after_a_quit(home: Path) -> None:
    services = Services.open(demo_settings(home), FixedClock(DEMO_NOW))
    app = make_console(services)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        conversation = screen.summary
        assert conversation is not None
        key = draft_key("reply", conversation.id, None)
        await press_and_settle(pilot, "r")
        await type_text(pilot, "Half a thought")
        await wait_for(
            pilot,
            lambda: (
                (d := services.drafts.get(services.agent, key)) is not None
                and d.body.startswith("Half a thought")
            ),
        )
        await type_text(pilot, " and more")
        app.exit()  # quit with the composer open, before the next autosave
    services.close()

    services = Services.open(demo_settings(home), FixedClock(DEMO_NOW))
    app = make_console(services)
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        assert screen.summary is not None and screen.summary.id == conversation.id
        await press_and_settle(pilot, "r")
        assert body(app).startswith("Half a thought and more")
        assert "Draft restored from 11:00" in rendered(composer(app).query_one("#compose-head"))
    services.close()


async def test_escape_keeps_the_draft_and_the_discard_key_throws_it_away(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_first(pilot)
        assert screen.summary is not None
        key = draft_key("reply", screen.summary.id, None)
        await press_and_settle(pilot, "r", "escape")
        assert main(app) is screen  # untouched: nothing kept
        assert services.drafts.get(services.agent, key) is None
        await press_and_settle(pilot, "r")
        await type_text(pilot, "Keep me")
        await press_and_settle(pilot, "escape")
        assert "Draft kept." in notes(app)
        kept = services.drafts.get(services.agent, key)
        assert kept is not None and kept.body.startswith("Keep me")
        await press_and_settle(pilot, "r")
        assert body(app).startswith("Keep me")
        await press_and_settle(pilot, "ctrl+t")
        assert isinstance(app.screen, ComposeScreen)  # the first press only warns
        assert any("again to throw this draft away" in n for n in notes(app))
        await press_and_settle(pilot, "ctrl+t")
        assert main(app) is screen
        assert services.drafts.get(services.agent, key) is None
        assert outbox_rows(services) == []


# -- kinds of message ---------------------------------------------------------------------


async def test_reply_all_keeps_cc(app: AgentConsoleApp, services: Services) -> None:
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        assert screen.summary is not None
        with services.store.write() as w:
            w.execute(
                "UPDATE message SET cc_addrs = 'Partner <partner@example.net>' WHERE id = "
                "(SELECT id FROM message WHERE conversation_id = :c AND direction = 'inbound' "
                "ORDER BY sent_at DESC LIMIT 1)",
                {"c": screen.summary.id},
            )
        await press_and_settle(pilot, "R")
        assert "Reply all" in rendered(composer(app).query_one("#compose-head"))
        assert field(app, "to") == screen.summary.customer_email
        assert field(app, "cc") == "partner@example.net"
        await type_text(pilot, "Hello both")
        await press_and_settle(pilot, "f2")
        [row] = outbox_rows(services)
        assert row.kind == "reply_all" and row.cc_addrs == "partner@example.net"


async def test_forward_has_the_message_and_an_empty_to(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = await open_first(pilot)
        assert screen.thread.detail is not None
        last_inbound = [e for e in screen.thread.detail.entries if e.direction == "inbound"][-1]
        await press_and_settle(pilot, "f")
        assert field(app, "to") == ""
        assert composer(app).query_one("#compose-to", Input).has_focus
        assert field(app, "subject").startswith("Fwd:")
        assert "---------- Forwarded message ----------" in body(app)
        assert last_inbound.text.strip().splitlines()[0] in body(app)
        await press_and_settle(pilot, "f2")  # no recipient yet
        assert isinstance(app.screen, ComposeScreen)
        assert "no recipient" in rendered(composer(app).query_one("#compose-status"))
        await type_text(pilot, "warehouse@lindenhof.example")
        await press_and_settle(pilot, "f2")
        assert main(app) is screen
        [row] = outbox_rows(services)
        assert row.kind == "forward" and row.to_addrs == "warehouse@lindenhof.example"
        assert any(n.startswith("Forward to warehouse@") for n in notes(app))


async def test_c_writes_a_new_message_to_the_customer(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        summary = screen.summary
        assert summary is not None
        await press_and_settle(pilot, "c")
        assert "New message" in rendered(composer(app).query_one("#compose-head"))
        assert field(app, "to") == summary.customer_email
        assert composer(app).query_one("#compose-subject", Input).has_focus
        assert "wrote:" not in body(app) and SIGNATURE in body(app)
        await type_text(pilot, "Your voucher")
        await pilot.press("tab")  # to the text
        await type_text(pilot, "Here it is")
        await press_and_settle(pilot, "f2")
        [row] = outbox_rows(services)
        assert row.kind == "new" and row.conversation_id is None
        assert row.subject == "Your voucher" and row.body_text.startswith("Here it is")


# -- header injection ---------------------------------------------------------------------


async def test_control_character_in_subject_is_refused_in_one_line(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_first(pilot)
        await press_and_settle(pilot, "r")
        await type_text(pilot, "Hi")
        composer(app).query_one("#compose-subject", Input).value = "Re: hi\x1b[2J there"
        await press_and_settle(pilot, "f2")
        assert isinstance(app.screen, ComposeScreen)
        status = rendered(composer(app).query_one("#compose-status"))
        assert "Subject field contains a control character" in status
        assert "\n" not in composer(app).error
        assert outbox_rows(services) == []


async def test_line_break_in_a_restored_cc_is_shown_and_refused(
    home: Path, services: Services
) -> None:
    conversation = services.inbox.page(InboxView(), 0, 1)[0]
    draft = services.drafts.start(services.agent, "reply", conversation_id=conversation.id)
    services.drafts.save(
        services.agent,
        replace(draft, cc="a@b.example\r\nBcc: x@y.example", body="Hello\n" + draft.body),
    )
    app = make_console(services)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_first(pilot)
        await press_and_settle(pilot, "r")
        assert field(app, "cc") == "a@b.example\u240aBcc: x@y.example"  # visible, inert
        await press_and_settle(pilot, "f2")
        assert isinstance(app.screen, ComposeScreen)
        assert composer(app).error == "the Cc field contains a line break; remove it and try again"
        assert outbox_rows(services) == []
        # Once the agent fixes the field, it goes.
        composer(app).query_one("#compose-cc", Input).value = "a@b.example"
        await press_and_settle(pilot, "f2")
        assert isinstance(app.screen, MainScreen)
        assert [r.cc_addrs for r in outbox_rows(services)] == ["a@b.example"]


# -- $EDITOR ------------------------------------------------------------------------------


def editor_script(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "editor.sh"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


async def test_e_writes_the_reply_in_the_editor_then_shows_the_composer(
    app: AgentConsoleApp, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = editor_script(
        tmp_path,
        '{ printf "Written in the editor\\n"; cat "$1"; } > "$1.new" && mv "$1.new" "$1"\n',
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    async with app.run_test(size=WIDE) as pilot:
        await open_first(pilot)
        await press_and_settle(pilot, "e")
        text = body(app)
        assert text.startswith("Written in the editor\n")
        assert SIGNATURE in text and "wrote:" in text
        await press_and_settle(pilot, "f2")
        [row] = outbox_rows(services)
        assert row.body_text.startswith("Written in the editor")


async def test_editor_that_fails_or_is_missing_leaves_the_text(
    app: AgentConsoleApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_first(pilot)
        await press_and_settle(pilot, "r")
        before = body(app)
        monkeypatch.setenv("EDITOR", str(tmp_path / "no-such-editor"))
        await press_and_settle(pilot, "ctrl+o")
        assert any(n.startswith("editor not found: ") for n in notes(app))
        monkeypatch.setenv("EDITOR", str(editor_script(tmp_path, 'echo junk > "$1"; exit 3\n')))
        await press_and_settle(pilot, "ctrl+o")
        assert any("exited with status 3" in n for n in notes(app))
        assert body(app) == before


# -- the outbox ---------------------------------------------------------------------------


def queue_failed(services: Services, conversation_id: int, error: str) -> int:
    draft = services.drafts.start(services.agent, "reply", conversation_id=conversation_id)
    queued = services.outbox.queue(services.agent, replace(draft, body="Failed one\n"))
    with services.store.write() as w:
        w.execute(
            "UPDATE outbox SET state = 'failed', attempts = 1, last_code = 550, "
            "last_error = :e, undo_until = NULL WHERE id = :id",
            {"e": error, "id": queued.outbox_id},
        )
    return queued.outbox_id


async def test_outbox_screen_retries_and_cancels_failed_replies(
    app: AgentConsoleApp, services: Services, home: Path
) -> None:
    """Needs the sender (mail/outbox.py): the retried reply is delivered."""
    first, second = services.inbox.page(InboxView(), 0, 2)
    error = "5.1.1 <nobody@example.com>: [bold]user unknown[/]"
    retried = queue_failed(services, first.id, error)
    cancelled = queue_failed(services, second.id, "5.7.1 rejected")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        screen = main(app)
        assert "outbox 2 failed" in rendered(screen.status)
        assert f"failed: 550 {error}" in outgoing(screen)  # literally, markup and all
        await press_and_settle(pilot, "O")
        assert isinstance(app.screen, OutboxScreen)
        box = app.screen
        assert [e.id for e in box.entries] == [cancelled, retried]  # newest first
        assert "550 5.7.1 rejected" in rendered(box.query_one("#outbox-detail"))
        await press_and_settle(pilot, "x")
        assert services.outbox.entry(cancelled).state == "failed"  # first press warns
        await press_and_settle(pilot, "x")
        assert services.outbox.entry(cancelled).state == "cancelled"
        await wait_for(pilot, lambda: [e.id for e in box.entries] == [retried])
        assert f"550 {error}" in rendered(box.query_one("#outbox-detail"))
        await press_and_settle(pilot, "r")
        await wait_for(pilot, lambda: services.outbox.entry(retried).state == "sent")
        assert len(delivered(home)) == 1
        await wait_for(pilot, lambda: box.entries == [])
        await press_and_settle(pilot, "escape")
        assert main(app) is screen


async def test_a_reply_failing_while_the_console_runs_is_announced(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation = services.inbox.page(InboxView(), 0, 1)[0]
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        screen = main(app)
        queue_failed(services, conversation.id, "5.1.1 mailbox [red]gone[/]")
        screen._poll_store()
        await settle(pilot)
        told = f"Reply to {conversation.customer_email}: failed: 550 5.1.1 mailbox [red]gone[/]"
        assert told in notes(app)
        assert "outbox 1 failed" in rendered(screen.status)


async def test_doubtful_reply_is_sent_again_only_after_a_warning(
    app: AgentConsoleApp, services: Services
) -> None:
    conversation = services.inbox.page(InboxView(), 0, 1)[0]
    outbox_id = queue_failed(services, conversation.id, "")
    with services.store.write() as w:
        w.execute(
            "UPDATE outbox SET state = 'unknown', last_code = NULL, data_started = 1, "
            "last_error = 'connection lost after DATA' WHERE id = :id",
            {"id": outbox_id},
        )
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        screen = main(app)
        assert "may have been sent — open the outbox (O) to decide" in outgoing(screen)
        assert "outbox 1 in doubt" in rendered(screen.status)
        await press_and_settle(pilot, "O", "s")
        assert any("may deliver it twice" in n for n in notes(app))
        assert services.outbox.entry(outbox_id).state == "unknown"
        await press_and_settle(pilot, "s")
        await wait_for(pilot, lambda: services.outbox.entry(outbox_id).state != "unknown")


async def test_take_back_from_the_outbox_screen_opens_the_composer(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE) as pilot:
        screen = await open_first(pilot)
        await press_and_settle(pilot, "r")
        await type_text(pilot, "Second thoughts")
        await press_and_settle(pilot, "f2", "O")
        assert isinstance(app.screen, OutboxScreen)
        await press_and_settle(pilot, "u")
        assert body(app).startswith("Second thoughts")
        assert outbox_rows(services)[0].state == "cancelled"
        await press_and_settle(pilot, "escape")
        assert main(app) is screen


async def test_thread_shows_each_state_in_words(app: AgentConsoleApp, services: Services) -> None:
    conversation = services.inbox.page(InboxView(), 0, 1)[0]
    later = stored_time(DEMO_NOW.replace(hour=13, minute=5))
    ids = [queue_failed(services, conversation.id, "") for _ in range(3)]
    with services.store.write() as w:
        w.execute(
            "UPDATE outbox SET state = 'retry', last_code = 451, send_after = :t, "
            "last_error = '4.3.0 try later' WHERE id = :id",
            {"t": later, "id": ids[0]},
        )
        w.execute(
            "UPDATE outbox SET state = 'sending', last_code = NULL, last_error = NULL "
            "WHERE id = :id",
            {"id": ids[1]},
        )
        w.execute(
            "UPDATE outbox SET state = 'sent', last_code = NULL, refused = :r, "
            "last_error = 'not delivered to 1 recipient(s)' WHERE id = :id",
            {"r": "cc@example.org: 550 5.1.1 no such user", "id": ids[2]},
        )
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        text = outgoing(screen)
        assert "will retry at 14:05 — 451 4.3.0 try later" in text
        assert "sending…" in text
        assert "not delivered to cc@example.org: 550 5.1.1 no such user" in text


async def test_quit_warns_while_a_reply_has_not_left(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_first(pilot)
        await press_and_settle(pilot, "r")
        await type_text(pilot, "Bye")
        await press_and_settle(pilot, "f2", "q")
        assert any("1 reply has not left yet" in n for n in notes(app))
        assert app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_hostile_conversation_is_quoted_inert_in_the_composer(
    app: AgentConsoleApp, services: Services
) -> None:
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("a", "slash", *"Hacker", "enter")
        await settle(pilot)
        assert screen.summary is not None
        await press_and_settle(pilot, "r")
        subject, text = field(app, "subject"), body(app)
        assert "\x1b" not in subject + text and "\u202e" not in text
        # The reply's subject drops the escape character; the quote shows it inert.
        assert "[2J" in subject and "␛" not in subject
        assert "␛]52;c;" in text and "[bold red]x[/]" in text
        await press_and_settle(pilot, "escape")  # untouched: nothing to keep
        assert "Draft kept." not in notes(app)
        await press_and_settle(pilot, "r")
        await type_text(pilot, "Looking into it")
        await press_and_settle(pilot, "f2")  # sendable as it comes: nothing hostile left
        assert len(outbox_rows(services)) == 1
