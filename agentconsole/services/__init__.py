"""What an agent can do. Services read and change the store and hand out frozen records."""
