"""Typesetting helpers every format shares: the bundled fonts and Japanese line breaking."""
