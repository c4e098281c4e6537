"""The filter form of a job's ranking page."""

from __future__ import annotations

from django import forms


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
        """Keyword arguments for scoring.selectors.job_ranking.

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
