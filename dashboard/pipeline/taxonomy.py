"""The trigger table: what makes a sentence report an occurrence, by event type, with its examples.

An event needs an occurrence: a verb or noun phrase that says something happened (attacked, seized,
fled, were killed, clashes, siege, protest ...). Each row of ``TRIGGERS`` is one event type, most
specific first, with the trigger phrases as a pattern and example sentences (the project's own) that
must yield an occurrence of exactly that type; ``NOT_OCCURRENCES`` holds the frames that keep a trigger
from being an occurrence (modality and hypotheticals, negation, generic or habitual statements, opinion,
predictions), each with sentences that must yield none. The tests are generated from both tables.

| type                  | what it covers                                                       |
|-----------------------|----------------------------------------------------------------------|
| prison_break          | attacks on prisons or camps that free detainees                      |
| airstrike             | air or drone strikes                                                 |
| bombing               | suicide, car and roadside bombs, explosions                          |
| attack_on_civilians   | executions, massacres, kidnappings, extortion of civilians           |
| capture_or_seizure    | territory, towns, weapons or money captured, seized, retaken         |
| battle                | armed clashes, offensives, sieges, ambushes, shelling, killings      |
| protest               | protests, demonstrations, riots, strikes                             |
| arrest                | arrests, detention, imprisonment                                     |
| movement_or_flight    | fighters or civilians fleeing, escaping, moving, being smuggled      |
| statement_or_report   | a statement that is itself the news: a declaration, a claim, a pledge |
| other                 | other strategic developments: money received, agreements, releases   |

Saying verbs ("said", "told", "warned") are no trigger: a statement is an event only as above.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from dashboard.pipeline.fatalities import FATALITY_RULES, fatalities  # noqa: F401 (re-exported)
from dashboard.core.numbers import parse_number  # noqa: F401 (re-exported)
from dashboard.core.regex_prefix import by_first_character
from dashboard.pipeline.dates.vocabulary import MONTH_NUMBER
from dashboard.records import EVENT_TYPE_LABELS, EVENT_TYPES  # noqa: F401 (re-exported; light for the views)




@dataclass(frozen=True)
class Trigger:
    event_type: str
    pattern: str
    examples: tuple[str, ...]
    # "definite" nouns such as "the attack" may refer back to an occurrence told before (see events.py)
    anaphoric: bool = False


_V = r"(?:\w+\s+){0,3}"  # up to three words between a verb and its object
# People who are no party to a fight (the victims of an attack on civilians): not soldiers, fighters or
# "members" of anything, nor "people" (whom a battle kills too)
_CIVILIANS = (r"(?:m[ae]n|wom[ae]n|boys?|girls?|child(?:ren)?|civilians?|residents?|farmers?|traders?|drivers?"
              r"|shopkeepers?|students?|teachers?|journalists?|famil(?:y|ies)|villagers?|passengers?|herders?"
              r"|herdsm[ae]n|youths?|couples?|elders?|pastors?|imams?|priests?|worshippers|activists?|motorcyclists?"
              r"|businessm[ae]n|vendors?|fisherm[ae]n|nurses?|doctors?|pupils?|mothers?|fathers?|sons?|daughters?"
              r"|brothers?|wi(?:fe|ves)|husbands?|shepherds?|labou?rers?|cleric|councillors?)")
TRIGGERS: tuple[Trigger, ...] = (
    Trigger("prison_break",
            r"\b(?:prison|jail)[- ]?breaks?\b|\bjailbreaks?\b|\b(?:attack(?:ed|s|ing)?|stormed|raided|assaulted|"
            r"overran)\s+(?:on\s+)?(?:a|the|an)\s+(?:\w+\s+){0,2}(?:prison|jail|detention (?:centre|center|camp))"
            r"|\bfre(?:ed|eing)\s+" + _V + r"(?:prisoners|detainees|inmates)\b|\bbroke out of\s+(?:a|the)?\s*"
            r"(?:prison|jail)|\binmates\s+(?:revolted|rioted|rose up|seized)|\b(?:prison|jail) (?:attacks?|assaults?|raids?|riots?)\b",
            ("Gunmen stormed the central prison of the town at dawn.",
             "Dozens of inmates rioted and took over two cell blocks.",
             "The raid freed more than 300 detainees from the jail.")),
    Trigger("airstrike",
            r"\bair ?strikes?\b|\bair raids?\b|\bdrone strikes?\b|\baerial (?:bombardment|attack|assault|strike|raid)s?\b"
            r"|\b(?:warplanes?|jets?|drones?|aircraft|helicopters?|bombers)\s+(?:\w+\s+){0,12}?"
            r"(?:struck|bombed|hit|pounded|targeted|strafed|carried out (?:a |an )?(?:\w+\s+)?strikes?)\b"
            r"|\b(?:missile |drone |rocket |artillery )?strikes?\s+(?:\w+\s+)?(?:hit|struck|pounded|targeted|killed)\b"
            # (not the strikes of workers: "strikes hit production", "hit exports")
            r"(?!\s+(?:the\s+)?(?:production|output|exports?|imports?|services|economy|trade|transport|traffic|flights"
            r"|schools|businesses|shops|sales|supplies|hospitals|ports?|factories|mines|industry)\b)",
            ("An airstrike hit a convoy on the coastal road.",
             "Government warplanes bombed the market in the early afternoon.",
             "Three jets carried out strikes on a hideout in the hills.",
             "Overnight strikes hit a weapons depot outside the port.")),
    Trigger("bombing",
            r"\bsuicide (?:bomb(?:er|ers|ing|ings)?|attack(?:er|ers|s)?|vests?)\b|\bcar[- ]bombs?\b|\bbombings?\b"
            r"|\b(?:roadside|truck|improvised|landmine|mine)\s+(?:bombs?|explosives?|devices?)\b|\bieds?\b"
            r"|\bexplosions?\b|\bblasts?\b|\bdetonated\b|\bexploded\b|\bbl(?:ew|own|owing|ows?) (?:\w+sel(?:f|ves) )?up\b|\b(?:was|were)?\s*bombed\b|\bbombs?\b|\bgrenades?\b|\blandmines?\b"
            r"|\bdefused\b|\b(?:bombs?|explosives?|devices?|mines?)\s+(?:\w+\s+){0,2}(?:discovered|found|planted)\b"
            r"|\b(?:missiles?|rockets?|shells?|mortars?|mortar rounds?|projectiles?)\s+(?:\w+\s+){0,3}?"
            r"(?:hit|struck|landed|fell|slammed|crashed)\b",
            ("A car bomb went off outside the police station.",
             "The blast tore through a crowded bus terminal.",
             "A roadside device exploded as the patrol passed.",
             "Two rockets landed near the stadium during the match.",
             "A stray shell hit the roof of a school.",
             "The retreating fighters blew up the old bridge over the river.",
             "A bomber blew himself up at the gate of the depot.")),
    Trigger("attack_on_civilians",
            # a civilian shot, stabbed or beaten (not "members of" a group: fighters)
            r"\b(?:shot|stabbed|hacked|killed|attacked|injured|wounded|fired (?:up)?on|beat)\s+(?:and\s+\w+\s+)?"
            r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|several|his|her|their)\s+(?:\w+\s+){0,2}?"
            + _CIVILIANS + r"\b(?!\s+of\b)"
            r"|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|several)\s+(?:\w+\s+){0,2}?" + _CIVILIANS
            + r"\s+(?:\w+\s+){0,5}?(?:was|were)\s+(?:\w+\s+)?(?:shot|stabbed|hacked|beaten|killed|injured|wounded|lynched)"
            r"\b(?![^.;]{0,40}\b(?:clash|crossfire|fighting|battle)\w*)"
            r"|\bexecut(?:ed|ions?)\b|\bmassacr(?:ed|es?)\b|\bbeheaded\b|\bkidnapp(?:ed|ings?)\b|\babduct(?:ed|ions?)\b"
            r"|\bextort(?:ed|ion|ing)\b|\bkill(?:ed|ing)\s+" + _V + r"(?:civilians|villagers|residents|worshippers"
            r"|farmers|children|women)\b|\battacks? on civilians\b|\bassassinat(?:ed|ion)\b|\bmurdered\b"
            r"|\bburn(?:ed|t) (?:down\s+)?(?:\w+\s+){0,2}(?:houses|homes|villages?)\b|\btortur(?:ed|ing)\b|\b(?:of|under|after|from)\s+torture\b|\blooted\b"
            r"|\bbeat(?:en)? up\b|\braped\b|\blynched\b|\bst(?:ole|olen)\b|\brobb(?:ed|ery|eries)\b|\bbeat(?:en|ing)?\b|\bstabbed\b|\bhacked\b|\btonsured\b"
            r"|\bdrive-by\b|\bgunned down\b|\bset alight\b|\bkidnaps?\b|\babducts?\b|\bexecutes?\b|\bbeheads?\b|\b(?:set|sets)\s+(?:\w+\s+){0,3}(?:on )?fire\b|\btorched\b|\bdestroyed\b|\bdemolished\b"
            r"|\bvandali[sz]ed\b|\bbulldoz(?:ed|ing)\b|\bburn(?:ed|t)\b(?!\s+(?:\w+\s+)?(?:tyres|tires))|\b(?:bod(?:y|ies)|corpses?)\b(?:\s+[\w,]+){0,10}?\s+(?:was|were)"
            r"\s+(?:\w+\s+)?found\b|\bfound dead\b|\b(?:found|discovered|recovered|unearthed)\s+(?:the\s+)?(?:\w+\s+)?"
            r"(?:bod(?:y|ies)|corpses?|remains|mass graves?)\b"
            r"|\b(?:remains|heads?|bod(?:y|ies)|corpses?|dead (?:man|men|woman|women|person|people))\b[^.;]{0,120}?"
            r"\b(?:was|were)\s+(?:\w+\s+)?(?:found|dumped|left|thrown|discovered)\b"
            r"|\bloot(?:ing|ers)\b|\bsmash(?:ed|ing)\b|\bburning\s+(?:\w+\s+){0,2}(?:houses|homes|shops|stores|cars"
            r"|vehicles|buses)\b",
            ("Militants abducted four aid workers on the road to the border.",
             "The group executed eleven men it accused of spying.",
             "Armed men looted shops and burned several houses.",
             "The remains of three men were found beside the canal.",
             "The body of a driver who had been missing since the storm and bore bruises was found at dawn.",
             "Fishermen found the bodies of two traders on the river bank.",
             "A crowd went on a looting spree in the market.",
             "The detainee died of torture in a police cell.",
             "Two gunmen on a motorbike shot a shopkeeper outside his store.",
             "A farmer and his son were shot dead on their way to the fields.",
             "Unknown men stabbed and injured a taxi driver near the bus station.")),
    Trigger("capture_or_seizure",
            r"\b(?:captured|seized|overran|overrun|retook|retaken|retaking|recaptured?|liberated|liberation"
            r"|seiz(?:e|es)|captures|retakes?|recaptures|liberates|overruns|takes? (?:control|over)"
            r"|conquered|confiscated|seizure|capture of|took (?:control|over)|seiz(?:e|ed|ing) control"
            r"|fell (?:to|in|into|on|last|this|after)|(?:which|city|town|and) fell|was taken|were taken"
            r"|(?:re)?gained control|regain(?:ed|s|ing)? control|overpowered|(?<!the )(?<!of )(?<!in )(?<!an )(?<!a )occupied|stormed|driven (?:out )?(?:from|out of)|expelled|ousted|pushed out"
            r"|(?:drove|pushed|forced)\s+(?:[\w'’-]+\s+){0,4}(?:out of|from)"
            r"|(?:clear|purge|cleanse)(?:s|d|ed|ing)?\s+(?:[\w'’-]+\s+){1,5}of|rid(?:s|ding)?\s+(?:[\w'’-]+\s+){1,5}of"
            r"|(?:recovered|discovered|uncovered|found)\s+(?:[\w-]+\s+){0,5}(?:arms|weapons|ammunition|explosives|rifles"
            r"|caches?|drugs|narcotics|cocaine|heroin|cannabis|marijuana|marihuana|hashish|methamphetamine))\b",
            ("Rebel fighters overran an army checkpoint south of the capital.",
             "The port town fell to the insurgents after two days.",
             "Customs officers confiscated a shipment of rifles at the crossing.",
             "Soldiers discovered a hidden cache of rifles in a cave.",
             "Rebels occupied the customs post for a day.",
             "Border guards discovered two tonnes of cannabis under a load of melons.",
             "Soldiers cleared two hill villages of the insurgents.")),
    Trigger("battle",
            r"\bclash(?:ed|es)?\b|\bfighting\b|\bfought\b|\bbattles?\b"
            r"(?! ?-hardened)|\b(?:counter)?offensive\b|\bsieges?\b|\bbesieg\w*|\bambush(?:ed|es)?\b"
            r"|\bgun ?battles?\b|\bfire ?fights?\b|\bassault(?:ed|s|ing)?\b|\bshell(?:ed|ing)\b|\bmortar (?:attack|fire|rounds?)"
            r"|\brockets? (?:attack|fire)|\b(?:search|security|military|clearance|clearing|counter-?terrorism"
            r"|counter-?insurgency|sweep|combing) operations?\b|\battack(?:ed|s|ing)?\b|\braid(?:ed|s)?\b|\bfir(?:ed|ing)\b|\bopened fire\w*"
            r"|\bcarried out (?:an? )?(?:[\w-]+\s+){0,3}(?:operations?|raids?|attacks?)\b|\bexchanged fire\b|\bopened fire\b|\bcrumbled\b|\brouted\b"
            r"|\bkill(?:ed|ing|s)?\b|\b(?:wounded|injured|died|shot|shots|shoots?)\b|\bbursts? of (?:gun)?fire\b|\bshoot-?outs?\b|\bshootings?\b|\bgun ?fire\b|\bgun ?shots\b"
            r"|\bartillery\b|\bprojectiles\b|\btargeted\b|\bbombard(?:ed|ing|ment|s)?\b|\btarget(?:ing|s)?\s+(?:\w+\s+){0,3}(?:sites|positions|bases|camps|convoys|hideouts)\b|\bdislodg\w+|\brepel(?:led|s)?\b|\brepulsed\b|\bskirmish\w*"
            r"|\bhostilities\b|\b(?<!to )combat\b|\bexchanges? of fire\b|\binjur(?:ing|ies)\b"
            r"|\bcarr(?:y|ies|ying) out (?:an? )?(?:[\w-]+\s+){0,3}(?:operations?|raids?|attacks?)\b"
            r"|\b(?:violence|fights?|fighting|scuffles?|brawls?)\s+(?:\w+\s+)?(?:broke out|erupted|flared)\b"
            r"|\bscuffl(?:ed|es)\b|\bleaving\s+(?:\w+\s+){0,4}dead\b",
            ("Troops and militants clashed for hours on the edge of the town.",
             "Three soldiers were killed when their post came under fire.",
             "The army's offensive on the northern hills entered its second week.",
             "Police and smugglers were engaged in an exchange of fire at the dam.",
             "Violence erupted between two families over a plot of land.",
             "Gunboats bombarded the harbour for an hour.",
             "Two guards were seen assaulting a street vendor.")),
    Trigger("protest",
            r"\bprotest(?:ed|ers|s|ing)?\b|\bdemonstrat(?:ed|es|e|ions?|ors)\b|\brall(?:y|ied|ies)\b|\bmarch(?:ed|es)?\b"
            r"|\briot(?:s|ed|ing|ers)?\b|\b(?:went|go|goes|are|were) on strike\b|\bsit-ins?\b|\bstrikes? over\b"
            r"|\bblock(?:ed|ing|ade)\s+(?:[\w'’-]+\s+){0,6}(?:roads?|highways?|streets?|avenues?|sectors?|bridges?|circulation"
            r"|traffic|access|entrances?|railway|rails|tracks|offices?|gates?)\b"
            r"|\b(?:block|clos)(?:ed|ing)\s+(?:the\s+)?(?:(?:national |main |coastal )?(?:road|route|highway)\s+|r[np]\s|[a-z]{1,2}-?)\d+\b"
            r"|\bburn(?:ed|t|ing)\s+(?:\w+\s+)?(?:tyres|tires)\b|\bpadlock(?:ed|ing)\b|\bgather(?:ed|ing)\b|\bassembled\b|\bprocessions?\b|\bhuman chain\b"
            r"|\bpicket(?:ed|ing|s)?\b|\bboycott(?:ed)?\b|\bhunger strike\b|\bdispersed\b|\bchant(?:ed|ing)\b|\bslogans\b"
            r"|\bwalk-?outs?\b|\bwalked out\b|\bstaged\b|\bsit-?ins?\b|\bmotorcades?\b|\bcaravans?\b|\bdemand(?:ed|ing)\b"
            r"|\bston(?:ed|ing)\b|\bpelted\b|\b(?:\d+-hour|\d+-day|general|open-ended|indefinite|nationwide|labou?r"
            r"|sit-down|warning)\s+strikes?\b"
            r"|\b(?:threw|throwing|hurled|hurling)\s+(?:\w+\s+){0,2}(?:stones|rocks|bricks|bottles|eggs|molotov|petrol bombs)\b"
            r"|\bbarricad(?:ed|es|ing)\b|\btear ?gas\b|\bbaton[- ]charg\w+|\bbang(?:ed|ing) (?:pots|pans)\b|\btook to the streets\b",
            ("Hundreds of teachers protested outside the ministry over unpaid wages.",
             "Dock workers went on strike to demand safer cranes.",
             "Students blocked the main road with burning tyres.",
             "Youths threw stones at the mayor's car.",
             "Traders barricaded the entrance of the town hall.",
             "Students blocked with two buses the coastal highway at dawn.",
             "Farmers closed the N7 with their tractors for three hours.",
             "Residents burned old tyres outside the water board's office.")),
    Trigger("arrest",
            r"\barrest(?:ed|s)?\b|\bdetain(?:ed)?\b|\bdetention\b|\bimprisoned\b|\bjailed\b|\btaken into custody\b"
            r"|\bheld (?:captive|prisoner|hostage)\b|\bapprehended\b|\bsummoned\b|\b(?:was|were) (?:a )?prisoners? (?:at|in)\b"
            r"|\b(?:captured and )?held (?:at|in|by)\b",
            ("Police arrested two men carrying explosives near the stadium.",
             "She was a prisoner in a mountain fort for two winters.",
             "The journalist was detained at the airport on arrival.")),
    Trigger("movement_or_flight",
            r"\bfle(?:e|es|eing|d)\b|\bescap(?:ed|ing)\b|\bsmuggl(?:ed|ing)\b|\b(?:withdr[ae]w\w*|retreat(?:ed|ing))\b"
            r"|\b(?:moved|relocated|transferred|deployed|redeployed)\s+(?:\w+\s+){0,3}(?:fighters|troops|forces"
            r"|soldiers|militants|units|families|prisoners|detainees|weapons)\b|\bcrossed (?:into|over|the border)\b|\b(?:was|were) (?:re)?deployed\b"
            r"|\bemerged from\b|\bslipped (?:away|out|through|into|across)\b|\bdisplaced\b|\bsurrendered\b"
            r"|\bdefect(?:ed|s|ing)? to\b|\bdefected\b|\bentered\b|\b(?:swept|pushed|advanced|moved) (?:into|on|toward|towards)\b|\breturn(?:ed|ing) (?:home|to)\b|\b(?:migrants|refugees|returnees|deportees|displaced)\s+(?:\w+\s+){0,4}?returned\b|\bpoured into\b|\barriv(?:ed|al)\b|\bevacuat(?:ed|ion)\b"
            r"|\bdeported\b|\brepatriated\b|\binfiltrat\w+|\brescu(?:ed|e)\b",
            ("Thousands of families fled the villages before dawn.",
             "Some 150 refugees from the hill camp returned overnight.",
             "The rebels withdrew from the hills overnight.",
             "About forty fighters surrendered to the army at the bridge.")),
    Trigger("statement_or_report",
            r"\bclaim(?:ed|s)? responsibility\b|\b(?<!-)proclaimed\b|\bdeclar(?:ed|es|e) (?:a |an |the |its )?(?:[\w-]+\s+){0,2}"
            r"(?:caliphate|state|victory|ceasefire|truce|independence|emergency|war|curfew|lockdown)\b|\bpledged allegiance\b"
            r"|\bannounced (?:the |a |an |its )?(?:\w+\s+){0,2}(?:capture|victory|liberation|death|killing|formation"
            r"|establishment|withdrawal|ceasefire|truce|curfew|lockdown)\b",
            ("The faction pledged allegiance to the new leader in a recorded message.",
             "The commander proclaimed victory from the steps of the town hall.",
             "The army declared a curfew across the province on Sunday.")),
    Trigger("other",
            r"\breceived\s+(?:\w+\s+){0,3}(?:dollars|funds|money|cash|payments?|weapons|arms)\b|\bpaid (?:a )?ransom\b"
            r"|\bsign(?:ed|s)? (?:a |an |the )?(?:\w+\s+){0,2}(?:agreement|deal|accord|truce|ceasefire)\b|\b(?:was|were) released from\b|\breleased\s+"
            r"(?:\w+\s+){0,4}(?:prisoners|detainees|hostages|captives)\b|\bexchanged prisoners\b"
            r"|\bformed (?:a |an )?(?:\w+\s+){0,2}(?:patrol|militia|alliance|group|coalition|government)\b|\brecruit(?:ed|ment)\b"
            r"|\bhanded over\b"
            r"|\b(?:deliver|distribut|hand)(?:ed|ing|s)?(?: out)?\s+(?:[\w-]+\s+){0,3}(?:food|aid|relief|packages|parcels"
            r"|supplies|rations|boxes|hampers|sacks|flour|rice|blankets|medicines?)\b|\b(?:set up|placed|erected|installed|established|mounted)\s+(?:[\w-]+\s+){0,2}"
            r"(?:check ?points|roadblocks|road blocks)\b"
            r"|\b(?:conduct|hold|held|stag|carr)\w*(?: out)?\s+(?:[\w-]+\s+){0,2}(?:exercises|drills|manoeuvres|maneuvers)\b"
            r"|\b(?:thwart|foil)(?:ed|s|ing)?\b",
            ("Local commanders received large sums of cash from a foreign sponsor.",
             "The two militias signed a truce in the market square.",
             "The rebels released twelve hostages after a week of talks.",
             "Forty conscripts were released from a rebel jail on Friday.",
             "The militia handed out sacks of flour to families in the camp.",
             "Armed men set up two checkpoints on the mountain road.",
             "The rebels released nine policemen held as captives.",
             "The navy held live-fire drills off the northern cape.",
             "Guards foiled a plan to free the inmates of the northern jail.")),
)
def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern ("a|(b|c)" -> ["a", "(b|c)"])."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return out + [pattern[start:]]


def compile_at_word_starts(pattern: str, flags: int = 0) -> re.Pattern:
    """The pattern with the word-start check of its alternatives taken out in front: "\\ba|\\bb" becomes
    "\\b(?:a|b)", tried only where a word starts rather than at every character (the same matches)."""
    alternatives = _alternatives(pattern)
    if all(a.startswith("\\b") for a in alternatives):
        pattern = "\\b(?:" + "|".join(a[2:] for a in alternatives) + ")"
    return re.compile(pattern, flags)


# The table is written in lower case and read over the lower-cased sentence: three times faster than
# matching without case; a sentence whose lower case changes length is read without case instead.
# All rows in one pattern (no capturing group: twice as fast) finds where a trigger is; the first row that
# matches there, in the table's order, says which: "attacked the prison" is a prison break, not a battle.
# Read by first character (core/regex_prefix.py): the same matches, half the time.
_ALL_TRIGGERS = "|".join(f"(?:{t.pattern})" for t in TRIGGERS)
_TRIGGER_PATTERN = re.compile(by_first_character([a for t in TRIGGERS for a in _alternatives(t.pattern)]))
_TRIGGER_PATTERN_ANY_CASE = re.compile(_ALL_TRIGGERS, re.IGNORECASE)
_ROWS = tuple((t, compile_at_word_starts(t.pattern)) for t in TRIGGERS)
_ROWS_ANY_CASE = tuple((t, compile_at_word_starts(t.pattern, re.IGNORECASE)) for t in TRIGGERS)
_TYPE_ORDER = {t: i for i, t in enumerate(EVENT_TYPES)}
# Definite nouns that can point back to an occurrence already told: "the attack", "this assault".
_ANAPHOR = re.compile(r"\b(?:the|this|that|these|those)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)

# --- what is not an occurrence: (name, where it is read, pattern, examples that must yield none) -------
# "before": the words right before the trigger in its clause; "after": the words right after it;
# "sentence": the whole sentence.
_GAP = r"(?:\s+[\w’'-]{1,25}){0,3}\s*$"  # up to three words between the frame and the trigger
NOT_OCCURRENCES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("modality", "before",
     r"\b(?-i:could|would|might|may|can|cannot|can't|should|must|shall|will|won't|'d|'ll|Could|Would|Might"
     r"|Can|Should|Must|Will)" + _GAP,  # case-sensitive: "in May" is a month
     ("Insurgents could attack the convoy on its way north.",
      "The bridge might fall within days if supplies run out.")),
    ("hypothetical or intention", "before",
     r"\b(?:if|unless|whether|threaten(?:s|ed|ing)? to|plan(?:s|ned|ning)?(?: to)?|plott(?:ed|ing)|plots?"
     r"|vow(?:s|ed)? to|intend(?:s|ed)? to"
     r"|aim(?:s|ed)? to|seek(?:s|ing)? to|sought to|tr(?:y|ies|ied|ying) to|attempt(?:s|ed)? to|ability to|able to"
     r"|capable of|call(?:s|ed)? for|urg(?:e|es|ed)|threat of|risk of|fears? of|prevent(?:ed|s)?|deter"
     r"|in order to|ready to|prepar\w* (?:for|to)|meant to|designed to|used to|bid to|effort to|efforts to"
     r"|order(?:s|ed)?(?:\s+\w+)?\s+to|want(?:s|ed)? to|pushing to)" + _GAP,
     ("The militia has threatened to storm the airport.",
      "Commanders are preparing for an offensive on the valley.",
      "The cell's leader called for raids on the border posts.",
      "The cell had been planning bombings in the capital.")),
    ("negation", "before",
     r"\b(?:not|never|no|n't|without|failed to|fail to|den(?:y|ies|ied)|neither|nor|no longer|yet to|nobody|none)" + _GAP,
     ("No one was killed in the town over the weekend.",
      "The army has not retaken the border post.")),
    ("prediction or opinion", "before",
     r"\b(?:expect(?:s|ed)?|likely to|unlikely to|predict(?:s|ed)?|forecasts?|fear(?:s|ed)?(?:\s+that)?"
     r"|believe[sd]?(?:\s+that)?|think(?:s)?(?:\s+that)?|suspect(?:s)?(?:\s+that)?|worr(?:y|ies|ied)(?:\s+that)?"
     r"|possibility of|prospect of|potential|possible|future|imminent|looming)" + _GAP,
     ("Analysts expect the rebels to retreat before winter.",
      "Officials fear a new offensive on the coast.")),
    ("generic or habitual", "after",
     r"^(?:\s+[\w’'-]{1,25}){0,3}?\s+(?:are|is|remain|remains|tend to|pose|poses|have become|has become)"
     r"\s+(?:a|an|the|common|rare|frequent|routine|likely|possible|still|often|usually)\b"
     r"|^\s+(?:often|usually|routinely|regularly|frequently|typically|sometimes|rarely|tend to)\b",
     ("Kidnappings are common on the roads of the south.",
      "Attacks on patrols remain a daily risk for the soldiers.")),
    ("modal after a noun", "after",
     r"^(?:\s+[\w’'-]{1,25}){0,5}?\s+(?-i:could|would|might|may|will|can)\s+(?:be|have|\w+)\b",
     ("A hideout where raids on the capital could be planned worries the allies.",)),
    ("generic or habitual", "before",
     r"\b(?:often|usually|routinely|regularly|frequently|typically|sometimes|rarely|every (?:day|week|year)|any"
     r"|kind of|type of|types of|such|such as|(?<=, )like|tactics like|threats? (?:to|against)|way to|how to|what)" + _GAP,
     ("Smugglers often cross the river at night.",
      "Such ambushes are the group's favourite tactic.",
      "The cell favours cheap tactics, like roadside bombings against patrols.")),
    ("question", "sentence", r"\?\s*[\"”’)]*\s*$",
     ("Will the rebels seize the town before the rains?",)),
    # the trigger word names a kind of thing, not a deed: "bomb-making", "attack helicopter" trainers
    ("modifier of a noun", "after",
     r"^(?:-|\s+)(?:makers?|making|factor(?:y|ies)|workshops?|disposal|squads?|experts?|technicians?|sniffing"
     r"|detectors?|dogs?|proof|resistant|helicopters?)\b",  # (not "shoot-out", "sit-in": those are deeds)
     ("Investigators found a bomb-making manual in the house.",
      "The crew swept the road with bomb-sniffing dogs.",
      "Instructors trained an attack-helicopter crew at the base.",
      "Two bomb disposal experts joined the team.")),
)
# Frames are read over the lower-cased context, except those that spell out case themselves ("(?-i:may)"
# is the modal verb, "May" the month): those are read over the text as written.
_FRAMES = tuple((name, where, re.compile(pattern), "(?-i:" in pattern) for name, where, pattern, _ in NOT_OCCURRENCES)
_CLAUSE_EDGE = re.compile(r"[;:()\[\]]|\s[—–]\s|\s--\s|,\s+(?:but|while|and|although|though|because)\b|[\"“”]")
WINDOW = 60  # characters of context a frame is looked for in, on each side of the trigger


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A trigger in a sentence that says something happened: its type and its offsets in the text."""

    event_type: str
    start: int
    end: int
    trigger: str
    anaphoric: bool  # a definite noun ("the attack") that may point back to an occurrence told before


