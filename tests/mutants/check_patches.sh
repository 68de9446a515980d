#!/usr/bin/env bash
# Every seeded bug (tests/mutants/*.patch, measured by ci/mutants.sh) still
# applies to the source tree, and says what it is: the header fields
# Mutant (its file name less the number), Class, Origin and Bug.
#
#   tests/mutants/check_patches.sh SOURCE_ROOT
set -uo pipefail

root=${1:?usage: check_patches.sh SOURCE_ROOT}
failed=0
count=0
for patch in "$root"/tests/mutants/*.patch; do
  [[ -f "$patch" ]] || continue
  count=$((count + 1))
  file=${patch##*/}
  name=${file%.patch}
  name=${name#*-}
  for field in Mutant Class Origin Bug; do
    if ! grep -q "^$field: " "$patch"; then
      echo "FAIL $file: no '$field:' line in the header"
      failed=1
    fi
  done
  if [[ "$(sed -n 's/^Mutant: //p' "$patch" | head -n 1)" != "$name" ]]; then
    echo "FAIL $file: 'Mutant:' is not '$name'"
    failed=1
  fi
  # patch(1) checks against the files as they are, whether or not the tree
  # is a git checkout; git apply where there is no patch.
  if command -v patch >/dev/null; then
    applies() { patch -p1 --dry-run -s -f -d "$root" <"$1" 2>&1; }
  else
    applies() { (cd "$root" && git apply --check "$1" 2>&1); }
  fi
  if ! out=$(applies "$patch"); then
    echo "FAIL $file: does not apply any more; re-create it against the current source"
    printf '    %s\n' "$out"
    failed=1
  fi
done
if [[ $count -lt 15 ]]; then
  echo "FAIL only $count mutants in tests/mutants (the measurement needs at least 15)"
  failed=1
fi
[[ $failed -eq 0 ]] && echo "all $count mutants apply"
exit "$failed"
