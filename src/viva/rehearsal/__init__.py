"""The rehearsal stage: planner -> agenda -> live session (engine + store) -> report.

This package itself imports nothing; it holds one constant the command line's
``--seed`` check needs without importing the stage.
"""

SEED_LIMIT = 2**63
"""Seeds are 0 to 2**63 - 1: they are stored as SQLite integers."""
