"""Resumes' cached term vectors hold stemmed terms from now on (matching/intake/terms.py).

Every resume with text gets its term vector recomputed, in batches, so the lexical
features of old and new resumes come from the same index terms. Stored pair scores are
left as they were: re-score them with `manage.py activate_model <the live version>`
(README, "Upgrading").
"""

from django.db import migrations

BATCH = 500


def recompute(apps, schema_editor):
    # The live tokenizer, not a frozen copy: the vectors must match what scoring computes.
    from matching.intake import terms

    Resume = apps.get_model("matching", "Resume")
    batch = []
    for resume in Resume.objects.exclude(text="").only("pk", "text").iterator(chunk_size=BATCH):
        resume.term_ids, resume.term_counts = terms.term_vector(resume.text).to_bytes()
        batch.append(resume)
        if len(batch) == BATCH:
            Resume.objects.bulk_update(batch, ["term_ids", "term_counts"])
            batch = []
    if batch:
        Resume.objects.bulk_update(batch, ["term_ids", "term_counts"])


class Migration(migrations.Migration):
    dependencies = [("matching", "0004_retention_schedule")]

    # Backwards keeps the stemmed vectors: the older code reads them, with a slightly
    # different lexical score, until its resumes are re-imported.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
