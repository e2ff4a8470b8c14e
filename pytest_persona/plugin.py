"""pytest hooks (stub: the plugin helper writes the real one)."""
