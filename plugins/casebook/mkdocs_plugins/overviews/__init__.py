"""``casebook/overviews``: generated home, overview and index pages."""
