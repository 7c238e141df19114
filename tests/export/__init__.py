"""Tests of the exports: Anki (imported with the real anki package), Markdown, JSON."""
