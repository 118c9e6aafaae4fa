"""Feeds stage: download (fetch), read RSS/Atom into items (parse), clean item HTML (sanitize)."""
