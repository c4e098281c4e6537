"""Resumes' cached term vectors no longer count the candidate's name and contact details
(matching.intake.sections.evidence_text blanks them): an unseen name had the highest
inverse document frequency of any word and lowered every other term's weight, so a score
moved with the name alone (docs/responsible.md, "Counterfactual test"). Profiles are read
again: Markdown headings ("## Education", "**Skills:**") mark sections now, role titles in
Markdown and degrees written with abbreviations ("B.S. Mechanical Engineering") are found.

Every resume with text gets its term vector, profile and name read again, in batches. Resume
vectors are cached under a new key (matching.encoding.cache.EVIDENCE_VERSION 2) and are
embedded again on their next scoring. Stored pair scores and verdicts are left as they
were: re-score them with `manage.py activate_model <the live version>` (README,
"Upgrading").
"""

from django.db import migrations

BATCH = 500


def recompute(apps, schema_editor):
    # The live rules, not a frozen copy: what is stored must match what scoring reads.
    from matching.intake.resumes import resumes_reread

    Resume = apps.get_model("matching", "Resume")
    resumes_reread(Resume.objects.exclude(text=""), batch=BATCH)


class Migration(migrations.Migration):
    dependencies = [("matching", "0018_resume_alternative_process")]

    # Backwards keeps these vectors and profiles: the older code reads them, with a slightly
    # different lexical score, until its resumes are re-imported.
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
