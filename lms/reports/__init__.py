"""Read-only, set-based reports: a fixed number of queries however many people or modules."""
