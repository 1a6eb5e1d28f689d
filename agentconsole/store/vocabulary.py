"""The fixed words of the store (statuses, channels, priorities), importable without loading
the ORM: readers and the console must start without SQLAlchemy."""

STATUSES = ("open", "pending", "snoozed", "closed")
CHANNELS = ("email", "phone", "chat", "social")
PRIORITIES = ("low", "normal", "high", "urgent")
"""Stored as the index: 0 low … 3 urgent (default 1, normal)."""
