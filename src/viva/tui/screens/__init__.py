"""Textual screens: the rehearsal, the drill, and their dialogs."""
