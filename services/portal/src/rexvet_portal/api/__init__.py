"""The portal's routes, forms, CSRF checks and error pages."""
