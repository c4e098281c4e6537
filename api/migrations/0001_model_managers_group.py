"""The "model managers" group exists from the start, so an admin only adds people to it."""

from django.db import migrations

GROUP = "model managers"  # api.permissions.MODEL_MANAGERS_GROUP; a migration must not import it


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, delete_group)]
