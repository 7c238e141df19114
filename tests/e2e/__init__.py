"""End to end: the real `viva` processes killed at random moments."""
