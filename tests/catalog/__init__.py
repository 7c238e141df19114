"""Tests of the catalog stage: loading, linting, the packaged banks, user data."""
