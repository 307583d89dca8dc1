"""Deadlines: Fed. R. Civ. P. 6 and Fed. R. App. P. 26 time computation, and cited events."""
