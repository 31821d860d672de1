"""The Simplified Chinese title and overview beside each cached poster; rows cached before are
marked unchecked, so the background job asks TMDB for their Chinese text."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("posters", "0001_initial"),)

    operations = (
        migrations.AddField(
            model_name="cachedposter",
            name="chinese_title",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name="cachedposter",
            name="chinese_overview",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="cachedposter",
            name="chinese_checked",
            field=models.BooleanField(default=False),
        ),
    )
