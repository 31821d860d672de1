"""Importing a rating history: reading each export format, matching lines to the synthetic
model's films (ids 1..50 in artifacts.CATALOGUE order, IMDb id 100000 + position), mapping the
stars onto the model's scale, and writing all or nothing."""

from datetime import UTC, datetime

import pytest

from movierec.engine import RatingScale
from movierec_site.ratings.imports import (
    ImportExpired,
    ImportPlan,
    InvalidChoice,
    import_apply,
    import_plan,
)
from movierec_site.ratings.imports_matching import imdb_lookup, stars_on_scale, title_lookup
from movierec_site.ratings.imports_parsing import MAX_ROWS, ImportFileError, parse_export
from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import rating_set
from movierec_site.serving.engine import current_engine

from .artifacts import CATALOGUE, make_artifact
from .conftest import publish_link

pytestmark = pytest.mark.django_db

LETTERBOXD = (
    "Date,Name,Year,Letterboxd URI,Rating\n"
    "2024-01-02,Heat,1995,https://boxd.it/a1,4.5\n"
    "2024-01-03,The Usual Suspects,1995,https://boxd.it/a2,5\n"
    "2024-01-04,Scream,1997,https://boxd.it/a3,2\n"
    "2024-01-05,A Film Nobody Made,2011,https://boxd.it/a4,3\n"
    "2024-01-06,Blade,1982,https://boxd.it/a5,3.5\n"
    "2024-01-07,Amélie,2001,https://boxd.it/a6,0.5\n"
    "2024-01-08,Alien,1979,https://boxd.it/a7,seven\n"
)
IMDB = (
    "\ufeffConst,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,"
    "Genres,Num Votes,Release Date,Directors\n"
    "tt0100002,9,2023-05-01,Heat,https://www.imdb.com/title/tt0100002/,Movie,8.3,170,1995,"
    '"Action, Crime",700000,1995-12-15,Michael Mann\n'
    "tt9999999,7,2023-05-02,Titanic,https://www.imdb.com/title/tt9999999/,Movie,7.9,194,1997,"
    "Drama,1200000,1997-12-19,James Cameron\n"
    "tt8888888,8,2023-05-03,Friends,https://www.imdb.com/title/tt8888888/,TV Series,8.9,22,1994,"
    "Comedy,1000000,1994-09-22,\n"
    "tt0100010,11,2023-05-04,Shawshank,,Movie,,,1994,,,,\n"
)


def plan_of(text: str | bytes) -> ImportPlan:
    return import_plan(text.encode() if isinstance(text, str) else text)


def sure_ids(plan: ImportPlan) -> dict[int, float]:
    return {entry.movie_id: entry.stars for entry in plan.sure}


def reasons(plan: ImportPlan) -> dict[int, str]:
    return {entry.line: entry.reason for entry in plan.skipped}


def test_a_letterboxd_export_is_matched_by_title_and_year():
    plan = plan_of(LETTERBOXD)
    assert plan.format_name == "Letterboxd ratings.csv"
    # Heat 4.5 -> 5 on the whole-star scale (a half goes up); Amélie 0.5 -> 1 (the lowest).
    assert sure_ids(plan) == {3: 5, 6: 5, 33: 1}
    uncertain = {entry.rating.line: entry for entry in plan.uncertain}
    assert set(uncertain) == {4, 6}
    assert uncertain[4].reason == "the title matches, the year differs by one"
    assert uncertain[4].candidates[0]["movie_id"] == 23  # Scream (1996)
    assert uncertain[6].reason == "the title matches only in part"  # Blade -> Blade Runner
    assert uncertain[6].candidates[0]["label"] == "Blade Runner (1982)"
    assert reasons(plan) == {
        5: "no film of this model is called A Film Nobody Made (2011)",
        8: "rating 'seven' is not a number",
    }


def test_an_imdb_export_is_matched_by_imdb_id_with_a_bom_and_extra_columns():
    plan = plan_of(IMDB)
    assert plan.format_name == "IMDb ratings export"
    # Heat by its IMDb id, 9/10 = 4.5 -> 5; Titanic's id is not the release's: found by title.
    assert sure_ids(plan) == {3: 5, 32: 4}
    assert plan.sure[0].given == "9/10" and plan.sure[0].rated_on == "2023-05-01"
    assert reasons(plan) == {
        4: "a TV series or episode; this catalogue has films only",
        5: "rating '11' is not a whole number from 1 to 10",
    }


def test_imdb_columns_may_come_in_any_order():
    text = "Title,Year,Your Rating,Const\nHeat,1995,6,tt0100002\n"
    plan = plan_of(text)
    assert sure_ids(plan) == {3: 3}


