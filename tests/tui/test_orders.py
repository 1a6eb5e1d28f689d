"""Store data beside the conversation: the order pane in full (address, shipments, returns, the
admin link, how old the data is), order summary and tracking link into the reply, the customer
360's store side, orders quoted in mail fetched from a store, and the store sync in the console.

Store rows are written straight into the test store (as a store sync would leave them); the
store-facing tests use the fake WooCommerce server.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from agentconsole.clock import FixedClock, SystemClock
from agentconsole.demo import DEMO_NOW
from agentconsole.services.context import Services
from agentconsole.services.inbox import InboxView
from agentconsole.store.reader import stored_time
from agentconsole.tui import background_shops
from agentconsole.tui.app import AgentConsoleApp, make_console
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.main import MainScreen
from tests.tui.conftest import SIGNATURE, demo_settings
from tests.tui.pilot import settle, wait_for

WIDE = (120, 40)
ADDRESS = "Zoë Harper\n12 [bold]Mill[/] Lane\nLeeds LS1 4AB\nUnited Kingdom"
ADMIN = "https://admin.lindenhof.example/orders/300"
TRACKING = "https://track.example/?n=JD0146"


def main(app: AgentConsoleApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def rendered(widget: object) -> str:
    shown = widget.render()  # type: ignore[attr-defined]
    return getattr(shown, "plain", str(shown))


def first_conversation(services: Services) -> Any:
    return services.inbox.page(InboxView(), 0, 1)[0]


def shown_order(services: Services) -> int:
    """The order the order pane opens on for the first conversation: the one it is about."""
    order = services.replies.relevant_order(first_conversation(services).id)
    assert order is not None
    return order


def add_store_data(services: Services, *, age: timedelta = timedelta(minutes=12)) -> int:
    """The first conversation's order as a store sync would leave it; its id."""
    order = shown_order(services)
    now = services.clock.now()
    with services.store.write() as w:
        w.execute(
            'UPDATE "order" SET shipping_address = :a, admin_url = :u, synced_at = :s, '
            "state = 'open', platform_status = 'processing' WHERE id = :id",
            {"a": ADDRESS, "u": ADMIN, "s": stored_time(now - age), "id": order},
        )
        w.execute(
            "INSERT INTO shipment (order_id, carrier, tracking_number, tracking_url, status, "
            "shipped_at) VALUES (:o, 'DHL', 'JD0146', :url, 'in_transit', :t)",
            {"o": order, "url": TRACKING, "t": stored_time(now - timedelta(days=1))},
        )
        w.execute(
            "INSERT INTO order_return (order_id, remote_id, name, status, created_at) "
            "VALUES (:o, 'r1', 'R-77', 'requested', :t)",
            {"o": order, "t": stored_time(now - timedelta(hours=3))},
        )
    return order


async def test_order_pane_shows_address_returns_admin_link_and_age(
    app: AgentConsoleApp, services: Services
) -> None:
    add_store_data(services)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        body = rendered(screen.orders.body)
        assert "as of 12m ago" in body
        assert "(processing)" in body
        assert "Ship to" in body and "12 [bold]Mill[/] Lane" in body and "Leeds LS1 4AB" in body
        assert "DHL JD0146 · in_transit" in body and TRACKING in body
        assert "Return R-77 · requested" in body
        assert f"Admin {ADMIN}" in body


async def test_stale_store_data_and_demo_data(home: Path) -> None:
    """Old data says how old, loudly; local (demo) data has no age line."""
    services = Services.open(demo_settings(home), FixedClock(DEMO_NOW))
    first = first_conversation(services)
    orders = services.orders.for_customer(first.customer_id)
    shown = [o.id for o in orders].index(add_store_data(services, age=timedelta(hours=5)))
    assert shown + 1 < len(orders)
    app = make_console(services)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        assert "as of 5h 00m ago" in rendered(screen.orders.body)
        await pilot.press("5", "j")
        await settle(pilot)
        assert screen.orders.detail is not None
        assert screen.orders.detail.id == orders[shown + 1].id
        assert "as of" not in rendered(screen.orders.body)
    services.close()


