"""The catalog stage: data files in, one validated, immutable ``Catalog`` out.

``index`` finds the files and keeps the cache, ``yamlsafe`` reads YAML with
line numbers, ``models`` are the schemas, ``loader`` validates and merges,
``lint`` and ``bankstats`` check banks. This package itself imports nothing,
so that ``viva tracks`` can answer from the cache without pydantic.
"""

OPENING_PREFIX = "opening-"
"""Agenda ids of the sections' opening prompts start so; no bank question may."""
