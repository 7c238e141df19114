"""Failure-scenario drills with spaced repetition (FSRS).

Submodules: ``cards`` (which questions are cards), ``scheduler`` (the thin
wrapper around ``fsrs``), ``state`` (card state and the review log in the
store), ``queue`` (what to drill next), ``dates`` (the defense date),
``session`` (one drill run), ``plain`` and ``text`` (the line mode and the
texts it shares with the Textual screen), ``voice`` (what both need of a
spoken drill, and what a spoken answer left), ``stats`` (the figures of ``viva
stats``) and ``hooks`` (how a rehearsal rating reaches a card). The drill
tables are created by the store's migrations (``viva.store.migrations``).
This package itself imports nothing, so that wiring the hook stays free of
``fsrs``.
"""
