#!/usr/bin/env bash
# Rebuilds villages.csv.gz: the settlements (villages, hamlets, towns) of OpenStreetMap that the PyPI package
# safesignal-geo 0.2.0 bundles for Nigeria, with their point, state and LGA (see README.md). Build time only;
# the package itself is never installed.
#   bash data/gazetteer/build_villages.sh        (needs pip and python3; a minute)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m pip download --quiet --no-deps --only-binary=:all: -d "$work" safesignal-geo==0.2.0
"$python" - "$work"/safesignal_geo-0.2.0-py3-none-any.whl "$here/villages.csv.gz" <<'PY'
import csv, gzip, io, sys, zipfile

with zipfile.ZipFile(sys.argv[1]) as wheel:
    text = wheel.read("safesignal_geo/data/nigeria_v0.2.csv").decode("utf-8")
out = io.StringIO()
out.write("# OpenStreetMap settlements (place=city/town/village/hamlet) of Nigeria, (c) OpenStreetMap contributors,\n"
          "# Open Database License 1.0 (opendatacommons.org/licenses/odbl/1.0/), as the PyPI package safesignal-geo\n"
          "# 0.2.0 bundles them: country code, name, point, first-level division (state) and second (LGA).\n")
writer = csv.writer(out, lineterminator="\n")
writer.writerow(["country_code", "name", "lat", "lon", "province", "district"])
rows = [r for r in csv.DictReader(io.StringIO(text))
        if r["type"] == "settlement" and r["source"].startswith("osm:") and r["license"].startswith("ODbL")]
rows.sort(key=lambda r: (r["canonical_name"], r["lat"], r["lng"]))
for row in rows:
    state = "" if row["admin_state"] == "Unknown" else row["admin_state"].strip()
    writer.writerow(["NG", row["canonical_name"].strip(), round(float(row["lat"]), 5), round(float(row["lng"]), 5),
                     state, row["admin_lga"].strip()])
with gzip.GzipFile(sys.argv[2], "wb", mtime=0) as handle:
    handle.write(out.getvalue().encode("utf-8"))
print(len(rows), "settlements")
PY
ls -l "$here/villages.csv.gz"
