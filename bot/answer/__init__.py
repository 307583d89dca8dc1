"""Answer layer: read the question, screen its scope, compose a cited answer and verify it."""
