"""AgentConsoleApp: wiring only — screens, theme, key overrides and the palette."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, InvalidThemeError

from agentconsole.services.context import Services
from agentconsole.tui import keymap
from agentconsole.tui.commands import ActionCommands, ViewAndMacroCommands
from agentconsole.tui.screens.help import HelpScreen
from agentconsole.tui.screens.main import MainScreen


class AgentConsoleApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "agentconsole"
    COMMANDS: ClassVar = {ActionCommands, ViewAndMacroCommands}
    BINDINGS = keymap.bindings("app")
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-wide"), (150, "-xwide")]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self._theme_problem = ""
        try:
            self.theme = services.settings.ui.theme
        except InvalidThemeError:
            self._theme_problem = f"ui.theme: unknown theme {services.settings.ui.theme!r}"
        self.main_screen = MainScreen(services)

    def on_mount(self) -> None:
        if self._theme_problem:
            self.notify(self._theme_problem, severity="warning", markup=False)
        overrides = self.services.settings.keys
        unknown = keymap.unknown_ids(overrides)
        if unknown:
            self.notify(
                f"[keys] in config: unknown action ids {', '.join(unknown)}",
                severity="warning",
                markup=False,
            )
        self.set_keymap({k: v for k, v in overrides.items() if k in keymap.BY_ID})
        self.push_screen(self.main_screen)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            macros = getattr(self.main_screen, "macro_keys", [])
            self.push_screen(HelpScreen(self.services.settings.keys, macros))


def make_console(services: Services) -> AgentConsoleApp:
    """An un-run app over open services (tests pass it to Pilot or snap_compare)."""
    return AgentConsoleApp(services)


def run_console(services: Services) -> None:
    """Open the console; returns when the agent quits."""
    services.mail.prepare()
    make_console(services).run()
