"""Text -> Document: find the content of a messy article without moving a single offset.

Scraped news comes with browser banners, ad residue, sign-up and donation appeals, print labels, bare
links, HTML or Markdown markup, and blocks repeated inside one article (a forum repost may paste the same
half of a story three times). Nothing is deleted: every stretch that is not content is replaced by spaces
in ``Document.clean_text`` (same length as the original, newlines kept), listed in ``Document.skipped``
with its reason, and the content is cut into sentences whose offsets index the original text.

>>> from dashboard.records import Article
>>> doc = make_document(Article(id="a", text="IE 11 is not supported.\\n\\nRaqqa fell in October. It was retaken."))
>>> [doc.text[s.start:s.end] for s in doc.sentences]
['Raqqa fell in October.', 'It was retaken.']
>>> [s.reason for s in doc.skipped]
['boilerplate']
"""
from __future__ import annotations

import html
import re
import unicodedata

from dashboard.records import Article, Document, Sentence, Skipped

# --- boilerplate: whole lines that are never content. Each rule is (name, pattern, example). ---------
BOILERPLATE_RULES: list[tuple[str, str, str]] = [
    ("browser banner", r"\b(?:IE|Internet Explorer)\s*\d*\s+is not supported\b|\bfor an optimal experience\b"
     r"|\b(?:update|upgrade) your browser\b|\bplease enable javascript\b|\byour browser (?:is|does)\b",
     "Internet Explorer 10 is not supported. Please update your browser to read this page."),
    ("ad residue", r"^(?:(?:ads?|advertisements?|sponsored(?: content)?|[a-z])\b[\s|·•-]*)+$",
     "ad a b"),
    ("community sign-up", r"^join (?:the|our)\b.{0,60}\b(?:community|newsletter|mailing list)\b"
     r"|^(?:register|sign up|subscribe|log ?in|create an account)\b.{0,40}\b(?:free|now|today|to|for)\b"
     r"|\bshare your ideas\b|\bstreaming quotes\b",
     "Join the InvestorsHub Community"),
    ("donation appeal", r"\b(?:we (?:humbly )?ask for your support|please (?:consider )?(?:donat|support)"
     r"|support (?:our|independent) (?:work|journalism|reporting)|make a (?:donation|contribution)"
     r"|become a (?:member|patron|subscriber)|donate (?:now|today|here))\b",
     "Make a donation today: small gifts keep our reporting free for every reader."),
    ("share or print label", r"^(?:print|print this (?:article|page)|share|share this(?: article)?|email|tweet"
     r"|copy link|read more|related(?: articles| stories)?|advertisement|comments?|طباعة|اطبع|مشاركة"
     r"|\[\s*(?:\.\.\.|…|with comments)\s*\])[\s.:!]*$",
     "طباعة"),
    ("wire credit or teaser", r"^\(?(?:(?:additional )?reporting|writing|editing|compiled) by\b"
     r"|^(?:read more|related|see also|also read|more on this|recommended|watch|listen)\s*:",
     "Read more: Reuters coverage of the war in Syria"),
    ("copyright", r"^(?:©|\(c\)|copyright\b).{0,200}$|\ball rights reserved\b",
     "© 2018 The New York Times Company. All rights reserved."),
    ("cookie notice", r"\bwe use cookies\b|\bcookie (?:policy|settings)\b|\baccept (?:all )?cookies\b",
     "We use cookies to improve your experience."),
    ("elision mark", r"^\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*$", "[...]"),
]
_BOILERPLATE = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern, _ in BOILERPLATE_RULES]
MAX_BOILERPLATE_LINE = 300  # a long line is prose even when it mentions "subscribe"

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\]\[)]+", re.IGNORECASE)
_BARE_LINK_LINE = re.compile(r"^\s*(?:\[\s*)?(?:https?://|www\.)\S+(?:\s*\])?(?:\s*\[[^\]]{0,40}\])?\s*$",
                             re.IGNORECASE)
_HTML_HINT = re.compile(r"<(?:html|body|p|div|br|span|a|script|article|h[1-6])\b", re.IGNORECASE)
# Elements whose content is no text of the article (code, styles, fallbacks): dropped whole, up to their end
# tag or, unclosed, to the end of the page (as a browser reads them); comments, doctypes and processing
# instructions likewise.
_HTML_DROP_TEMPLATE = (r"<(script|style|noscript|template)\b(?:[^>\"']|\"[^\"]{0,1000}\"|'[^']{0,1000}'){0,1000}+>"
                       r".*?(?:</\1\s*>END)|<!--.*?(?:-->END)|<![A-Za-z\[][^<>]{0,2000}>|<\?[^<>]{0,2000}>")
