from django import forms
from django.contrib.auth.forms import UserCreationForm

from movierec_site.accounts.models import (
    AGE_GROUP_CHOICES,
    GENDER_CHOICES,
    OCCUPATION_CHOICES,
    User,
)

NOT_SAID = ("", "Prefer not to say")


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


class DemographicsForm(forms.Form):
    """Age group, gender and occupation, each optional: "Prefer not to say" clears it. A value
    outside the dataset's codes is a form error."""

    age_group = forms.TypedChoiceField(
        label="Age group",
        choices=[NOT_SAID, *AGE_GROUP_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    gender = forms.ChoiceField(label="Gender", choices=[NOT_SAID, *GENDER_CHOICES], required=False)
    occupation = forms.TypedChoiceField(
        label="Occupation",
        choices=[NOT_SAID, *OCCUPATION_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )

    @classmethod
    def for_account(cls, user: User) -> "DemographicsForm":
        """An unbound form showing what the account has stored."""
        stored = {"age_group": user.age_group, "gender": user.gender, "occupation": user.occupation}
        return cls(initial=stored)
