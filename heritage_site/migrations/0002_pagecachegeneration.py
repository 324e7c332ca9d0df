from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("heritage_site", "0001_vietnamese_defaults")]

    operations = [
        migrations.CreateModel(
            name="PageCacheGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "thế hệ bộ nhớ đệm trang",
                "verbose_name_plural": "thế hệ bộ nhớ đệm trang",
            },
        ),
    ]
