"""The Textual console. Nothing outside this package imports Textual."""

import os

# Textual paints at most this many frames a second (default 60): a moved cursor waited up to a
# frame (16.7 ms) for its repaint. Only frames with changes are drawn, so idle costs nothing.
os.environ.setdefault("TEXTUAL_FPS", "120")
