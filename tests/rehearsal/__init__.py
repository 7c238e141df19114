"""Tests of the rehearsal stage: planner, engine, live session, plain mode."""
