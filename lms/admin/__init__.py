"""Administration: people and their access (disable, enable, trainer and admin roles)."""
