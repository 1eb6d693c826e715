"""A synthetic corpus of real-looking news articles, for benchmarks and load tests.

    python bench/corpus.py OUT_DIR --articles 10000 [--seed 11]

writes ``OUT_DIR/NNNNNN.txt`` (one article per file) and ``OUT_DIR/metadata.json`` (title, outlet, url,
publication date), the layout ``python -m dashboard build --corpus OUT_DIR`` reads.

What the articles are like, so that a build over them costs what a build over real reporting costs:
a dateline lead, 8 to 18 paragraphs of 1 to 3 sentences each, and about 3,000 characters (news wire
length), reporting strikes, battles, bombings, captures, arrests and displacement in the towns of Syria
and Iraq, with reactions from world capitals. Dates come in the forms newspapers use (weekdays, "on 14
March", "last month", "in the summer of 2016", "two days later") beside numbers that are not dates
("a 25-year-old", "$20 million", "for three years"); quotes, attributions and wire boilerplate ("Reporting
by ..."; "All rights reserved") are mixed in. Every event sentence carries details of its own (generated
people, villages, districts, numbers), so that, as in real coverage, two articles share a sentence only
now and then: duplicate merging then costs what it costs on real reporting. Everything is generated from the general templates below
with a seeded random generator: the same seed gives the same corpus, byte for byte.

>>> articles = synthetic_articles(2, seed=1)
>>> sorted(articles[0]) == ["id", "outlet", "published", "text", "title", "url"]
True
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

# Real places of the reporting (towns, governorates, regions), by country, with a rough weight.
PLACES = {
    "Syria": ["Raqqa", "Deir ez-Zor", "Aleppo", "Damascus", "Homs", "Palmyra", "Manbij", "Kobani", "Hasakah",
              "Qamishli", "Idlib", "Tabqa", "Al-Bab", "Jarablus", "Mayadin", "Abu Kamal", "Hajin", "Baghouz",
              "Tal Abyad", "Ras al-Ain", "Hama", "Daraa", "Azaz", "Afrin", "Sukhnah", "Shaddadi"],
    "Iraq": ["Mosul", "Baghdad", "Fallujah", "Ramadi", "Tikrit", "Kirkuk", "Erbil", "Sinjar", "Tal Afar",
             "Samarra", "Baiji", "Haditha", "Qaim", "Hawija", "Baqubah", "Basra", "Najaf", "Karbala",
             "Sulaimaniyah", "Dohuk", "Rutba", "Qayyarah", "Hit", "Amerli"],
    "Turkey": ["Gaziantep", "Sanliurfa", "Istanbul", "Ankara", "Kilis", "Akcakale"],
    "Jordan": ["Amman", "Zarqa"],
    "Lebanon": ["Beirut", "Arsal", "Tripoli"],
}
PROVINCES = {"Syria": ["Raqqa province", "Deir ez-Zor province", "Aleppo province", "Homs province",
                       "Idlib province", "Hasakah province"],
             "Iraq": ["Anbar province", "Nineveh province", "Salahuddin province", "Diyala province",
                      "Kirkuk province"]}
REGIONS = ["the Euphrates valley", "the Syrian desert", "the Iraqi-Syrian border", "northern Syria",
           "eastern Syria", "western Iraq", "northern Iraq", "the Nineveh plains", "the Anbar desert"]
CAPITALS = ["Washington", "Moscow", "London", "Paris", "Ankara", "Tehran", "Brussels", "Berlin", "Geneva"]
COUNTRY_THEATRE_WEIGHTS = {"Syria": 0.5, "Iraq": 0.4, "Turkey": 0.05, "Jordan": 0.02, "Lebanon": 0.03}

OUTLETS = [("Reuters", "reuters.com"), ("Associated Press", "apnews.com"), ("Agence France-Presse", "afp.com"),
           ("Al Jazeera", "aljazeera.com"), ("BBC News", "bbc.co.uk"), ("The Guardian", "theguardian.com"),
           ("The New York Times", "nytimes.com"), ("The Washington Post", "washingtonpost.com"),
           ("Rudaw", "rudaw.net"), ("The National", "thenationalnews.com"), ("Middle East Eye", "middleeasteye.net")]
REPORTERS = ["Ellen Francis", "Ahmed Rasheed", "Tom Perry", "Maher Chmaytelli", "Sarah Dadouch", "Omar Fahmy",
             "Laila Bassam", "John Davison", "Raya Jalabi", "Dominic Evans", "Suleiman al-Khalidi", "Nadia Saeed"]
EDITORS = ["Peter Graff", "Alison Williams", "Janet Lawrence", "Mark Heinrich", "Richard Balmforth"]

FORCES = ["the Syrian Democratic Forces", "Iraqi security forces", "the US-led coalition", "Kurdish Peshmerga fighters",
          "Syrian government forces", "Turkish-backed rebels", "the Popular Mobilization Forces",
          "Iraqi counter-terrorism troops", "Russian-backed militias", "the Kurdish YPG militia"]
MILITANTS = ["Islamic State militants", "Islamic State fighters", "IS militants", "jihadists", "ISIS fighters",
             "militants loyal to Islamic State", "the hardline group's fighters"]
SOURCES = ["the Syrian Observatory for Human Rights", "a military spokesman", "local officials", "residents",
           "a security source", "the coalition", "a medical source", "state media", "a local council member",
           "the United Nations", "activists"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "ten", "a dozen"]

# Reporting sentences; {date} is a date expression near the publication date, {place} a town.
EVENT_SENTENCES = [
    "Coalition air strikes hit {group} positions near {place} {date}, {source} said.",
    "{Forces} pushed into the eastern districts of {place} {date} after weeks of heavy fighting.",
    "A car bomb exploded at a checkpoint in {place} {date}, killing {n} people and wounding {m}, {source} said.",
    "{Forces} said they had taken full control of {place} {date}.",
    "At least {n} civilians were killed when shells landed on a market in {place} {date}.",
    "{Militants} attacked an army post outside {place} {date}, {source} told reporters.",
    "Thousands of families fled {place} {date} as the fighting drew closer, according to {source}.",
    "Security forces arrested {n} suspected members of a militant cell in {place} {date}.",
    "A suicide bomber blew himself up near a mosque in {place} {date}, {source} said.",
    "{Forces} recaptured the road linking {place} to {place2} {date}.",
    "Aid agencies reached {place} {date} for the first time since the siege began.",
    "{Militants} withdrew from {place} {date}, leaving behind mines and booby traps, {source} said.",
    "An improvised explosive device killed {n} soldiers on the road south of {place} {date}.",
    "Drones struck a convoy heading towards {place} {date}, {source} said.",
    "The bodies of {n} people were found in a mass grave near {place} {date}.",
]
# What makes each report its own: one or two of these details follow the date of an event sentence,
# filled with generated names, villages and numbers, so that two articles rarely share a sentence
# unless they report the same thing (as in real coverage).
DETAILS = [
    " after a {k}-hour battle with fighters led by a commander known as Abu {given}",
    " near the {ordinal} checkpoint on the road to {village}",
    " in the {district} district, where {k} families had been sheltering",
    " in an operation that {person}, a spokesman for {forces}, called decisive",
    " using {weapon}",
    " days after {person} was appointed governor of the area",
    " as {k} ambulances reached the {given} hospital",
    " close to the village of {village}",
    " while {k} aircraft circled overhead",
    " despite warnings issued by {person} on local radio",
    " in what {person} described as revenge for the deaths of {k} fighters",
    " at a market on {district} street",
]
GIVEN_NAMES = ["Ahmed", "Mohammed", "Omar", "Khalid", "Hassan", "Hussein", "Ali", "Youssef", "Ibrahim", "Mahmoud",
               "Saleh", "Karim", "Tariq", "Walid", "Bashar", "Nizar", "Adnan", "Fadel", "Jamal", "Rami", "Layla",
               "Amira", "Hana", "Rania", "Noor", "Samira", "Dalal", "Zainab", "Maryam", "Farah"]
FAMILY_NAMES = ["al-Jabouri", "al-Obeidi", "al-Dulaimi", "Haddad", "Khalaf", "al-Ani", "Mansour", "al-Shammari",
                "Darwish", "al-Hamdani", "Sabbagh", "al-Rawi", "Qassem", "al-Tikriti", "Barzani", "Suleiman",
                "al-Kurdi", "Nasser", "al-Zubaidi", "Rashid"]
VILLAGE_PARTS = (["Tal", "Khirbet", "Ain", "Bir", "Umm", "Kafr", "Qasr", "Jisr", "Hamam", "Marj"],
                 ["Zahra", "Hamid", "Shaikh", "Abbas", "Nasr", "Karim", "Safa", "Jamil", "Rumman", "Sabil",
                  "Khadra", "Ghazal", "Marwan", "Dawud", "Hilal", "Rashed", "Salam", "Tayyib", "Fayez", "Mazen"])
DISTRICTS = ["al-Jadida", "al-Zuhur", "al-Tahrir", "al-Sinaa", "al-Qadisiya", "al-Andalus", "al-Nour", "al-Karama",
             "al-Thawra", "al-Mansour", "al-Salam", "al-Rashidiya"]
WEAPONS = ["mortar rounds", "drones carrying explosives", "rocket-propelled grenades", "a truck packed with explosives",
           "heavy machine guns", "anti-tank missiles", "sniper fire", "artillery"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "last"]

FOLLOW_UPS = [
    "{Later}, the fighting spread to {village} and other villages around {place}.",
    "{Later}, {person} of {source} said the death toll had risen to {k}.",
    "{Later}, {forces} launched a counter-offensive from {village} with {weapon}.",
    "The attack came {later2} after a similar one in the {district} district of {place}.",
    "{Later}, {k} people were still missing, {person} said.",
]
BACKGROUND = [
    "Islamic State seized large parts of Syria and Iraq in {year} and declared a caliphate from Mosul.",
    "{Place} had been held by the group since {month} {year}.",
    "The group lost its last territory in the village of Baghouz in March 2019 but its cells still mount attacks.",
    "More than {n},000 people have been displaced from {region} since the offensive began in {month}.",
    "The United Nations says the war has killed hundreds of thousands of people since {year}.",
    "The coalition has carried out thousands of strikes in {region} since {year}.",
    "Rebuilding the city will cost more than ${n} billion, officials estimated {date_far}.",
    "Officials in {capital} said {date_near} they would keep troops in the region for three more years.",
    "A 25-year-old fighter captured in {place} told interrogators he had joined the group in {year}.",
    "The talks in {capital} {date_near} failed to agree on a ceasefire.",
]
QUOTES = [
    "\u201cThe situation is very difficult, people have nothing left,\u201d said a resident of {place} who asked not to be named.",
    "\u201cWe will not stop until the last militant has been driven out,\u201d a commander told {outlet}.",
    "\u201cThey are weakened, but they are not defeated,\u201d a Western diplomat in {capital} said {date_near}.",
    "\u201cEvery day we find more bodies under the rubble,\u201d said a civil defence worker in {place}.",
    "\u201cWe have been waiting for {n} months for help,\u201d said a mother of {m} in a camp near {place}.",
]
BOILERPLATE = [
    "Reporting by {reporter}; Editing by {editor}",
    "Additional reporting by {reporter} in {capital}; Writing by {reporter2}",
    "Copyright {pub_year} {outlet}. All rights reserved.",
    "Read more: {outlet} coverage of the war in Syria",
    "Follow {outlet} on Twitter for the latest updates.",
]
TITLES = [
    "{Forces} advance on {place} as militants retreat",
    "Bomb attack kills {n} in {place}",
    "Thousands flee fighting around {place}",
    "Air strikes pound Islamic State positions near {place}",
    "{place} residents return to ruins after militants driven out",
    "Islamic State claims attack in {place}",
    "Mass grave found near {place}",
]


class _Writer:
    """One article's random choices, around its publication date."""

    def __init__(self, rng: random.Random, published: dt.date, outlet: str):
        self.rng = rng
        self.published = published
        self.outlet = outlet
        self.country = rng.choices(list(COUNTRY_THEATRE_WEIGHTS), weights=list(COUNTRY_THEATRE_WEIGHTS.values()))[0]
        self.focus = rng.choice(PLACES[self.country])

    def place(self) -> str:
        rng = self.rng
        if rng.random() < 0.35:
            return self.focus
        if rng.random() < 0.1 and self.country in PROVINCES:
            return rng.choice(PROVINCES[self.country])
        country = self.country if rng.random() < 0.8 else rng.choice(["Syria", "Iraq"])
        name = rng.choice(PLACES[country])
        return f"{name}, {country}" if rng.random() < 0.1 else name

    def near_day(self) -> dt.date:
        return self.published - dt.timedelta(days=self.rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 6, 8, 12, 20, 30]))

    def date_near(self) -> str:
        """A date expression as news writes one, for a day shortly before publication."""
        rng, day = self.rng, self.near_day()
        form = rng.randrange(9)
        if form in (0, 1, 2):
            return f"on {WEEKDAYS[day.weekday()]}"
        if form == 3:
            return f"on {day.day} {MONTHS[day.month - 1]}"
        if form == 4:
            return f"on {MONTHS[day.month - 1]} {day.day}, {day.year}"
        if form == 5:
            return rng.choice(["last week", "earlier this month", "last month", "this week", "yesterday",
                               "earlier this year", "over the weekend"])
        if form == 6:
            return f"on {WEEKDAYS[day.weekday()]} night"
        if form == 7:
            return f"on the morning of {day.day} {MONTHS[day.month - 1]}"
        return f"on {day.isoformat()}"

    def date_far(self) -> str:
        rng = self.rng
        year = rng.randint(2013, self.published.year)
        form = rng.randrange(5)
        if form == 0:
            return f"in {year}"
        if form == 1:
            return f"in {MONTHS[rng.randrange(12)]} {year}"
        if form == 2:
            return f"in the {rng.choice(['summer', 'spring', 'autumn', 'winter'])} of {year}"
        if form == 3:
            return f"in early {year}"
        return "a year ago"

    def event(self, template: str) -> str:
        """An event sentence with one or two details of its own after the date."""
        rng = self.rng
        details = "".join(rng.sample(DETAILS, rng.choice([1, 1, 2])))
        return self.fill(template.replace("{date}", "{date}" + details, 1))

    def fill(self, template: str) -> str:
        rng = self.rng
        forces, militants = rng.choice(FORCES), rng.choice(MILITANTS)
        values = {
            "date": self.date_near(), "date_near": self.date_near(), "date_far": self.date_far(),
            "place": self.place(), "place2": self.place(), "Place": self.focus, "region": rng.choice(REGIONS),
            "capital": rng.choice(CAPITALS), "source": rng.choice(SOURCES), "forces": forces,
            "Forces": forces[0].upper() + forces[1:], "group": rng.choice(["Islamic State", "IS", "ISIS", "jihadist"]),
            "Militants": militants[0].upper() + militants[1:], "n": str(rng.choice([2, 3, 4, 5, 7, 9, 12, 15, 23, 40])),
            "m": str(rng.choice([3, 6, 10, 18, 30])), "year": str(rng.randint(2013, self.published.year)),
            "month": rng.choice(MONTHS), "outlet": self.outlet,
            "Later": rng.choice(["Two days later", "The next day", "By Thursday", "A week later", "On Saturday",
                                 "Hours later", "Later that month"]),
            "later2": rng.choice(["three days", "a week", "two weeks", "a month"]),
            "reporter": rng.choice(REPORTERS), "reporter2": rng.choice(REPORTERS), "editor": rng.choice(EDITORS),
            "pub_year": str(self.published.year), "k": str(rng.randint(2, 400)), "given": rng.choice(GIVEN_NAMES),
            "person": f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}", "weapon": rng.choice(WEAPONS),
            "village": f"{rng.choice(VILLAGE_PARTS[0])} {rng.choice(VILLAGE_PARTS[1])}",
            "district": rng.choice(DISTRICTS), "ordinal": rng.choice(ORDINALS),
        }
        return template.format(**values)


