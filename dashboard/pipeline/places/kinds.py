"""What the words around a name say it is: the kind written after it ("Kandal village", "Raqqa
province"), whether a run of names is pieces of one place the gazetteer lacks ("Dand Wa Patan district"),
and which kinds of place a variant spelling alone may tentatively be."""
from __future__ import annotations

from dashboard.geocoders.index import Gazetteer
from dashboard.pipeline.places.spelling import POSITION_WORDS
from dashboard.pipeline.places.tokens import Token, joined
from dashboard.pipeline.places.vocabulary import (AREA_KINDS, COMMON_WORD_ZIPF, DISTRICT_KINDS, KIND_WORDS,
                                                  SETTLEMENT_KINDS)

BIG_TOWN = 100_000
SIDES = frozenset("northern southern eastern western central north south east west northeastern northwestern "
                  "southeastern southwestern".split())


def note_kind(text: str, tokens: list[Token], m: int, match) -> None:
    """The kind of place the word after a name (``tokens[m]``, or the word ending it) says it is:
    "Kandal village" is the village, "Raqqa province" the province."""
    if m < len(tokens) and joined(text, tokens[m - 1], tokens[m]):
        said = tokens[m].lower
        if said in SIDES and m + 1 < len(tokens) and joined(text, tokens[m], tokens[m + 1]):
            said = tokens[m + 1].lower  # "Raqqa eastern countryside": the province's east
        if said in SETTLEMENT_KINDS or said in AREA_KINDS:
            match.notes.append("settlement" if said in SETTLEMENT_KINDS else "area")
            if said in DISTRICT_KINDS:
                match.notes.append("district")  # a few tens of kilometres across


def pieces_of_an_unknown_kind(g: Gazetteer, text: str, tokens: list[Token], run: tuple[int, int],
                              out: list) -> bool:
    """'Dand Wa Patan district': a kind of place after a run whose names leave a foreign word between
    them unread is one district (or village) that the gazetteer lacks, not its pieces (an Indian Dand
    and Patan). English words left over ("Greater", "Upper", "New") leave the pieces standing; a
    two-letter one is a foreign word too ("Wa" is the Arabic and Pashto "and"); so does a word before
    or after the names ("Karrada of Baghdad city", "Baghdad-Karrada district": parts of the city)."""
    i, j = run
    if len(out) < 2 or j >= len(tokens) or not joined(text, tokens[j - 1], tokens[j]) or not (
            tokens[j].lower in AREA_KINDS or tokens[j].lower in SETTLEMENT_KINDS):
        return False
    first, last = min(m.end for m in out), max(m.start for m in out)
    return any(t.capitalised and first <= t.start and t.end <= last
               and not any(m.start <= t.start and t.end <= m.end for m in out)
               and t.lower not in POSITION_WORDS and (len(t.text) <= 2 or (
                   t.lower not in g.common_words and g.word_frequency.get(t.lower, 0.0) < COMMON_WORD_ZIPF))
               for t in tokens[i:j])


PROVINCE_WORDS = frozenset("province governorate state region".split())


def tentative_reading(g: Gazetteer, match, entry: int) -> bool:
    """Whether a variant spelling in a text naming nothing else may tentatively be ``entry``: a village or
    town, or a province written bare or said to be one ("fighting in Galgaduud" ~ Galguduud; "X parish"
    and "X village" are no province), never a big city (a variant that meets only a city's foreign name
    is no reading of it)."""
    if g.features[entry] == "admin1":
        said = match.text.rsplit(None, 1)[-1].lower()
        return (said not in KIND_WORDS or said in PROVINCE_WORDS) and "settlement" not in match.notes \
            and "district" not in match.notes
    return g.populations[entry] < BIG_TOWN
