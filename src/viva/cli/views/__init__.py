"""Rich renderings of what the commands print (never imported by domain code)."""
