"""Failure-scenario drills with spaced repetition (FSRS).

Submodules: ``schema`` (the store tables, no dependencies), ``cards`` (which
questions are cards), ``scheduler`` (the thin wrapper around ``fsrs``),
``state`` (card state and the review log in the store), ``queue`` (what to
drill next), ``dates`` (the defense date), ``session`` (one drill run),
``plain`` and ``text`` (the line mode and the texts it shares with the
Textual screen). The rich rendering of ``viva stats`` is ``viva.cli.views.stats``.
This package itself imports nothing, so that the store can register the
drill tables without pulling in ``fsrs``.
"""
