"""The portal's ports made real: typed HTTP clients of the services, the OpenID client, the session store."""
