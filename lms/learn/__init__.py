"""What a learner sees: the catalog, course and module pages, and My training."""
