"""Events: the CloudEvents envelope, topics and the event catalogue."""
