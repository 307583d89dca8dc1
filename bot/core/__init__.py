"""Core layer: domain types, errors, settings and the citation grammar; depends on nothing else."""
