"""Real mail servers (Dovecot) for integration tests and benchmarks."""
