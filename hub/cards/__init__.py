"""Cards stage: the social card images drawn per post."""
