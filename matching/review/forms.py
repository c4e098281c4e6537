"""Forms of rating and settling: the rating screen, the admin's rating form, a lead's
settled score. A score 0..1 or 1-5 stars, one rule for all (StarsOrScore)."""

from __future__ import annotations

from typing import Any

from django import forms

from matching.models import Rating

STAR_CHOICES = [("", "-")] + [(str(n), "\u2605" * n + "\u2606" * (5 - n)) for n in range(1, 6)]


class StarsOrScore(forms.BaseForm):
    """A form that takes a score 0..1 or 1-5 stars: one rule for every form a person
    rates or settles with. Both may be given only if they agree (the API takes one of
    them): 5 stars with a score of 0.2 is a mistake to point out, not to guess at."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        stars, score = data.get("stars"), data.get("score")
        if stars:
            from_stars = Rating.stars_to_score(stars)
            if score is not None and abs(score - from_stars) > 1e-9:
                raise forms.ValidationError(
                    f"Give a score or stars, not both: {stars} stars is a score of "
                    f"{from_stars:.2f}, not {score:.2f}."
                )
            data["score"] = from_stars
        elif score is None:
            raise forms.ValidationError("Give a score between 0 and 1 or a number of stars.")
        return data


class VerdictCorrectionForm(forms.Form):
    """A reviewer's ✓ / ✗ on one requirement of the pair, or "rules" to withdraw it."""

    CHOICES = {"met": True, "not_met": False, "rules": None}

    requirement = forms.CharField(max_length=500)
    verdict = forms.ChoiceField(choices=[(k, k) for k in CHOICES])

    @property
    def met(self) -> bool | None:
        return self.CHOICES[self.cleaned_data["verdict"]]


class RatingAdminForm(StarsOrScore, forms.ModelForm):
    """A score 0..1, or 1-5 stars that map onto it (1 star = 0.0, 5 stars = 1.0).

    `?pair=<id>` in the add URL preselects the pair.
    """

    stars = forms.TypedChoiceField(
        choices=STAR_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Or give stars instead of a score: 1 = poor match, 5 = strong match.",
    )

    class Meta:
        model = Rating
        fields = ["pair", "score", "stars", "note"]
        help_texts = {"score": "0 = not a fit at all, 1 = an excellent fit."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].required = False


class QueueRatingForm(forms.Form):
    """The rating screen: 1-5 stars (a button or a key) and an optional note."""

    stars = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={
            "required": "Choose 1 to 5 stars.",
            "invalid_choice": "Choose 1 to 5 stars.",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Optional: why (press n)"}),
    )

    @property
    def score(self) -> float:
        return Rating.stars_to_score(self.cleaned_data["stars"])


class SettleForm(StarsOrScore, forms.Form):
    """A lead's final score for a conflicting pair: a score 0..1, or stars."""

    score = forms.FloatField(
        min_value=0.0,
        max_value=1.0,
        required=False,
        help_text="0 = not a fit at all, 1 = an excellent fit.",
    )
    stars = forms.TypedChoiceField(
        choices=STAR_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Or stars: 1 = poor match, 5 = strong match.",
    )
