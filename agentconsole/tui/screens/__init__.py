"""Screens: the main four-pane screen, compose and help."""
