"""Case search (filled in below)."""
