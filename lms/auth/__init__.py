"""Accounts: people, sign-up, sign-in and sessions."""
