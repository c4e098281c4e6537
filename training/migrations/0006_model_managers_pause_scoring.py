"""The "model managers" group (the leads) may also pause and resume automated scoring
(matching.pause_scoring; resumeproject.access.can_pause_scoring)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "model managers"


def _permission(apps):
    config = apps.get_app_config("matching")
    config.models_module = True  # create_permissions skips an app without models
    create_permissions(config, apps=apps, verbosity=0)
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="matching", codename="pause_scoring"
    )


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(_permission(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(_permission(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0017_scoring_pause"),
        ("training", "0005_remove_labeledexample_outcome"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
