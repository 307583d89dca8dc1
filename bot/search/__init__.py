"""Search layer: hybrid retrieval over the live generation and rule lookup by citation."""
