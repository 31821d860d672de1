"""Batch jobs: management commands."""

import csv
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from movierec_site.posters.models import CachedPoster
from movierec_site.ratings import selectors
from movierec_site.ratings.models import Rating

from .fake_tmdb import FakeTmdb, closed_port_url

pytestmark = pytest.mark.django_db


def test_export_ratings_writes_the_training_layout(tmp_path, account):
    Rating.objects.create(user=account, movie_id=3, stars=4)
    Rating.objects.create(user=account, movie_id=9, stars=5)
    out = tmp_path / "site-ratings.csv"
    call_command("export_ratings", str(out), "--user-id-offset", "1000", stdout=StringIO())
    rows = list(csv.DictReader(out.open()))
    assert [(r["user"], r["movie"], r["rating"]) for r in rows] == [
        (str(1000 + account.pk), "3", "4"),
        (str(1000 + account.pk), "9", "5"),
    ]
    assert all(int(r["timestamp"]) > 1_600_000_000 for r in rows)


def test_a_failed_export_leaves_no_file_behind(tmp_path, account, monkeypatch):
    Rating.objects.create(user=account, movie_id=3, stars=4)
    out = tmp_path / "site-ratings.csv"
    out.write_text("the previous export\n")

    def rows_then_failure():
        yield account.pk, 3, 4.0, datetime.now(UTC)
        raise OSError("disk full")

    monkeypatch.setattr(selectors, "rating_export_rows", rows_then_failure)
    with pytest.raises(OSError, match="disk full"):
        call_command("export_ratings", str(out), stdout=StringIO())
    assert out.read_text() == "the previous export\n"
    assert [path.name for path in tmp_path.iterdir()] == ["site-ratings.csv"]


def test_fill_posters_needs_a_key():
    with pytest.raises(CommandError, match="TMDB_API_KEY"):
        call_command("fill_posters")


def test_fill_posters_fetches_what_is_missing(settings):
    with FakeTmdb() as tmdb:
        settings.TMDB_API_KEY, settings.TMDB_API_URL = "k", tmdb.url
        call_command("fill_posters", "--limit", "5", stdout=StringIO())
    assert CachedPoster.objects.count() == 5


def test_fill_posters_stops_when_tmdb_is_down(settings):
    settings.TMDB_API_KEY, settings.TMDB_API_URL = "k", closed_port_url()
    with pytest.raises(CommandError, match="stopped after 0 posters"):
        call_command("fill_posters", stdout=StringIO())
