"""The one action table: every action's id, default keys, description and scope.

Bindings, the footer, the ``?`` help screen, the command palette and the user's key overrides
from config (``[keys]``, applied with ``App.set_keymap``) all come from this table, so they can
never disagree. Keys stay clear of terminal flow control (ctrl+s/ctrl+q) and tmux prefixes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str
    """Stable id used in ``[keys]`` overrides, e.g. ``inbox.down``."""
    action: str
    """The Textual action run, e.g. ``cursor_down``."""
    keys: str
    """Default keys, comma-separated (Textual key names)."""
    description: str
    scope: str
    """Where it applies: app, main, inbox, thread, replies, orders, compose."""
    show: bool = True
    """Shown in the footer."""
    palette: bool = True
    """Offered in the command palette."""
    priority: bool = False
    """Checked before the focused widget's own keys (the composer's keys while typing)."""


SCOPES = {
    "app": "Everywhere",
    "main": "Main screen",
    "inbox": "Inbox",
    "views": "Views",
    "thread": "Conversation",
    "customer": "Customer",
    "replies": "Canned replies",
    "orders": "Orders",
    "compose": "Compose",
    "picker": "Canned-reply picker",
    "kbedit": "Template editor",
    "outbox": "Outbox",
}

ACTIONS: tuple[Action, ...] = (
    Action("app.help", "help", "question_mark", "Keys", "app"),
    Action("app.quit", "quit", "q", "Quit", "main"),
    Action("main.next_pane", "next_pane", "tab", "Next pane", "main", show=False),
    Action("main.previous_pane", "previous_pane", "shift+tab", "Previous pane", "main", show=False),
    Action("main.search", "search", "slash", "Search", "main"),
    Action("main.reply", "reply", "r", "Reply", "main"),
    Action("main.reply_all", "reply_all", "R", "Reply all (keeps Cc)", "main", show=False),
    Action("main.forward", "forward", "f", "Forward", "main"),
    Action("main.new_message", "new_message", "c", "New message", "main", show=False),
    Action("main.reply_in_editor", "reply_in_editor", "e", "Reply in $EDITOR", "main", show=False),
    Action("main.take_back", "take_back", "u", "Take back", "main"),
    Action("main.outbox", "outbox", "O", "Outbox", "main"),
    Action("main.flag", "toggle_flag", "asterisk", "Flag / unflag (★)", "main", show=False),
    Action("main.lookup_order", "lookup_order", "o", "Order #", "main"),
    Action("main.focus_inbox", "focus_pane('inbox')", "1", "Go to inbox", "main", show=False),
    Action(
        "main.focus_thread", "focus_pane('thread')", "2", "Go to conversation", "main", show=False
    ),
    Action(
        "main.focus_customer", "focus_pane('customer')", "3", "Go to customer", "main", show=False
    ),
    Action(
        "main.focus_replies",
        "focus_pane('replies')",
        "4",
        "Go to canned replies",
        "main",
        show=False,
    ),
    Action("main.focus_orders", "focus_pane('orders')", "5", "Go to orders", "main", show=False),
    Action("main.refresh", "refresh_store", "ctrl+r", "Reload from store", "main", show=False),
    Action("main.all", "toggle_all", "a", "Open / all", "main"),
    Action("main.close", "close", "x", "Close", "main"),
    Action("main.reopen", "reopen", "X", "Reopen", "main", show=False),
    Action("main.pending", "pending", "p", "Pending (waiting on customer)", "main", show=False),
    Action("main.snooze", "snooze", "z", "Snooze…", "main"),
    Action("main.resnooze", "resnooze", "Z", "Snooze again as last time", "main", show=False),
    Action("main.assign", "assign", "A", "Assign…", "main", show=False),
    Action("main.tag", "tag", "t", "Tags…", "main", show=False),
    Action("main.priority", "priority", "P", "Priority…", "main", show=False),
    Action("main.note", "note", "n", "Internal note…", "main", show=False),
    Action("main.merge", "merge", "m", "Merge into…", "main", show=False),
    Action("main.link_order", "link_order", "L", "Link an order…", "main", show=False),
    Action("main.log_contact", "log_contact", "C", "Log a call / chat…", "main", show=False),
    Action("main.undo", "undo_triage", "U", "Undo last triage", "main"),
    Action("main.views", "focus_pane('views')", "v", "Views", "main"),
    Action("main.sort_due", "toggle_sort", "S", "Sort by due time / queue", "main", show=False),
    Action("views.down", "cursor_down", "j,down", "Next view", "views", show=False),
    Action("views.up", "cursor_up", "k,up", "Previous view", "views", show=False),
    Action("views.show", "select", "enter", "Show view", "views"),
    Action("inbox.mark", "toggle_mark", "space", "Mark / unmark", "inbox", show=False),
    Action("inbox.visual", "visual", "V", "Mark a range", "inbox", show=False),
    Action("inbox.clear_marks", "clear_marks", "escape", "Clear marks", "inbox", show=False),
    Action("inbox.down", "cursor_down", "j,down", "Next conversation", "inbox", show=False),
    Action("inbox.up", "cursor_up", "k,up", "Previous conversation", "inbox", show=False),
    Action("inbox.page_down", "page_down", "pagedown,ctrl+d", "Page down", "inbox", show=False),
    Action("inbox.page_up", "page_up", "pageup,ctrl+u", "Page up", "inbox", show=False),
    Action("inbox.first", "first", "g,home", "First conversation", "inbox", show=False),
    Action("inbox.last", "last", "G,end", "Last conversation", "inbox", show=False),
    Action("inbox.open", "open", "enter", "Open", "inbox"),
    Action("thread.down", "scroll_down", "j,down", "Scroll down", "thread", show=False),
    Action("thread.up", "scroll_up", "k,up", "Scroll up", "thread", show=False),
    Action("thread.end", "scroll_end", "G,end", "Newest message", "thread", show=False),
    Action("thread.home", "scroll_home", "g,home", "Oldest message", "thread", show=False),
    Action("customer.down", "scroll_down", "j,down", "Scroll down", "customer", show=False),
    Action("customer.up", "scroll_up", "k,up", "Scroll up", "customer", show=False),
    Action("replies.down", "cursor_down", "j,down", "Next reply", "replies", show=False),
    Action("replies.up", "cursor_up", "k,up", "Previous reply", "replies", show=False),
    Action("replies.use", "select", "enter", "Use reply", "replies"),
    Action("replies.edit", "edit_template", "e", "Edit template in $EDITOR", "replies"),
    Action("replies.edit_here", "edit_template_here", "E", "Edit template here", "replies"),
    Action("replies.new", "new_template", "n", "New template", "replies"),
    Action("orders.show", "select", "enter", "Show order", "orders"),
    Action("orders.down", "cursor_down", "j,down", "Next order", "orders", show=False),
    Action("orders.up", "cursor_up", "k,up", "Previous order", "orders", show=False),
    Action("orders.insert_summary", "insert_summary", "i", "Order summary → reply", "orders"),
    Action("orders.insert_tracking", "insert_tracking", "t", "Tracking link → reply", "orders"),
    # Compose keys are checked before the text fields' own: avoid keys the fields use for
    # editing (ctrl+a/e/k/u/w/d/x/v/y/z, arrows, home/end …).
    Action("compose.send", "send", "f2,ctrl+g", "Send", "compose", priority=True),
    Action("compose.cancel", "cancel", "escape", "Close (keep draft)", "compose", priority=True),
    Action(
        "compose.status_after",
        "cycle_status",
        "ctrl+n",
        "After sending",
        "compose",
        priority=True,
    ),
    Action("compose.editor", "editor", "ctrl+o", "Edit in $EDITOR", "compose", priority=True),
    Action("compose.discard", "discard", "ctrl+t", "Discard draft", "compose", priority=True),
    Action(
        "compose.template", "pick_template", "f3,ctrl+r", "Canned reply", "compose", priority=True
    ),
    Action(
        "compose.language", "switch_language", "ctrl+l", "Reply language", "compose", priority=True
    ),
    Action("picker.choose", "choose", "enter", "Insert", "picker", priority=True),
    Action("picker.close", "close", "escape", "Close", "picker", priority=True),
    Action("picker.language", "switch_language", "ctrl+l", "Language", "picker", priority=True),
    Action("kbedit.save", "save", "f2", "Save", "kbedit", priority=True),
    Action("kbedit.cancel", "cancel", "escape", "Close without saving", "kbedit", priority=True),
    Action("kbedit.editor", "editor", "ctrl+o", "Edit in $EDITOR", "kbedit", priority=True),
    Action("outbox.down", "cursor_down", "j", "Next reply", "outbox", show=False),
    Action("outbox.up", "cursor_up", "k", "Previous reply", "outbox", show=False),
    Action("outbox.retry", "retry", "r", "Retry now", "outbox"),
    Action("outbox.take_back", "take_back", "u", "Take back", "outbox"),
    Action("outbox.cancel", "cancel_reply", "x", "Cancel reply", "outbox"),
    Action("outbox.resend", "resend", "s", "Send again", "outbox"),
    Action("outbox.mark_sent", "mark_sent", "m", "Mark sent", "outbox"),
    Action("outbox.close", "close", "escape", "Close", "outbox"),
)

BY_ID = {a.id: a for a in ACTIONS}


def bindings(scope: str) -> list[Binding]:
    """Textual bindings for one scope, each carrying its action id (for ``set_keymap``)."""
    return [
        Binding(a.keys, a.action, a.description, show=a.show, id=a.id, priority=a.priority)
        for a in ACTIONS
        if a.scope == scope
    ]


def key_label(keys: str) -> str:
    """``'j,down'`` → ``'j / ↓'`` for the help screen."""
    names = {
        "question_mark": "?",
        "asterisk": "*",
        "slash": "/",
        "down": "↓",
        "up": "↑",
        "enter": "Enter",
        "escape": "Esc",
        "tab": "Tab",
        "shift+tab": "Shift+Tab",
        "pagedown": "PgDn",
        "pageup": "PgUp",
        "home": "Home",
        "end": "End",
        "space": "Space",
    }
    return " / ".join(names.get(k, k) for k in keys.split(","))


def key_for(action_id: str, overrides: Mapping[str, str]) -> str:
    """The first key of an action as the agent should press it (``[keys]`` overrides count)."""
    keys = overrides.get(action_id, BY_ID[action_id].keys)
    return key_label(keys.split(",")[0])


def unknown_ids(overrides: dict[str, str]) -> list[str]:
    """Ids in the user's ``[keys]`` that name no action (reported, not silently ignored)."""
    return sorted(set(overrides) - set(BY_ID))
