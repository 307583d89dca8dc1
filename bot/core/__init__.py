"""Core layer: types, errors, settings, the citation grammar, text primitives; imports no layer."""