def synthetic_article(number: int, rng: random.Random) -> dict:
    """One article: {"id", "text", "title", "outlet", "url", "published"} (ISO date)."""
    published = dt.date(2014, 6, 1) + dt.timedelta(days=rng.randrange(365 * 10))
    outlet, domain = rng.choice(OUTLETS)
    w = _Writer(rng, published, outlet)
    city = w.focus.upper()
    lead = (f"{city}, {w.country} ({outlet}) - " if rng.random() < 0.7 else "") + w.event(rng.choice(EVENT_SENTENCES))
    paragraphs = [lead]
    background_done = rng.random() < 0.4
    for _ in range(rng.randint(8, 18)):
        kind = rng.random()
        if kind < 0.6:
            sentences = [w.event(rng.choice(EVENT_SENTENCES)) for _ in range(rng.randint(1, 2))]
            if rng.random() < 0.5:
                sentences.append(w.fill(rng.choice(FOLLOW_UPS)))
        elif kind < 0.8 and not background_done:
            # At most one paragraph of wire background per article: reused lines like these recur across a
            # corpus (each in about one article in ten), as the agencies' background paragraphs do.
            sentences = [w.fill(line) for line in rng.sample(BACKGROUND, rng.randint(1, 2))]
            background_done = True
        else:
            sentences = [w.fill(rng.choice(QUOTES))]
        paragraphs.append(" ".join(sentences))
    paragraphs.extend(w.fill(line) for line in rng.sample(BOILERPLATE, rng.randint(1, 3)))
    title = w.fill(rng.choice(TITLES))
    slug = "-".join(title.lower().replace(",", "").split()[:8])
    article_id = f"synthetic-{number:06d}"
    return {"id": article_id, "text": "\n\n".join(paragraphs) + "\n", "title": title, "outlet": outlet,
            "url": f"https://www.{domain}/{published:%Y/%m/%d}/{slug}-{number}",
            "published": published.isoformat() if rng.random() < 0.9 else None}


def synthetic_articles(n: int, seed: int = 11) -> list[dict]:
    """``n`` articles, the same ones for the same seed."""
    rng = random.Random(seed)
    return [synthetic_article(i, rng) for i in range(n)]


def write_corpus(folder: str | Path, n: int, seed: int = 11) -> Path:
    """Write ``n`` articles as a corpus folder (.txt files + metadata.json); returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    metadata = []
    for article in synthetic_articles(n, seed):
        (folder / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
        metadata.append({k: article[k] for k in ("id", "title", "outlet", "url", "published")})
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=0, ensure_ascii=False), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", help="output corpus folder")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    write_corpus(args.folder, args.articles, args.seed)
    print(f"wrote {args.articles:,} articles to {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
