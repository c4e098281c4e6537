"""Pay: the rate a candidate asks and the budget a posting states, in English or German,
and whether the one is above the other (issue 17: rate against budget where both are
stated).

Read from labelled lines only ("Stundensatz: 85 EUR", "Hourly rate: $90/hr", "Budget" /
"65 EUR (vom Auftraggeber angepeilter Stundensatz)", "Salary: $85,000 - $95,000"), as
postings and resumes state them; figures in prose ("grew revenue by $2M") are no rate.
A rate is per hour, day, month or year: stated beside the figure ("/h", "pro Tag",
"per annum"), else given by the label ("Tagessatz", "salary"). Hours and days compare at
8 hours a day, months and years at 12 a year; an hourly rate is not compared with a
salary, nor one currency with another: then the answer is unknown, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from matching.intake.labels import below, label_pattern, labelled

HOUR, DAY, MONTH, YEAR = "hour", "day", "month", "year"
HOURS_PER_DAY = 8
# Each unit as so many of the smallest of its kind: contract time in hours, salary in
# months.
_IN_BASE = {HOUR: (HOUR, 1), DAY: (HOUR, HOURS_PER_DAY), MONTH: (MONTH, 1), YEAR: (MONTH, 12)}
_SYMBOL = {"€": "EUR", "euro": "EUR", "eur": "EUR", "$": "USD", "usd": "USD", "£": "GBP"}
_SYMBOL |= {"gbp": "GBP", "chf": "CHF"}
_SHOWN = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF "}
_PER_SHOWN = {HOUR: "/h", DAY: "/day", MONTH: "/month", YEAR: "/year"}

_CANDIDATE_LABEL = label_pattern(
    r"stundensatz|tagessatz|stundenlohn|honorar(?:vorstellung)?|gehaltsvorstellung|"
    r"(?:hourly |day |daily )?rate(?: expectations?)?|(?:desired|expected) (?:salary|rate)|"
    r"salary (?:expectations?|requirements?)"
)
_POSTING_LABEL = label_pattern(
    r"stundensatz|tagessatz|budget|vergütung|gehalt|honorar|(?:hourly |day |daily |pay )?"
    r"rate|pay(?: range)?|salary(?: range)?|compensation"
)
_LABEL_PER = (
    (re.compile(r"stunde|hourly", re.I), HOUR),
    (re.compile(r"tag|day|daily", re.I), DAY),
    (re.compile(r"gehalt|salary", re.I), YEAR),
)
_NUMBER = r"\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_CURRENCY = r"€|\$|£|\b(?:eur|euro|usd|gbp|chf)\b"
_FIGURE = re.compile(
    rf"(?P<c1>{_CURRENCY})?\s*(?P<low>{_NUMBER})\s*(?P<k1>k\b)?"
    rf"(?:\s*(?:-|\u2013|to|bis)\s*(?P<c2>{_CURRENCY})?\s*(?P<high>{_NUMBER})\s*(?P<k2>k\b)?)?"
    rf"\s*(?P<c3>{_CURRENCY})?",
    re.IGNORECASE,
)
_PER = (
    (re.compile(r"/\s*(?:h|hr|hour|std|stunde)\b|per hour|pro stunde|hourly|an hour", re.I), HOUR),
    (re.compile(r"/\s*(?:d|day|tag)\b|per day|pro tag|daily|a day", re.I), DAY),
    (re.compile(r"/\s*(?:mo|month|monat)\b|per month|pro monat|monthly|a month", re.I), MONTH),
    (
        re.compile(r"/\s*(?:yr|year|jahr|a)\b|per (?:year|annum)|pro jahr|p\.\s?a\.|annual", re.I),
        YEAR,
    ),
)
# Above this, a figure without a unit is a salary, not an hourly or daily rate.
_SALARY_FROM = 10_000


@dataclass(frozen=True)
class Rate:
    low: float
    high: float
    currency: str  # "EUR", "USD", ...; "" when not stated
    per: str  # HOUR, DAY, MONTH or YEAR

    @property
    def bounds(self) -> tuple[float, float]:
        return self.low, self.high

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict | None) -> Rate | None:
        return cls(**data) if data else None

    def shown(self) -> str:
        """ "85 €/h", "60-70 €/h", "$85,000-$95,000/year"."""
        sign = _SHOWN.get(self.currency, "")
        before = sign if sign in ("$", "£") else ""
        after = "" if before else (f" {sign.strip()}" if sign else "")
        figures = [f"{before}{v:,.0f}" if v >= 1000 else f"{before}{v:g}" for v in self.bounds]
        amount = figures[0] if self.low == self.high else "-".join(figures)
        return f"{amount}{after}{_PER_SHOWN[self.per]}"


def pay_against_budget(
    profile: dict | None, budget: Rate | None
) -> tuple[Rate | None, float | None]:
    """The rate a stored profile (Resume.profile) asks and how far above `budget` it is
    (over_budget)."""
    asked = Rate.from_json(((profile or {}).get("work_terms") or {}).get("rate"))
    return asked, over_budget(asked, budget)


def rate_shown(work_terms: dict | None) -> str:
    """The rate a stored profile's work terms ask, as shown ("85 €/h"); "" when none."""
    rate = Rate.from_json((work_terms or {}).get("rate"))
    return rate.shown() if rate else ""


