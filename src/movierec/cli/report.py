"""`movierec report RUN`: print the evaluation report of a run."""

from pathlib import Path

import click

from movierec.cli.user_errors import UserErrorCommand
from movierec.evaluation.report import report_text


@click.command(cls=UserErrorCommand)
@click.argument("run", type=click.Path(file_okay=False, path_type=Path))
@click.option("--render", is_flag=True,
              help="Draw the report again from report.json and metrics.jsonl (figures too).")
def report(run: Path, render: bool) -> None:
    """Print the evaluation report (markdown) of the model folder RUN.

    The report is made by `movierec evaluate --model RUN` and lives in RUN/report/. Without
    report.md, or with --render, it is drawn again from report.json and the run's metrics.jsonl.
    """
    click.echo(report_text(run, render=render), nl=False)
