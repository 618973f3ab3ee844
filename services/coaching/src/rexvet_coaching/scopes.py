"""OAuth scopes the coaching API checks."""

READ = "coaching:read"
WRITE = "coaching:write"
