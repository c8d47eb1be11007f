"""Renderers: each turns a posting (or its Markdown) into the bytes of one document format."""
