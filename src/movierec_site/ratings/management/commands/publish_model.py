"""`manage.py publish_model RUN_DIR [--force]`: `movierec publish`, for a site with accounts.

A movie id names a film of one dataset only, so a model of another dataset would silently turn
every rating into a rating of another film. Before the published link moves, the site's ratings
are checked against the new model's films (`ratings.remapping`): when some would change meaning,
nothing is published unless `--force`, which moves them to their films' new ids and marks those
the model lacks as unmapped. The ratings change in the same transaction as the link: when the
publishing fails, they stay as they were.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from movierec.cli.publish import publish_run
from movierec.engine import Recommender
from movierec.errors import MovieRecError
from movierec_site.ratings.remapping import RemapPlan, remap_apply, remap_plan


class Command(BaseCommand):
    help = "Publish a trained model after checking the site's ratings against its films."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("run_dir", type=Path, help="the trained run (or its model folder)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="publish even when ratings rate other films under the new model: map them by "
            "IMDb/TMDB id or title and year, and mark the ones it cannot map as unmapped",
        )
        parser.add_argument("--link", type=Path, default=None, help="as for `movierec publish`")

    def handle(self, *args: object, run_dir: Path, force: bool, link: Path | None,
               **options: object) -> None:
        def check_ratings(engine: Recommender) -> None:
            plan = remap_plan(engine=engine)
            if plan.changes_meaning and not force:
                raise CommandError(_refusal(plan))
            dropped = remap_apply(plan=plan, engine=engine)
            for line in _report(plan, dropped):
                self.stdout.write(line)

        try:
            with transaction.atomic():
                lines = publish_run(run_dir, link, before_switch=check_ratings)
        except MovieRecError as error:
            raise CommandError(str(error)) from None
        for line in lines:
            self.stdout.write(line)


def _dataset(name: str) -> str:
    return name or "an unnamed dataset"


def _accounts(count: int) -> str:
    return f"{count} account{'' if count == 1 else 's'}"


def _refusal(plan: RemapPlan) -> str:
    moved = len(plan.moved) - plan.restored
    return (
        f"Not published: the new model is of {_dataset(plan.dataset)}, and "
        f"{moved + len(plan.unmapped)} ratings of {_accounts(len(plan.accounts))} would rate other "
        f"films under it. {moved} can be mapped to the new model's films (by IMDb or TMDB id, "
        f"or title and year); {len(plan.unmapped)} cannot (the model lacks their films). "
        "Run again with --force to map them; the ones it cannot map are kept, shown under "
        "\"my ratings\" and no longer used to recommend. The current model is unchanged."
    )


def _report(plan: RemapPlan, dropped: int) -> list[str]:
    lines = []
    moved = len(plan.moved) - plan.restored
    if moved or plan.restored:
        lines.append(
            f"mapped {moved} ratings to the new model's ids of their films"
            + (f", and {plan.restored} unmapped ones back to their films" if plan.restored else "")
        )
    if dropped:
        lines.append(f"dropped {dropped} ratings of films their accounts had rated twice")
    if plan.unmapped:
        lines.append(
            f"could not map {len(plan.unmapped)} ratings: "
            "the model lacks their films; kept as unmapped, not used to recommend"
        )
    if plan.unchecked:
        lines.append(
            f"{plan.unchecked} ratings record no film (given before ratings recorded one) and "
            "were left as they are"
        )
    return lines
