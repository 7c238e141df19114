"""The Textual rehearsal screen (the only part of viva that imports textual)."""
