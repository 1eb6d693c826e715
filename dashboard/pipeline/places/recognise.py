"""Find place names in text: capitalised spans matched against the gazetteer, minus what is not a place here.

A span of capitalised words ("Deir ez-Zor", "Camp Speicher", "Zabol") is looked up longest-first, with a
kind-of-place word after it when the gazetteer knows the longer name ("Anbar province", "al-Hol camp").
Possessives and hyphens are read through ("Iraq's", "UK-based", "al-Hol", "Aleppo-Hama-Raqqa"). What is
not a place in news is filtered by context, with general rules (no list of benchmark or seed names):

- people: a title before or inside the name ("Col. Dana Whitfield", "Mayor Ellen Ashby", "President
  Moreau"), a given name before it ("Dana Whitfield"), an Arabic kunya or nisba ("Abu Karim", "al-Baghdadi"
  is someone from Baghdad), speech verbs ("said Whitfield", "Chad said" -- but "Washington said"), and once
  a person is named, their surname on its own later in the article ("Colonel Whitfield", "Whitfield");
- organisations: a place followed by a media, research or armed-group word ("The New York Times", "Syrian
  Observatory for Human Rights", "Centre for Desert Studies"), companies ("Harlow & Pryce"),
  "the Carter administration", streets ("Denver Lane"), "Islamic State of ...", operation names
  ("Operation Euphrates Shield"). A town before a local institution is a mention, not a location: "Leeds Police";
- ordinary words that are also small places ("May", "Hope", "Corridor" in "Homs-Hama-Idlib Corridor"),
  judged by their English word frequency against the place's population, plus directions and generic
  words ("North", "Central"), contractions ("I've") and unknown all-capital words ("NATO"; datelines such as
  "BOISE, Idaho --" are read, and well-known places shouted or in lower case in posts: "downtown BEIRUT",
  "east mosul", see casing.py);
- adjectives of nationality count as their country only when they modify a noun or a role ("Russian
  bunkers", "Russian President Orlov"), not in names ("Syrian Democratic Forces") and not as nouns; before
  a kind of area they are the division named so ("the Somali region", where the gazetteer has one);
- US state abbreviations after a town ("Macon, Ga.") and "D.C." are places and qualify the town;
- a run the gazetteer does not know by any spelling may be found spelling-blind if it is transliterated
  from Arabic, Persian or Pashto ("Tal Tamir" ~ GeoNames "Tall Tamr"); never for people or English words.

Everything here is linear in the text: one tokenising regex without nested quantifiers, dictionary look-ups.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.geocoders.index import Gazetteer
from dashboard.geocoders.names import TRANSLITERATED_COUNTRIES, name_key
from dashboard.pipeline.places import casing, roles
from dashboard.pipeline.places.lists import (attach_qualifiers, listed_areas, respell_within_qualifier,
                                             states_that_qualify)
from dashboard.pipeline.places.kinds import note_kind, pieces_of_an_unknown_kind
from dashboard.pipeline.places.spelling import spelling_blind_entries
from dashboard.pipeline.places.tokens import Token, joined, run_through_lower_case, strip_possessive, tokenise
from dashboard.pipeline.places.vocabulary import (
    CONNECTORS, SPACED_CONNECTORS, ARABIC_ARTICLES, PERSON_PARTICLES, TITLES, SPEECH_VERBS,
    ORGANISATION_WORDS, FACILITY_WORDS, GENERIC_WORDS, ROLE_WORDS, PLACE_PREFIXES, CONTRACTION_ENDINGS,
    OPERATION_WORDS, MONTHS_AND_DAYS, PLACE_NOUNS, KIND_WORDS, COMMON_WORD_ZIPF, VERY_COMMON_ZIPF,
    STRONG_FEATURES, LOCATIVE_PREPOSITIONS, SETTLEMENT_KINDS, AREA_KINDS, ARTICLES_AFTER_DE)

# What, between two words, ends a sentence, a line, a quote or a heading: capitals after it say nothing.
SENTENCE_BREAKS = frozenset(".!?:\n\"“”‘'—|•")
@dataclass(slots=True)
class Match:
    """A span the gazetteer knows, with the entries it could be (most populous first)."""

    start: int
    end: int
    text: str
    entries: tuple[int, ...]
    kind: str = "name"  # name | demonym
    key: str = ""
    qualifier: "Match | None" = None  # "Iran" in "Zabol, Iran"
    role: str = "location"  # what the name does in its sentence (roles.verdict)
    notes: list[str] = field(default_factory=list)


def _arabic_article(text: str, token: Token, following: Token) -> bool:
    """'al-Hol', 'ash-Shaddadi', 'al Baghdadi' -- but not English 'at', 'as', 'an' before a name."""
    if token.lower not in ARABIC_ARTICLES or not following.capitalised:
        return False
    gap = text[token.end:following.start]
    return gap in ("-", "‑", "–") or (gap == " " and token.lower in ("al", "el"))


def _runs(text: str, tokens: list[Token], holds) -> list[tuple[int, int]]:
    """Maximal stretches of capitalised tokens, allowing lower-case connectors inside them, and other short
    lower-case words inside a name the gazetteer holds whole (``holds``)."""
    runs = []
    j, n = 0, len(tokens)  # only a capital or an Arabic article can start a run: the others are not visited
    for i in [k for k, t in enumerate(tokens) if t.capitalised or t.lower in ARABIC_ARTICLES]:
        token = tokens[i]
        if i < j or not (token.capitalised or (i + 1 < n and _arabic_article(text, token, tokens[i + 1]))):
            continue
        j = i + 1
        while j < n and joined(text, tokens[j - 1], tokens[j]):
            if tokens[j].text == "I" or tokens[j].lower in MONTHS_AND_DAYS:
                break  # "Lyon on April 9", "But I": a date or the pronoun is no part of a name
            if tokens[j].capitalised:
                j += 1
            elif tokens[j].lower in SPACED_CONNECTORS and j + 2 < n and tokens[j + 1].lower in ARTICLES_AFTER_DE \
                    and tokens[j + 2].capitalised and not tokens[j + 1].capitalised \
                    and joined(text, tokens[j], tokens[j + 1]) and joined(text, tokens[j + 1], tokens[j + 2]):
                j += 3  # "Santa Cruz de la Sierra", "San Juan de los Lagos": a preposition and an article
            elif tokens[j].lower in CONNECTORS and j + 1 < n and tokens[j + 1].capitalised \
                    and joined(text, tokens[j], tokens[j + 1]) and (
                        tokens[j].lower in SPACED_CONNECTORS or text[tokens[j - 1].end:tokens[j].start] != " "
                        or text[tokens[j].end:tokens[j + 1].start] != " "):
                j += 2
            else:
                break
        j = run_through_lower_case(text, tokens, i, j, holds)
        runs.append((i, j))
    return runs


class Recogniser:
    """Finds place-name matches in one document."""

    MAX_WORDS = 7

    def __init__(self, gazetteer: Gazetteer, demonyms: bool = True):
        self.gazetteer = gazetteer
        self.demonyms = demonyms
        # Names recur within an article and across articles: each written form is looked up once.
        self._looked_up: dict[str, tuple[str, tuple[int, ...]]] = _memo(gazetteer, "lookup")
        self._spelling_blind: dict[tuple[str, bool], tuple[str, tuple[int, ...]]] = _memo(gazetteer, "spelling-blind")

    # ---------------------------------------------------------------------------------------- helpers
    def _lookup(self, text: str) -> tuple[str, tuple[int, ...]]:
        """(name key, entries) of a written name, possessive dropped ("Iraq's" is Iraq)."""
        found = self._looked_up.get(text)
        if found is None:
            key = name_key(strip_possessive(text))
            found = self._looked_up[text] = (key, self.gazetteer.lookup(key) if len(key) >= 2 else ())
        return found

    def _is_given_name(self, token: Token) -> bool:
        return token.capitalised and token.lower in self.gazetteer.given_names

    def _is_strong(self, entries: tuple[int, ...]) -> bool:
        g = self.gazetteer
        return any(g.features[e] in STRONG_FEATURES or g.populations[e] >= 1_000_000
                   or g.sources[e].startswith("curated") for e in entries[:3])

    # --------------------------------------------------------------------------------------- the scan
    def _abbreviation_pattern(self):
        pattern = _ABBREVIATION_PATTERNS.get(id(self.gazetteer))
        if pattern is None:
            names = sorted(self.gazetteer.abbreviations, key=len, reverse=True)
            pattern = re.compile(r"(?<=, )(?:" + "|".join(re.escape(n) for n in names) + r")(?![A-Za-z])") \
                if names else re.compile(r"(?!x)x")
            _ABBREVIATION_PATTERNS[id(self.gazetteer)] = pattern
        return pattern

    def _state_pattern(self):
        pattern = _STATE_PATTERNS.get(id(self.gazetteer))
        if pattern is None:
            names = sorted(self.gazetteer.state_abbreviations, key=len, reverse=True)
            pattern = re.compile(r"(?:(?<=, )|(?<=\())(?:" + "|".join(re.escape(n) for n in names) +
                                 r")(?=[),;]|\s|$)") if names else re.compile(r"(?!x)x")
            _STATE_PATTERNS[id(self.gazetteer)] = pattern
        return pattern

    def find(self, text: str, spans) -> list[Match]:
        regions = [(0, len(text))] if spans is None else [(max(0, a), min(len(text), b)) for a, b in spans]
        abbreviations = []
        g = self.gazetteer
        for start, end in regions:
            for found in self._abbreviation_pattern().finditer(text, start, end):
                entry = g.abbreviations[found.group()]
                abbreviations.append(Match(found.start(), found.end(), found.group(), (entry,),
                                           key=name_key(g.names[entry])))
            for found in self._state_pattern().finditer(text, start, end):
                entry = g.state_abbreviations[found.group()]
                abbreviations.append(Match(found.start(), found.end(), found.group(), (entry,),
                                           key=name_key(g.names[entry]), notes=["state abbreviation"]))
        surnames: set[str] = set()
        prepared = []
        for start, end in regions:
            if end <= start:
                continue
            tokens = tokenise(text, start, end)
            runs = _runs(text, tokens, lambda name: bool(self._lookup(name)[1]))
            prepared.append((start, tokens, runs))
            for run in runs:
                self._note_people(text, tokens, run, surnames)
        matches: list[Match] = []
        for start, tokens, runs in prepared:
            for run in runs:
                matches.extend(self._match_run(text, tokens, run, surnames))
        # posts write names in lower case ("shelling in east mosul", "#idlib"): well-known places only
        lower = [Match(a, b, text[a:b], entries, key=key, notes=["lower case"]) for _, tokens, _ in prepared
                 for a, b, key, entries in casing.lowercase_places(self.gazetteer, text, tokens, self._lookup)]
        if lower:
            matches = sorted(matches + [m for m in lower if not any(m.start < o.end and o.start < m.end for o in matches)],
                             key=lambda m: m.start)
        listed = [Match(a, b, text[a:b], entries, key=key, notes=["area"])
                  for a, b, key, entries in listed_areas(text, regions, self._lookup)]
        abbreviations.extend(m for m in listed if not any(m.start < a.end and a.start < m.end for a in abbreviations))
        if abbreviations:  # abbreviations and listed areas replace what the runs found there
            taken = [(a.start, a.end) for a in abbreviations]
            matches = [m for m in matches if not any(m.start < b and a < m.end for a, b in taken)]
            matches = sorted(matches + abbreviations, key=lambda m: m.start)
        attach_qualifiers(text, matches, self.gazetteer)
        matches = states_that_qualify(matches, g)
        respell_within_qualifier(matches, self.gazetteer)
        return matches

    def _sentence_initial(self, text: str, tokens: list[Token], i: int) -> bool:
        """Whether token i starts a sentence (or a line, a quote, a heading), where capitals say nothing."""
        if i == 0:
            return True
        gap = text[tokens[i - 1].end:tokens[i].start]
        return not SENTENCE_BREAKS.isdisjoint(gap) or tokens[i - 1].text.isdigit()

    def _title_before(self, text: str, tokens: list[Token], i: int) -> bool:
        """A title or role word right before token i ("Gen. Okafor", "Defense Secretary Ann Holt")."""
        if i == 0:
            return False
        before = tokens[i - 1]
        gap = text[before.end:tokens[i].start]
        if gap.strip(" .,") or "\n" in gap:
            return False
        if before.lower in TITLES:
            return True
        # "Grace T. Okafor": an initial before the name
        return len(before.text) == 1 and before.text.isupper() and gap.startswith(".")

    def _note_people(self, text, tokens, run, surnames) -> None:
        """Remember the surnames of people named in the document, to block them when they recur alone."""
        i, j = run
        words = [t for t in tokens[i:j] if t.lower not in CONNECTORS or t.capitalised]
        if not words:
            return
        person = self._title_before(text, tokens, i)
        for t in range(i, j - 1):  # "Mayor Ellen Ashby", "Defense Secretary Ann Holt"
            if tokens[t].lower in TITLES and not self._multiword_place_at(text, tokens, t, j):
                person = True
                break
        first = tokens[i]
        if not person and len(words) >= 2:
            if self._is_given_name(first) and not self._multiword_place_at(text, tokens, i, j):
                person = True
            elif first.lower in PERSON_PARTICLES and not self._multiword_place_at(text, tokens, i, j):
                person = True
            elif self._role_then_person(text, tokens, i, j):
                person = True
        if person and len(words) >= 1:
            end = _after_of(tokens, i, j)
            if end < j:
                end -= 1  # "Ambassador Leyla Aliyeva of Azerbaijan": the name ends before "of"
            if end - 1 <= i and tokens[i].lower in TITLES:
                return  # "President of Azerbaijan": a title and a place, no name
            last = tokens[end - 1]
            key = name_key(strip_possessive(last.text))
            if any(self.gazetteer.features[e] in ("country", "continent") for e in self.gazetteer.lookup(key)[:3]):
                return  # a surname that is also a country would hide the country for the whole article
            surnames.add(key)
            if end - 2 >= i and tokens[end - 2].lower in ARABIC_ARTICLES:
                surnames.add(name_key(tokens[end - 2].text + strip_possessive(last.text)))
            elif end - 2 > i and tokens[end - 2].capitalised and text[tokens[end - 2].end:last.start] in ("-", "‑"):
                surnames.add(name_key(tokens[end - 2].text))  # "Ana Ruiz-Balart": "Ruiz-Balart" alone later

    def _role_then_person(self, text, tokens, i, j) -> bool:
        """"Incumbent Sara Keller", "Superintendent Frank Denton": an ordinary word, a common given name and
        a surname, which no place's name holds."""
        first, g = tokens[i], self.gazetteer
        return j - i == 3 and all(t.capitalised for t in tokens[i:j]) and first.lower in g.common_words \
            and first.lower != "the" and not self._is_given_name(first) and g.given_names.get(tokens[i + 1].lower, 0) >= 3 \
            and first.lower not in KIND_WORDS and first.lower not in PLACE_PREFIXES and first.lower not in MONTHS_AND_DAYS \
            and not self._multiword_place_at(text, tokens, i, j) and not self._multiword_place_at(text, tokens, i + 1, j)

    def _dateline(self, text, tokens, k, m) -> bool:
        """An all-capital place at the start of a line or text, followed by a comma, a dash or "(AP)"."""
        before = text[max(0, tokens[k].start - 2):tokens[k].start]
        after = text[tokens[m - 1].end:tokens[m - 1].end + 3]
        at_line_start = tokens[k].start == 0 or before.endswith("\n") or before.strip() == "" and (
            tokens[k].start < 2 or text[tokens[k].start - 1] == "\n")
        follows = text[tokens[m - 1].end:tokens[m - 1].end + 12]
        dated = re.match(r",\s*(?:[A-Z][a-z]{2,8}\.? \d|\d)", follows) is not None  # "WASHINGTON, April 5"
        return ((at_line_start or k == 0) and after[:1] in (",", " ", "(", "—", "–", "-") and (
            after.startswith((",", " —", " -", " (", " –", "—", "–", "-")))) or dated or after.startswith(("—", " —", " ("))

    def _qualified(self, text: str, match: Match) -> bool:
        """Followed by ", <country or state>": "Obama, Japan", "Perth, Ontario"."""
        after = QUALIFIER.match(text, match.end)
        if after is None:
            return False
        g = self.gazetteer
        return any(g.features[e] in ("country", "admin1") for e in g.lookup(name_key(after.group(1)))[:5])

    def _multiword_place_at(self, text, tokens, i, j) -> bool:
        for k in range(min(j, i + self.MAX_WORDS), i + 1, -1):
            _, entries = self._lookup(text[tokens[i].start:tokens[k - 1].end])
            if entries:
                return True
        return False

    def _match_run(self, text, tokens, run, surnames) -> list[Match]:
        i, j = run
        out: list[Match] = []
        run_words = [t for t in tokens[i:j] if t.capitalised]
        first = tokens[i]
        previous = tokens[i - 1] if i > 0 else None
        # A whole run that names a person or an operation holds no place.
        if previous is not None and previous.lower in OPERATION_WORDS and previous.capitalised \
                and joined(text, previous, first):
            return out
        if first.lower in OPERATION_WORDS and len(run_words) >= 2:
            return out
        named = [t.lower for t in run_words if t.lower != "the"]
        if len(named) >= 2 and named[0] == "islamic" and named[1] in ("state", "emirate"):
            return out  # "Islamic State of Iraq and the Levant", "Islamic Emirate of Afghanistan": a group
        titled = self._title_before(text, tokens, i)
        initial = None  # whether the run starts a sentence: asked once a match is found
        k = free_from = i
        while k < j:
            token = tokens[k]
            # a lower-case connector is skipped; a capitalised one may begin the name ("La Plata", "El Paso")
            if token.lower in CONNECTORS and not token.capitalised \
                    and not (k + 1 < j and _arabic_article(text, token, tokens[k + 1])):
                k += 1
                continue
            if token.lower in TITLES and k + 1 < j and not self._multiword_place_at(text, tokens, k, j):
                # "Mayor Ellen Ashby": the person runs to the end, or to "of" ("Governor Mark Dalby of
                # New York"); "Sheikh Zuweid" is a town
                k = free_from = _after_of(tokens, k, j)
                continue
            found = None
            for m in range(min(j, k + self.MAX_WORDS), k, -1):
                last = tokens[m - 1]
                if not last.capitalised:
                    continue
                key, entries = self._lookup(text[token.start:last.end])
                if not entries and k + 1 < m and _arabic_article(text, token, tokens[k + 1]):
                    key, entries = self._lookup(text[tokens[k + 1].start:last.end])
                if entries and not roles.district_placed(self.gazetteer, text, tokens, k, m, entries):
                    continue  # a district known only by its boundaries, where no place is expected
                if entries:
                    found = (m, key, entries)
                    break
            if found is None:
                k += 1
                continue
            m, key, entries = found
            if m == k + 1 == j and token.lower in self.gazetteer.demonyms and self.demonyms:
                break  # "Somali soldiers": an adjective of nationality before a noun, not a region's name
            end = _end_without_possessive(text, tokens[m - 1])
            # "Anbar province", "al-Hol camp", "Tanf border crossing": a kind-of-place word after the name.
            for extra in (2, 1):
                kind = m < len(tokens) and (tokens[m].lower in KIND_WORDS or tokens[m].lower[:-1] in KIND_WORDS)
                if kind and m + extra <= len(tokens) and tokens[m - 1].text == strip_possessive(tokens[m - 1].text) \
                        and all(joined(text, tokens[x - 1], tokens[x]) for x in range(m, m + extra)):
                    longer_text = text[token.start:tokens[m + extra - 1].end]
                    if longer_text.endswith("s") and tokens[m + extra - 1].lower[:-1] in KIND_WORDS:
                        longer_text = longer_text[:-1]  # "Raqqah and Deir Ezzor governorates"
                    longer_key, longer = self._lookup(longer_text)
                    if longer:  # "Hyderabad city": the towns called Hyderabad too, not only those called so
                        towns = () if tokens[m].lower not in SETTLEMENT_KINDS else tuple(
                            e for e, other in self.gazetteer.lookup_names(key) if not other and e not in longer
                            and self.gazetteer.features[e] in ("city", "capital"))
                        key, entries, end = longer_key, longer + towns, _end_without_possessive(text, tokens[m + extra - 1])
                        break
            match = Match(token.start, end, "", entries, key=key)
            match.text = text[match.start:match.end]
            note_kind(text, tokens, m, match)
            if k == i and k > 0 and tokens[k - 1].lower in LOCATIVE_PREPOSITIONS:
                match.notes.append("located")  # "near Svitlodarsk": the sentence says it is a place
            if initial is None:
                initial = self._sentence_initial(text, tokens, i)
            role = roles.verdict(self.gazetteer, text, tokens, run, k, m, free_from, self._lookup, initial)
            if role != roles.DROP and self._keep(text, tokens, run, k, m, match, surnames, titled):
                match.role = role
                out.append(match)
                free_from = m
            k = m
        if self.demonyms and not out:
            out.extend(self._demonyms(text, tokens, run))
        if not titled and (not out or len(run_words) >= 2 and not (
                len(out) == 1 and out[0].start == first.start and out[0].end >= tokens[j - 1].end)):
            # longest name first: a run read in pieces ("Khas" and "Urozgan") is one name where the
            # gazetteer holds the whole run in a spelling of its family ("Khas Uruzgan")
            whole = self._transliterated(text, tokens, run, surnames, titled, trim_kind=not out)
            if not out or (whole and whole[0].key.startswith("~f")):
                out = whole or out
        if out and pieces_of_an_unknown_kind(self.gazetteer, text, tokens, run, out):
            return []
        return out

    def _transliterated(self, text, tokens, run, surnames, titled, trim_kind: bool = False) -> list[Match]:
        """A run the gazetteer does not know by any spelling: try it spelling-blind ("Tal Tamir" for
        GeoNames' "Tall Tamr"). Such a match counts as an other name: it weighs less, and a village found
        this way is kept only when the article names its country elsewhere (see resolve). ``trim_kind``:
        nothing of the run is known, so a kind word ending it may be read as the kind, not the name."""
        i, j = run
        found = self._spelling_blind_run(text, tokens, i, j)
        if found is None and trim_kind and j - i >= 2 and tokens[j - 1].capitalised \
                and tokens[j - 1].lower in KIND_WORDS:
            # "Adan Yabaal District": the name before its kind word (which the kind note then reads)
            found = self._spelling_blind_run(text, tokens, i, j - 1)
            run = (i, j - 1)
        if found is None:
            return []
        skeleton, entries, j = found
        end = _end_without_possessive(text, tokens[j - 1])
        match = Match(tokens[i].start, end, text[tokens[i].start:end], entries, key="~" + skeleton,
                      notes=["spelling-blind"])
        note_kind(text, tokens, j, match)
        if i > 0 and tokens[i - 1].lower in LOCATIVE_PREPOSITIONS:
            match.notes.append("located")  # "near Dolomytne": the sentence says it is a place
        return [match] if self._keep(text, tokens, run, i, j, match, surnames, titled) else []

    def _spelling_blind_run(self, text, tokens, i, j) -> tuple[str, tuple[int, ...], int] | None:
        """(skeleton, entries, end) of ``tokens[i:j]`` read spelling-blind, the kind word after it
        included where the name holds it ("Hamrah airbase"); None when nothing is found."""
        for extra in (2, 1, 0):
            if extra and not (j + extra <= len(tokens) and tokens[j + extra - 1].lower in KIND_WORDS and all(
                    joined(text, tokens[x - 1], tokens[x]) and not tokens[x].capitalised for x in range(j, j + extra))):
                continue
            # a town's or a district's kind word after the name says it is one, whatever else the words may be
            # ("Adan Yabaal district"; not "area", which follows people's and firms' names too)
            said = extra > 0 or (j < len(tokens) and (tokens[j].lower in SETTLEMENT_KINDS or tokens[j].lower in AREA_KINDS)
                                 and joined(text, tokens[j - 1], tokens[j]))
            run_text = text[tokens[i].start:tokens[j + extra - 1].end]
            if (run_text, said) not in self._spelling_blind:  # names recur: judge each written form once
                self._spelling_blind[run_text, said] = spelling_blind_entries(
                    self.gazetteer, tokens[i:j], run_text, said)
            skeleton, entries = self._spelling_blind[run_text, said]
            if entries:
                return skeleton, entries, j + extra
        return None

    def _keep(self, text, tokens, run, k, m, match, surnames, titled) -> bool:
        """The context rules: is this gazetteer match a place here?"""
        i, j = run
        g = self.gazetteer
        entries = match.entries
        words = [t for t in tokens[k:m] if t.capitalised]
        single = len(words) == 1
        word = words[0] if words else tokens[k]
        big = max(g.populations[e] for e in entries[:5])
        curated_or_country = any(g.features[e] in ("country", "continent") or g.sources[e].startswith("curated")
                                 for e in entries[:3])
        # Abbreviations and all-capital words: only the known ones (US, UK, UAE; curated like FATA), and
        # datelines ("BOISE, Idaho --", "DENVER (AP)").
        if words and all(t.text.isupper() for t in words) and (len(word.text) > 1 or len(words) > 1):  # "O-IO"
            if not curated_or_country and not self._dateline(text, tokens, k, m) \
                    and not (single and casing.shouted_place(g, word.text, match.key, entries)):  # "downtown BEIRUT"
                return False
        if single and len(match.key) <= 2 and not word.text.replace(".", "").isupper():
            return False
        # Inside a person's name.
        if titled and (k <= i + 2 or (k == i + 3 and text[tokens[k - 1].end:tokens[k].start] in ("-", "‑"))):
            return False  # (and the second half of a double surname: "Senator Ana Ruiz-Balart")
        first = tokens[i]
        run_words = [t for t in tokens[i:j] if t.capitalised]
        if k < _after_of(tokens, i, j) and len(run_words) >= 2 and "spelling-blind" not in match.notes and (
                self._is_given_name(first) or first.lower in PERSON_PARTICLES
                or (k > i and self._role_then_person(text, tokens, i, j))) \
                and not self._multiword_place_at(text, tokens, i, j):
            # "Dana Whitfield", "Abu Karim", "Chad Morton", "Paris Lennox" -- but "Jordan River",
            # "Georgia Senate": a country or state before an ordinary word is still the place.
            second = run_words[1]
            place_first = k == i and g.features[entries[0]] in ("country", "admin1", "continent")
            if not (place_first and (g.word_frequency.get(second.lower, 0) >= 4.0
                                     or second.lower in ORGANISATION_WORDS)) \
                    and not (k == i and len(run_words) == 2 and second.lower in KIND_WORDS):
                return False  # (but "Rafah City", "Jordan Valley": a town's name and a kind of place)
        if single and surnames and (match.key in surnames or name_key(strip_possessive(word.text)) in surnames) \
                and not self._qualified(text, match):
            return False  # "Obama" after "Barack Obama" (but "Obama, Japan" is the town)
        # Nisba: "al-Baghdadi" (from Baghdad), "al-Masri", "Tikriti"; not the adjective ending a longer name
        named = [t for t in words if t.lower not in ARABIC_ARTICLES]  # ("Al Jabal al Gharbi": western mountain)
        if len(named) == 1 and named[0].text.lower().endswith("i") and tokens[k].lower in ARABIC_ARTICLES and not (
                k > 0 and tokens[k - 1].lower in LOCATIVE_PREPOSITIONS and text[match.end:match.end + 1] not in "'’"):
            stem = name_key(strip_possessive(words[-1].text))[:-1]
            if len(stem) >= 3 and _another_place(g.lookup(stem), entries):
                return False
        # Organisation words after the place in the same run.
        for t in tokens[m:j]:
            if t.capitalised and (t.lower in ORGANISATION_WORDS or t.lower in FACILITY_WORDS) and not roles.police_station(tokens, m):
                return False
        if "&" in text[max(0, match.start - 3):match.start] or "&" in text[match.end:match.end + 3]:
            return False  # "Harlow & Pryce"
        if m < len(tokens) and tokens[m].lower == "administration" and joined(text, tokens[m - 1], tokens[m]):
            return False  # "the Carter administration"
        if m < len(tokens) and m == j:
            after = tokens[m]
            if after.lower in ORGANISATION_WORDS and after.capitalised and not roles.police_station(tokens, m):
                return False
        # Speech: "said Whitfield", "Chad said".
        before = tokens[k - 1] if k > 0 else None
        after = tokens[m] if m < len(tokens) else None
        spoke = (before is not None and before.lower in SPEECH_VERBS and k == i) or \
                (after is not None and after.lower in SPEECH_VERBS and m == j)
        if spoke and single:  # "Chad said" is a man; "Washington said", "Israel said" are governments
            if g.given_names.get(word.lower, 0) >= 3 or not (self._is_strong(entries) or g.features[entries[0]] == "capital"):
                return False
        # Ordinary words.
        if single:
            lower = word.lower
            zipf = g.word_frequency.get(match.key, 0.0)
            if lower in MONTHS_AND_DAYS or lower in GENERIC_WORDS or lower in TITLES:
                return False
            if "'" in word.text or "’" in word.text:
                if word.text.replace("’", "'").rsplit("'", 1)[-1].lower() in CONTRACTION_ENDINGS[:-1]:
                    return False  # "I've", "We're"
            if len(match.key) <= 3 and not word.text.isupper() and not (curated_or_country or big >= 100_000) \
                    and not (m < len(tokens) and tokens[m].lower in KIND_WORDS):
                return False  # "Wal", "Ita": fragments and mojibake (but "Uri sector", "Bam district")
            if any(c.isupper() for c in word.text[1:]) and not word.text.isupper() and len(word.text) <= 4:
                return False  # "WaL"
            qualified = self._qualified(text, match)  # "Hope, Arkansas", "Obama, Japan": the name is a place
            if zipf >= COMMON_WORD_ZIPF and not (curated_or_country and not word.text.isupper()) and not qualified:
                # A frequent English word is the place only if the place is big for how frequent the word is
                # ("Athens" stays, "Corridor" and "Hope" go); inside a longer name it is part of that name.
                expected = 10 ** (zipf + 1)
                # only words before it: "Corridor" in "Homs-Hama-Idlib Corridor" is the head of another
                # name, while "Leeds" in "Leeds Police" is still Leeds
                others = [t for t in tokens[i:k] if t.capitalised
                          and not (t is tokens[i] and self._sentence_initial(text, tokens, i))]
                if big < expected and (others or self._sentence_initial(text, tokens, k)):
                    return False
                if zipf >= VERY_COMMON_ZIPF and big < 200_000:
                    return False
            big_town = max((g.populations[e] for e in entries[:5] if g.features[e] in ("city", "capital")),
                           default=0)
            # "protested in Rafaela": after a locative preposition a town's name is the town
            located = (k == i and k > 0 and tokens[k - 1].lower in LOCATIVE_PREPOSITIONS and (
                big_town >= 10_000 or tokens[k - 1].lower in ("near", "outside"))) \
                or (m < len(tokens) and tokens[m].lower in KIND_WORDS) or roles.a_place_is_said(tokens, k, m)  # "Rafi LGA"
            if self._is_given_name(word) and not qualified and not located and not (
                    curated_or_country or big_town >= 100_000 or (g.features[entries[0]] == "admin1" and zipf < 4.0)):
                return False  # "Brenna", "Mary" (a Turkmen province); but "Victoria", "Georgia"
            # Nisba or demonym-like adjective of a place ("Halabi", "Baghdadi"): a small namesake is not it
            # (an Arabic, Persian or Pashto naming: "Masisi" of Congo is no nisba of Masis in Armenia).
            if lower.endswith("i") and big < 50_000 and len(match.key) > 4 and not located and _another_place(
                    tuple(e for e in g.lookup(match.key[:-1]) if g.country_codes[e] in TRANSLITERATED_COUNTRIES), entries):
                return False
        return True

    def _demonyms(self, text, tokens, run) -> list[Match]:
        """'Russian bunkers', 'the western Iraqi deserts', 'European countries' -> the country/region."""
        i, j = run
        g = self.gazetteer
        out = []
        for k in range(i, min(j, i + 1)):  # the first word of the run only
            token = tokens[k]
            two = None
            if k + 1 < j:
                two = f"{token.text} {tokens[k + 1].text}".lower()
            if two and two in g.demonyms and (k + 2 == j or tokens[k + 2].lower in ROLE_WORDS):
                start, end, entry = token.start, tokens[k + 1].end, g.demonyms[two]
                nxt = k + 2
            elif token.lower in g.demonyms and (k + 1 == j or tokens[k + 1].lower in ROLE_WORDS):
                start, end, entry = token.start, token.end, g.demonyms[token.lower]
                nxt = k + 1
            else:
                continue
            if nxt >= len(tokens) or not joined(text, tokens[nxt - 1], tokens[nxt]):
                continue
            following = tokens[nxt]
            if (following.capitalised and following.lower not in ROLE_WORDS) or following.lower in CONNECTORS:
                continue  # "Syrian Democratic Forces", "Iraqi and ..." (but "Russian President Orlov")
            note = "place-noun" if following.lower in PLACE_NOUNS else "modifier"
            key = name_key(text[start:end])
            divisions = tuple(e for e in g.lookup(key) if g.features[e] == "admin1") if following.lower in AREA_KINDS else ()
            if divisions:  # "the Somali region", "Afar state": a division named like the people, not their country
                out.append(Match(start, end, text[start:end], divisions, key=key, notes=["area"]))
                continue
            out.append(Match(start, end, text[start:end], (entry,), kind="demonym", key=key,
                             notes=[note], role=roles.demonym_role(following.lower, note)))
        return out