def _number(text: str) -> float:
    # "1.200" and "1,200" are thousands, "85,50" and "85.50" decimals: a separator
    # before exactly three digits groups them.
    text = re.sub(r"[.,' ](?=\d{3}(?:\D|$))", "", text)
    return float(text.replace(",", "."))


def rate_in(value: str, *, label: str = "") -> Rate | None:
    """The first figure of a labelled value, with its currency and unit."""
    m = _FIGURE.search(value)
    if m is None or not re.search(r"\d", m.group()):
        return None
    low = _number(m.group("low")) * (1000 if m.group("k1") or m.group("k2") else 1)
    high_text = m.group("high")
    high = _number(high_text) * (1000 if m.group("k2") else 1) if high_text else low
    if low <= 0 or high < low:
        return None
    currency = next((c for c in (m.group("c1"), m.group("c2"), m.group("c3")) if c), "")
    rest = value[m.start() :]
    per = next((unit for pattern, unit in _PER if pattern.search(rest)), None)
    if value[m.end() :].lstrip().startswith("%") or not (currency or per):
        return None  # "Rate: 95%", "Rate: 3 of 5": no pay
    if per is None:
        per = next((unit for pattern, unit in _LABEL_PER if pattern.search(label)), None)
    if per is None:
        per = YEAR if low >= _SALARY_FROM else HOUR
    return Rate(low, high, _SYMBOL.get(currency.lower(), ""), per)


def _first_rate(text: str, label: re.Pattern[str]) -> Rate | None:
    lines = text.replace("\r\n", "\n").split("\n")
    for i, value in labelled(lines, label):
        name = lines[i].split(":", 1)[0]
        if (rate := rate_in(value or below(lines, i), label=name)) is not None:
            return rate
    return None


def candidate_rate(lines: list[str]) -> Rate | None:
    """The rate a resume asks, from its labelled lines (those above the first dated role)."""
    return _first_rate("\n".join(lines), _CANDIDATE_LABEL)


def posting_budget(text: str) -> Rate | None:
    """The rate or salary a posting offers."""
    return _first_rate(text, _POSTING_LABEL)


def over_budget(rate: Rate | None, budget: Rate | None) -> float | None:
    """How far the least the candidate asks is above the most the posting offers, as a
    share of the budget (0.25: a quarter above); 0 within it; None where either is not
    stated or they cannot be compared (another currency, an hourly rate and a salary)."""
    if rate is None or budget is None:
        return None
    if rate.currency and budget.currency and rate.currency != budget.currency:
        return None
    (base, a), (other, b) = _IN_BASE[rate.per], _IN_BASE[budget.per]
    if base != other:
        return None
    asked, offered = rate.low / a, budget.high / b  # per hour, or per month
    return max(0.0, asked / offered - 1)
