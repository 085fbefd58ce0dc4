#!/bin/sh
# How ormsh's cost grows with the size of its input, where it once grew
# quadratically (issue 12): start-up against the number of models (a chain
# of foreign keys, in memory), and combining Q objects with | in a loop.
# Prints each size's time and the growth exponent from the size before
# (1 = linear, 2 = quadratic).
#
#   cargo build --release && sh benches/scaling.sh
#   ORMSH=path/to/ormsh MODELS="1000 4000 16000 70000" TERMS="4000 16000 64000" sh benches/scaling.sh
set -eu
ORMSH=${ORMSH:-target/release/ormsh}
MODELS=${MODELS:-"1000 4000 16000 70000"}
TERMS=${TERMS:-"4000 16000 64000"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { # command... → wall seconds
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l
}

report() { # label size seconds previous_size previous_seconds
    if [ -n "$4" ]; then
        growth=$(echo "l($3 / $5) / l($2 / $4)" | bc -l)
        printf '%-8s %8d %9.3f s  growth %.2f\n' "$1" "$2" "$3" "$growth"
    else
        printf '%-8s %8d %9.3f s\n' "$1" "$2" "$3"
    fi
}

echo "start-up with N models (--models, in memory), first query on the last one"
prev_n="" prev_t=""
for n in $MODELS; do
    mkdir -p "$work/m$n/app"
    awk -v n="$n" 'BEGIN {
        print "from django.db import models\n"
        for (i = 0; i < n; i++) {
            print "class M" i "(models.Model):"
            print "    name = models.CharField(max_length=10)"
            if (i) print "    prev = models.ForeignKey(\"M" i - 1 "\", on_delete=models.CASCADE)"
            print ""
        }
    }' >"$work/m$n/app/models.py"
    t=$(seconds "$ORMSH" --models "$work/m$n/app/models.py" -c "M$((n - 1)).objects.filter(prev__name='x').count()")
    report models "$n" "$t" "$prev_n" "$prev_t"
    prev_n=$n prev_t=$t
done

echo "q |= Q(pk=i) N times, then len(q)"
prev_n="" prev_t=""
for n in $TERMS; do
    t=$(seconds "$ORMSH" -c "from django.db.models import Q
q = Q()
for i in range($n):
    q |= Q(pk=i)

len(q)")
    report terms "$n" "$t" "$prev_n" "$prev_t"
    prev_n=$n prev_t=$t
done
