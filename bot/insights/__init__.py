"""What admins learn from the conversations: gaps in the knowledge base, a chart, datasette.

Reads the database read-only through bot.store.reports, in its own process.
"""
