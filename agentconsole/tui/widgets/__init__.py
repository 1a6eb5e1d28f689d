"""The console's widgets, one per pane."""
