"""What the words around a date say, as data: tense, direction, and "this is a name, not a date".

The resolvers know no English; every word they look at around a match is here, each table with the
sentences (the project's own) that show what it is for. ``tests/test_dates.py`` drives them through
the tagger.

* ``TENSE_MARKERS``: the nearest marker in the clause gives its tense. "The ferry ran on Monday"
  (past), "the ferry will run on Monday" (future), "the ferry runs on Monday" (present); "had
  closed" (past perfect) is past, never the coming one.
* ``COMING_CUES``: a deadline or schedule looks forward unless the clause is past: "payable Dec. 7",
  "by Jan. 14", "before the Aug. 31 deadline", "due on Friday", "scheduled for May 3".
* Names, not dates: "June Carter", "the February Revolution", "the Arab Spring", "Resolution 1483".

    >>> TENSE_MARKERS.search("the depot had closed").lastgroup, TENSE_MARKERS.search("it will reopen").lastgroup
    ('past', 'future')
    >>> bool(COMING_CUES.search("Rent is payable ")), bool(COMING_CUES.search("He arrived on "))
    (True, False)
"""
from __future__ import annotations

import re

_S = r"[^\S\n]{1,3}"  # one to three spaces, never a line break

# Which way a relative word points, and whether it counts from the publication date or from the
# previous date in the text: "last May" (publication, back), "the following May" (the story, on).
DIRECTIONS = {
    "last": (-1, "published"), "past": (-1, "published"), "this": (0, "published"),
    "current": (0, "published"), "next": (1, "published"), "coming": (1, "published"),
    "previous": (-1, "text"), "preceding": (-1, "text"), "same": (0, "text"), "that": (0, "text"),
    "following": (1, "text"),
}
PART_WORDS = {"early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
              "late": "late", "end": "late", "earlier": "earlier", "later": "later", "turn": "turn"}
SEASON_START_MONTH = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
WEEKDAY_INDEX = {name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}

# Tense markers; the nearest to the mention in its clause wins ("said Friday that it will ..." is past
# for Friday). Past perfect ("had attacked"), the plain past and the present perfect ("has attacked")
# look back.
TENSE_MARKERS = re.compile(
    rf"(?P<future>\b(?:(?:going|due|expected|set|scheduled|planning|plans?|intends?|hopes?|aims?){_S}to"
    rf"(?:{_S}be)?(?:{_S}[a-z]{{1,20}}ed)?|(?:will|won['’]t|shall)(?:{_S}(?:not|also|then|now|soon))?"
    rf"(?:{_S}be)?(?:{_S}[a-z]{{1,20}})?"
    r"|planned|upcoming|scheduled|slated)\b|['’]ll\b)"
    r"|(?P<past>\b(?:was|were|had|did|ago|said|told|held|took|began|fell|came|saw|went|left|led|fought|"
    r"won|lost|met|made|gave|sent|became|ran|struck|rose|grew|fled|broke|drove|sought|brought|bought|caught|"
    r"thought|stood|spoke|wrote|rode|chose|arose|overran|withdrew|drew|threw|blew|flew|knew|shot|spent|built|"
    r"felt|kept|swept|paid|laid|sold|found|hung|sank|overcame|forgave|shook|undertook|woke|stole|wore|tore|"
    r"swore|got|sat|hid|heard|understood|withstood|ate|"
    r"[a-z]{2,20}ed)\b)"
    rf"|(?P<perfect>(?:\b(?:has|have)|\b(?:[Hh]e|[Ss]he|[Ii]t|[Tt]here|[Ww]ho|[Tt]hat)['’]s|['’]ve){_S}"
    rf"(?:\w{{1,20}}{_S})?\w{{1,20}}ed\b)"
    r"|(?P<present>\b(?:is|are|has|have|remains?|continues?|says|controls?|holds?|does|do)\b)")
