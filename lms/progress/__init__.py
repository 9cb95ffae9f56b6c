"""Progress: what each person has viewed and completed (the write side, and per-person queries)."""
