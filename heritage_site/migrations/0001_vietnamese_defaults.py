"""Give Wagtail's default groups, workflow and task Vietnamese names staff can read."""

from django.db import migrations

RENAMES = {
    "auth.Group": [("Moderators", "Điều phối viên"), ("Editors", "Biên tập viên")],
    "wagtailcore.Workflow": [("Moderators approval", "Phê duyệt của điều phối viên")],
    "wagtailcore.Task": [("Moderators approval", "Điều phối viên phê duyệt")],
}


def rename(apps, schema_editor, reverse=False):
    for label, pairs in RENAMES.items():
        model = apps.get_model(label)
        for old, new in pairs:
            if reverse:
                old, new = new, old
            if not model.objects.filter(name=new).exists():
                model.objects.filter(name=old).update(name=new)


def unrename(apps, schema_editor):
    rename(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, unrename)]
