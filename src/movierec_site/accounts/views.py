"""Sign up, log in and log out. Login failures are throttled per client address and user name."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from movierec_site.accounts.forms import SignupForm
from movierec_site.accounts.throttle import (
    login_blocked,
    login_failure_record,
    login_failures_clear,
)

TOO_MANY = (
    "Too many failed attempts to log in as this user from your address. "
    "Wait a few minutes, then try again."
)


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("recommendations:for_you")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Rate a few movies to get started.")
        return redirect("recommendations:welcome")
    return render(request, "accounts/signup.html", {"form": form})


class ThrottledLoginView(LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        address = request.META.get("REMOTE_ADDR", "")
        username = request.POST.get("username", "")
        if login_blocked(address=address, username=username):
            context = self.get_context_data(form=self.get_form(), throttled=TOO_MANY)
            return self.render_to_response(context, status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            login_failures_clear(address=address, username=username)
        else:
            login_failure_record(address=address, username=username)
        return response


login_view = ThrottledLoginView.as_view()
logout_view = LogoutView.as_view()
