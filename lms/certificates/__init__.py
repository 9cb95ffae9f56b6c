"""Certificates: issued when a course is complete, verifiable by code, revocable, renewable."""