_HTML_DROP = re.compile(_HTML_DROP_TEMPLATE.replace("END", r"|\Z"), re.IGNORECASE | re.DOTALL)
# Text that only looks like HTML (a .txt with tags) may mention "<script>" in prose: only closed ones go.
_HTML_DROP_CLOSED = re.compile(_HTML_DROP_TEMPLATE.replace("END", ""), re.IGNORECASE | re.DOTALL)
# A tag, its quoted attribute values may hold '>' (onerror="if(a>b)..."): each alternative starts with its
# own character, quotes are bounded and the repeat is possessive (never tried again shorter), so it is linear.
_HTML_TAG = re.compile(r"</?[A-Za-z](?:[^<>\"']|\"[^\"]{0,2000}\"|'[^']{0,2000}'){0,2000}+>")
_HTML_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|h[1-6]|article|section|tr|td|blockquote|header|footer)\b",
                             re.IGNORECASE)
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,10});")
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,500}\]\([^)\n]{0,2000}\)")
_MD_LINK_TARGET = re.compile(r"(?<=\])\([^)\n]{0,2000}\)")
_MD_MARKS = re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d{1,3}\.)\s|\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`+",
                       re.MULTILINE)
_MD_BRACKETS = re.compile(r"\[(?=[^\]\n]{0,500}\]\()|\](?=\()")

# --- sentences -------------------------------------------------------------------------------------
# Abbreviations after which a full stop does not end a sentence (titles, months, common short forms).
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm", "cmdr",
    "gov", "sen", "rep", "rev", "st", "mt", "ft", "sr", "jr", "messrs", "hon", "pres", "amb", "supt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "vs", "v", "etc", "approx", "est", "inc", "corp", "co", "ltd", "dept", "univ",
    "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "d.c", "al",
}
NUMBER_ABBREVIATIONS = {"no", "nos", "vol", "art", "p", "pp"}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]{0,20})\.$")  # bounded: linear on long runs of letters
MIN_REPEAT_CHARS = 12  # shorter lines ("Reuters", "FEB. 4, 2018") may legitimately recur... but see below


_NOT_NEWLINE = re.compile(r"[^\n\r]")


def apply_blanks(text: str, spans: list[tuple[int, int]], keep: dict[int, str] | None = None) -> str:
    """``text`` with every span replaced by spaces (line breaks kept): same length, same offsets.
    ``keep`` puts single stand-in characters back at given offsets (a line break for a block tag)."""
    if not spans:
        return text
    pieces, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        pieces.append(text[pos:start])
        pieces.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        pos = end
    pieces.append(text[pos:])
    out = "".join(pieces)
    if keep:
        out = _put_chars(out, {i: ch for i, ch in keep.items() if 0 <= i < len(out)})
    return out


def _entity_character(entity: str) -> str:
    """The one character an entity stands for ("&mdash;" -> "—"); a space for spacing ones and for what
    is not one character (an unknown name, a code point that is no character)."""
    character = html.unescape(entity)
    if len(character) != 1 or character == "\ufffd" or unicodedata.category(character) in ("Cc", "Cs", "Zs"):
        return " "
    return character


def _put_chars(text: str, chars: dict[int, str]) -> str:
    pieces, pos = [], 0
    for i in sorted(chars):
        pieces.append(text[pos:i])
        pieces.append(chars[i])
        pos = i + 1
    pieces.append(text[pos:])
    return "".join(pieces)


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _normalise_line(line: str) -> str:
    line = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(re.findall(r"\w+", line))


def boilerplate_reason(line: str) -> str | None:
    """The boilerplate rule a whole line matches, or None when it is (possibly) content.

    >>> boilerplate_reason("ad ad ad"), boilerplate_reason("Raqqa fell in October.")
    ('ad residue', None)
    """
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_BOILERPLATE_LINE:
        return None
    for name, pattern in _BOILERPLATE:
        if pattern.search(stripped):
            return name
    return None


def _strip_markup(text: str, skipped: list[Skipped], source_format: str) -> str:
    """Blank HTML tags, scripts, comments and entities, or Markdown marks and link targets.

    An HTML entity becomes the character it stands for, padded with blanks to its length (offsets kept);
    a tag's quoted attributes may hold ">":

    >>> page = "<p>Fish &amp; chips&nbsp;&mdash;<img alt='a>b' onerror='go()'>cheap &#39;today&#39;</p>"
    >>> view = _strip_markup(page, [], "html")
    >>> view.split(), len(view) == len(page)
    (['Fish', '&', 'chips', '—', 'cheap', "'today'"], True)
    """
    is_html = source_format == "html" or (
        source_format in ("txt", "jsonl", "csv") and len(_HTML_HINT.findall(text[:20000])) >= 2)
    if is_html:
        spans, keep = [], {}
        for m in (_HTML_DROP if source_format == "html" else _HTML_DROP_CLOSED).finditer(text):
            spans.append((m.start(), m.end()))
        for m in _HTML_TAG.finditer(apply_blanks(text, spans)):  # a tag inside a script is no tag
            spans.append((m.start(), m.end()))
            if _HTML_BLOCK_TAG.match(m.group()):
                keep[m.start()] = "\n"  # a block tag ends a paragraph
        skipped.extend(Skipped(a, b, "markup") for a, b in spans)
        outside = apply_blanks(text, spans)  # entities in attributes and scripts are blanked with them
        for m in _HTML_ENTITY.finditer(outside):
            spans.append((m.start(), m.end()))
            # the character sits next to the word it belongs to: "&#39;Raqqa" -> "     'Raqqa"
            joins_next = m.end() < len(outside) and not outside[m.end()].isspace()
            keep[m.end() - 1 if joins_next else m.start()] = _entity_character(m.group())
        text = apply_blanks(text, spans, keep)
    elif source_format == "md":
        for pattern in (_MD_IMAGE, _MD_LINK_TARGET, _MD_MARKS, _MD_BRACKETS):
            spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
            skipped.extend(Skipped(a, b, "markup") for a, b in spans)
            text = apply_blanks(text, spans)
    return text


def make_document(article: Article) -> Document:
    """Cut an article into content sentences, blanking what is not content (offsets never move)."""
    text = article.text
    skipped: list[Skipped] = []
    view = _strip_markup(text, skipped, article.source_format)
    view_of_markup = view if view != text else ""
    # Links: a bare link line is skipped whole; a link inside prose is blanked (dates in URLs are not events).
    links = [(m.start(), m.end()) for m in _URL.finditer(text)]
    skipped.extend(Skipped(a, b, "link") for a, b in links)
    view = apply_blanks(view, links)
    seen_lines: set[str] = set()
    line_spans = []
    for start, end in _lines(view):
        line = view[start:end]
        if not line.strip():
            continue
        key = _normalise_line(line)
        if key and len(key) >= MIN_REPEAT_CHARS and key in seen_lines:
            reason = "repeat"  # a line seen before in this article is a pasted repeat: keep the first only
        elif _BARE_LINK_LINE.match(text[start:end]):
            reason = "link"
        elif boilerplate_reason(line):
            reason = "boilerplate"
        else:
            reason = None
        seen_lines.add(key)
        if reason:
            line_spans.append((start, end))
            skipped.append(Skipped(start, end, reason))
    clean = apply_blanks(view, line_spans)
    sentences = tuple(mark_furniture(clean, split_sentences(clean)))
    skipped.sort(key=lambda s: (s.start, s.end))
    return Document(article=article, sentences=sentences, skipped=tuple(skipped),
                    published=article.published, clean_text=clean, readable_text=view_of_markup)


# --- page furniture: lines that are not prose, recognised by their shape (never by a list of sites) ----
# Each rule is (name, pattern over the stripped line, example). A line is furniture when it is short and
# either matches one of these or does not end as a sentence does.
FURNITURE_RULES: list[tuple[str, str, str]] = [
    ("credit or byline", r"^(?:issued|posted|published|written|produced|compiled|edited|presented|brought to you)"
     r"\s+by\b|^(?:photo(?:graph)?s?|pictures?|image|video|credit|source|pc|caption|file photo)\b\s*[:|/-]",
     "Photo: a market street after the storm."),
    ("label and value", r"^[A-Z][\w&/.' -]{0,24}:\s+\S", "Filed under: Regional news"),
    ("player or share label", r"\b(?:media source|currently (?:un)?available|play(?:ing)? (?:video|audio)|click to"
     r"|tap to|share (?:on|via|this)|follow us|watch (?:live|now)|loading)\b", "No video source is currently available"),
]
_FURNITURE = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern, _ in FURNITURE_RULES]
FURNITURE_MAX_WORDS = 10  # a longer line is prose, whatever its shape
HEADLINE_MAX_WORDS = 25
_ENDS_AS_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")


def furniture_reason(line: str) -> str | None:
    """Why a short line is page furniture rather than prose, or None.

    >>> furniture_reason("Middle East"), furniture_reason("Photo: the harbour at dusk."), furniture_reason("He fled.")
    ('no sentence', 'credit or byline', None)
    """
    stripped = line.strip()
    words = _WORDS.findall(stripped)
    if not words or len(words) > FURNITURE_MAX_WORDS:
        return None
    for name, pattern in _FURNITURE:
        if pattern.search(stripped):
            return name
    return None if _ENDS_AS_SENTENCE.search(stripped) else "no sentence"


def mark_furniture(clean: str, sentences: list[Sentence]) -> list[Sentence]:
    """Give each one-line paragraph its kind: the first title-shaped line near the top is the headline;
    other short lines that do not read as sentences (captions, menus, labels) are furniture; a line that
    repeats a sentence of the lead in fewer words (a photo caption) is furniture too."""
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    out, headline_found = [], False
    lead: list[list[set[str]]] = []  # the words of the lead's sentences, read once a caption may repeat them

    def lead_words() -> list[set[str]]:
        if not lead:
            lead.append([set(w.casefold() for w in _WORDS.findall(clean[t.start:t.end])) for t in sentences[:12]])
        return lead[0]
    for position, s in enumerate(sentences):
        line = clean[s.start:s.end]
        kind = "prose"
        if len(by_paragraph[s.paragraph]) == 1:
            reason = furniture_reason(line)
            words = _WORDS.findall(line)
            title_shaped = (not _ENDS_AS_SENTENCE.search(line.strip()) and 4 <= len(words) <= HEADLINE_MAX_WORDS
                            and sum(ch.isdigit() for ch in line) < 4 and reason in (None, "no sentence"))
            if not headline_found and position < 4 and title_shaped:
                kind, headline_found = "headline", True
            elif reason:
                kind = "furniture"
            elif _repeats_lead(line, position, lead_words):
                kind = "furniture"
        out.append(s if kind == "prose" else Sentence(s.start, s.end, s.paragraph, kind))
    return out


def _repeats_lead(line: str, position: int, lead_words) -> bool:
    """``lead_words()``: the word sets of the lead's sentences (made only for a line long enough to ask)."""
    words = set(w.casefold() for w in _WORDS.findall(line))
    if len(words) < 5:
        return False
    return any(i != position and len(other) > len(words) and len(words & other) >= 0.85 * len(words)
               for i, other in enumerate(lead_words()))


def _paragraphs(clean: str) -> list[tuple[int, int]]:
    """Paragraph spans: blank-line separated blocks; inside a block, each line is its own paragraph
    unless the block is hard-wrapped prose (lines that end mid-sentence and continue lower-case).
    A plain scan over lines: no regex that could backtrack over long runs of blanked text."""
    paragraphs: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for start, end in _lines(clean):
        line = clean[start:end]
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(current)
            current = None
            continue
        start += len(line) - len(line.lstrip())
        end -= len(line) - len(line.rstrip())
        if current is not None and _continues(clean[current[0]:current[1]], clean[start:end]):
            current = (current[0], end)
        else:
            if current:
                paragraphs.append(current)
            current = (start, end)
    if current:
        paragraphs.append(current)
    return paragraphs


def _continues(previous: str, line: str) -> bool:
    prev = previous.rstrip()
    first = line.lstrip()[:1]
    return bool(prev) and prev[-1] not in ".!?:\"”’)]" and (first.islower() or first in ",;")


def split_sentences(clean: str) -> list[Sentence]:
    """Sentences of the cleaned text, with their paragraph numbers.

    >>> [clean[s.start:s.end] for clean in ["Gen. Paul J. Selva spoke in the U.S. Army base. He left."]
    ...  for s in split_sentences(clean)]
    ['Gen. Paul J. Selva spoke in the U.S. Army base.', 'He left.']
    """
    sentences: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(_paragraphs(clean)):
        start = p_start
        for m in _SENTENCE_END.finditer(clean, p_start, p_end):
            end = m.end()
            if _is_abbreviation(clean, m.start(), start):
                continue
            _add_sentence(sentences, clean, start, end, number)
            start = end
        _add_sentence(sentences, clean, start, p_end, number)
    return sentences


def _is_abbreviation(clean: str, dot: int, sentence_start: int) -> bool:
    if clean[dot] != ".":
        return False
    window = clean[max(sentence_start, dot - 20):dot + 1]
    m = _LAST_WORD.search(window)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in NUMBER_ABBREVIATIONS:  # "No. 5" but not "No. It is not."
        return bool(re.match(r"\s*\d", clean[dot + 1:dot + 4]))
    if word in ABBREVIATIONS:
        return True
    # an initial ("Paul J. Selva") or a dotted acronym ("U.S.") rarely ends a sentence before a capital
    return len(word) == 1 and word.isalpha() and clean[dot - 1].isupper()


def _add_sentence(sentences: list[Sentence], clean: str, start: int, end: int, paragraph: int) -> None:
    while start < end and clean[start].isspace():
        start += 1
    while end > start and clean[end - 1].isspace():
        end -= 1
    if end - start >= 2 and any(ch.isalnum() for ch in clean[start:end]):
        sentences.append(Sentence(start, end, paragraph))
