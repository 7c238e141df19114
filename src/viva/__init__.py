"""viva: defense rehearsal and review assistant for capstone projects."""

__version__ = "0.1.0"
