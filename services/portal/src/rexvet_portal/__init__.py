"""rexvet's portal: the web application for staff and coaches; it owns only sessions and calls the four services."""
