"""The Textual screens: ``screens/`` (rehearsal, drill, dialogs, summary), ``widgets/``
and ``styles/`` (the CSS files). The only part of viva besides the command line's
views that imports textual or rich."""
