"""Tests of packets: real WeasyPrint PDFs read back with pypdf."""
