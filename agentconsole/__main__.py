"""``python -m agentconsole`` runs the CLI."""

from agentconsole.cli import main

if __name__ == "__main__":  # not when a worker process (sync's MIME parser) imports this
    main()
