"""The course engine: reads courses/ into an immutable, pre-rendered catalog.

Plain Python: nothing in this package imports Flask or the database.
"""