def _clause_left(sentence: str, at: int) -> str:
    left = sentence[max(0, at - WINDOW):at]
    edges = list(_CLAUSE_EDGE.finditer(left))
    return left[edges[-1].end():] if edges else left


def blocking_frame(sentence: str, start: int, end: int) -> str | None:
    """The name of the frame that keeps the trigger at ``sentence[start:end]`` from being an occurrence.

    >>> blocking_frame("Rebels could attack the town.", 13, 19), blocking_frame("Rebels attacked the town.", 7, 15)
    ('modality', None)
    """
    left = _clause_left(sentence, start)
    right = sentence[end:end + WINDOW]
    lowered = {}
    for name, where, pattern, as_written in _FRAMES:
        text = left if where == "before" else right if where == "after" else sentence
        if not as_written:
            text = lowered.get(where) or lowered.setdefault(where, text.lower())
        if pattern.search(text):
            return name
    return None


# A crowd's violence is a riot: "a mob attacked the police", "rioters clashed with guards" (the attack
# or clash whose doer is the crowd, not a battle or an attack on civilians)
_CROWD = re.compile(r"\b(?:mobs?|rioters|crowds?|protesters|demonstrators|angry (?:residents|villagers|youths))\b"
                    r"(?:\s+(?:of|comprising)\s+(?:\w+\s+){0,4}?\w+)?(?:\s+\w+){0,3}?\s+(?=(?:attack|clash|pelt|ston|torch"
                    r"|vandali|assault|beat|lynch|set|injur|burn|damag|smash)\w*)")