def test_a_movielens_style_file_is_matched_by_movie_id():
    text = "userId,movieId,rating,timestamp\n7,1,4,1700000000\n7,2,2.5,1700000001\n7,999,5,1\n"
    plan = plan_of(text)
    assert plan.format_name == "MovieLens-style ratings.csv"
    assert sure_ids(plan) == {1: 4, 2: 3}
    assert plan.sure[0].rated_on == "2023-11-14"
    assert reasons(plan) == {4: "movie id 999 is not in this model's catalogue"}


def test_a_movielens_style_file_may_have_only_movie_id_and_rating():
    assert sure_ids(plan_of("movieId,rating\n9,5\n10,1\n")) == {9: 5, 10: 1}


def test_a_movielens_file_of_several_users_is_refused():
    with pytest.raises(ImportFileError, match="ratings of 2 users"):
        plan_of("userId,movieId,rating,timestamp\n1,1,4,0\n2,1,4,0\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary zip", "not a CSV text file"),
        (b"Name,Rating\n\xe9t\xe9,4\n", "not UTF-8 text"),
        (b"title,score,when\nHeat,4,2020\n", r"columns \(title, score, when\) are not those"),
        (b"Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,x\n", "no Rating column"),
        (b"Date,Name,Year,Letterboxd URI,Rating\n", "a header but no ratings"),
        (b'movieId,rating\n1,"4\n', "not valid CSV"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, message):
    with pytest.raises(ImportFileError, match=message):
        parse_export(data)


def test_a_huge_file_is_refused_before_it_is_read():
    with pytest.raises(ImportFileError, match="the limit is 5 MB"):
        parse_export(b"movieId,rating\n" + b"1,4\n" * 1_400_000)


def test_too_many_rows_are_refused():
    with pytest.raises(ImportFileError, match="more than 50,000 ratings"):
        parse_export(b"movieId,rating\n" + b"1,4\n" * (MAX_ROWS + 1))


def test_bad_lines_are_reported_and_the_rest_imports():
    text = (
        "Date,Name,Year,Letterboxd URI,Rating\n"
        "2024-01-01,Heat,1995,x,6\n"
        "yesterday,Heat,1995,x,4\n"
        "2024-01-01,,1995,x,4\n"
        "2024-01-01,Fargo,1996,x,4\n"
    )
    parsed = parse_export(text.encode())
    assert [bad.reason for bad in parsed.bad_lines] == [
        "rating '6' is not 0.5 to 5 stars in half stars",
        "date 'yesterday' is not YYYY-MM-DD",
        "the line names no film (the Name column is empty)",
    ]
    assert [rating.title for rating in parsed.ratings] == ["Fargo"]


WHOLE = RatingScale(1.0, 5.0, 1.0)
HALF = RatingScale(0.5, 5.0, 0.5)


@pytest.mark.parametrize(
    ("stars", "whole", "half"),
    [(0.5, 1, 0.5), (1, 1, 1), (2.5, 3, 2.5), (3.4, 3, 3.5), (3.5, 4, 3.5), (4.5, 5, 4.5),
     (5, 5, 5)],
)
def test_stars_go_to_the_nearest_value_of_the_scale_a_half_up(stars, whole, half):
    assert stars_on_scale(stars, WHOLE) == whole
    assert stars_on_scale(stars, HALF) == half


def test_imdb_tenths_become_half_stars_where_the_model_has_them(half_star_model):
    text = "Const,Your Rating\n" + "".join(f"tt{100000 + i},{i + 1}\n" for i in range(10))
    plan = plan_of(text)
    assert [entry.stars for entry in plan.sure] == [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]


def test_apply_writes_sure_and_chosen_matches_only(account):
    plan = plan_of(LETTERBOXD)
    report = import_apply(user=account, plan=plan, choices={4: 23, 6: None})
    assert dict(account.ratings.values_list("movie_id", "stars")) == {3: 5, 6: 5, 33: 1, 23: 2}
    assert [entry["film"] for entry in report.imported] == [
        "Heat (1995)", "The Usual Suspects (1995)", "Scream (1996)",
        "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
    ]
    assert {entry["line"]: entry["reason"] for entry in report.not_imported} == {
        5: "no film of this model is called A Film Nobody Made (2011)",
        6: "skipped: the title matches only in part",
        8: "rating 'seven' is not a number",
    }


def test_a_choice_that_is_no_candidate_writes_nothing(account):
    plan = plan_of(LETTERBOXD)
    with pytest.raises(InvalidChoice, match="line 4: movie 1 is not one of its candidates"):
        import_apply(user=account, plan=plan, choices={4: 1})
    assert not Rating.objects.exists()


