"""MkDocs adapter: open data exports, JSON-LD and statistics pages."""
