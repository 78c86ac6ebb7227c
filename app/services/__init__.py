"""Domain services: plain functions over a session. They flush, never commit."""
