from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person with an account. Its own model from the start, so fields can be added later
    without the painful mid-project switch away from `auth.User`."""
