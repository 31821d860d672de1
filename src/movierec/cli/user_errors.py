"""Click classes that turn a user's error (a MovieRecError) into one line on stderr, never a
traceback. Every movierec group and command uses them, so a command behaves the same when it
runs under `movierec` and when it runs on its own (tests, scripts)."""

import sys

import click

from movierec.errors import MovieRecError


class _ReportsUserErrors:
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except MovieRecError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)


class UserErrorGroup(_ReportsUserErrors, click.Group):
    """A click group whose commands' user errors print as one line."""


class UserErrorCommand(_ReportsUserErrors, click.Command):
    """A click command whose user errors print as one line."""
