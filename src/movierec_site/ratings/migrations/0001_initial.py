"""Ratings: one per account and movie, 0.5 to 5 stars."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = (migrations.swappable_dependency(settings.AUTH_USER_MODEL),)

    operations = (
        migrations.CreateModel(
            name="Rating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("movie_id", models.PositiveIntegerField()),
                ("stars", models.FloatField()),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("updated", models.DateTimeField(auto_now=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["user", "-updated"], name="rating_user_recent")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "movie_id"), name="one_rating_per_user_movie"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("stars__gte", 0.5), ("stars__lte", 5)),
                        name="stars_between_half_and_five",
                    ),
                ],
            },
        ),
    )
