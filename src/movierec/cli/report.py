"""`movierec report RUN`: print the evaluation report of a run."""

import click

from movierec.cli.run_folder import run_folder
from movierec.cli.user_errors import UserErrorCommand
from movierec.evaluation.report import report_text


@click.command(cls=UserErrorCommand)
@click.argument("run")
@click.option("--render", is_flag=True,
              help="Draw the report again from report.json and metrics.jsonl (figures too).")
def report(run: str, render: bool) -> None:
    """Print the evaluation report (markdown) of RUN: a model folder, or the name of a run in
    $MOVIEREC_HOME/runs (or the start of one).

    The report is made by `movierec evaluate --model RUN` and lives in RUN/report/. Without
    report.md, or with --render, it is drawn again from report.json and the run's metrics.jsonl.
    """
    click.echo(report_text(run_folder(run), render=render), nl=False)
