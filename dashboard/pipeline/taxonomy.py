"""Event types and fatalities: a small taxonomy in the spirit of ACLED, read off the event's sentence.

The types, most specific first (the first whose cue matches the sentence wins):

| type                | what it covers                                                   |
|---------------------|------------------------------------------------------------------|
| prison_break        | attacks on prisons or camps that free detainees                  |
| airstrike           | air or drone strikes, shelling from the air                      |
| bombing             | suicide, car and roadside bombs, explosions                      |
| attack_on_civilians | executions, massacres, kidnappings, extortion of civilians       |
| capture_or_seizure  | territory, towns, weapons or money captured, seized, retaken     |
| battle              | armed clashes, offensives, sieges, ambushes                      |
| arrest              | arrests, detention, imprisonment                                 |
| movement_or_flight  | fighters or civilians fleeing, escaping, moving, being smuggled  |
| statement_or_report | something said, reported, assessed or announced                  |
| other               | anything else that the text dates and places                     |

Every rule carries the example it must handle; tests are generated from them.
"""
from __future__ import annotations

import functools
import re

from dashboard.core.numbers import SCALES, TENS, UNITS, parse_number

EVENT_TYPES = ("prison_break", "airstrike", "bombing", "attack_on_civilians", "capture_or_seizure", "battle",
               "arrest", "movement_or_flight", "statement_or_report", "other")

EVENT_TYPE_LABELS = {
    "prison_break": "Prison break", "airstrike": "Airstrike", "bombing": "Bombing",
    "attack_on_civilians": "Attack on civilians", "battle": "Battle", "capture_or_seizure": "Capture or seizure",
    "arrest": "Arrest or detention", "movement_or_flight": "Movement or flight",
    "statement_or_report": "Statement or report", "other": "Other",
}

# (type, cue pattern, example sentence it must classify as that type)
TYPE_RULES: list[tuple[str, str, str]] = [
    ("prison_break", r"\b(?:prison|jail)[- ]?breaks?\b|\battack(?:ed|s|ing)? (?:on )?(?:a |the )?(?:prison|jail)"
     r"|\b(?:stormed|raided|assaulted) (?:a |the )?(?:prison|jail)\b|\bfre(?:ed|eing) (?:\w+ ){0,3}(?:prisoners|detainees|inmates)\b"
     r"|\bbroke out of (?:a |the )?(?:prison|jail)",
     "Dozens of gunmen stormed the jail on the edge of the city and freed its inmates."),
    ("airstrike", r"\bair ?strikes?\b|\bair raids?\b|\bdrone strikes?\b|\b(?:reaper|predator|armed) drones?\b"
     r"|\bwarplanes?\b|\bfighter jets?\b|\bbombers? (?:struck|hit)\b|\bstrike aircraft\b|\baerial bombardment\b"
     r"|\bair (?:campaign|support)\b.{0,40}\b(?:struck|hit|killed)\b",
     "Armed Reaper drones struck a gathering near the town, killing about 150 fighters."),
    ("bombing", r"\bsuicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|vest)\b|\bcar bombs?\b|\bbombings?\b"
     r"|\b(?:roadside|truck|improvised) (?:bombs?|explosive)|\bIEDs?\b|\bexplosions?\b|\bblasts?\b|\bdetonat",
     "Two suicide bombers killed three dozen people in Baghdad."),
    ("attack_on_civilians", r"\bexecut(?:ed|ion|ions|ing)\b|\bmassacred?\b|\bbeheaded\b|\bkidnapp(?:ed|ing|ings)\b"
     r"|\babduct(?:ed|ion)\b|\bextort(?:ed|ion|ing)?\b|\bterrori[sz]e civilians\b|\bkilled (?:\w+ ){0,3}civilians\b"
     r"|\battacks? on civilians\b",
     "Armed men have extorted money from farmers at a roadblock outside the village."),
    ("capture_or_seizure", r"\b(?:captured|seized|overran|overrun|retook|retaken|retaking|recaptured?|liberat(?:ed|ion)"
     r"|took (?:control|over)|fell to|fell in|which fell|was taken|were taken|confiscated|conquered)\b",
     "Raqqa, the group's self-proclaimed capital, fell in the fall."),
    ("battle", r"\bclash(?:ed|es)?\b|\bfighting (?:between|against|for)\b|\bbattles?\b(?! ?-hardened)|\boffensive\b"
     r"|\bsiege\b|\bbesieg|\bambush(?:ed)?\b|\bgun ?battles?\b|\bassault\b|\bcounteroffensive\b|\bshelling\b"
     r"|\battack(?:ed|s)?\b|\braids?\b",
     "A Turkish offensive against the Kurdish-dominated forces in Afrin began last month."),
    ("arrest", r"\barrest(?:ed|s)?\b|\bdetain(?:ed|ees?)\b|\bdetention\b|\bimprisoned\b|\bheld (?:at|in) (?:the )?\w*"
     r"(?: \w+)? (?:prison|camp|jail)\b|\bheld (?:at|in) (?:the )?(?:camp|prison|jail)\b|\btaken into custody\b|\bheld (?:captive|prisoner)\b",
     "Al-Baghdadi was held at Camp Bucca near Basra for ten months in 2004."),
    ("movement_or_flight", r"\bfle(?:e|es|eing|d)\b|\bescap(?:e|ed|es|ing)\b|\bsmuggl(?:e|ed|ing|ers?)\b"
     r"|\b(?:moved|moving|relocated|transferred|deployed|crossed|crossing|withdr[ae]w\w*|retreat\w*|emerged)\b"
     r"|\bexodus\b|\bdisplaced\b",
     "Hundreds of families fled across the river as the fighting neared."),
    ("statement_or_report", r"\b(?:said|says|say|told|tells|stated|announced|reported|reports|according to|remarks"
     r"|statement|briefing|assessments?|warned|claimed|estimated|noted|acknowledged|predicted|argued?|believe[sd]?)\b",
     "The provincial governor said in a statement on Tuesday that the road was open."),
]
_TYPE_PATTERNS = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern, _ in TYPE_RULES]


