"""MkDocs adapter: output safety (snippet-include guard and post-build HTML scan)."""
