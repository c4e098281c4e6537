"""A dated role counts its written end month: "Jan 2022 - Dec 2022" is a year, not eleven
months (matching.intake.dates.covered_months), so a one-year role meets "1+ years" and the
years of roles back to back add up; and each listed skill records where else it stands
(profile.Skill.found_in, listed_only); a head line ending in a place gives the role's
employer apart from its title; a degree dated after the day it is read is not held yet.
Profiles are read again for the stored years (shown
on the resume page and read by the score's seniority feature) and skills. Verdicts are judged again
under RULES_VERSION 6 the next time their pairs are scored; stored scores stay until
`manage.py activate_model <the live version>` (README, "Upgrading").
"""

from django.db import migrations

BATCH = 500


def recompute(apps, schema_editor):
    # The live rules, not a frozen copy: what is stored must match what scoring reads.
    from matching.intake.resumes import resumes_reread

    Resume = apps.get_model("matching", "Resume")
    resumes_reread(Resume.objects.exclude(text=""), batch=BATCH)


class Migration(migrations.Migration):
    dependencies = [("matching", "0019_terms_without_personal_details")]

    # Backwards keeps the profiles: the older code reads them, a month longer per role.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