# A cue right after one of these speaks of what might, should or could happen, not of what did:
# "called for attacks on the West", "the ability to launch attacks", "would pick up violent attacks".
_HYPOTHETICAL = re.compile(
    r"\b(?:to|would|could|will|may|might|can|cannot|should|must|call(?:ed|s)? for|threat of|ability to|able to"
    r"|plan(?:s|ned)? to|capable of|predicted|expected to|prepar\w* (?:for|to))"
    r"(?:\s+[\w’'-]{1,20}){0,3}\s*$", re.IGNORECASE)


def _happened(sentence: str, match: re.Match) -> bool:
    return not _HYPOTHETICAL.search(sentence[max(0, match.start() - 60):match.start()])


@functools.lru_cache(maxsize=8192)  # a sentence with several places is classified once
def classify_event(sentence: str) -> str:
    """The event type of a sentence, most specific cue first; cues in a hypothetical frame don't count.

    >>> classify_event("Two suicide bombers killed three dozen people in Baghdad last month.")
    'bombing'
    >>> classify_event("Al-Baghdadi has called for attacks on the West, officials said.")
    'statement_or_report'
    """
    for name, pattern in _TYPE_PATTERNS:
        if any(_happened(sentence, m) for m in pattern.finditer(sentence)):
            return name
    return "other"


# --- fatalities ------------------------------------------------------------------------------------
_NUMBER_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
_NUMBER = rf"(?:\d[\d,]{{0,12}}|(?:(?:{_NUMBER_WORD})(?:[\s-]+(?:and\s+)?)?){{1,4}})"
_VICTIMS = (r"(?:people|persons|civilians|fighters|militants|soldiers|troops|members|police(?:men| officers)?"
            r"|officers|guards|insurgents|jihadists|children|women|men|inmates|prisoners|worshippers|others|"
            r"security forces|service members|americans|iraqis|syrians|kurds)")
_QUALIFIER = r"(?:about|around|approximately|at least|more than|over|nearly|almost|some|roughly|up to|an estimated)\s+"
# (pattern, example): the number is group "n"
FATALITY_RULES: list[tuple[str, str]] = [
    (rf"\b(?:killed|killing|kill|killing off|massacred|executed|left)\s+(?:{_QUALIFIER})?(?P<n>{_NUMBER})\s+"
     rf"(?:\w+\s+){{0,2}}{_VICTIMS}(?:\s+dead)?\b",
     "Armed Reaper drones struck the gathering, killing about 150 fighters."),
    (rf"\b(?:{_QUALIFIER})?(?P<n>{_NUMBER})\s+(?:\w+\s+){{0,2}}{_VICTIMS}\s+(?:were|have been|had been|are|was)\s+"
     rf"(?:\w+\s+)?(?:killed|dead|executed|slain)\b",
     "At least 30 people were killed in the blast."),
    (rf"\b(?:death toll|toll)\s+(?:\w+\s+){{0,3}}(?:of|to|at|reached|rose to)\s+(?:{_QUALIFIER})?(?P<n>{_NUMBER})\b",
     "The death toll rose to 45."),
    (rf"\b(?P<n>{_NUMBER})\s+(?:dead|deaths|killed|fatalities)\b",
     "The attack left 12 dead."),
]
_FATALITY_PATTERNS = [re.compile(p, re.IGNORECASE) for p, _ in FATALITY_RULES]


_FATALITY_WORDS = re.compile(r"kill|dead|death|toll|slain|execut|massacr|fatalit", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)
def fatalities(sentence: str) -> int | None:
    """The number of people a sentence says were killed, or None when it states none.

    >>> fatalities("Two suicide bombers killed three dozen people in Baghdad."), fatalities("He fled.")
    (36, None)
    """
    if not _FATALITY_WORDS.search(sentence):  # most sentences count no dead: skip the number patterns
        return None
    for pattern in _FATALITY_PATTERNS:
        m = pattern.search(sentence)
        if m:
            n = parse_number(m.group("n"))
            if n is not None and 0 < n < 10_000_000:
                return n
    return None
