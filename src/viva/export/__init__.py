"""Exports of question banks: an Anki deck (``anki``), Markdown for reading and
printing (``markdown``) and JSON with the drill state (``jsonfile``).

Each module takes loaded ``Track`` objects and returns or writes one file;
the heavy library (genanki) is imported only by the Anki export.
"""
