"""The REX VET career model: pure Python, no web framework, no database driver."""
