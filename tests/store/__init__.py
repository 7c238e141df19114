"""Tests of the store: migrations, concurrent writers."""
