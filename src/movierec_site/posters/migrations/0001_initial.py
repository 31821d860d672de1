"""The TMDB poster cache."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = ()

    operations = (
        migrations.CreateModel(
            name="CachedPoster",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("movie_id", models.PositiveIntegerField(unique=True)),
                ("url", models.URLField(blank=True, max_length=500)),
                (
                    "status",
                    models.CharField(
                        choices=[("found", "Found"), ("missing", "Missing"), ("failed", "Failed")],
                        max_length=10,
                    ),
                ),
                ("fetched_at", models.DateTimeField()),
            ],
        ),
    )
