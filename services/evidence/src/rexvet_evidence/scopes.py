"""OAuth scopes the evidence API checks."""

READ = "evidence:read"
WRITE = "evidence:write"
