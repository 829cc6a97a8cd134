"""MkDocs adapter: Pagefind search, search pages and the header search box."""
