"""Resumes' cached term vectors no longer count the candidate's name and contact details
(matching.intake.sections.evidence_text blanks them): an unseen name had the highest
inverse document frequency of any word and lowered every other term's weight, so a score
moved with the name alone (docs/responsible.md, "Counterfactual test"). Profiles are read
again: Markdown headings ("## Education", "**Skills:**") mark sections now, role titles in
Markdown and degrees written with abbreviations ("B.S. Mechanical Engineering") are found.

Every resume with text gets its term vector and profile recomputed, in batches. Resume
vectors are cached under a new key (matching.encoding.cache.EVIDENCE_VERSION 2) and are
embedded again on their next scoring. Stored pair scores and verdicts are left as they
were: re-score them with `manage.py activate_model <the live version>` (README,
"Upgrading").
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
    fields = ["term_ids", "term_counts", "profile"]
    batch = []
    for resume in Resume.objects.exclude(text="").only("pk", "text").iterator(chunk_size=BATCH):
        resume.term_ids, resume.term_counts = terms.resume_term_vector(resume.text).to_bytes()
        resume.profile = profile_of(resume.text, today=today).stored(as_of=today)
        batch.append(resume)
        if len(batch) == BATCH:
            Resume.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Resume.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):
    dependencies = [("matching", "0018_resume_alternative_process")]

    # Backwards keeps these vectors and profiles: the older code reads them, with a slightly
    # different lexical score, until its resumes are re-imported.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
