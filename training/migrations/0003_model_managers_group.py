"""The "model managers" group exists from the start, so an admin only adds people to it.

Its members (and staff) queue training runs and activate models through the API
(resumeproject.api.permissions.IsModelManager); model management is training's concern,
so the group comes with this app.
"""

from django.db import migrations

# resumeproject.api.permissions.MODEL_MANAGERS_GROUP; a migration must not import it.
GROUP = "model managers"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("training", "0002_stale_run_schedule"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
