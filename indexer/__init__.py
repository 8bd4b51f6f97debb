"""Search side of the repository: text extraction, analysis and the Whoosh index (no Flask)."""
