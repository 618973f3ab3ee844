"""The coaching service's application layer: handlers that take the ports and run the domain."""
