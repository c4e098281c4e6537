"""The "model managers" group gets the permissions that resumeproject.access checks, in the
admin and the API alike: see and queue training runs, cancel them (change), see model
versions and activate or roll back (change scoring models). Staff status alone no longer
grants any of it.

Django creates permissions after the last migration (post_migrate); on a fresh database
they do not exist yet here, so this creates the ones it needs first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# resumeproject.access.MODEL_MANAGERS_GROUP; a migration must not import it.
GROUP = "model managers"
PERMISSIONS = {
    "training": ["view_trainingrun", "add_trainingrun", "change_trainingrun"],
    "matching": ["view_scoringmodel", "change_scoringmodel"],
}


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    for label in PERMISSIONS:
        config = apps.get_app_config(label)
        config.models_module = True  # create_permissions skips an app without models
        create_permissions(config, apps=apps, verbosity=0)
    for label, codenames in PERMISSIONS.items():
        found = Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        assert found.count() == len(codenames), (label, codenames)
        yield from found


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("matching", "0001_initial"),
        ("training", "0003_model_managers_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
