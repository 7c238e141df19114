"""The application layer: one function per command, between the front ends and the stages.

Each function loads what its command needs (the catalog, the store), calls
the stages in order, closes what it opened, and returns typed values; the
command line parses options, calls one of these and prints the result.
Front ends that need a terminal (the rehearsal and drill screens, plain
line mode) are passed in as functions, so nothing here imports typer, rich
or textual. This package itself imports nothing.
"""
