"""`manage.py retrain`: `movierec retrain` for a site, from its own database (any of them).

The site's ratings and accounts are exported into a scratch folder (the run keeps a copy), the
candidate is trained and gated as `movierec retrain` does (`movierec.retraining.run_cycle`),
and a candidate that passes is published through `publish_model`, which checks the site's
ratings against it first. Exit status: 0 when published or when there was nothing new, 3 when
the gate kept the current model, 75 when another retrain is running.

The retraining package imports torch, so it is imported inside `handle`: the web processes,
which import every command module, never load it.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from movierec.errors import MovieRecError
from movierec_site.ratings.exports import accounts_csv_write, ratings_csv_write

GATE_REFUSED_EXIT = 3


class Command(BaseCommand):
    help = ("Retrain the published model with the site's ratings, gate it, and publish it "
            "when it passes.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="publish the candidate even when the gate refuses it")
        parser.add_argument("--min-new-ratings", type=int, default=1,
                            help="do nothing unless this many ratings are newer than the "
                            "published model's (default 1; 0 retrains anyway)")
        parser.add_argument("--set", dest="assignments", action="append", default=[],
                            metavar="SECTION.NAME=VALUE",
                            help="a hyperparameter, as for `movierec train` (repeatable)")
        parser.add_argument("--epochs", type=int, default=None)
        parser.add_argument("--dataset", default=None,
                            help="the prepared release the published model was trained on")
        parser.add_argument("--out", type=Path, default=None, help="the run folder")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--threads", type=int, default=None)
        parser.add_argument("--quiet", action="store_true", help="no per-epoch lines")

    def handle(self, *args: object, force: bool, min_new_ratings: int,
               assignments: list[str], epochs: int | None, dataset: str | None,
               out: Path | None, seed: int, threads: int | None, quiet: bool,
               **options: object) -> None:
        from movierec.cli.train import hyperparameter_overrides
        from movierec.retraining import Cycle, Outcome, run_cycle
        from movierec.training.context import RunContext

        link = Path(settings.MOVIEREC_MODEL)

        def make_context(folder: Path) -> RunContext:
            return RunContext(folder, seed=seed, threads=threads, progress=not quiet,
                              echo=self.stderr.write)

        def export(scratch: Path) -> tuple[Path, Path]:
            ratings, users = scratch / "site-ratings.csv", scratch / "site-users.csv"
            ratings_csv_write(out=ratings)
            accounts_csv_write(out=users)
            return ratings, users

        def publish(model: Path) -> list[str]:
            call_command("publish_model", str(model), "--link", str(link), stdout=self.stdout)
            return []

        try:
            cycle = Cycle(link, make_context, force=force, min_new_ratings=min_new_ratings,
                          dataset=dataset, out=out,
                          overrides=hyperparameter_overrides(None, tuple(assignments),
                                                             {"epochs": epochs}))
            outcome = run_cycle(cycle, export, publish, self.stdout.write)
        except MovieRecError as error:
            raise CommandError(str(error), returncode=error.exit_code) from None
        if outcome is Outcome.REFUSED:
            raise CommandError("the gate kept the current model; see the report above",
                               returncode=GATE_REFUSED_EXIT)
