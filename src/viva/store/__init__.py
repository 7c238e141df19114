"""The SQLite store: sessions, their event log and the drill tables, with migrations.

This package itself imports nothing.
"""
