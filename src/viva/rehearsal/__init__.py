"""The rehearsal stage: planner -> agenda -> live session (engine + store) -> report.

This package itself imports nothing.
"""
