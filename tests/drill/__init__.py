"""Tests of the drill: cards, scheduling, queue, state, plain mode, stats."""
