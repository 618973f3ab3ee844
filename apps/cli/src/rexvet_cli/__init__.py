"""The rexvet command line."""
