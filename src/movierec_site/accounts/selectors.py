"""Reading an account's optional age group, gender and occupation."""

from django.contrib.auth.models import AnonymousUser

from movierec.data.codes import AGE_BUCKETS, GENDER_LABELS, OCCUPATIONS
from movierec_site.accounts.demographic_labels import word_in_sentence
from movierec_site.accounts.models import User


def account_demographics_get(*, user: User | AnonymousUser) -> dict[str, str | int]:
    """The account's demographics that are set, named as `Recommender.for_new_user` takes them
    ({"age": 25, "occupation": 12}); empty for an anonymous visitor or when none is set."""
    if not user.is_authenticated:
        return {}
    given = {"age": user.age_group, "gender": user.gender or None, "occupation": user.occupation}
    return {name: value for name, value in given.items() if value is not None}


def account_demographic_words(*, user: User | AnonymousUser) -> list[str]:
    """The account's demographics that are set, in words of the request's language, age first:
    ["25-34", "programmer"]."""
    given = account_demographics_get(user=user)
    words = []
    if "age" in given:
        words.append(word_in_sentence(AGE_BUCKETS[given["age"]]))
    if "gender" in given:
        words.append(word_in_sentence(GENDER_LABELS[given["gender"]]))
    if "occupation" in given:
        words.append(word_in_sentence(OCCUPATIONS[given["occupation"]]))
    return words