def test_nothing_is_written_half_when_a_write_fails(account, monkeypatch):
    from movierec_site.ratings import imports

    calls = []

    def failing_set(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return rating_set(**kwargs)

    monkeypatch.setattr(imports, "rating_set", failing_set)
    with pytest.raises(RuntimeError):
        import_apply(user=account, plan=plan_of(LETTERBOXD), choices={})
    assert len(calls) == 2 and not Rating.objects.exists()


def test_a_plan_of_another_model_is_refused(account, half_star_model):
    plan = plan_of(LETTERBOXD)
    plan.model = ["/somewhere/else", 0]
    with pytest.raises(ImportExpired, match="upload it again"):
        import_apply(user=account, plan=plan, choices={})
    assert not Rating.objects.exists()


def test_already_rated_films_keep_the_newer_rating(account):
    for movie_id in (1, 2, 3, 4):
        rating_set(user=account, movie_id=movie_id, stars=2)
    Rating.objects.filter(movie_id__in=[1, 2]).update(updated=datetime(2024, 1, 10, tzinfo=UTC))
    text = (
        "movieId,rating,timestamp\n"
        f"1,5,{int(datetime(2024, 1, 11, tzinfo=UTC).timestamp())}\n"  # the file is newer
        f"2,5,{int(datetime(2024, 1, 10, 20, tzinfo=UTC).timestamp())}\n"  # same day: kept
        "3,5,\n"  # no date: kept
        "4,2,\n"  # the same stars
    )
    report = import_apply(user=account, plan=plan_of(text), choices={})
    assert dict(account.ratings.values_list("movie_id", "stars")) == {1: 5, 2: 2, 3: 2, 4: 2}
    assert [(entry["line"], entry["before"]) for entry in report.updated] == [(2, 2)]
    assert [(entry["line"], entry["reason"]) for entry in report.kept] == [
        (3, "yours is newer (changed 2024-01-10)"),
        (4, "the file gives no date"),
        (5, "the same rating"),
    ]


def test_a_film_rated_twice_in_the_file_keeps_the_newer_line(account):
    text = (
        "Date,Name,Year,Letterboxd URI,Rating\n"
        "2024-03-01,Heat,1995,x,2\n"
        "2024-01-01,Heat,1995,y,4\n"
    )
    report = import_apply(user=account, plan=plan_of(text), choices={})
    assert account.ratings.get().stars == 2
    assert report.not_imported == [
        {"line": 3, "named": "Heat (1995)", "reason": "the file rates Heat (1995) again on line 2"}
    ]


def test_other_accounts_are_untouched(account, django_user_model):
    other = django_user_model.objects.create_user(username="bo", password="another pass 9")
    rating_set(user=other, movie_id=3, stars=1)
    import_apply(user=account, plan=plan_of(LETTERBOXD), choices={})
    assert other.ratings.get().stars == 1


def test_the_id_and_title_lookups_are_built_once_per_model():
    engine = current_engine()
    assert imdb_lookup(engine) is imdb_lookup(engine)
    assert imdb_lookup(engine)[100_002] == 3
    assert title_lookup(engine) is title_lookup(engine)
    assert title_lookup(engine)[("the usual suspects", 1995)] == [6]
    assert title_lookup(engine)[("amelie", 2001)] == [33]  # the title before the bracketed one


@pytest.fixture
def twin_titles_model(tmp_path, settings):
    """A model with two films called Heat in 1995 (3 and 21) and a Crash without a year."""
    catalogue = [*CATALOGUE[:20], ("Heat (1995)", ["Drama"], None), ("Crash", ["Drama"], None)]
    model = make_artifact(tmp_path / "twins", catalogue=catalogue)
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "published", model)


def test_several_films_of_one_title_and_year_are_uncertain(twin_titles_model):
    text = (
        "Date,Name,Year,Letterboxd URI,Rating\n"
        "2024-01-01,Heat,1995,x,4\n"
        "2024-01-01,Crash,2004,x,3\n"
        "2024-01-01,Fargo,,x,5\n"
    )
    plan = plan_of(text)
    assert plan.sure == []
    uncertain = {entry.rating.line: entry for entry in plan.uncertain}
    assert uncertain[2].reason == "several films are called Heat (1995)"
    assert sorted(c["movie_id"] for c in uncertain[2].candidates) == [3, 21]
    assert uncertain[3].reason == "the title matches; this model gives no year"
    assert uncertain[4].reason == "the file gives no year to tell films apart"
