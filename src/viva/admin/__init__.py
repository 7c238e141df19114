"""Looking after the machine and the store: ``viva doctor``, backups and restores."""
