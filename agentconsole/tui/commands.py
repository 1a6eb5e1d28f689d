"""Command palette: every action from the action table, searchable by its description."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from agentconsole.tui import keymap

_PALETTE_SCOPES = ("app", "main")


class ActionCommands(Provider):
    """Offers app and main-screen actions, plus those of the pane that has focus."""

    def _actions(self) -> list[keymap.Action]:
        focused = self.focused
        scopes = set(_PALETTE_SCOPES)
        node = focused
        while node is not None:
            for binding in getattr(node, "BINDINGS", []):
                action = keymap.BY_ID.get(getattr(binding, "id", "") or "")
                if action:
                    scopes.add(action.scope)
            node = node.parent
        return [a for a in keymap.ACTIONS if a.palette and a.scope in scopes]

    async def _run(self, action: keymap.Action) -> None:
        target = self.screen if action.scope != "app" else self.app
        if action.scope not in _PALETTE_SCOPES and self.focused is not None:
            node = self.focused
            while (
                node is not None
                and keymap.BY_ID.get(action.id)
                and not any(
                    getattr(b, "id", None) == action.id for b in getattr(node, "BINDINGS", [])
                )
            ):
                node = node.parent
            target = node or self.screen
        await target.run_action(action.action)

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
