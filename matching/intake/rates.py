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

HOUR, DAY, WEEK, MONTH, YEAR = "hour", "day", "week", "month", "year"
HOURS_PER_DAY = 8
# Each unit as so many of the smallest of its kind: contract time in hours, salary in
# months.
_IN_BASE = {HOUR: (HOUR, 1), DAY: (HOUR, HOURS_PER_DAY), MONTH: (MONTH, 1), YEAR: (MONTH, 12)}
_SYMBOL = {"€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "$": "USD", "usd": "USD"}
_SYMBOL |= {"£": "GBP", "gbp": "GBP", "chf": "CHF", "cad": "CAD", "ca$": "CAD", "c$": "CAD"}
_SYMBOL |= {"aud": "AUD", "a$": "AUD", "nz$": "NZD", "hk$": "HKD"}
_SHOWN = {"EUR": "€", "USD": "$", "GBP": "£"}
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
    (re.compile(r"monat|monthly", re.I), MONTH),
    (re.compile(r"gehalt|salary|annual|jahres", re.I), YEAR),
)
_NUMBER = r"\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2}|,-)?"
_CURRENCY = r"(?:CA|C|A|NZ|HK)\$|€|\$|£|\b(?:eur|euros?|usd|gbp|chf|cad|aud)\b"
# "k" and "T€" (Tausend) are thousands; a figure in millions is no rate ("$2M").
_THOUSANDS = r"k\b|t(?=\s*(?:€|eur\b))"
_FIGURE = re.compile(
    rf"(?P<c1>{_CURRENCY})?\s*(?P<low>{_NUMBER})\s*(?P<k1>{_THOUSANDS})?"
    rf"(?:\s*(?:-|\u2013|to|bis)\s*(?P<c2>{_CURRENCY})?\s*(?P<high>{_NUMBER})\s*"
    rf"(?P<k2>{_THOUSANDS})?)?\s*(?P<c3>{_CURRENCY})?",
    re.IGNORECASE,
)
_NO_PAY_AFTER = re.compile(
    r"\s*(?:%|m\b|mio\b|mrd\b|mn\b|bn\b|million|billion|milliard)", re.IGNORECASE
)
# The unit right after a figure ("85 €/h", "600 EUR pro Tag", "$120,000 annually"), never
# one further on ("$120,000 annually plus hourly overtime" is a salary).
_GROSS = r"^\s*(?:(?:brutto|netto|gross|net)\s+)?"
_PER = (
    (r"/\s*(?:h|hr|hour|std|stunde)\b|per hour|pro stunde|(?:an? )?hour\b|hourly|stündlich", HOUR),
    (r"/\s*(?:d|day|tag)\b|per (?:day|diem)|pro tag|a day|daily|täglich", DAY),
    (r"/\s*(?:wk|week|woche)\b|per week|pro woche|a week|(?:bi-?)?weekly|wöchentlich", WEEK),
    (
        r"/\s*(?:mo|month|monat)\b|per month|pro monat|a month|monthly|monatlich|mtl\.|im monat",
        MONTH,
    ),
    (
        r"/\s*(?:yr|year|jahr|a)\b|per (?:year|annum|yr)|pro jahr|p\.\s?a\.|a year|yearly|"
        r"annual(?:ly)?|jährlich|im jahr",
        YEAR,
    ),
)
_PER_RE = tuple(
    (re.compile(_GROSS + f"(?:{pattern})", re.IGNORECASE), unit) for pattern, unit in _PER
)
# A figure with a currency and no unit is an hourly rate below this and a salary from
# _SALARY_FROM; between them (a day rate? a monthly salary?) it is unknown.
_HOURLY_BELOW = 200
_SALARY_FROM = 10_000


@dataclass(frozen=True)
class Rate:
    low: float
    high: float
    currency: str  # "EUR", "USD", ...; "" when not stated
    per: str  # HOUR, DAY, MONTH or YEAR (a weekly wage is read as no rate)

    @property
    def bounds(self) -> tuple[float, float]:
        return self.low, self.high

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict | None) -> Rate | None:
        return cls(**data) if data else None

    def shown(self) -> str:
        """ "85 €/h", "60-70 €/h", "$85,000-$95,000/year", "90 CHF/h"."""
        sign = _SHOWN.get(self.currency, self.currency)
        before = sign if sign in ("$", "£") else ""
        after = f" {sign}" if sign and not before else ""
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
    # before exactly three digits groups them. "85,-" is 85.
    text = re.sub(r"[.,' ](?=\d{3}(?:\D|$))", "", text.removesuffix(",-"))
    return float(text.replace(",", "."))


def _amounts(m: re.Match[str]) -> tuple[float, float] | None:
    k1, k2 = bool(m.group("k1")), bool(m.group("k2"))
    low = _number(m.group("low"))
    high = _number(m.group("high")) * (1000 if k2 else 1) if m.group("high") else None
    # "85k" and "60-70 T€" are thousands; "$85,000 - 100k" is not 85 million.
    if k1 or (k2 and low < 1000):
        low *= 1000
    if high is None:
        high = low
    return (low, high) if 0 < low <= high else None


def rate_in(value: str, *, label: str = "") -> Rate | None:
    """The rate a labelled value states: its first figure with a currency or a unit of
    its own ("Budget: 3-6 months, $90/hr" is $90 an hour), else the first figure with the
    unit the label gives ("Hourly rate: 85"); None where neither says what it is."""
    first: tuple[float, float] | None = None
    for m in _FIGURE.finditer(value):
        if not re.search(r"\d", m.group()) or _NO_PAY_AFTER.match(value, m.end()):
            continue
        amounts = _amounts(m)
        if amounts is None:
            continue
        first = first or amounts
        currency = next((c for c in (m.group("c1"), m.group("c2"), m.group("c3")) if c), "")
        tail = re.split(r"[\d,;(\[]", value[m.end() :], maxsplit=1)[0]
        per = next((unit for pattern, unit in _PER_RE if pattern.match(tail)), None)
        if not (currency or per):
            continue  # "10 days", "2024:": no pay
        per = per or _label_per(label) or _per_of_size(amounts[0])
        if per is None or per == WEEK:
            return None  # a weekly wage compares with neither rates nor salaries
        return Rate(*amounts, _SYMBOL.get(currency.lower(), ""), per)
    per = _label_per(label)
    return Rate(*first, "", per) if first and per else None


def _label_per(label: str) -> str | None:
    return next((unit for pattern, unit in _LABEL_PER if pattern.search(label)), None)


def _per_of_size(amount: float) -> str | None:
    if amount < _HOURLY_BELOW:
        return HOUR
    return YEAR if amount >= _SALARY_FROM else None


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
    if rate is None or budget is None or rate.currency != budget.currency:
        return None
    (base, a), (other, b) = _IN_BASE[rate.per], _IN_BASE[budget.per]
    if base != other:
        return None
    asked, offered = rate.low / a, budget.high / b  # per hour, or per month
    return max(0.0, asked / offered - 1)
