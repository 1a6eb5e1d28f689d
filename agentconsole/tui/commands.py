"""Command palette: the action table's actions that apply where the agent is, searchable by
description (on the main screen its actions and the focused pane's; in the composer its own)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from agentconsole.tui import keymap


class ActionCommands(Provider):
    """Offers app actions, plus those of the screen and the pane that has focus."""

    def _chain(self) -> list[object]:
        """The focused widget, its ancestors and the screen (where actions are bound)."""
        chain: list[object] = []
        node = self.focused or self.screen
        while node is not None:
            chain.append(node)
            node = node.parent  # type: ignore[assignment]
        return chain

    @staticmethod
    def _ids(node: object) -> set[str]:
        return {getattr(b, "id", None) or "" for b in getattr(node, "BINDINGS", [])}

    def _actions(self) -> list[keymap.Action]:
        bound = set().union(*(self._ids(node) for node in self._chain()))
        scopes = {"app"} | {keymap.BY_ID[i].scope for i in bound if i in keymap.BY_ID}
        return [a for a in keymap.ACTIONS if a.palette and a.scope in scopes]

    async def _run(self, action: keymap.Action) -> None:
        target = self.app if action.scope == "app" else self.screen
        if action.scope != "app":
            target = next(
                (node for node in self._chain() if action.id in self._ids(node)), self.screen
            )
        await target.run_action(action.action)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(
                action.description,
                partial(self._run, action),
                help=f"{keymap.key_label(action.keys)} · {action.id}",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            score = matcher.match(f"{action.description} {action.id}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.description),
                    partial(self._run, action),
                    help=f"{keymap.key_label(action.keys)} · {action.id}",
                )


class ViewAndMacroCommands(Provider):
    """On the main screen: every view ("View: Overdue") and every macro ("Macro: …")."""

    def _entries(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        services = getattr(screen, "services", None)
        if services is None or not hasattr(screen, "show_view"):
            return []
        entries: list[tuple[str, str, object]] = []
        counts = getattr(getattr(screen, "views", None), "counts", {})
        for view in services.views.views():
            count = counts.get(view.name)
            label = f"View: {view.name}" + (f" ({count})" if count is not None else "")
            entries.append((label, view.query or "", partial(screen.show_view, view.name)))
        for index, macro in enumerate(services.macros.macros()):
            key = f"{macro.key} · " if macro.key else ""
            entries.append(
                (
                    f"Macro: {macro.name}",
                    f"{key}preview, then run",
                    partial(screen.action_macro, index),
                )
            )
        return entries

    async def discover(self) -> Hits:
        for label, help_text, run in self._entries():
            yield DiscoveryHit(label, run, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, run in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), run, help=help_text)  # type: ignore[arg-type]
