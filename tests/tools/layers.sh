#!/bin/bash
# The house rules of design.md, checked on the tree: hw/ includes nothing
# from recovery/ or src/, recovery/ nothing from src/, and nothing below
# src/ prints or exits (the simulator's report of protocol violations,
# which a test reads, aside). One line per breach; exit 1 if any.
cd "$(dirname "$0")/../.." || exit 2
bad=0
breach() { echo "layers: $1"; bad=1; }
while IFS= read -r hit; do breach "$hit: hw/ includes from above"; done \
	< <(grep -Hn '#include "\(src\|recovery\)/' hw/*.[ch] hw/sim/*.[ch])
while IFS= read -r hit; do breach "$hit: recovery/ includes from src/"; done \
	< <(grep -Hn '#include "src/' recovery/*.[ch])
while IFS= read -r hit; do breach "$hit: only src/ prints or exits"; done \
	< <(grep -HnE '\b(printf|puts|perror|exit|_exit|abort)\(|\b(stdout|stderr)\b' hw/*.c hw/sim/*.c recovery/*.c |
	    grep -v '^hw/bus_sim\.c:[0-9]*:.*sim: protocol violation')
exit $bad
