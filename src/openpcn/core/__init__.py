"""Small shared building blocks used by every domain (no Django)."""
