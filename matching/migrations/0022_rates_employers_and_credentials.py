"""Profiles record the rate a candidate asks (profile.work_terms.rate, matching.intake.
rates), a role's employer is never a bullet under it ("Nurse, St Mary" splits at the
comma), and credentials after a name are no field of study. Profiles are read again so
that the pages, the CSV and the API show them; no score reads the rate.
"""

from django.db import migrations

BATCH = 500


def recompute(apps, schema_editor):
    # The live rules, not a frozen copy: what is stored must match what the pages read.
    from matching.intake.resumes import resumes_reread

    Resume = apps.get_model("matching", "Resume")
    resumes_reread(Resume.objects.exclude(text=""), batch=BATCH)


class Migration(migrations.Migration):
    dependencies = [("matching", "0021_work_places_and_availability")]

    # Backwards keeps the profiles: the older code ignores the rate.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
