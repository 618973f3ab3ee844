"""OAuth scopes the issuer API checks.

rexvet's own scopes name what a caller may do on this platform; the Open Badges 3.0 API (`/ims/ob/v3p0`) also
accepts the scopes its clients are written to ask for, each mapped to the rexvet scope that grants the same thing.
"""

READ = "issuer:read"  # a staff member reads their own credentials
WRITE = "issuer:write"  # an institution's admin or manager changes its issuer profile, keys or credentials' status

OB_SCOPE_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
OB_CREDENTIAL_READONLY = OB_SCOPE_BASE + "credential.readonly"  # getCredentials: the bearer's own credentials
OB_CREDENTIAL_UPSERT = OB_SCOPE_BASE + "credential.upsert"  # upsertCredential: not offered (see ob_rest.py)
OB_PROFILE_READONLY = OB_SCOPE_BASE + "profile.readonly"  # getProfile: the bearer's own profile
OB_PROFILE_UPDATE = OB_SCOPE_BASE + "profile.update"  # putProfile: not offered (see ob_rest.py)

# What each OB scope means here, said with the rexvet scope that already grants it (either one is enough).
OB_READ_CREDENTIALS = (OB_CREDENTIAL_READONLY, READ)
OB_READ_PROFILE = (OB_PROFILE_READONLY, READ)

OB_SCOPE_DESCRIPTIONS = {
    OB_CREDENTIAL_READONLY: "Permission to read OpenBadgeCredentials for the authenticated entity.",
    OB_CREDENTIAL_UPSERT: "Permission to create or update OpenBadgeCredentials for the authenticated entity.",
    OB_PROFILE_READONLY: "Permission to read the profile for the authenticated entity.",
    OB_PROFILE_UPDATE: "Permission to update the profile for the authenticated entity.",
}
