"""Campaigns that last across election cycles: cycles, members, invites, plans, rollover."""
