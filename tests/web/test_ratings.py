"""Rating services: one rating per account and movie, checked stars, nothing lost under
concurrent writes."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from movierec.engine import UnknownMovie
from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import InvalidStars, rating_create, rating_remove, rating_set

pytestmark = pytest.mark.django_db


def test_set_creates_then_changes(account):
    first = rating_set(user=account, movie_id=5, stars=3)
    second = rating_set(user=account, movie_id=5, stars=5)
    assert first.pk == second.pk and second.stars == 5
    assert second.created == first.created and second.updated >= first.updated
    assert Rating.objects.count() == 1


def test_the_database_refuses_a_second_rating_of_the_same_movie(account):
    Rating.objects.create(user=account, movie_id=5, stars=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(user=account, movie_id=5, stars=4)


def test_the_database_refuses_stars_out_of_range(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(user=account, movie_id=5, stars=9)


def test_create_does_not_overwrite(account):
    assert rating_create(user=account, movie_id=5, stars=3) is not None
    assert rating_create(user=account, movie_id=5, stars=1) is None
    assert Rating.objects.get().stars == 3


@pytest.mark.parametrize("stars", [0.5, 5.5, 2.5, float("nan"), "3", None, False])
def test_stars_off_the_scale_are_refused(account, stars):
    with pytest.raises(InvalidStars, match="stars must be 1 to 5"):
        rating_set(user=account, movie_id=5, stars=stars)


def test_unknown_movies_are_refused(account):
    with pytest.raises(UnknownMovie):
        rating_set(user=account, movie_id=777, stars=3)


def test_remove_says_whether_there_was_one(account):
    rating_set(user=account, movie_id=5, stars=3)
    assert rating_remove(user=account, movie_id=5) is True
    assert rating_remove(user=account, movie_id=5) is False


def test_ratings_of_movies_a_new_model_lacks_are_kept_but_ignored(signed_in, account):
    Rating.objects.create(user=account, movie_id=12345, stars=5)
    Rating.objects.create(user=account, movie_id=1, stars=5)
    assert signed_in.get("/api/me/recommendations").status_code == 200
    page = signed_in.get("/my/ratings/")
    assert [card.movie_id for card in page.context["cards"]] == [1]
    assert "does not know" in page.content.decode()


def test_ratings_from_a_half_star_release_still_count_on_a_whole_star_one(signed_in, account):
    Rating.objects.create(user=account, movie_id=21, stars=0.5)
    response = signed_in.get("/api/me/recommendations")
    assert response.status_code == 200 and response.json()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_lose_nothing(django_user_model):
    """Eight threads, each an account, set and reset ratings at once on the test database
    (SQLite's file in WAL with IMMEDIATE transactions, or PostgreSQL): every last value is
    stored."""
    users = [django_user_model.objects.create_user(f"w{n}") for n in range(8)]
    expected: dict[tuple[int, int], float] = {}
    failures: list[BaseException] = []
    start = threading.Barrier(len(users))

    def write(user) -> None:
        start.wait()
        try:
            for step in range(30):
                movie, stars = 1 + step % 12, float(1 + (step * 7 + user.pk) % 5)
                rating_set(user=user, movie_id=movie, stars=stars)
                expected[(user.pk, movie)] = stars
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    stored = {(r.user_id, r.movie_id): r.stars for r in Rating.objects.all()}
    assert stored == expected
