"""Form fields shared by the API's filters and the site's pages."""

from __future__ import annotations

from django import forms

# Ids are 64-bit signed integers in PostgreSQL and SQLite; a larger number is not an id
# (and used to reach the database as an OverflowError, a 500).
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """An object id: a whole number from 1 to MAX_ID, in ASCII digits."""

    default_error_messages = {
        code: f"Enter an id: a whole number from 1 to {MAX_ID}."
        for code in ("invalid", "min_value", "max_value")
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value):
        # int() reads any Unicode digits ("٣" is 3) and str.isdigit() passes "²", which
        # int() refuses: only ASCII digits are an id.
        if isinstance(value, str) and value.strip() and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def parse_id(raw: str | None) -> int | None:
    """The id in a query parameter, None when it is absent or empty; ValidationError
    (with IdField's message) when it is not an id."""
    return IdField(required=False).clean(raw)
