"""What a resolver may look at: the text, its publication date, the dates found so far, and the clause.

``Context`` answers the three questions of the anchoring model (see ``anchoring.py``): how precisely
the publication date is known (``publication_anchor``), whether the text is narrating a time of its
own and from which date (``narrative_reference``, ``previous``), and which way the clause looks
(``tense``, ``looks_ahead``).

    >>> ctx = Context("The fares had been paid by Jan. 14.", PublicationDate.unknown())
    >>> ctx.match_start, ctx.match_end = 27, 34   # "Jan. 14"
    >>> ctx.tense(), ctx.looks_ahead()
    ('past', False)
    >>> ctx = Context("The fares are payable by Jan. 14.", PublicationDate.unknown())
    >>> ctx.match_start, ctx.match_end = 25, 32
    >>> ctx.tense(), ctx.looks_ahead()
    ('present', True)
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from dashboard.pipeline.dates.cues import (
    ANY_YEAR, COMING_AFTER, COMING_CUES, FUTURE_IN_PAST, LOOK_BACK_RULES, PLANNED_BEFORE, PUBLICATION_RELATIVE,
    SENTENCE_BREAK, SINCE_BEFORE, TENSE_MARKERS,
)
from dashboard.records import DateMention, PublicationDate

# The narrative's reference is a date before the Common Era: what counts from it stays unresolved.
ERA_BREAK = DateMention("", -1, -1, None, None, "year", "none", "era_break")


@dataclass(frozen=True)
class Resolution:
    """What a resolver found: the interval (None when it cannot be known), its granularity and anchor."""

    start_date: dt.date | None
    end_date: dt.date | None
    granularity: str
    anchor: str  # published | text | none


class Context:
    """What a resolver may look at: the text, the publication date and the dates found before."""

    def __init__(self, text: str, published: PublicationDate, spans=None, country: str | None = None):
        self.text = text
        self.published = published
        self.country = country  # ISO code of the country the text is about, for holidays named alike
        self.spans = spans
        self.mentions: list[DateMention] = []  # resolved mentions so far, in text order
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.match_start = 0
        self.match_end = 0
        self.era_break = -1  # where the last date before the Common Era was found

    # -- publication
    @property
    def publication_day(self) -> dt.date | None:
        """The publication date when known to the day; None otherwise (and in quoted speech of a history)."""
        if self.published.precision != "day" or self.quoted_in_history():
            return None
        return self.published.start_date

    def quoted_in_history(self) -> bool:
        """Inside quotation marks in a history: "tonight" and "next summer" are the speaker's, not ours."""
        if not self.is_history:
            return False
        paragraph_start = self.text.rfind("\n", 0, self.match_start) + 1
        before = self.text[max(paragraph_start, self.match_start - 2000):self.match_start]
        return (before.count('"') % 2 == 1) or before.count("“") > before.count("”")

    def publication_anchor(self, unit: str) -> dt.date | None:
        """The publication date if it is precise enough to count ``unit``s from it."""
        if unit in ("day", "week", "weekday"):
            return self.publication_day
        if self.quoted_in_history():
            return None
        if unit in ("month", "season", "quarter", "half"):
            return self.published.start_date if self.published.precision in ("day", "month") else None
        return self.published.start_date

    # -- narrative
    def paragraph(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset)

    def previous(self) -> DateMention | None:
        """The previous resolved date in the text (whatever its anchor)."""
        if not self.mentions:
            return ERA_BREAK if self.era_break >= 0 else None
        return ERA_BREAK if self.mentions[-1].start < self.era_break else self.mentions[-1]

    def narrative_reference(self) -> DateMention | None:
        """The previous date, when the text is narrating a time other than its publication.

        That is the case when the previous date names its own year or was itself found from the
        narrative, and it is in the same paragraph, or far (two years or more) from the publication
        date, or the publication date is unknown. A previous "last week" means the text is talking
        about the publication's own time, so yearless dates then count from the publication date.
        """
        if self.is_history:
            # A history names the publication's time only in passing, and a look back ("a year
            # earlier", "the previous year") does not move the story: look past both. After a date
            # before the Common Era ("in 480 BC"), the story is somewhere no calendar day can say.
            for index in range(len(self.mentions) - 1, -1, -1):
                if self.mentions[index].start < self.era_break:
                    return ERA_BREAK
                previous = self.mentions[index]
                if previous.anchor == "published":
                    if self.paragraph(previous.start) == self.paragraph(self.match_start):
                        return None  # "... said last week. In November, ...": the paragraph is in the present
                    continue
                if previous.anchor == "text" and index > 0 and previous.start_date < self.mentions[index - 1].start_date \
                        and previous.rule in LOOK_BACK_RULES:
                    continue
                if previous.granularity in ("year", "decade") and self._is_digression(index):
                    continue
                finer = self.mentions[index - 1] if index > 0 else None
                if previous.granularity == "year" and finer is not None and finer.start_date is not None \
                        and finer.granularity in ("day", "month", "range") \
                        and finer.start_date.year == previous.start_date.year \
                        and not SENTENCE_BREAK.search(self.text, finer.end, previous.start):
                    return finer  # "On 3 November (4 November by the old calendar), 1827": that day's year
                return previous
            return None
        previous = self.previous()
        if previous is None or previous is ERA_BREAK or previous.anchor == "published":
            return previous if previous is ERA_BREAK else None
        if self.published.start_date is None:
            return previous
        # In news a yearless date is of the publication's time, unless its paragraph has just been
        # telling of one other year, in this sentence or the one before ("The bridge was shut for
        # most of 2004. From February through December ..."): then it continues that year. Dates
        # of several years leave it with the publication.
        paragraph = self.paragraph(self.match_start)
        if self.paragraph(previous.start) != paragraph:
            return None
        year = previous.start_date.year
        if year == self.published.start_date.year and not self._after_publication(previous):
            return None
        if len(SENTENCE_BREAK.findall(self.text, previous.end, self.match_start)) > 1:
            return None  # the story moved on: more than a sentence lies between
        # The story told since the paragraph last spoke of the publication's time: all in that year?
        for earlier in reversed(self.mentions):
            if self.paragraph(earlier.start) != paragraph or earlier.anchor == "published":
                return previous
            if not earlier.start_date.year == earlier.end_date.year == year:
                return None
        return previous

    def _after_publication(self, mention: DateMention) -> bool:
        """A day the text names in full that falls after its publication date: the story's time is then
        that day's, not the publication's ("Around 5 May 2020 ... on May 3" in a text dated 29 April)."""
        return mention.anchor == "none" and mention.granularity == "day" and self.published.start_date is not None \
            and self.published.end_date is not None and mention.start_date > self.published.end_date

    def later_than_publication(self) -> DateMention | None:
        """The paragraph's last full date so far, when it falls after the publication date."""
        paragraph = self.paragraph(self.match_start)
        for mention in reversed(self.mentions):
            if mention.start < self.era_break or self.paragraph(mention.start) != paragraph:
                return None
            if mention.anchor == "none":
                return mention if self._after_publication(mention) else None
        return None

    def _is_digression(self, index: int) -> bool:
        """Whether a bare year interrupts a day-by-day story: the dated story just before it is more
        than a year away ("... the diary, printed in 1990, shows that the ship left on 4 May"), or the
        year is a plan the story has not reached ("... on 10 March 1975, with a campaign planned for
        1976. On 11 March ...")."""
        mention = self.mentions[index]
        year = mention.start_date.year
        planned = PLANNED_BEFORE.search(self.text, max(0, mention.start - 50), mention.start)
        for earlier in reversed(self.mentions[max(0, index - 4):index]):
            if earlier.granularity in ("day", "month", "range") and earlier.anchor != "published":
                return abs(earlier.start_date.year - year) > 1 or bool(planned and year > earlier.start_date.year)
        return False

    @property
    def is_history(self) -> bool:
        """Whether the text narrates a past far from its publication, like HeidelTime's "narratives".

        True when it names at least four years far (two or more) from the publication, more far years
        than near ones, and few words that count from the publication ("last week", "Friday", "ago"):
        fewer than one for every five far years. A news report with background years ("declared its
        caliphate in 2014") still says "last week" and "on Friday", and stays news.
        """
        if not hasattr(self, "_is_history"):
            years = [int(year) if year else -1 for year, bc in ANY_YEAR.findall(self.text)]  # BC: -1, far enough
            published = self.published.start_date
            near = sum(1 for y in years if published and abs(y - published.year) <= 1)
            far = len(years) - near
            self._is_history = (published is not None and far >= 4 and near < far
                                and len(PUBLICATION_RELATIVE.findall(self.text)) * 5 < far)
        return self._is_history

    # -- tense
    def sentence_bounds(self) -> tuple[int, int]:
        start, end = self.match_start, self.match_end
        if self.spans:
            i = bisect.bisect_right(self.span_starts, start) - 1
            if i >= 0 and self.spans[i][0] <= start and end <= self.spans[i][1]:
                return self.spans[i]
        text = self.text
        left = max(text.rfind(". ", max(0, start - 300), start), text.rfind("\n", max(0, start - 300), start))
        left = max(left + 1, start - 300, 0)
        candidates = [i for i in (text.find(". ", end, end + 300), text.find("\n", end, end + 300)) if i >= 0]
        right = min(candidates) if candidates else min(len(text), end + 300)
        return left, right

    def tense(self, after_penalty: int = 10, before_only: bool = False) -> str | None:
        """past, perfect, future, present or None: the tense marker nearest to the mention in its sentence.

        A marker after the mention counts ``after_penalty`` characters farther ("said Friday that ...");
        ``before_only`` looks only before it (the verb a deadline hangs on: "had paid by Jan. 14").
        """
        left, right = self.sentence_bounds()
        right = self.match_start if before_only else right
        best, best_distance = None, None
        for found in TENSE_MARKERS.finditer(self.text, left, right):
            if self.match_start <= found.start() < self.match_end:
                continue
            distance = self.match_start - found.end() if found.end() <= self.match_start else found.start() - self.match_end
            # A marker before the mention binds a little more than one after it ("said Friday that ...").
            distance = distance if found.end() <= self.match_start else distance + after_penalty
            if best_distance is None or distance < best_distance:
                best, best_distance = found.lastgroup, distance
        return best

    @property
    def span_starts(self):
        if not hasattr(self, "_span_starts"):
            self._span_starts = [s for s, _ in self.spans]
        return self._span_starts

    def direction(self) -> str | None:
        """Which way an unanchored date of this clause lies from the publication: "past", "future" or None
        (the nearest). A deadline or schedule looks ahead; "since", a past or a present perfect verb
        look back; a future or modal verb looks ahead."""
        if self.looks_ahead():
            return "future"
        if SINCE_BEFORE.search(self.text, max(0, self.match_start - 140), self.match_start):
            return "past"
        tense = self.tense()
        return "past" if tense in ("past", "perfect") else "future" if tense == "future" else None

    def looks_ahead(self) -> bool:
        """Whether the match is a deadline or a schedule ("by Jan. 14", "payable Dec. 7", "before the
        Aug. 31 deadline") in a clause that is not past: such a date is the coming one."""
        cue = COMING_CUES.search(self.text, max(0, self.match_start - 30), self.match_start)
        if not (cue or COMING_AFTER.match(self.text, self.match_end)):
            return False
        if FUTURE_IN_PAST.search(self.text, max(0, self.match_start - 80), self.match_start):
            return True
        # the verb a deadline hangs on comes before it, but a clause that opens with "From 12 June" has its
        # verb after: "From 12 June, the ferries stopped" is past, no schedule
        opening = cue is not None and not re.search(r"\w", self.text[self.sentence_bounds()[0]:cue.start()])
        return self.tense(before_only=not opening) not in ("past", "perfect")
