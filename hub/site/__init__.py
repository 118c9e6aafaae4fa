"""Site stage: which posts show where, the pages, the feed, and the renderer build."""
