"""The anchoring model: for each date expression, which anchor and which direction.

HeidelTime tells a date counted from the document's date (``UNDEF-this-...``) from one counted from
the previous date in the text (``UNDEF-REF-...``). Here every resolution states its anchor, and the
choice is made in one place, by these rules, in this order:

1. **none**: the expression names its own year ("12 March 1944", "late 2021", "the 1990s"), or the
   year that closes its range ("from May 15 to August 16, 1988").
2. **text** (the narrative's last date), when the expression says so: "two days later", "the
   following month", "that June", "the day before", "January 24 of the same year".
3. **text** for a bare yearless date ("in June", "on March 3", "at Easter") when the text is
   narrating a time of its own:
   * in news, only when the date's paragraph so far dates one other year and nothing of the
     publication's time ("The bridge was shut for most of 2009. Between March and October,
     ferries carried the traffic." is March-October 2009), and only forward: in a July 2017
     article, "... declared the caliphate in July 2014. Across the border, the assault began on June
     6" is 2017-06-06, a step back from July 2014 being no continuation;
   * in a history (most years far from the publication, few "last week"s), the story's latest date,
     across paragraphs, moving forward (after "December 11, 1941", "in January" is January 1942).
4. **published** otherwise: "last week", "yesterday", "three days ago", "now", and every yearless
   date not taken by rule 3. A yearless date then takes the publication year, or the one before or
   after, by the **direction** of its clause:
   * a relative word: "last May" (the May before the publication), "next May", "this May";
   * a deadline or a schedule, unless its clause is past: "payable Dec. 7", "by Jan. 14", "before
     the Aug. 31 deadline", "due on Friday", "scheduled for May 3" look ahead;
   * a future seen from the past looks ahead too: "the firm said it would pay by Dec. 7";
   * "since" looks back: "since the flood in March";
   * the clause's tense, the marker nearest to the date: past, past perfect ("In January, gunmen
     had attacked" said in November is the January before) and present perfect ("has reopened on
     Monday") look back; future or a modal ("will meet Thursday", "is expected to open in June")
     looks ahead;
   * no marker: the nearest occurrence, a tie going to the past.
5. **unresolved**: an anchor that is not known (no publication date; a publication date known only
   to the month for "yesterday"; a narrative before the Common Era). The value is never today's.

    >>> import datetime as dt
    >>> from dashboard.pipeline.dates import parse_published, tag_dates
    >>> def dates(text, published="2017-07-10"):
    ...     return [(m.text, str(m.start_date), m.anchor) for m in tag_dates(text, parse_published(published))]
    >>> dates("The group declared its caliphate in July 2014. Across the border, the assault began on June 6.")
    [('July 2014', '2014-07-01', 'none'), ('June 6', '2017-06-06', 'published')]
    >>> dates("Rent is payable Jan. 14, the landlord said.")
    [('Jan. 14', '2018-01-14', 'published')]
    >>> dates("In January, gunmen had attacked the depot.", "2017-11-20")
    [('January', '2017-01-01', 'published')]
    >>> dates("The mill closed in 2009. From March until October, it stood empty.")
    [('2009', '2009-01-01', 'none'), ('March', '2009-03-01', 'text'), ('October', '2009-10-01', 'text')]
    >>> dates("The ferry sailed two days later.", None)
    [('two days later', 'None', 'text')]
"""
from __future__ import annotations

import datetime as dt
import re

from dashboard.pipeline.dates import normalise
from dashboard.pipeline.dates.context import ERA_BREAK, Context, Resolution
from dashboard.pipeline.dates.cues import DIRECTIONS, RANGE_PARTNER_YEAR, THE_NEXT


def _pick(candidates: list[tuple[dt.date, dt.date]], pivot: dt.date, tense: str | None,
          strict: bool = False) -> tuple[dt.date, dt.date]:
    """Of intervals around ``pivot`` (in time order), the one the tense points to.

    past: the latest that starts on or before the pivot; future: the earliest that ends on or after
    it; otherwise the nearest, ties going to the past. ``strict`` leaves out the interval holding
    the pivot ("last May" said in May is a year ago).
    """
    if strict:
        candidates = [iv for iv in candidates if not (iv[0] <= pivot <= iv[1])]
    if tense == "past":
        before = [iv for iv in candidates if iv[0] <= pivot]
        if before:
            return before[-1]
    if tense == "future":
        after = [iv for iv in candidates if iv[1] >= pivot]
        if after:
            return after[0]

    def distance(iv):
        if iv[0] <= pivot <= iv[1]:
            return (0, 0)
        return (min(abs((iv[0] - pivot).days), abs((iv[1] - pivot).days)), 0 if iv[1] < pivot else 1)
    return min(candidates, key=distance)