# "since" before a date looks back: "since the fall of the town in March" is the March before.
SINCE_BEFORE = re.compile(rf"\b[Ss]ince\b(?:{_S}[\w'’-]{{1,20}}){{0,6}}{_S}$")
# Words right before a date that make it a deadline or a schedule: it lies ahead unless the clause is
# past. A schedule is often said in the plain present: "the museum opens Friday", "talks resume on
# Monday", "the vote closes at midnight Friday".
_SCHEDULE_VERBS = (r"opens?|closes?|begins?|starts?|ends?|resumes?|meets?|arrives?|leaves?|departs?|returns?"
                   rf"|travels?|flies|visits?|convenes?|reopens?|takes{_S}effect|goes{_S}on{_S}sale")
COMING_CUES = re.compile(
    rf"(?:\b(?:[Bb]y|[Uu]ntil|[Tt]ill|[Tt]hrough|[Bb]efore|[Pp]ayable|[Dd]ue(?:{_S}(?:on|by|in))?|[Ss]cheduled{_S}(?:for|on)"
    rf"|[Dd]eadline(?:{_S}(?:of|on))?|[Ee]xpires?(?:{_S}on)?|[Ss]tarting|[Ee]ffective|[Bb]eginning|[Ff]rom"
    rf"|(?:{_SCHEDULE_VERBS})(?:{_S}(?:on|at|by|in|until))?)(?:{_S}the)?{_S}(?:(?:at{_S})?(?:midnight|noon){_S})?)$")
# A future seen from the past: "the firm said it would pay by Dec. 7" still looks ahead of the report.
FUTURE_IN_PAST = re.compile(rf"\b(?:would|was{_S}to|were{_S}to|was{_S}due{_S}to|were{_S}due{_S}to)\b[^.;\n]{{0,60}}$"
                            rf"|\bto{_S}[a-z]{{2,20}}(?:{_S}[a-z]{{2,20}}){{0,2}}{_S}(?:through|until|till|by|before){_S}(?:the{_S})?$")
# A deadline noun just after the date: "before the Aug. 31 deadline".
COMING_AFTER = re.compile(rf"{_S}(?:deadline|target date|due date|expiry)\b")

# A year named as a plan, not as the time the story has reached: "a campaign planned for 1976".
PLANNED_BEFORE = re.compile(rf"\b(?:planned|planning|plans?|projected|scheduled|expected|intended|due|promised"
                            rf"|set{_S}for|aimed{_S}at)\b[^.;\n]{{0,30}}$")

# "every Monday", "each spring": a set of days, not a date.
SET_BEFORE = re.compile(rf"\b(?:[Ee]very|[Ee]ach){_S}$")

# The rules that look back from their anchor: in a history, a look back does not move the story.
LOOK_BACK_RULES = {"days_ago", "weeks_ago", "months_ago", "years_ago", "year_relative", "month_relative",
                   "week_relative", "day_relative"}
# Words that count from the publication: a text that has them talks about its own time (news).
PUBLICATION_RELATIVE = re.compile(
    rf"\b(?:yesterday|tomorrow|tonight|(?:last|this|next|past){_S}(?:week|month|year|night|weekend)"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|ago)\b")
# The year that closes a range: "February-March 1794", "from May 15 to August 16, 1988"; or that
# follows a day of the month: "that January day in 2011", "one March morning of 1990".
RANGE_PARTNER_YEAR = re.compile(
    r"[^\S\n]{0,3}(?:[-\u2013\u2014/]|to\b|and\b|or\b|through\b|until\b|till\b)[^.;()\n\d]{0,25}?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?{_S})?(?:[A-Z][a-z]{{2,8}}\.?{_S})?(?:\d{{1,2}}(?:st|nd|rd|th)?,?{_S})?"
    r"(?P<year>1[0-9]\d\d|20\d\d)(?!\d|,\d)"
    rf"|{_S}(?:day|morning|afternoon|evening|night){_S}(?:in|of){_S}(?P<day_year>1[0-9]\d\d|20\d\d)(?!\d|,\d)"
    # a day, an aside in brackets, then its year: "On 3 November (4 November by the old calendar), 1827"
    rf"|[^\S\n]{{0,2}}\([^()\n]{{1,60}}\),{_S}(?P<aside_year>1[0-9]\d\d|20\d\d)(?!\d|,\d)")
