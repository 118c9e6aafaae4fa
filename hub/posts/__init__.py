"""Posts stage: a post file's schema, slugs, captions, share links, the sync and its state."""
