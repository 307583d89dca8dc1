"""Ingest layer: read knowledge files, parse orders, rule books and statutes, cut passages."""
