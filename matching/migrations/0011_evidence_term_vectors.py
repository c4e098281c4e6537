"""Resumes' cached term vectors hold the terms of their evidence from now on: an objective
and a skills list are not read (matching.intake.terms.resume_term_vector), so a posting's
words pasted there add nothing to the lexical score. Profiles are read again: roles whose
head line is "title, employer, dates" are found now, and their years feed the score.

Every resume with text gets its term vector and profile recomputed, in batches. Resume vectors are
cached under a new key (matching.encoding.cache.EVIDENCE_VERSION) and are embedded again
on their next scoring. Stored pair scores are left as they were: re-score them with
`manage.py activate_model <the live version>` (README, "Upgrading").
"""

from datetime import date

from django.db import migrations

BATCH = 500


def recompute(apps, schema_editor):
    # The live rule, not a frozen copy: the vectors must match what scoring computes.
    from matching.intake import terms
    from matching.intake.profile import profile_of

    today = date.today()
    Resume = apps.get_model("matching", "Resume")
    batch = []
    for resume in Resume.objects.exclude(text="").only("pk", "text").iterator(chunk_size=BATCH):
        resume.term_ids, resume.term_counts = terms.resume_term_vector(resume.text).to_bytes()
        resume.profile = profile_of(resume.text, today=today).stored(as_of=today)
        batch.append(resume)
        if len(batch) == BATCH:
            Resume.objects.bulk_update(batch, ["term_ids", "term_counts", "profile"])
            batch = []
    if batch:
        Resume.objects.bulk_update(batch, ["term_ids", "term_counts", "profile"])


class Migration(migrations.Migration):
    dependencies = [("matching", "0010_resume_profile")]

    # Backwards keeps these vectors: the older code reads them, with a slightly different
    # lexical score, until its resumes are re-imported.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
