"""Sign up, log in and log out; after sign-up an optional step asking age group, gender and
occupation, which the account page changes or clears. Login attempts are throttled per client
address and user name, and per client address; sign-ups per client address (see
accounts.throttle); the password checks of a password change or an account deletion count as
login attempts. Also: the privacy note of what the site stores."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView, PasswordChangeView
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from movierec_site.accounts.forms import (
    THROTTLED,
    AccountDeleteForm,
    DemographicsForm,
    LoginForm,
    SignupForm,
    ThrottledPasswordChangeForm,
)
from movierec_site.accounts.services import account_delete, account_demographics_set
from movierec_site.recommendations.selectors import demographics_used


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("recommendations:for_you")
    form = SignupForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s!") % {"name": user.username})
        return redirect("accounts:onboarding")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    """The step after sign-up: age group, gender and occupation, all optional, then rating a few
    movies. Skipped when the model being served does not use them."""
    if not demographics_used():
        return redirect("recommendations:welcome")
    form = _demographics_form(request)
    if form is None:
        return redirect("recommendations:welcome")
    return render(request, "accounts/onboarding.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The account page: change or clear the age group, gender and occupation at any time."""
    form = _demographics_form(request)
    if form is None:
        messages.success(request, _("Saved."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", {"form": form, "demographics_used": demographics_used()}
    )


def _demographics_form(request: HttpRequest) -> DemographicsForm | None:
    """The form to show, or None once a valid POST is stored. "Clear" stores nothing given."""
    if request.method != "POST":
        return DemographicsForm.for_account(request.user)
    form = DemographicsForm({} if "clear" in request.POST else request.POST)
    if not form.is_valid():
        return form
    account_demographics_set(user=request.user, **form.cleaned_data)
    return None


class ThrottledLoginView(LoginView):
    """The login page; the throttle itself is in its form, which the admin's login shares."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Form) -> HttpResponse:
        if not form.has_error(NON_FIELD_ERRORS, code=THROTTLED):
            return super().form_invalid(form)
        # A refused attempt was never checked: its only error is the refusal.
        context = self.get_context_data(form=form, throttled=form.non_field_errors()[0])
        return self.render_to_response(context, status=429)


login_view = ThrottledLoginView.as_view()
logout_view = LogoutView.as_view()


class AccountPasswordChangeView(PasswordChangeView):
    """Change the password; the session stays signed in, others keep theirs until they next
    check it (Django signs out every other session whose password hash no longer matches)."""

    template_name = "accounts/password_change.html"
    form_class = ThrottledPasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


password_change_view = AccountPasswordChangeView.as_view()


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters("password")
@never_cache
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete the account and everything it holds, once its password is typed; then signed out."""
    posted = request.method == "POST"
    form = AccountDeleteForm(request.POST if posted else None, user=request.user, request=request)
    if posted and form.is_valid():
        name = request.user.get_username()
        account_delete(user=request.user)
        logout(request)
        messages.success(
            request, _("The account %(name)s and all its ratings are deleted.") % {"name": name}
        )
        return redirect("catalog:home")
    status = 429 if form.has_error("password", code=THROTTLED) else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html")
