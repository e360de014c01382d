"""Errors the command line turns into one clear line (exit code 2), never a traceback."""


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""
