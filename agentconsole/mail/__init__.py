"""Mail adapters: building, delivering and (later) syncing mail. No UI here."""
