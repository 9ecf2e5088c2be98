#!/bin/sh
# Golden reports: `headroom run` on a small generated fleet (tools/golden.sh)
# must give byte for byte the nine files in tests/golden/, at 1 and 3
# threads. `make golden` regenerates them after a deliberate change.
. "$HR_TOP/tests/cli/lib.sh"
G=$HR_TOP/tests/golden
for th in 1 3; do
    rm -rf "$T/g$th"
    if OMP_NUM_THREADS=$th sh "$HR_TOP/tools/golden.sh" "$HR_BUILD" "$HEADROOM" "$T/g$th"; then ok; else bad "golden run failed"; fi
    for f in capacity.html capacity.json capacity.md problems.html problems.json problems.md summary.csv \
        changes.json changes.md; do
        if [ ! -f "$G/$f" ]; then bad "tests/golden/$f missing (make golden)"; continue; fi
        if cmp -s "$G/$f" "$T/g$th/rep/latest/$f"; then ok; else
            bad "$f differs from tests/golden/$f at $th threads: $(diff "$G/$f" "$T/g$th/rep/latest/$f" | head -6)"
        fi
    done
done
summary golden
