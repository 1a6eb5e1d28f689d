"""agentconsole: a terminal customer-service console for small shops."""
