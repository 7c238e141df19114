"""``python -m viva`` runs the command line."""

from viva.cli.app import main

if __name__ == "__main__":
    main()
