"""A new account: the optional age group, gender and occupation step after sign-up, the account
page that changes or clears them, and the starter picks of "for you" before the first rating."""

import pytest

from movierec.engine import Recommender
from movierec_site.ratings.models import Rating

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 7"
SIGNUP = {"username": "grace", "password1": PASSWORD, "password2": PASSWORD}
STARTER = "Popular, well-rated movies to start with — rate a few to make this yours."
ACTION = {"Action", "Adventure", "Sci-Fi", "War", "Western"}
COMEDY = {"Comedy", "Romance", "Musical"}


def stored(account) -> tuple:
    account.refresh_from_db()
    return account.age_group, account.gender, account.occupation


def for_you_genres(client) -> list[set[str]]:
    """The genres of each movie of the account's API recommendations, in order."""
    return [set(item["genres"]) for item in client.get("/api/me/recommendations?n=8").json()]


def test_signup_offers_the_step_then_the_movies_to_rate(client, demographic_model):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/accounts/about-you/"
    html = client.get("/accounts/about-you/").content.decode()
    for words in ("Age group", "25-34", "56+", "Female", "Occupation", "Programmer",
                  "K-12 student", "Prefer not to say", 'href="/welcome/"'):
        assert words in html
    saved = client.post(
        "/accounts/about-you/", {"age_group": "25", "gender": "F", "occupation": "12"}
    )
    assert saved.status_code == 302 and saved["Location"] == "/welcome/"
    user = saved.wsgi_request.user
    assert stored(user) == (25, "F", 12)


def test_skipping_stores_nothing(signed_in, account, demographic_model):
    step = signed_in.get("/accounts/about-you/").content.decode()
    assert '<a href="/welcome/" data-skip>Skip</a>' in step
    assert signed_in.get("/welcome/").status_code == 200
    nothing = {"age_group": "", "gender": "", "occupation": ""}
    blank = signed_in.post("/accounts/about-you/", nothing)
    assert blank.status_code == 302 and blank["Location"] == "/welcome/"
    assert stored(account) == (None, "", None)


def test_the_step_is_left_out_when_the_model_does_not_use_them(signed_in, account):
    response = signed_in.post("/accounts/about-you/", {"occupation": "12"})
    assert response.status_code == 302 and response["Location"] == "/welcome/"
    assert stored(account) == (None, "", None)


@pytest.mark.parametrize("url", ["/accounts/about-you/", "/accounts/profile/"])
@pytest.mark.parametrize(
    "field, value",
    [
        ("age_group", "99"),
        ("age_group", "24"),
        ("age_group", "25.0"),
        ("age_group", "-1"),
        ("age_group", "abc"),
        ("gender", "X"),
        ("gender", "female"),
        ("occupation", "21"),
        ("occupation", "12; DROP TABLE accounts_user"),
        ("occupation", "1" * 5000),
        ("occupation", "\x00"),
    ],
)
def test_hostile_values_are_a_form_error(signed_in, account, demographic_model, url, field, value):
    account.occupation = 4
    account.save()
    response = signed_in.post(url, {"age_group": "25", field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html and 'role="alert"' in html
    assert stored(account) == (None, "", 4), "nothing changes"


def test_the_account_page_changes_each_one(signed_in, account):
    page = signed_in.get("/accounts/profile/")
    assert page.status_code == 200 and "ada" in page.content.decode()
    response = signed_in.post("/accounts/profile/", {"age_group": "56", "gender": "M"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    assert stored(account) == (56, "M", None)
    signed_in.post("/accounts/profile/", {"age_group": "56", "gender": "M", "occupation": "20"})
    assert stored(account) == (56, "M", 20)
    shown = signed_in.get("/accounts/profile/").content.decode()
    assert '<option value="20" selected>Writer</option>' in shown
    assert '<option value="56" selected>56+</option>' in shown


def test_the_account_page_clears_one_or_all(signed_in, account):
    signed_in.post("/accounts/profile/", {"age_group": "18", "gender": "F", "occupation": "4"})
    signed_in.post("/accounts/profile/", {"age_group": "18", "gender": "", "occupation": "4"})
    assert stored(account) == (18, "", 4)
    cleared = signed_in.post(
        "/accounts/profile/", {"age_group": "18", "occupation": "4", "clear": "1"}
    )
    assert cleared.status_code == 302
    assert stored(account) == (None, "", None)


def test_the_account_page_says_whether_the_model_uses_them(client, account, demographic_model):
    client.force_login(account)
    assert "does not use these" not in client.get("/accounts/profile/").content.decode()


def test_the_account_page_says_when_the_model_ignores_them(signed_in):
    assert "does not use these" in signed_in.get("/accounts/profile/").content.decode()


@pytest.mark.parametrize("url", ["/accounts/about-you/", "/accounts/profile/"])
def test_the_pages_need_an_account(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_zero_ratings_show_starter_picks_and_say_why(signed_in):
    html = signed_in.get("/for-you/").content.decode()
    assert STARTER in html
    assert 'href="/welcome/">Rate movies' in html
    assert html.count('class="card"') >= 20, "a full list, not an empty page"


def test_the_starter_note_gives_way_to_the_ratings(signed_in, account):
    Rating.objects.create(user=account, movie_id=9, stars=5)
    html = signed_in.get("/for-you/list/").content.decode()
    assert STARTER not in html and "From your 1 rating;" in html


def test_stored_demographics_pick_the_starter_list(signed_in, account, demographic_model):
    assert sum(genres <= COMEDY for genres in for_you_genres(signed_in)) < 6
    account.age_group, account.occupation = 25, 12
    account.save()
    html = signed_in.get("/for-you/").content.decode()
    assert "Popular with people like you (25-34, programmer) — rate a few" in html
    assert "25-34 programmers" in html, "each card says why"
    programmer = for_you_genres(signed_in)
    assert all(genres & ACTION for genres in programmer), programmer
    account.age_group, account.occupation = None, 2
    account.save()
    artist = for_you_genres(signed_in)
    assert all(genres & COMEDY for genres in artist), artist


def test_the_engine_gets_them_with_ratings_too(signed_in, account, demographic_model, monkeypatch):
    calls = []
    original = Recommender.for_new_user

    def spy(self, ratings=None, **arguments):
        calls.append((dict(ratings or {}), arguments))
        return original(self, ratings, **arguments)

    monkeypatch.setattr(Recommender, "for_new_user", spy)
    account.age_group, account.gender, account.occupation = 35, "M", 0
    account.save()
    Rating.objects.create(user=account, movie_id=9, stars=4)
    signed_in.get("/for-you/")
    signed_in.get("/api/me/recommendations")
    # Loading the model may warm it with a call of its own: only the account's calls count.
    mine = [arguments for ratings, arguments in calls if ratings == {9: 4.0}]
    assert len(mine) == 2, "the page and the API"
    for arguments in mine:
        assert (arguments["age"], arguments["gender"], arguments["occupation"]) == (35, "M", 0)


def test_a_model_without_demographics_is_not_given_them(signed_in, account):
    account.age_group, account.gender, account.occupation = 25, "F", 12
    account.save()
    html = signed_in.get("/for-you/").content.decode()
    assert STARTER in html and "people like you" not in html
    assert signed_in.get("/api/me/recommendations").status_code == 200
