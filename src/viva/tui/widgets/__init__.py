"""The widgets of the rehearsal screen; each module shows one part of a ``Rehearsal``."""
