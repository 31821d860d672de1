"""Optional age group, gender and occupation on the account, in MovieLens 1M's codes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = (("accounts", "0001_initial"),)

    operations = (
        migrations.AddField(
            model_name="user",
            name="age_group",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Under 18"),
                    (18, "18-24"),
                    (25, "25-34"),
                    (35, "35-44"),
                    (45, "45-49"),
                    (50, "50-55"),
                    (56, "56+"),
                ],
                null=True,
                verbose_name="age group",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="gender",
            field=models.CharField(
                blank=True,
                choices=[("F", "Female"), ("M", "Male")],
                max_length=1,
                verbose_name="gender",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="occupation",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "Other"),
                    (1, "Academic/educator"),
                    (2, "Artist"),
                    (3, "Clerical/admin"),
                    (4, "College/grad student"),
                    (5, "Customer service"),
                    (6, "Doctor/health care"),
                    (7, "Executive/managerial"),
                    (8, "Farmer"),
                    (9, "Homemaker"),
                    (10, "K-12 student"),
                    (11, "Lawyer"),
                    (12, "Programmer"),
                    (13, "Retired"),
                    (14, "Sales/marketing"),
                    (15, "Scientist"),
                    (16, "Self-employed"),
                    (17, "Technician/engineer"),
                    (18, "Tradesman/craftsman"),
                    (19, "Unemployed"),
                    (20, "Writer"),
                ],
                null=True,
                verbose_name="occupation",
            ),
        ),
    )
