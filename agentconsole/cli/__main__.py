"""``python -m agentconsole.cli`` runs the CLI, as it did when the CLI was one module."""

from agentconsole.cli import main

main()
