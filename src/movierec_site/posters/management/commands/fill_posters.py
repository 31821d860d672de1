"""`manage.py fill_posters`: fetch every missing TMDB poster now, rather than as pages ask.

Optional: the site fills the cache in the background anyway. Useful after a first deployment,
so the first visitors already see real posters. Stops at the first sign that TMDB is down.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from movierec_site.posters.fetcher import FetchFailed
from movierec_site.posters.providers import tmdb_client
from movierec_site.posters.selectors import poster_missing_list
from movierec_site.posters.services import poster_fetch


class Command(BaseCommand):
    help = "Fetch the TMDB posters the cache lacks (needs TMDB_API_KEY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="fetch at most this many")

    def handle(self, *args: object, limit: int | None, **options: object) -> None:
        client = tmdb_client()
        if client is None:
            raise CommandError("TMDB_API_KEY is not set; posters are drawn locally without it")
        missing = poster_missing_list()[:limit]
        for done, movie_id in enumerate(missing, start=1):
            try:
                poster_fetch(client=client, movie_id=movie_id)
            except FetchFailed as error:
                raise CommandError(f"stopped after {done - 1} posters: {error}") from None
            if done % 100 == 0:
                self.stdout.write(f"{done} of {len(missing)}")
        self.stdout.write(f"fetched {len(missing)} posters")