def yearless(ctx: Context, make, unit: str, relative: str | None = None, untensed: str | None = None) -> Resolution:
    """Resolve an expression that names no year: ``make(year)`` gives its interval in a given year.

    ``relative`` is a word like "last", "next", "this", "that" or "following" said with it;
    ``untensed`` the direction to take when the clause has no tense ("past" for a quarter: results are
    reported after it ends). Returns a Resolution with the anchor used (rules 1-5 of the module
    docstring), or an unresolved one.
    """
    direction, anchor_kind = DIRECTIONS.get((relative or "").lower(), (None, None))
    partner = RANGE_PARTNER_YEAR.match(ctx.text, ctx.match_end, min(len(ctx.text), ctx.match_end + 45))
    if partner and (anchor_kind is None or partner.group("day_year") or partner.group("aside_year")):
        found = make(int(partner.group("year") or partner.group("day_year") or partner.group("aside_year")))
        if found:
            return Resolution(found[0], found[1], "", "text")
    reference = ctx.narrative_reference() if anchor_kind != "published" else None
    if reference is not None and anchor_kind is None and ctx.tense() == "future":
        reference = None  # "due to be published in May": the publication's time, not the story's
    if anchor_kind == "text":
        reference = ctx.previous()
    if reference is ERA_BREAK:
        return Resolution(None, None, "", "text")
    if reference is not None and reference.start_date is not None:
        chosen = _from_reference(ctx, make, reference, direction, explicit=anchor_kind == "text")
        if chosen:
            return Resolution(chosen[0], chosen[1], "", "text")
    pivot = ctx.publication_anchor(unit)
    if pivot is None:
        return Resolution(None, None, "", "published")
    later = ctx.later_than_publication() if direction is None else None
    if later is not None:
        pivot = later.start_date  # the story is told from a day after the stated publication date
    candidates = [iv for iv in (make(y) for y in range(pivot.year - 2, pivot.year + 3)) if iv]
    if direction == -1:
        iv = [c for c in candidates if c[1] < pivot and not (c[0] <= pivot <= c[1])][-1]
    elif direction == 1:
        iv = [c for c in candidates if c[0] > pivot][0]
    elif direction == 0:
        iv = _pick(candidates, pivot, None)
    else:
        iv = _pick(candidates, pivot, ctx.direction() or untensed)
        this_year = make(pivot.year)
        if this_year and iv[1] < this_year[0] and 0 < (this_year[0] - pivot).days <= DATELINE_SLACK_DAYS:
            # "attacked on 30 April" in a text dated 29 April: a report dated a day early, not a year late
            iv = this_year
    return Resolution(iv[0], iv[1], "", "published" if later is None else "text")


# A yearless day this many days after the publication date, told in the past, is still of the
# publication's year: publication dates are often a day or two behind the story.
DATELINE_SLACK_DAYS = 3


def _from_reference(ctx: Context, make, reference, direction: int | None, explicit: bool):
    """The interval ``make`` gives counted from the narrative's date ``reference``, or None."""
    pivot = reference.start_date
    candidates = [iv for iv in (make(y) for y in range(pivot.year - 1, pivot.year + 2)) if iv]
    if direction == -1:
        chosen = [iv for iv in candidates if iv[1] < pivot][-1:]
        return chosen[0] if chosen else None
    if direction == 1:
        chosen = [iv for iv in candidates if iv[0] > reference.end_date][:1]
        return chosen[0] if chosen else None
    same_year = make(pivot.year)
    if not same_year or reference.granularity not in ("day", "month", "range"):
        return same_year
    step_back = (reference.start_date - same_year[1]).days
    if not explicit and not ctx.is_history and step_back > 0:
        return None  # news: a date before the one just told is no continuation of it (rule 3)
    # A narrative moves forward: after "December 11, 1941", "in January" is January 1942; a step back
    # of a few weeks is a flashback, one of more than four months is the next year.
    if step_back > 120:
        return make(pivot.year + 1) or same_year
    return same_year


def safe(make):
    """``make`` with impossible days ("February 30") giving None instead of raising."""
    def wrapped(year):
        try:
            return make(year)
        except ValueError:
            return None
    return wrapped


def month_of(groups) -> int | None:
    if groups.get("month_number"):
        return int(groups["month_number"])
    month = groups.get("month") or groups.get("month2")
    return normalise.month_number(month) if month else None


def year_of(text: str | None) -> int | None:
    if not text:
        return None
    digits = re.search(r"\d+", text)
    return int(digits.group()) if digits else None


def relative_word(groups, ctx) -> str | None:
    """The relative word said with the expression; "the next" in a narrative is "the following"."""
    relative = (groups.get("relative") or "").lower() or None
    if relative == "next" and THE_NEXT.search(ctx.text, ctx.match_start, ctx.match_end) \
            and ctx.narrative_reference() is not None:
        return "following"
    return relative


def relative_year(groups, ctx) -> tuple[int | None, str]:
    year = year_of(groups.get("year") or groups.get("qyear"))
    if year:
        return year, "none"
    relative = (groups.get("relative") or "").lower().split()
    word = relative[-1] if relative else None
    if word is None:
        reference = ctx.narrative_reference()
        if reference is ERA_BREAK:
            return None, "text"
        if reference is not None:
            return reference.start_date.year, "text"
        pivot = ctx.publication_anchor("year")
        return (pivot.year if pivot else None), "published"
    if word == "the":
        word = "this"
    direction, anchor = DIRECTIONS[word]
    if anchor == "text":
        reference = ctx.previous()
        if reference is ERA_BREAK:
            return None, "text"
        if reference is not None:
            return reference.start_date.year + direction, "text"
        anchor = "published"
    pivot = ctx.publication_anchor("year")
    return (pivot.year + direction if pivot else None), anchor
