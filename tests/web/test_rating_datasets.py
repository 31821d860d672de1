"""Ratings survive a model of another dataset: they record their film, `publish_model` refuses a
model under which they would rate other films unless forced, maps them when forced, and stars
the model's scale cannot show are shown as they are."""

import os
import sqlite3
from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.core.management import CommandError, call_command

from movierec.cli.publish import publish, publish_run
from movierec.engine import Recommender
from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import rating_create, rating_set

from .artifacts import CATALOGUE, make_artifact
from .conftest import publish_link

pytestmark = pytest.mark.django_db

TOY_STORY, HEAT, SEVEN = 1, 3, 50
"""Ids in dataset "ml-a"; in "ml-b" the ids run backwards and Seven is missing."""


@pytest.fixture
def link(tmp_path: Path, settings) -> Path:
    """The site serves a model of dataset "ml-a", published as `movierec publish` does."""
    run = make_artifact(tmp_path / "runs" / "ml-a", dataset="ml-a")
    link = tmp_path / "models" / "current"
    publish_run(run, link)
    settings.MOVIEREC_MODEL = link
    return link


@pytest.fixture
def other_run(tmp_path: Path) -> Path:
    """A model of dataset "ml-b": the same films under other ids (Toy Story is 49, Heat 47),
    without Seven."""
    films = CATALOGUE[:-1]
    return make_artifact(
        tmp_path / "runs" / "ml-b",
        dataset="ml-b",
        catalogue=films,
        movie_ids=list(range(len(films), 0, -1)),
    )


def test_a_rating_records_its_film(link, account):
    rating = rating_set(user=account, movie_id=TOY_STORY, stars=4)
    created = rating_create(user=account, movie_id=HEAT, stars=3)
    assert (rating.dataset, rating.title, rating.year) == ("ml-a", "Toy Story", 1995)
    assert (rating.imdb_id, rating.tmdb_id, rating.unmapped) == (100_000, 862, False)
    assert created is not None and (created.title, created.tmdb_id) == ("Heat", 949)


def test_publishing_another_dataset_is_refused_and_says_how_many(link, other_run, account):
    rating_set(user=account, movie_id=TOY_STORY, stars=4)
    rating_set(user=account, movie_id=SEVEN, stars=5)
    served = os.readlink(link)
    with pytest.raises(CommandError) as refusal:
        call_command("publish_model", str(other_run), "--link", str(link), stdout=StringIO())
    message = str(refusal.value)
    assert "ml-b" in message and "2 ratings of 1 account would" in message
    assert "1 can be mapped" in message and "1 cannot" in message and "--force" in message
    assert os.readlink(link) == served
    assert sorted(Rating.objects.values_list("movie_id", flat=True)) == [TOY_STORY, SEVEN]


def test_the_same_dataset_publishes_without_question(link, tmp_path, account):
    rating_set(user=account, movie_id=TOY_STORY, stars=4)
    retrained = make_artifact(tmp_path / "runs" / "ml-a-2", dataset="ml-a", seed=3)
    call_command("publish_model", str(retrained), "--link", str(link), stdout=StringIO())
    assert os.readlink(link).startswith(str(link.parent / "versions" / "ml-a-2-"))
    assert Rating.objects.get().movie_id == TOY_STORY


def test_forced_publishing_maps_ratings_and_reports_the_rest(
    link, other_run, account, signed_in, settings, tmp_path, monkeypatch
):
    rating_set(user=account, movie_id=TOY_STORY, stars=4)
    rating_set(user=account, movie_id=SEVEN, stars=5)
    # A rating from a release without external ids: found by title and year.
    Rating.objects.create(
        user=account, movie_id=HEAT, stars=2, dataset="ml-1m", title="Heat", year=1995
    )
    out = StringIO()
    call_command("publish_model", str(other_run), "--link", str(link), "--force", stdout=out)
    assert "mapped 2 ratings" in out.getvalue() and "could not map 1 ratings" in out.getvalue()

    ratings = {rating.title: rating for rating in Rating.objects.all()}
    assert (ratings["Toy Story"].movie_id, ratings["Toy Story"].dataset) == (49, "ml-b")
    assert ratings["Heat"].movie_id == 47 and not ratings["Heat"].unmapped
    assert ratings["Seven (Se7en)"].unmapped and ratings["Seven (Se7en)"].movie_id < 0

    settings.MOVIEREC_MODEL = publish_link(tmp_path / "after", Path(os.readlink(link)))
    seen: list[dict[int, float]] = []
    for_new_user = Recommender.for_new_user

    def spy(engine, ratings, **options):
        seen.append(dict(ratings))
        return for_new_user(engine, ratings, **options)

    monkeypatch.setattr(Recommender, "for_new_user", spy)
    assert signed_in.get("/api/me/recommendations").status_code == 200
    assert seen == [{49: 4.0, 47: 2.0}]
    page = signed_in.get("/my/ratings/").content.decode()
    assert "Films this model does not have" in page and "Seven (Se7en) (1995): 5 stars" in page


def test_publishing_the_first_dataset_again_brings_unmapped_ratings_back(
    link, other_run, account
):
    first = os.readlink(link)
    rating_set(user=account, movie_id=SEVEN, stars=5)
    call_command("publish_model", str(other_run), "--link", str(link), "--force", stdout=StringIO())
    assert Rating.objects.get().unmapped
    call_command("publish_model", first, "--link", str(link), stdout=StringIO())
    rating = Rating.objects.get()
    assert (rating.movie_id, rating.unmapped, rating.dataset) == (SEVEN, False, "ml-a")


def test_stars_off_the_models_scale_are_shown_as_they_are(signed_in, account):
    Rating.objects.create(user=account, movie_id=TOY_STORY, stars=3.5)
    page = signed_in.get("/my/ratings/").content.decode()
    assert "You gave 3.5 stars (this model rates whole stars)" in page
    assert "star on" not in page


def test_cli_publish_warns_of_site_ratings_of_another_dataset(movierec_home, other_run):
    with sqlite3.connect(movierec_home / "site.sqlite3") as database:
        database.execute("CREATE TABLE ratings_rating (dataset TEXT, unmapped BOOL)")
        database.executemany("INSERT INTO ratings_rating VALUES (?, 0)", [("ml-a",), ("ml-b",)])
    result = CliRunner().invoke(publish, [str(other_run)])
    assert result.exit_code == 0, result.output
    assert "holds 1 ratings given on another dataset" in result.stderr
    assert "manage.py publish_model" in result.stderr


def test_ratings_that_record_no_film_are_left_and_reported(link, other_run, account):
    Rating.objects.create(user=account, movie_id=TOY_STORY, stars=4)
    out = StringIO()
    call_command("publish_model", str(other_run), "--link", str(link), stdout=out)
    assert "1 ratings record no film" in out.getvalue()
    assert Rating.objects.get().movie_id == TOY_STORY
