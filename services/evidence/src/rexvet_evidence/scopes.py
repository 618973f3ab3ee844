"""OAuth scopes the evidence API checks."""

READ = "evidence:read"
WRITE = "evidence:write"
REVIEW = "evidence:review"  # a coach approves or rejects evidence
HR_WRITE = "hr:write"  # an institution's HR system pushes its events
