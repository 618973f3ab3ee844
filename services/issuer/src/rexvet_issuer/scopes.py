"""OAuth scopes the issuer API checks."""

READ = "issuer:read"  # a staff member reads their own credentials
WRITE = "issuer:write"  # an institution's admin or manager changes its issuer profile, keys or credentials' status
