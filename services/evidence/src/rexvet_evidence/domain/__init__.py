"""The evidence service's rules, free of HTTP and of storage."""