_CROWD_TYPES = frozenset({"battle", "attack_on_civilians"})


@functools.lru_cache(maxsize=8192)
def find_occurrences(sentence: str) -> tuple[Occurrence, ...]:
    """Every occurrence a sentence reports (offsets into ``sentence``), in text order; one per trigger
    span, the most specific type winning where two triggers overlap.

    >>> [(o.event_type, o.trigger) for o in find_occurrences("Gunmen attacked a bus, and the army fled.")]
    [('battle', 'attacked'), ('movement_or_flight', 'fled')]
    >>> find_occurrences("The army may attack the town.")
    ()
    """
    found: list[Occurrence] = []
    crowd = False  # a crowd's violence was told: the sentence's later blows are the riot's
    lower = sentence.lower()
    same_length = len(lower) == len(sentence)
    pattern = _TRIGGER_PATTERN if same_length else _TRIGGER_PATTERN_ANY_CASE
    text = lower if same_length else sentence
    for found_at in pattern.finditer(text):
        trigger, m = next((t, m) for t, row in (_ROWS if same_length else _ROWS_ANY_CASE)
                          if (m := row.match(text, found_at.start())))
        if blocking_frame(sentence, m.start(), m.end()) or _is_month_name(sentence[m.start():m.end()]):
            continue
        anaphoric = bool(_ANAPHOR.search(sentence[max(0, m.start() - 30):m.start()]))
        event_type = trigger.event_type
        if event_type in _CROWD_TYPES and (crowd or _crowd_did(text, m.start())):
            event_type, crowd = "protest", True  # (and what follows in the sentence: "... and injured three")
        found.append(Occurrence(event_type, m.start(), m.end(), sentence[m.start():m.end()], anaphoric))
    return tuple(found)


