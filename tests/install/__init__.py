"""Installing viva: the wheel and sdist, and the lowest declared versions."""
