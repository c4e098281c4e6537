"""The candidate's name, from the profile read at import, shown in place of the file name
(unless the view is anonymized). Filled for stored resumes from their profiles, which
0011 has just read again."""

from django.db import migrations, models

BATCH = 500


def fill(apps, schema_editor):
    Resume = apps.get_model("matching", "Resume")
    batch = []
    for resume in Resume.objects.exclude(profile={}).only("pk", "profile").iterator(BATCH):
        name = (resume.profile or {}).get("name") or ""
        if name:
            resume.candidate_name = name[:200]
            batch.append(resume)
        if len(batch) == BATCH:
            Resume.objects.bulk_update(batch, ["candidate_name"])
            batch = []
    if batch:
        Resume.objects.bulk_update(batch, ["candidate_name"])


class Migration(migrations.Migration):
    dependencies = [("matching", "0011_evidence_term_vectors")]

    operations = [
        migrations.AddField(
            model_name="resume",
            name="candidate_name",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
