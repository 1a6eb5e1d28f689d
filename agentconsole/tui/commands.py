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
