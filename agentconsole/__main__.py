"""``python -m agentconsole`` runs the CLI."""

from agentconsole.cli import main

main()
