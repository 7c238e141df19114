"""The command line: thin typer commands that parse options and call one function."""
