"""Browsing the catalogue (orders, counts), hidden movies left out of every list, and the stars
the model predicts for anyone."""

import pytest

from movierec.engine import Filters, InvalidRequest, Recommender

from .conftest import Planted


def titles(movies: list) -> list[str]:
    return [movie.title for movie in movies]


def test_title_order_files_articles_at_the_end_and_folds_accents(engine: Recommender) -> None:
    first = titles(engine.browse(6, order="title"))
    # "A Bug's Life" files under B, "Amélie" between "Alien" and "Annie Hall".
    assert first == ["Aladdin", "Alien", "Amélie (Fabuleux destin d'Amélie Poulain, Le)",
                     "Annie Hall", "Antz", "Beauty and the Beast"]


def test_newest_goes_by_year_with_undated_movies_last(engine: Recommender) -> None:
    movies = engine.browse(engine.catalogue_size, order="newest")
    years = [movie.year for movie in movies]
    dated = [year for year in years if year is not None]
    assert dated == sorted(dated, reverse=True) and years[-1] is None
    assert movies[0].title.startswith("Amélie")


def test_browse_pages_through_the_filtered_catalogue(engine: Recommender) -> None:
    horror = Filters(genres=("Horror",))
    whole = engine.browse(50, order="most_rated", filters=horror)
    assert engine.count(horror) == len(whole) == 12
    pages = [engine.browse(5, order="most_rated", filters=horror, offset=start)
             for start in (0, 5, 10)]
    assert [movie for page in pages for movie in page] == whole
    assert engine.most_rated(5, filters=horror, offset=5) == pages[1]
    counts = [movie.ratings for movie in whole]
    assert counts == sorted(counts, reverse=True)


def test_hidden_movies_stay_out_of_every_list(engine: Recommender, planted: Planted) -> None:
    user = planted.user_in(0)
    first = [pick.movie_id for pick in engine.for_user(user, n=3)]
    hidden = Filters(exclude=(first[0], -12))
    assert first[0] not in {pick.movie_id for pick in engine.for_user(user, n=3, filters=hidden)}
    newcomer = [pick.movie_id for pick in engine.for_new_user({first[1]: 5}, n=3)]
    assert newcomer[0] not in {
        pick.movie_id for pick in engine.for_new_user(
            {first[1]: 5}, n=3, filters=Filters(exclude=(newcomer[0],)))}
    similar = engine.similar_movies(first[1], n=2)[0].movie_id
    assert similar not in {pick.movie_id for pick in engine.similar_movies(
        first[1], n=2, filters=Filters(exclude=(similar,)))}
    popular = engine.most_rated(1)[0].movie_id
    assert engine.most_rated(1, filters=Filters(exclude=(popular,)))[0].movie_id != popular
    assert engine.count(Filters(exclude=(popular, popular))) == engine.catalogue_size - 1


@pytest.mark.parametrize("exclude", ["12", (1.5,), (True,)])
def test_exclude_takes_movie_ids_only(engine: Recommender, exclude: object) -> None:
    with pytest.raises(InvalidRequest, match="exclude must be movie ids"):
        engine.most_rated(3, filters=Filters(exclude=exclude))


def test_an_unknown_order_is_refused(engine: Recommender) -> None:
    with pytest.raises(InvalidRequest, match="order must be one of most_rated, newest, title"):
        engine.browse(3, order="rating")


def test_predicted_stars_are_the_lists_predictions(engine: Recommender,
                                                   planted: Planted) -> None:
    user = planted.user_in(1)
    picks = engine.for_user(user, n=5)
    predicted = engine.predicted_stars([pick.movie_id for pick in picks] + [-3], user_id=user)
    assert predicted == {pick.movie_id: pytest.approx(pick.predicted_rating, abs=1e-3)
                         for pick in picks}
    ratings = {planted.movie_id("Shining"): 5.0, planted.movie_id("Halloween"): 5.0}
    newcomer = engine.for_new_user(ratings, n=5)
    assert engine.predicted_stars([pick.movie_id for pick in newcomer], ratings=ratings) == {
        pick.movie_id: pytest.approx(pick.predicted_rating, abs=1e-3) for pick in newcomer}
    # A horror fan is predicted to like other horror more than action.
    scream, heat = planted.movie_id("Scream"), planted.movie_id("Heat")
    stars = engine.predicted_stars([scream, heat], ratings=ratings)
    assert stars[scream] > stars[heat] + 1
