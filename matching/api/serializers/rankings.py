from __future__ import annotations

from dataclasses import dataclass

from rest_framework import serializers

from matching.models import Pair
from matching.privacy import selectors as privacy_selectors
from matching.scoring.explain import Explanation

ANONYMIZE_HELP = (
    "true: names, contact details and photos masked in resume texts and passages, file "
    "names replaced by 'Candidate #<id>'; false: as uploaded. Default: the caller's own "
    "preference, else the ANONYMIZE_REVIEWS setting."
)


RATING_MEAN_HELP = "The reviewers' mean rating, 0..1; null when unrated or ratings_hidden."
RATINGS_HIDDEN_HELP = (
    "Blind rating (BLIND_RATING): other reviewers' ratings of this pair are hidden from "
    "you until you have rated it (leads with the settle permission see them)."
)


@dataclass
class RankedPair:
    """One row of a ranking: the pair, its rank and (for a job's ranking) why it scored so."""

    rank: int
    pair: Pair
    explanation: Explanation | None = None
    stale: bool = False
    asks: dict | None = None  # the rate the resume asks (rates.Rate as JSON)
    over_budget: float | None = None

    @property
    def ratings_hidden(self) -> bool:
        # Pairs come annotated by review_visibility.pairs_for_viewer; one that is not stays hidden.
        # Nothing is hidden while nobody has rated the pair.
        return self.pair.rating_count > 0 and not getattr(self.pair, "ratings_visible", False)

    @property
    def rating_mean(self) -> float | None:
        return None if self.ratings_hidden else self.pair.rating_mean


class RankingQueryIn(serializers.Serializer):
    top = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=10_000,
        help_text="Only the best K candidates (then paged with page and page_size).",
    )
    min_score = serializers.FloatField(
        required=False, min_value=0.0, max_value=1.0, help_text="Lowest score shown, 0..1."
    )
    rated = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only pairs with a human rating; false: only unrated ones.",
    )
    anonymize = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=ANONYMIZE_HELP
    )


class VerdictOut(serializers.Serializer):
    requirement = serializers.CharField()
    must_have = serializers.BooleanField(source="must", help_text="false: a nice-to-have.")
    kind = serializers.CharField(
        help_text="What it asks: years, education, licence, skill, domain (empty until judged)."
    )
    status = serializers.CharField(
        help_text="met, not_met or unclear (the resume does not say, or is not in English); "
        "empty until the pair is judged."
    )
    evidence = serializers.ListField(
        child=serializers.CharField(),
        help_text="The resume sentences that decide it (masked when anonymized).",
    )
    reason = serializers.CharField(help_text='Why, in a few words ("negated", "2.0 of 5 years").')


class ExplanationOut(serializers.Serializer):
    requirements = VerdictOut(
        many=True,
        source="verdicts",
        help_text="Each must-have and nice-to-have with its verdict and the evidence for it.",
    )
    must_have_found = serializers.ListField(child=serializers.CharField(), source="must_found")
    must_have_missing = serializers.ListField(child=serializers.CharField(), source="must_missing")
    nice_to_have_found = serializers.ListField(child=serializers.CharField(), source="nice_found")
    nice_to_have_missing = serializers.ListField(
        child=serializers.CharField(), source="nice_missing"
    )
    must_have_credentials_missing = serializers.ListField(
        child=serializers.CharField(),
        source="credentials_missing",
        help_text="Must-have licences and degrees the resume does not show: they lower the score.",
    )
    credentials_factor = serializers.FloatField(
        help_text="What the model's score was multiplied by for them: 0.7 with none of the "
        "must-have licences and degrees shown, 1 with all (or none asked)."
    )
    skills_found = serializers.ListField(child=serializers.CharField())
    skills_missing = serializers.ListField(child=serializers.CharField())
    passages = serializers.ListField(
        child=serializers.CharField(), help_text="The resume passages closest to the job."
    )


class RankedResumeOut(serializers.Serializer):
    id = serializers.IntegerField(source="pair.resume.id")
    name = serializers.SerializerMethodField(
        help_text="The candidate's name read from the resume, else the file name; "
        "'Candidate #<id>' when anonymized."
    )
    original_name = serializers.SerializerMethodField(
        help_text="The file name as uploaded; 'Candidate #<id>' when anonymized."
    )

    def get_name(self, row: RankedPair) -> str:
        anonymized = bool(self.context.get("anonymized"))
        return privacy_selectors.resume_label(resume=row.pair.resume, anonymized=anonymized)

    def get_original_name(self, row: RankedPair) -> str:
        anonymized = bool(self.context.get("anonymized"))
        return privacy_selectors.resume_file_name(resume=row.pair.resume, anonymized=anonymized)


class RankingRowOut(serializers.Serializer):
    rank = serializers.IntegerField()
    pair = serializers.IntegerField(source="pair.pk", help_text="Rate it with POST /ratings/.")
    resume = RankedResumeOut(source="*")
    score = serializers.FloatField(source="pair.score", help_text="0..1")
    rating_mean = serializers.FloatField(allow_null=True, help_text=RATING_MEAN_HELP)
    rating_count = serializers.IntegerField(source="pair.rating_count")
    ratings_hidden = serializers.BooleanField(help_text=RATINGS_HIDDEN_HELP)
    scoring_model = serializers.CharField(
        source="pair.scoring_model.version", allow_null=True, default=None
    )
    scored_at = serializers.DateTimeField(source="pair.scored_at", allow_null=True)
    stale = serializers.BooleanField(
        help_text="Scored by a model that is no longer the live one (re-scoring pending)."
    )
    explanation = ExplanationOut()
    asks = serializers.JSONField(
        allow_null=True,
        help_text="The rate the resume asks (low, high, currency, per: hour, day, month or "
        "year); null when it states none. Read by no score.",
    )
    over_budget = serializers.FloatField(
        allow_null=True,
        help_text="How far the least the candidate asks is above the most the job's "
        "budget offers, as a share of the budget (0: within it); null when either is not "
        "stated or they cannot be compared (another currency, an hourly rate and a salary).",
    )


class BestJobOut(serializers.Serializer):
    id = serializers.IntegerField(source="pair.job.id")
    title = serializers.CharField(source="pair.job.title")
    is_open = serializers.BooleanField(source="pair.job.is_open")


class BestJobRowOut(serializers.Serializer):
    rank = serializers.IntegerField()
    pair = serializers.IntegerField(source="pair.pk")
    job = BestJobOut(source="*")
    score = serializers.FloatField(source="pair.score", help_text="0..1")
    rating_mean = serializers.FloatField(allow_null=True, help_text=RATING_MEAN_HELP)
    rating_count = serializers.IntegerField(source="pair.rating_count")
    ratings_hidden = serializers.BooleanField(help_text=RATINGS_HIDDEN_HELP)
    scored_at = serializers.DateTimeField(source="pair.scored_at", allow_null=True)