async def test_i_puts_the_order_summary_on_top_of_the_reply(
    app: AgentConsoleApp, services: Services
) -> None:
    add_store_data(services)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main(app)
        order = screen.orders.detail
        assert order is not None
        await pilot.press("5", "i")
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)
        text = app.screen.query_one("#compose-body", TextArea).text
        assert text.startswith(order.summary())
        assert f"Order {order.name}" in text and TRACKING in text
        assert text.index(TRACKING) < text.index(SIGNATURE) < text.index("wrote:")
        await pilot.press("escape")  # keeps the draft
        await settle(pilot)

        # The same reply again: the tracking link goes on top of what was written.
        await pilot.press("5", "t")
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)
        text = app.screen.query_one("#compose-body", TextArea).text
        assert text.startswith(TRACKING + "\n\n" + order.summary())
        assert text.index(SIGNATURE) < text.index("wrote:")


async def test_t_without_a_shipment_says_so(app: AgentConsoleApp, services: Services) -> None:
    with services.store.write() as w:
        w.execute("DELETE FROM shipment WHERE order_id = :o", {"o": shown_order(services)})
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await settle(pilot)
        screen = main(app)
        assert screen.orders.detail is not None and not screen.orders.detail.shipments
        await pilot.press("5", "t")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("no shipment to track" in str(n.message) for n in app._notifications)


async def test_order_keys_are_in_help_and_palette(app: AgentConsoleApp) -> None:
    from agentconsole.tui.screens.help import HelpScreen

    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = [str(c) for col in app.screen.table.columns for c in col._cells]  # type: ignore[attr-defined]
        assert "orders.insert_summary" in rows and "orders.insert_tracking" in rows
        await pilot.press("escape", "5", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"Order summary")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ComposeScreen)
        assert "Order #" in app.screen.query_one("#compose-body", TextArea).text


async def test_customer_pane_shows_the_store_side(app: AgentConsoleApp, services: Services) -> None:
    first = first_conversation(services)
    other = services.inbox.page(InboxView(), 5, 1)[0].customer_id
    assert other != first.customer_id
    now = stored_time(services.clock.now())
    with services.store.write() as w:
        for remote, note, tags in (
            ("c1", "Prefers [i]DHL[/i]", "vip,wholesale"),
            ("c2", "", "vip"),
        ):
            w.execute(
                "INSERT INTO store_customer (store_id, remote_id, customer_id, first_name, "
                "last_name, note, tags, remote_updated_at, synced_at) "
                "VALUES (1, :r, :c, '', '', :n, :t, :now, :now)",
                {"r": remote, "c": first.customer_id, "n": note, "t": tags, "now": now},
            )
        w.execute(
            "INSERT INTO merge_suggestion (customer_id, other_id, reason, created_at) "
            "VALUES (:o, :c, 'both use zoe@example.com', :now)",
            {"o": other, "c": first.customer_id, "now": now},
        )
    profile = services.customers.profile(first.customer_id)
    assert profile is not None and profile.interests
    other_name = services.customers.profile(other).name  # type: ignore[union-attr]
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        shown = rendered(main(app).customer.query_one("#customer-body"))
        assert f"Interests {', '.join(profile.interests)}"[:60] in shown
        assert "First     16 Jan 2025" in shown
        assert "Shop tags vip, wholesale" in shown
        assert "Shop note Prefers [i]DHL[/i]" in shown
        assert f"Maybe the same person as {other_name} (both use zoe@example.com)" in shown


# -- with a store ---------------------------------------------------------------------------


def store_settings(home: Path, store: Any) -> Any:
    return demo_settings(home).model_copy(update={"stores": [store]})


