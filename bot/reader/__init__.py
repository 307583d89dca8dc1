"""Read a person's own court order (PDF or photos): its text, decisions, directives, deadlines."""
