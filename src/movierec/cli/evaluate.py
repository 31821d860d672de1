"""`movierec evaluate --model DIR`: a trained model beside the baselines on one split."""

import json
from pathlib import Path

import click

from movierec.cli.user_errors import UserErrorCommand
from movierec.evaluation.model_eval import PROTOCOLS, EvaluationSettings, evaluate_model
from movierec.evaluation.report import write_report
from movierec.evaluation.report_markdown import results_tables


@click.command(cls=UserErrorCommand)
@click.option("--model", "model_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="The trained model (run) folder to evaluate.")
@click.option("--split-files", nargs=2, type=click.Path(dir_okay=False, path_type=Path),
              metavar="TRAIN.csv TEST.csv",
              help="Evaluate on this split (user,movie,rating[,timestamp] files) instead of the "
              "one the model was trained with.")
@click.option("--protocol", type=click.Choice(PROTOCOLS), default="split", show_default=True,
              help="split: the split the model was trained with (with a user-holdout split, "
              "its held-out users too); user-holdout: insist on the held-out users, who play "
              "new users with their first 1, 2, 3, 5 and 10 ratings (PROTOCOLS.md).")
@click.option("--k", type=click.IntRange(min=1), default=10, show_default=True,
              help="Length of the recommended lists.")
@click.option("--relevant", type=float, default=4.0, show_default=True,
              help="A test rating at or above this makes a movie relevant.")
@click.option("--no-baselines", is_flag=True, help="Evaluate the model alone (faster).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the matrix factorisation baseline.")
@click.option("--report/--no-report", default=True, show_default=True,
              help="Write the report into MODEL/report/.")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON document with every model's and baseline's metrics.")
def evaluate(model_dir: Path, split_files: tuple[Path, Path] | None, protocol: str, k: int,
             relevant: float, no_baselines: bool, seed: int, report: bool,
             as_json: bool) -> None:
    """Evaluate a trained model beside the baselines: rating error and top-K quality.

    \b
    By default the model is evaluated on the split it was trained with: train = the ratings it
    saw, test = its held-out part. Candidates for the top-K lists are all movies a user did not
    rate in train; users without a relevant test movie are skipped and counted.

    \b
    A model trained with `--split user-holdout` never saw a fifth of the users: they are
    played as new users, each known only by their first k ratings, and the model's new-user
    lists are measured beside popularity, item-kNN, EASE and the popularity of liked ratings
    for k = 1, 2, 3, 5 and 10.

    \b
    Examples:
      movierec evaluate --model runs/seed
      movierec evaluate --model runs/seed --split-files split/train.csv split/test.csv --json
      movierec train ml-100k --split user-holdout --out runs/holdout
      movierec evaluate --model runs/holdout --protocol user-holdout
    """
    settings = EvaluationSettings(k=k, relevant_threshold=relevant,
                                  baselines=not no_baselines, seed=seed, protocol=protocol)
    if not as_json:
        click.echo(f"evaluating {model_dir}" + ("" if no_baselines else " and the baselines")
                   + " ...", err=True)
    document = evaluate_model(model_dir, tuple(split_files) if split_files else None, settings)
    for warning in document["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    # Results first: a report that cannot be written must not cost the user the figures.
    click.echo(json.dumps(document, indent=1) if as_json else results_tables(document))
    if report:
        written = write_report(model_dir, document)
        click.echo(f"report written to {written}", err=as_json)
