"""Comms tools beside the pipeline: check, new, digest, analytics import."""
