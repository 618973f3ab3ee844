"""One use case per page: what the page needs, gathered from the services with the person's token."""
