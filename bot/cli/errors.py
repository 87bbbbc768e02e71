"""The one kind of error a verb raises to end with a message and exit status 2."""


class UserError(Exception):
    """Something the user can fix (a missing file, a bad value): one line, exit 2."""
