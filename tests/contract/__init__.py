"""Contract suites: one per port, each adapter's test module subclasses the suite and supplies its fixtures."""
