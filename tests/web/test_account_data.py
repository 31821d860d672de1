"""Changing the password, deleting the account with all it holds, and the privacy note."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from movierec_site.accounts.models import User
from movierec_site.lists.models import HiddenMovie, WatchlistEntry
from movierec_site.ratings.models import Rating
from movierec_site.ratings.services import rating_set

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse 42"


def test_change_password(signed_in, account):
    page = signed_in.get("/accounts/password/")
    assert page.status_code == 200 and 'name="old_password"' in page.content.decode()
    response = signed_in.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a new long phrase 8",
         "new_password2": "a new long phrase 8"},
        follow=True,
    )
    assert "Your password is changed." in response.content.decode()
    account.refresh_from_db()
    assert account.check_password("a new long phrase 8")
    assert signed_in.get("/accounts/profile/").status_code == 200, "still signed in"


def test_a_wrong_old_password_changes_nothing(signed_in, account):
    response = signed_in.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "a new long phrase 8",
         "new_password2": "a new long phrase 8"},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_password_guesses_are_throttled(signed_in, account, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        signed_in.post("/accounts/delete/", {"password": "guess"})
    response = signed_in.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 429 and "Too many failed attempts" in response.content.decode()
    assert User.objects.filter(pk=account.pk).exists()


def test_delete_asks_for_the_password(signed_in, account):
    page = signed_in.get("/accounts/delete/").content.decode()
    assert 'name="password"' in page and "cannot be undone" in page
    response = signed_in.post("/accounts/delete/", {"password": "not it"})
    assert "That is not your password; nothing was deleted." in response.content.decode()
    response = signed_in.post("/accounts/delete/", {})
    assert "Type your password to delete the account." in response.content.decode()
    assert User.objects.filter(pk=account.pk).exists()


def test_delete_removes_the_account_its_ratings_and_sessions_only(
    signed_in, account, django_user_model
):
    rating_set(user=account, movie_id=3, stars=4)
    rating_set(user=account, movie_id=5, stars=2)
    HiddenMovie.objects.create(user=account, movie_id=7)
    WatchlistEntry.objects.create(user=account, movie_id=8)
    other = django_user_model.objects.create_user(username="bo", password="another pass 9")
    rating_set(user=other, movie_id=3, stars=1)
    elsewhere = Client()
    elsewhere.force_login(account)
    other_device = Client()
    other_device.force_login(other)
    assert Session.objects.count() == 3

    response = signed_in.post("/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert "The account ada and all its ratings are deleted." in response.content.decode()
    assert not User.objects.filter(pk=account.pk).exists()
    assert list(Rating.objects.values_list("user__username", "movie_id")) == [("bo", 3)]
    assert not HiddenMovie.objects.exists() and not WatchlistEntry.objects.exists()
    assert Session.objects.count() == 1, "only the other account's session is left"
    assert signed_in.get("/my/ratings/").url.startswith("/accounts/login/")
    assert other_device.get("/my/ratings/").status_code == 200


def test_privacy_note_is_linked_from_the_footer_and_profile(signed_in):
    home = signed_in.get("/").content.decode()
    assert 'href="/accounts/privacy/"' in home
    profile = signed_in.get("/accounts/profile/").content.decode()
    assert 'href="/accounts/privacy/"' in profile and 'href="/accounts/delete/"' in profile
    note = Client().get("/accounts/privacy/").content.decode()
    assert "password, as a salted hash" in note and "TMDB" in note
