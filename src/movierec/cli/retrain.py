"""`movierec retrain`: retrain the published model with the site's ratings, gate the candidate,
and publish it when it passes.

Made to run unattended (a systemd timer, cron): it takes the retrain lock first, so a second
one stops at once (exit status 75); with fewer than `--min-new-ratings` site ratings newer than
those the published model was trained on it says so in one line and exits 0; a candidate the
gate refuses leaves the published model serving and exits 3, so that the scheduler reports it.
torch is imported inside the command, as `movierec train` does.
"""

import sys
from pathlib import Path

import click

from movierec.cli.train import hyperparameter_overrides
from movierec.cli.user_errors import UserErrorCommand

GATE_REFUSED_EXIT = 3
"""The exit status when the gate kept the published model."""


@click.command(cls=UserErrorCommand)
@click.option("--ratings", "site_ratings", type=click.Path(dir_okay=False, path_type=Path),
              help="The site's ratings as `manage.py export_ratings` writes them "
              "(user,movie,rating,timestamp); without it, the release alone.")
@click.option("--users", "site_users", type=click.Path(dir_okay=False, path_type=Path),
              help="The accounts' demographics: user,gender,age,occupation in ML-1M's codes, "
              "empty where not given (`manage.py export_ratings --users FILE`).")
@click.option("--dataset", help="The prepared release (name or folder) the published model was "
              "trained on [default: the one its manifest names].")
@click.option("--force", is_flag=True, help="Publish the candidate even when the gate refuses it.")
@click.option("--min-new-ratings", type=click.IntRange(min=0), default=1, show_default=True,
              help="Do nothing (exit 0) unless this many site ratings are newer than the "
              "published model's; 0 retrains anyway.")
@click.option("--set", "assignments", multiple=True, metavar="SECTION.NAME=VALUE",
              help="Set a hyperparameter of the preset, as for `movierec train` (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file of hyperparameters, as for `movierec train`.")
@click.option("--epochs", type=int, help="Override the preset's number of epochs.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="The run folder (default: a new folder under $MOVIEREC_HOME/runs).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the training.")
@click.option("--threads", type=int, help="CPU threads for torch (default: half the CPUs).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
              show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bars or per-epoch lines.")
def retrain(site_ratings: Path | None, site_users: Path | None, dataset: str | None,
            force: bool, min_new_ratings: int, assignments: tuple[str, ...],
            config_file: Path | None, epochs: int | None, out: Path | None, seed: int,
            threads: int | None, device: str, quiet: bool) -> None:
    """Train a new model on the published model's release and preset plus every account's
    ratings (each account a user of its own), score it against the published model on the
    same held-out ratings (the newest tenth of every user's), and publish it only when it is
    not worse beyond the gate's tolerance. Prints the gate's table; the run folder keeps the
    report (retrain-report.md, retrain-report.json).
    """
    from movierec import paths
    from movierec.cli.publish import publish_run
    from movierec.retraining import Cycle, Outcome, run_cycle
    from movierec.training.context import RunContext

    def make_context(folder: Path) -> RunContext:
        return RunContext(folder, seed=seed, device=device, threads=threads, progress=not quiet,
                          echo=lambda line: click.echo(line, err=True))

    link = paths.published_model()
    cycle = Cycle(link, make_context, force=force, min_new_ratings=min_new_ratings,
                  dataset=dataset, out=out,
                  overrides=hyperparameter_overrides(config_file, assignments,
                                                     {"epochs": epochs}))
    outcome = run_cycle(cycle, lambda _scratch: (site_ratings, site_users),
                        lambda model: publish_run(model, link), click.echo)
    if outcome is Outcome.REFUSED:
        sys.exit(GATE_REFUSED_EXIT)
