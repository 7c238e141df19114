"""Tests of viva doctor, backup and restore."""
