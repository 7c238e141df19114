"""Tests of the Textual screens: the pilot, and snapshots at a fixed size."""
