"""Words that say who publishes or how a person is addressed, not what is told: outlet names and honorifics."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from compare.ingest.outlets import load_registry

# Titles before a name; "u.s."-style abbreviations keep their dots, these are the dotless forms as tokens.
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr sen sens rep reps gov lt gen col sgt capt adm rev prof jr sr hon messrs".split()
)


# Words that make another role of a title ("vice president" is not the president, "deputy director" not the director).
OTHER_ROLE = frozenset("vice deputy assistant associate acting lieutenant under co ex".split())


def outlet_names(corpus_outlets: Iterable[str] = ()) -> frozenset[str]:
    """The names, aliases and web domains of every outlet of the registry and of the corpus, lower case.

    A domain gives its name without the ending as well ("foxnews.com" gives "foxnews").
    """
    return _registry_names() | frozenset(name.lower() for name in corpus_outlets if name.strip())


@lru_cache(maxsize=4)
def _registry_names() -> frozenset[str]:
    names: set[str] = set()
    for outlet in load_registry().outlets:
        names.update(name.lower() for name in (outlet.name, *outlet.aliases))
        for domain in outlet.domains:
            names.update({domain.lower(), domain.lower().split(".")[0]})
    return frozenset(name for name in names if name)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")))


def is_self_reference(wording: str, names: frozenset[str]) -> bool:
    """Whether a wording names an outlet ("Fox News", "the Times' reporter" is not; "HuffPost" is)."""
    normal = _normal(wording)
    normal = normal[4:] if normal.startswith("the ") else normal
    return any(normal == _normal(name) for name in names)


@lru_cache(maxsize=256)
def outlet_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """Outlet names in running text, longest first ("Fox News" before "Fox").

    A name counts when written with a capital ("Fox", not "fox"), a web domain in any case.
    """
    ordered = sorted(names, key=len, reverse=True)
    domains = "|".join(re.escape(name) for name in ordered if "." in name)
    words = "|".join(re.escape(name) for name in ordered if "." not in name)
    alternatives = [f"(?i:{domains})"] if domains else []
    if words:
        alternatives.append(f"(?=[A-Z0-9])(?i:{words})")
    return re.compile(r"(?<![\w.])(?:" + "|".join(alternatives or ["(?!)"]) + r")(?![\w-])")
