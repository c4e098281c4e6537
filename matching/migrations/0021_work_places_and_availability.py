"""Profiles record where and from when a candidate works (profile.work_terms: the places
they work from with a travel radius, geocoded with GeoNames; whether they would relocate;
the day they are available), read in English or German (matching.intake.logistics).
Profiles are read again so that the resume page shows them; no score reads them.
"""

from django.db import migrations

BATCH = 500


def recompute(apps, schema_editor):
    # The live rules, not a frozen copy: what is stored must match what scoring reads.
    from matching.intake.resumes import resumes_reread

    Resume = apps.get_model("matching", "Resume")
    resumes_reread(Resume.objects.exclude(text=""), batch=BATCH)


class Migration(migrations.Migration):
    dependencies = [("matching", "0020_roles_count_their_end_month")]

    # Backwards keeps the profiles: the older code does not read work_terms.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
