import unicodedata
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from movierec_site.accounts.models import (
    AGE_GROUP_CHOICES,
    GENDER_CHOICES,
    OCCUPATION_CHOICES,
    User,
)
from movierec_site.accounts.throttle import (
    login_attempt_start,
    login_attempt_succeeded,
    signup_attempt_start,
)

NOT_SAID = ("", _("Prefer not to say"))
THROTTLED = "throttled"
"""The error code of a login refused by the throttle, unchecked."""


class ThrottledLoginMixin:
    """Counts the attempt before the password is checked, under the user name exactly as the
    form hands it to authentication; past the limit, refuses it without checking."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()  # the form reports the missing field; nothing is checked
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        refusal = login_attempt_start(address=address, username=username)
        if refusal is not None:
            raise forms.ValidationError(refusal, code=THROTTLED)
        cleaned = super().clean()
        login_attempt_succeeded(address=address, username=username)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class SignupForm(UserCreationForm):
    """Refuses a name that reads as an existing one (NFKC and casefolded, so "ＡＤＡ" and "Straße"
    are "ada" and "strasse"), and counts sign-ups per client address, refusing past the limit."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_username(self) -> str | None:
        # In place of Django's own check, which folds case in the database: ASCII only on SQLite.
        username = self.cleaned_data.get("username")
        if username and _spelling(username) in _taken_spellings():
            raise forms.ValidationError(_("that name is taken"), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
            refusal = signup_attempt_start(address=address)
            if refusal is not None:
                raise forms.ValidationError(refusal, code=THROTTLED)
        return cleaned


def _spelling(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold()


def _taken_spellings() -> set[str]:
    # Read whole: SQLite folds case for ASCII only, so the database cannot compare these itself.
    return {_spelling(name) for name in User.objects.values_list("username", flat=True)}


class DemographicsForm(forms.Form):
    """Age group, gender and occupation, each optional: "Prefer not to say" clears it. A value
    outside the dataset's codes is a form error."""

    age_group = forms.TypedChoiceField(
        label=_("Age group"),
        choices=[NOT_SAID, *AGE_GROUP_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[NOT_SAID, *GENDER_CHOICES], required=False
    )
    occupation = forms.TypedChoiceField(
        label=_("Occupation"),
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


def _checked_password(request: HttpRequest, user: User, password: str) -> bool:
    """Whether `password` is the account's, counted as a login attempt (a stolen session may
    not guess its way to the password); raises the throttle's refusal past the limit."""
    address = request.META.get("REMOTE_ADDR", "")
    refusal = login_attempt_start(address=address, username=user.get_username())
    if refusal is not None:
        raise forms.ValidationError(refusal, code=THROTTLED)
    if not user.check_password(password):
        return False
    login_attempt_succeeded(address=address, username=user.get_username())
    return True


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, its old-password check counted like a login attempt."""

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not _checked_password(self.request, self.user, old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class AccountDeleteForm(forms.Form):
    """Asks the account's password before the account and all it holds are deleted."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Type your password to delete the account.")},
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not _checked_password(self.request, self.user, password):
            raise forms.ValidationError(
                _("That is not your password; nothing was deleted."), code="password_incorrect"
            )
        return password
