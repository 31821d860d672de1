"""Login attempts counted in the database, where every worker increments them atomically."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("accounts", "0002_user_demographics"),)

    operations = (
        migrations.CreateModel(
            name="LoginAttemptCounter",
            fields=[
                ("key", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("count", models.PositiveIntegerField(default=0)),
                ("window_ends", models.DateTimeField(db_index=True)),
            ],
        ),
    )
