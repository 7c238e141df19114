"""Tests of the command line: help, exit codes, lazy imports, in-process runs."""
