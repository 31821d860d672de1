"""The `movierec` command group. Subcommands live one per module and register themselves here."""

import click

from movierec import __version__
from movierec.cli import (
    data_fetch,
    data_prepare,
    data_split,
    data_synth,
    evaluate,
    models,
    predict,
    publish,
    report,
    retrain,
    rollback,
    train,
)
from movierec.cli.recommend import recommend
from movierec.cli.user_errors import UserErrorGroup


@click.group(cls=UserErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="movierec")
def cli() -> None:
    """movierec: a personal movie recommender.

    \b
    Typical use:
      movierec data fetch ml-1m           download and verify a MovieLens release
      movierec data prepare ml-1m         turn it into the seed network's features
      movierec train ml-1m                train the two-tower network

    Files live in $MOVIEREC_HOME (default ~/.local/share/movierec).
    """


@cli.group()
def data() -> None:
    """Fetch, prepare, split and synthesise MovieLens data."""


data.add_command(data_fetch.fetch)
data.add_command(data_prepare.prepare)
data.add_command(data_split.split)
data.add_command(data_synth.synth)

cli.add_command(recommend)
cli.add_command(evaluate.evaluate)
cli.add_command(report.report)
cli.add_command(publish.publish)
cli.add_command(models.models)
cli.add_command(rollback.rollback)
cli.add_command(train.train)
cli.add_command(retrain.retrain)
cli.add_command(predict.predict)


if __name__ == "__main__":
    cli()
