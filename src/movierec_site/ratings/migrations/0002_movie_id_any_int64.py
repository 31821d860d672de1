"""Ratings of any dataset movie id: negative ones, and ones past 2**31, as the engine holds."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("ratings", "0001_initial"),)

    operations = (
        migrations.AlterField(
            model_name="rating",
            name="movie_id",
            field=models.BigIntegerField(),
        ),
    )
