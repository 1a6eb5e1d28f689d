"""Several agents on one store: who is viewing or replying to which conversation.

The console beats when the agent moves or starts a reply and every few seconds; it reads the
others to mark conversations in the list and to warn before two people answer one customer
(the soft lock: a warning and a second press, never a hard block — the colleague may have
gone for lunch with the composer open).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections import defaultdict
from collections.abc import Callable

from agentconsole.clock import Clock
from agentconsole.config import Settings
from agentconsole.services.agents import AgentRecord
from agentconsole.store.presence import Presence, PresenceBoard

PRESENCE_FILE = "presence.db"


class PresenceService:
    def __init__(self, settings: Settings, clock: Clock, agent: Callable[[], AgentRecord]) -> None:
        self._board = PresenceBoard(settings.home / PRESENCE_FILE)
        self._clock = clock
        self._agent = agent
        self.console = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    def beat(self, conversation_id: int | None, activity: str = "viewing") -> None:
        agent = self._agent()
        self._board.beat(
            self.console, agent.handle, agent.name, conversation_id, activity, self._clock.now()
        )

    def others(self) -> dict[int, list[Presence]]:
        """Conversation → the other agents on it (replying first), from consoles alive now."""
        out: dict[int, list[Presence]] = defaultdict(list)
        me = self._agent().handle
        for p in self._board.others(self.console, self._clock.now()):
            if p.agent_handle != me or p.activity == "replying":
                out[p.conversation_id].append(p)
        return dict(out)

    def replying(self, conversation_id: int) -> Presence | None:
        """Someone else replying to this conversation right now, if anyone."""
        for p in self.others().get(conversation_id, []):
            if p.activity == "replying":
                return p
        return None

    def leave(self) -> None:
        self._board.leave(self.console)

    def close(self) -> None:
        self._board.close()
