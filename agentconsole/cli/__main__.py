"""``python -m agentconsole.cli`` runs the CLI, as it did when the CLI was one module."""

from agentconsole.cli import main

if __name__ == "__main__":  # not when a worker process imports this
    main()
