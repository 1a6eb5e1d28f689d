"""The action table is complete: every action bound, runnable, described, clash-free."""

from __future__ import annotations

from collections import Counter

from agentconsole.tui import keymap
from agentconsole.tui.app import AgentConsoleApp
from agentconsole.tui.screens.compose import ComposeScreen
from agentconsole.tui.screens.main import MainScreen
from agentconsole.tui.screens.outbox import OutboxScreen
from agentconsole.tui.screens.template_editor import TemplateEditorScreen
from agentconsole.tui.screens.template_picker import TemplatePicker
from agentconsole.tui.widgets.conversation_view import ConversationView
from agentconsole.tui.widgets.customer_panel import CustomerPanel
from agentconsole.tui.widgets.inbox_list import InboxList
from agentconsole.tui.widgets.order_panel import OrderList
from agentconsole.tui.widgets.replies_panel import TemplateList
from agentconsole.tui.widgets.views_list import ViewsList

BOUND_IN = (
    AgentConsoleApp,
    MainScreen,
    InboxList,
    ConversationView,
    CustomerPanel,
    TemplateList,
    OrderList,
    ComposeScreen,
    OutboxScreen,
    TemplatePicker,
    TemplateEditorScreen,
    ViewsList,
)


def test_ids_are_unique_and_described() -> None:
    ids = [a.id for a in keymap.ACTIONS]
    assert len(ids) == len(set(ids))
    for action in keymap.ACTIONS:
        assert action.description and action.scope in keymap.SCOPES
        assert action.id.split(".")[0] in {*keymap.SCOPES, "app"}


def test_every_action_is_bound_and_has_a_handler() -> None:
    bound: set[str] = set()
    for cls in BOUND_IN:
        for binding in cls.BINDINGS:
            if binding.id in keymap.BY_ID:  # type: ignore[union-attr]
                bound.add(binding.id)  # type: ignore[union-attr, arg-type]
                name = binding.action.split("(")[0]  # type: ignore[union-attr]
                assert hasattr(cls, f"action_{name}"), f"{cls.__name__} lacks action_{name}"
    assert bound == set(keymap.BY_ID)


def test_no_key_clash_within_a_scope() -> None:
    for scope in keymap.SCOPES:
        keys = Counter(
            key for a in keymap.ACTIONS if a.scope in (scope, "app") for key in a.keys.split(",")
        )
        clashes = [k for k, n in keys.items() if n > 1]
        assert not clashes, f"{scope}: {clashes}"


def test_no_flow_control_keys() -> None:
    for action in keymap.ACTIONS:
        assert not {"ctrl+s", "ctrl+q"} & set(action.keys.split(","))