# Any four-digit year (or a year before the Common Era), to tell a history from news.
ANY_YEAR = re.compile(r"(?<![\d,.$])(1[0-9]\d\d|20\d\d)(?!\d|,\d)|\b\d{1,4}[^\S\n]?(B\.?C\.?)")
# The end of a sentence: a full stop, question or exclamation mark before a capital or a quote.
SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]?\s{1,3}(?=[A-Z\"“‘(])")
# "the next day" in a story is "the following day".
THE_NEXT = re.compile(rf"\b[Tt]he{_S}next\b")

# "now" that names a place or a limit, not a date: "what is now the old town", "(now a museum)", "until now".
NOW_AS_NAME_BEFORE = re.compile(rf"(?:\(|\b(?:what|which|who|where){_S}(?:is|are|was|were){_S}"
                                rf"|\b(?:until|till|by|from|up{_S}to){_S})$")
NOW_AS_NAME_AFTER = re.compile(rf"{_S}(?:[A-Z]|on\b|part\b)")
# "now" said with a past verb at its side is the story's moment: "the army was now exhausted".
NOW_IN_THE_PAST = re.compile(rf"\b(?:was|were|had|did|became|seemed|felt)(?:{_S}(?:not|also|all|finally|only))?{_S}(?:right{_S})?$")

# A bare month is a date after these words ("in October", "by early May"), not as a name or a verb.
MONTH_CONTEXT = re.compile(r"(?:\b(?:in|In|on|On|by|By|since|Since|until|Until|till|through|during|During|from|"
                           r"From|to|of|before|Before|after|After|early|late|mid|and|or|between|last|next|this|"
                           rf"that|end|start|beginning|middle){_S}(?:the{_S})?|-)$")
# A holiday without a year is a date after these words ("on Christmas", "during Ramadan"), not a surname.
HOLIDAY_CONTEXT = re.compile(r"(?:\b(?:on|On|in|In|by|By|since|Since|until|Until|till|through|during|During|"
                             rf"before|Before|after|After|of|for|For|over|Over|around|ahead{_S}of|the|The|"
                             rf"this|This|last|Last|next|Next|that|holy{_S}month{_S}of){_S})$")
# A capitalised word after a month or season makes it a name: "June Carter", "Spring Street".
NAME_AFTER = re.compile(rf"{_S}(?:[A-Z][a-z]|(?:to|on){_S}(?:the\b|[A-Z]))")
_FUNCTION_WORDS = r"(?:The|A|An|In|On|By|During|Over|Since|Until|Through|From|After|Before|Last|Next|This|That|Early|Late)\b"
# ... and before it: "the February Revolution", "Ms. May", "the Arab Spring".
NAME_BEFORE = re.compile(rf"(?:['’]s|\b(?!{_FUNCTION_WORDS})[A-Z][a-z]+){_S}$")
CAPITALISED_BEFORE = re.compile(rf"\b(?!{_FUNCTION_WORDS})[A-Z][\w.]{{0,30}}{_S}$")
# "spring" and "fall" after these words are verbs: "began to fall apart", "could spring up".
VERB_BEFORE = re.compile(rf"\b(?:to|will|would|could|can|cannot|may|might|must|should|not|did|does|do|n['’]t){_S}$")
# "fall" and "spring" before these are nouns: "the fall in prices", "a spring in rents".
NOUN_AFTER = re.compile(rf"{_S}in{_S}(?!(?:the|a|an|which|that|this)\b)[a-z]{{1,20}}\b")
# A four-digit number after these words is a number, not a year: "Resolution 1483", "Route 2010".
NOT_A_YEAR_BEFORE = re.compile(r"\b(?:[Rr]esolution|No\.?|Nos\.?|[Nn]umber|Article|Section|Highway|Route|Flight|"
                               r"[Ee]xt\.?|Suite|Box|Apt\.?|at|At|"
                               r"Room|Chapter|Vol\.?|[Pp]age|pp?\.|Law|Decree|Order|Code|Model|Type|Hill|Height|"
                               rf"[Pp]oint|[Bb]us|[Ll]ine){_S}$")
