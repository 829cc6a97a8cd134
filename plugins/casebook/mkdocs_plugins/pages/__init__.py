"""``casebook/pages``: case and organisation pages."""
