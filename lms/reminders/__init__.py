"""Reminders: `lms remind` emails people whose required training is due, at most once a period."""
