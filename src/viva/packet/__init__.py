"""Packets: reviewer and candidate PDFs (or HTML) from the catalog and the store.

``model`` turns data into a template context, ``templating`` renders the
HTML, ``render`` lays it out with WeasyPrint (fetching nothing) and writes it
atomically, ``job`` runs one packet end to end and ``batch`` runs many on all
cores. Import what you need from those modules: this package imports nothing,
so that ``viva.packet.render`` can start its helper process before the
catalog (and pydantic) are even imported.
"""
