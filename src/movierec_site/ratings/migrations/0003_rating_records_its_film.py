"""Ratings record what they rate (dataset, title, year, IMDb and TMDB ids), so that a model of
another dataset, where the same id is another film, can be checked against them and mapped.

Existing ratings are filled from the model published now, where there is one; without one they
stay blank, and `publish_model` reports them as unchecked.
"""

from django.db import migrations, models

from movierec.errors import MovieRecError


def fill_from_published_model(apps, schema_editor) -> None:
    rating_model = apps.get_model("ratings", "Rating")
    ratings = rating_model.objects.filter(dataset="", title="")
    if not ratings.exists():
        return
    from movierec_site.serving.engine import current_engine

    try:
        engine = current_engine()
    except MovieRecError:
        return
    for rating in ratings.iterator():
        if not engine.knows_movie(rating.movie_id):
            continue
        movie, external = engine.movie(rating.movie_id), engine.external_ids(rating.movie_id)
        rating.dataset, rating.title, rating.year = engine.dataset, movie.title, movie.year
        rating.imdb_id, rating.tmdb_id = external.imdb_id, external.tmdb_id
        rating.save(update_fields=["dataset", "title", "year", "imdb_id", "tmdb_id"])


class Migration(migrations.Migration):
    dependencies = (("ratings", "0002_movie_id_any_int64"),)

    operations = (
        migrations.AddField(
            model_name="rating",
            name="dataset",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="rating",
            name="title",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
        migrations.AddField(
            model_name="rating",
            name="year",
            field=models.IntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="rating",
            name="imdb_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="rating",
            name="tmdb_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="rating",
            name="unmapped",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(fill_from_published_model, migrations.RunPython.noop),
    )
