"""Renderings of results: terminal table, HTML report and Markdown summary."""
