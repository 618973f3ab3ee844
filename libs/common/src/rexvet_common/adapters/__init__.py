"""Adapters: the embedded ones (SQLite, local files) and the real engines, each passing its port's contract suite."""
