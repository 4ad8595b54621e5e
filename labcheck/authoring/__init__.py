"""Writing labs: `labcheck import` turns a lab's Markdown into a lab pack, `labcheck lint` shows
every check can fail."""