async def test_quoted_order_is_fetched_when_the_conversation_opens(
    home: Path, woocommerce_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#1042 is quoted in the mail and not in the store: asked for and shown."""
    # Only the quoted lookup talks to the store here (the background sync is tested below).
    monkeypatch.setattr(background_shops.BackgroundShops, "start", lambda self, app: None)
    services = Services.open(store_settings(home, woocommerce_config), FixedClock(DEMO_NOW))
    first = first_conversation(services)
    with services.store.write() as w:
        w.execute("UPDATE \"order\" SET name = '#91042', number = 91042 WHERE name = '#1042'")
        w.execute(  # a follow-up from the customer, quoting an order the store lacks
            "INSERT INTO message (message_id, conversation_id, customer_id, direction, channel, "
            'from_addr, from_name, to_addrs, cc_addrs, subject, "references", sent_at, '
            "received_at, body_text, is_automated, seen) SELECT '<quote-1042@example>', "
            "conversation_id, customer_id, direction, channel, from_addr, from_name, to_addrs, "
            "cc_addrs, subject, '', sent_at, received_at, 'And where is my order #1042?', 0, 0 "
            "FROM message WHERE id = (SELECT max(id) FROM message WHERE conversation_id = :c)",
            {"c": first.id},
        )
    assert services.shops.quoted_orders(first.id) == ["1042"]
    app = make_console(services)
    try:
        async with app.run_test(size=WIDE) as pilot:
            screen = main(app)
            await wait_for(
                pilot,
                lambda: screen.orders.detail is not None and screen.orders.detail.name == "#1042",
            )
            await settle(pilot)
            assert services.orders.find("1042") is not None  # cached
            assert services.shops.quoted_orders(first.id) == []
            body = rendered(screen.orders.body)
            assert "#1042" in body and "JD014600003828395123" in body
            assert screen.orders.options.highlighted is None  # not this customer's order
            # Moving away and back shows it again, without asking the store again.
            await pilot.press("j")
            await settle(pilot)
            assert screen.orders.detail is None or screen.orders.detail.name != "#1042"
            await pilot.press("k")
            await settle(pilot)
            assert screen.orders.detail is not None and screen.orders.detail.name == "#1042"
    finally:
        services.close()


async def test_store_sync_runs_in_the_console_and_stops_on_quit(
    tmp_path: Path, woocommerce_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agentconsole.config import AgentSection, Settings, StoreSection

    settings = Settings(
        store=StoreSection(home=tmp_path / "home"),
        agent=AgentSection(name="Mara", handle="mara"),
        stores=[woocommerce_config],
    )
    services = Services.open(settings, SystemClock())
    ended = threading.Event()
    run_forever = services.shops.run_forever

    async def polling(stop: asyncio.Event) -> None:
        await run_forever(stop)
        ended.set()

    monkeypatch.setattr(services.shops, "run_forever", polling)
    app = make_console(services)
    try:
        async with app.run_test(size=WIDE) as pilot:
            screen = main(app)
            await wait_for(pilot, lambda: services.orders.find("1042") is not None, 30)
            await pilot.press("o", *"1042", "enter")
            seen: dict[str, Any] = {}

            def shown() -> bool:
                # Read at once: the background sync's next write reloads the panes.
                detail = screen.orders.detail
                if detail is None or detail.name != "#1042":
                    return False
                seen.update(order=detail, text=rendered(screen.orders.body))
                return "as of" in seen["text"]

            await wait_for(pilot, shown, 30)
            assert seen["order"].synced_at is not None
            assert "as of 0m ago" in seen["text"]
            assert [w for w in app.workers if w.group == background_shops.GROUP]
            assert not ended.is_set()
            screen.inbox.focus()  # (the order number field has the keys)
            await pilot.press("q")
        # Quitting ends the wait between polls at once (not three minutes later).
        assert await asyncio.to_thread(ended.wait, 10)
    finally:
        services.close()
