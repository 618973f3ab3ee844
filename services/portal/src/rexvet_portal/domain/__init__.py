"""The portal's view models: pure, no I/O, no framework."""
