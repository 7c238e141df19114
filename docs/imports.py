"""Print viva's import graph, package by package, from the code as it is now.

``make imports`` (or ``.venv/bin/python docs/imports.py``) lists each
package of ``src/viva`` with the viva packages and the third-party
packages it imports, directly, in the layer order of the import-linter
contracts in pyproject.toml (front ends first); then any cycle between
modules. It reads imports with grimp, the library behind import-linter;
nothing of viva is run.
"""

from __future__ import annotations

import sys

import grimp

# Top to bottom, as in pyproject.toml's [tool.importlinter] layers.
LAYERS = [
    ["viva.__main__"],
    ["viva.cli"],
    ["viva.tui"],
    ["viva.services"],
    ["viva.packet", "viva.export", "viva.admin"],
    ["viva.drill"],
    ["viva.rehearsal"],
    ["viva.store", "viva.catalog"],
    ["viva.clock", "viva.files", "viva.locations", "viva.text"],
    ["viva.errors"],
]
THIRD_PARTY = {
    "typer", "rich", "textual", "jinja2", "yaml", "weasyprint", "pydantic", "platformdirs",
    "fsrs", "genanki",
}  # fmt: skip


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "viva" and len(parts) > 1 else parts[0]


def main() -> int:
    graph = grimp.build_graph("viva", include_external_packages=True)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if not module.startswith("viva"):
            continue
        src = package_of(module)
        for imported in graph.find_modules_directly_imported_by(module):
            dst = package_of(imported)
            if dst != src and (dst.startswith("viva.") or dst in THIRD_PARTY):
                edges.setdefault(src, set()).add(dst)
    width = max(len(p) for layer in LAYERS for p in layer)
    for depth, layer in enumerate(LAYERS, 1):
        for package in layer:
            viva = sorted(d for d in edges.get(package, ()) if d.startswith("viva."))
            others = sorted(d for d in edges.get(package, ()) if not d.startswith("viva."))
            inside = ", ".join(v.removeprefix("viva.") for v in viva) or "-"
            outside = f"   [{', '.join(others)}]" if others else ""
            print(f"{depth:>2}  {package:<{width}}  -> {inside}{outside}")
    cycles = [
        (a, b)
        for a in graph.modules
        if a.startswith("viva.")
        for b in graph.find_modules_directly_imported_by(a)
        if b.startswith("viva.") and a < b and graph.direct_import_exists(importer=b, imported=a)
    ]
    print()
    print("module cycles:", ", ".join(f"{a} <-> {b}" for a, b in cycles) or "none")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
