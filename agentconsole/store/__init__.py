"""The local SQLite store: the centre every adapter fills and every service reads."""
