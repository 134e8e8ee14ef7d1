#!/bin/bash
# Every output presskit makes from the example and the test fixtures, with a fixed
# SOURCE_DATE_EPOCH, and a manifest of their SHA-256: run it before and after a change
# that should not alter any output, then `diff BEFORE/manifest AFTER/manifest`.
#
# usage: tools/snapshot.sh OUT   (from the repository's folder; PY=python to use)
set -u
ROOT=$(pwd)
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
rm -rf "${OUT:?}"/*
export PYTHONPATH=$ROOT/src SOURCE_DATE_EPOCH=1790000000 TZ=UTC HOME=$OUT/home
export XDG_STATE_HOME=$OUT/state XDG_CACHE_HOME=$OUT/cache
mkdir -p "$OUT/home"
cp -r "$ROOT/tests/fixtures" "$OUT/fx"
cp -r "$ROOT/examples" "$OUT/ex"
cd "$OUT" || exit 1
P() { "$PY" -m presskit "$@"; }
{
    for c in "" build check new schema preview mail send import site; do P $c --help; done
    P schema
    P --version
} >texts.txt 2>&1
printf 'email,name,outlet,language\nana@example.org,Ana Ruiz,Le Journal,fr\nbob@example.com,Bob Smith,The Daily,en\n' >rcpt.csv
printf 'from: Press office <press@example.org>\n' >mailcfg.yaml
for c in ex/*.yaml fx/*.yaml fx/*/release.yaml; do
    n=$(echo "$c" | tr '/.' '__')
    { P build "$c" -o "out/$n"; echo "rc $?"; P check "$c"; echo "rc $?"; P check --format json "$c"
      P mail "$c" --to rcpt.csv --config mailcfg.yaml -o "mail/$n"; echo "rc $?"; } >>texts.txt 2>&1
done
{ P site ex/*.yaml fx/*/release.yaml -o site --base-url https://news.example.org/; echo "rc $?"
  P new newrel; P new --kit newkit; P build newrel/release.yaml -o out/newrel; echo "rc $?"; } >>texts.txt 2>&1
sed -i -e "s#$OUT#OUT#g" -e "s/in [0-9.]* s$/in T s/" texts.txt
find mail -name "*.eml" -exec sed -i "/^Date: /d" {} +
find out mail site newrel newkit texts.txt -type f | sort | xargs sha256sum >manifest
echo "$(wc -l <manifest) files: $OUT/manifest"