_ABBREVIATION_PATTERNS: dict[int, re.Pattern] = {}
_STATE_PATTERNS: dict[int, re.Pattern] = {}
MEMO_SIZE = 100_000  # written forms remembered per memo: a long build stays within some 20 MB


def _memo(gazetteer: Gazetteer, name: str) -> dict:
    """A memo of look-ups that depend only on the written form and the gazetteer, shared by the articles
    of a process. It lives on the gazetteer, so it goes when the gazetteer is released, and starts afresh
    past ``MEMO_SIZE`` entries."""
    memos = vars(gazetteer).setdefault("_recognise_memos", {})
    memo = memos.get(name)
    if memo is None or len(memo) > MEMO_SIZE:
        memo = memos[name] = {}
    return memo
QUALIFIER = re.compile(r", ([A-Z][\w.]*(?: [A-Z][\w.]*){0,2})")


def _after_of(tokens: list[Token], i: int, j: int) -> int:
    """Where a name that starts at token i ends: after the run, or at "of" ("Mark Dalby of New York")."""
    for t in range(i + 1, j):
        if tokens[t].text == "of":
            return t + 1
    return j


def _end_without_possessive(text: str, token: Token) -> int:
    stripped = strip_possessive(token.text)
    return token.start + len(stripped)


def _another_place(stem_entries: tuple[int, ...], entries: tuple[int, ...]) -> bool:
    """Whether a nisba's stem names a place other than the name itself ("Baghdadi" from Baghdad; but
    "Bolnisi" is also spelled "Bolnis": one town, no nisba)."""
    return bool(stem_entries) and not set(stem_entries) & set(entries)
