"""Rule pages: what changed between two years in words, and an ICB's local variation."""
