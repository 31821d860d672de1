"""The site and retraining: the accounts' export, an account a retrained model knows, accounts
kept out of the public dataset-user pages, and `manage.py retrain` end to end."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from movierec.cli.publish import publish_run
from movierec.data.features import load_features, prepare, save_features
from movierec.data.load import load_folder
from movierec.data.releases import RELEASES
from movierec.data.synth import synthesize
from movierec.engine import Recommender
from movierec.site_accounts import site_user_id
from movierec_site.ratings.models import Rating
from movierec_site.recommendations.selectors import account_recommendation_list, demo_user_list

from .artifacts import make_artifact
from .conftest import publish_link

pytestmark = pytest.mark.django_db


def test_export_ratings_writes_the_accounts_demographics(tmp_path, django_user_model):
    given = django_user_model.objects.create_user(username="grace", password="p4ss word 1",
                                                  gender="F", age_group=25, occupation=12)
    django_user_model.objects.create_user(username="alan", password="p4ss word 2")
    partly = django_user_model.objects.create_user(username="ada2", password="p4ss word 3",
                                                   occupation=4)
    users = tmp_path / "site-users.csv"
    call_command("export_ratings", str(tmp_path / "site-ratings.csv"), "--users", str(users),
                 stdout=StringIO())
    rows = [tuple(row) for row in csv.reader(users.open())]
    assert rows == [("user", "gender", "age", "occupation"),
                    (str(site_user_id(given.pk)), "F", "25", "12"),
                    (str(site_user_id(partly.pk)), "", "", "4")]


def test_an_account_the_model_knows_gets_its_learned_list_moved_by_its_ratings_now(
        account, tmp_path, settings):
    model = make_artifact(tmp_path / "retrained",
                          user_ids=[*range(1, 40), site_user_id(account.pk)])
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "published", model)
    engine = Recommender.from_artifact(model)
    learned = dict(engine.user_ratings(site_user_id(account.pk)))
    for movie, stars in learned.items():
        Rating.objects.create(user=account, movie_id=movie, stars=stars)
    unchanged = [pick.movie_id for pick in account_recommendation_list(user=account, n=5)]
    assert unchanged == [pick.movie_id for pick in engine.for_user(site_user_id(account.pk), n=5)]
    rated_since = {unchanged[0]: 1, unchanged[1]: 5}
    for movie, stars in rated_since.items():
        Rating.objects.create(user=account, movie_id=movie, stars=stars)
    picks = [pick.movie_id for pick in account_recommendation_list(user=account, n=5)]
    moved = engine.for_user(site_user_id(account.pk), n=5, ratings=learned | rated_since)
    assert picks == [pick.movie_id for pick in moved] != unchanged
    assert not (set(learned) | set(rated_since)) & set(picks)


def test_accounts_in_a_retrained_model_are_no_public_dataset_users(client, tmp_path, settings):
    account_user = site_user_id(7)
    model = make_artifact(tmp_path / "retrained", users=40,
                          user_ids=[*range(1, 40), account_user],
                          site_ratings={"count": 15, "accounts": 1})
    settings.MOVIEREC_MODEL = publish_link(tmp_path / "published", model)
    assert all(user < account_user for user, _ in demo_user_list(n=40))
    assert client.get(f"/users/{account_user}/").status_code == 404
    assert client.get("/users/1/").status_code == 200


@pytest.fixture
def site_model(tmp_path: Path, settings) -> tuple[Path, Path]:
    """A small release, the default preset trained briefly on it and published at the site's
    link: (the prepared folder, the link)."""
    # Training imports torch: only this test's fixture needs it, not the web suite.
    from movierec.training.config import get_preset, with_overrides
    from movierec.training.context import RunContext, SplitSpec
    from movierec.training.run import start_run

    synthesize(RELEASES["ml-1m"], tmp_path / "raw", users=100, movies=80, ratings=3600, seed=2)
    save_features(prepare(load_folder(tmp_path / "raw", RELEASES["ml-1m"]),
                          source_checksum="synthetic"), tmp_path / "prepared")
    preset = with_overrides(get_preset("default"), {"training.epochs": 8, "ranking.epochs": 2})
    start_run(tmp_path / "prepared", preset, SplitSpec("temporal", 0.1),
              RunContext(tmp_path / "run", threads=1, progress=False))
    link = tmp_path / "models" / "current"
    publish_run(tmp_path / "run", link)
    settings.MOVIEREC_MODEL = link
    return tmp_path / "prepared", link


@pytest.mark.slow
def test_manage_retrain_learns_the_accounts_and_the_gate_keeps_a_worse_model_out(
        site_model, django_user_model):
    release, link = site_model
    movies = load_features(release).movie_ids.tolist()
    accounts = [django_user_model.objects.create_user(username=f"u{n}", password="p4ss word 9")
                for n in range(12)]
    for number, account in enumerate(accounts):
        for movie in movies[number:number + 12]:
            Rating.objects.create(user=account, movie_id=movie, stars=1 + (movie + number) % 5)
    quick = ["--dataset", str(release), "--threads", "1", "--quiet"]
    before = link.resolve()
    with pytest.raises(CommandError, match="the gate kept the current model") as refused:
        call_command("retrain", *quick, "--epochs", "1", "--set", "ranking.epochs=1",
                     stdout=StringIO(), stderr=StringIO())
    assert refused.value.returncode == 3
    assert link.resolve() == before
    out = StringIO()
    call_command("retrain", *quick, "--force", "--epochs", "8", "--set", "ranking.epochs=2",
                 stdout=out, stderr=StringIO())
    assert "| rmse |" in out.getvalue() and "published" in out.getvalue()
    assert Recommender.from_artifact(link).knows_user(site_user_id(accounts[0].pk))
    out = StringIO()
    call_command("retrain", *quick, stdout=out)
    assert out.getvalue().startswith("nothing to retrain: 0 site ratings newer")
