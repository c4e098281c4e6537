"""Forms of the matching app: admin uploads and ratings, and the ranking page filters."""

from __future__ import annotations

from django import forms
from django.conf import settings

from matching.extraction import SUPPORTED_EXTENSIONS
from matching.models import Job, Rating
from matching.services import job_text_errors

# --- admin -------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for multiple uploads)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is one rejected file, named by the upload service (as in the API),
        # not a form error that turns the whole batch away.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ResumeUploadForm(forms.Form):
    files = MultipleFileField(
        help_text=(
            f"One or more files ({', '.join(sorted(SUPPORTED_EXTENSIONS))}), "
            f"up to {settings.RESUME_MAX_BYTES // (1024 * 1024)} MB each. "
            "A file that cannot be read is kept as rejected, with the reason."
        )
    )


STAR_CHOICES = [("", "-")] + [(str(n), "\u2605" * n + "\u2606" * (5 - n)) for n in range(1, 6)]


class JobAdminForm(forms.ModelForm):
    """The admin's job form: a text past the service's limit is shown next to its field
    instead of failing on save."""

    class Meta:
        model = Job
        fields = ["title", "description", "must_have", "nice_to_have", "is_open"]

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, messages in job_text_errors(cleaned).items():
            self.add_error(name, messages)
        return cleaned


class StarsOrScore:
    """A form that takes a score 0..1 or 1-5 stars: one rule for every form a person
    rates or settles with. Both may be given only if they agree (the API takes one of
    them): 5 stars with a score of 0.2 is a mistake to point out, not to guess at."""

    def clean(self):
        data = super().clean()
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

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].required = False


# --- ranking pages -----------------------------------------------------------------------


class RankingFilterForm(forms.Form):
    """GET filters of a job's ranking page and its CSV export.

    The minimum score is typed as a percentage (what the page shows); selectors work on
    scores from 0 to 1.
    """

    RATED_CHOICES = [("all", "All candidates"), ("yes", "Rated"), ("no", "Not rated yet")]
    _RATED = {"all": None, "yes": True, "no": False}

    min_score = forms.FloatField(
        label="Minimum score (%)",
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"step": "1", "placeholder": "0"}),
    )
    rated = forms.ChoiceField(label="Ratings", choices=RATED_CHOICES, required=False)

    def ranking_filters(self) -> dict[str, float | bool | None]:
        """Keyword arguments for selectors.job_ranking.

        A field that does not validate is left out rather than failing the whole page;
        its error is shown next to it.
        """
        if not self.is_bound:
            return {"min_score": None, "rated": None}
        self.is_valid()
        data = self.cleaned_data
        percent = data.get("min_score")
        return {
            "min_score": None if percent is None else percent / 100,
            "rated": self._RATED.get(data.get("rated") or "all"),
        }


# --- labeling queue and settling conflicts -----------------------------------------------


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