def _crowd_did(text: str, start: int) -> bool:
    """Whether the trigger at ``start`` is the deed of a crowd named just before it ("a mob of youths
    attacked").

    >>> _crowd_did("a mob of youths attacked the station", 16), _crowd_did("gunmen attacked the station", 7)
    (True, False)
    """
    return any(found.end() == start for found in _CROWD.finditer(text, max(0, start - 80), start + 24))


def _is_month_name(written: str) -> bool:
    """A trigger spelled as a month with its capital is the month: "began in March" is no march.

    >>> _is_month_name("March"), _is_month_name("march"), _is_month_name("Marched")
    (True, False, False)
    """
    return written[:1].isupper() and written.lower() in MONTH_NUMBER


def most_specific(types) -> str:
    """The first of ``types`` in the table's order: a prison attack that also kills is a prison break."""
    return min(types, key=lambda t: _TYPE_ORDER.get(t, len(_TYPE_ORDER)), default="other")


def classify_event(sentence: str) -> str:
    """The event type of a sentence: its most specific occurrence, "other" when it reports none.

    >>> classify_event("Two suicide bombers killed three dozen people in the capital last month.")
    'bombing'
    """
    return most_specific(o.event_type for o in find_occurrences(sentence)) if find_occurrences(sentence) else "other"
