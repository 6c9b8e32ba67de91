#!/bin/sh
# The CLI adding one new article to a copy of a saved run, in a new process, with stage timers (BENCHMARKS §5h).
#
# Usage (from this checkout's root, so that the saved run's relative input paths resolve as when it was made):
#   bench/add_scaled.sh CODE SAVED LABEL INPUTS...
#   CODE    a checkout whose compare/ is timed (PYTHONPATH=CODE; bench/add_stages.py of this checkout runs it)
#   SAVED   an `analyze INPUTS --out SAVED` folder (e.g. bench/scaled_saved.py's BASIL x 34); copied, never written
#   LABEL   names the work folder (${WORK:-/tmp/parallax-add}/LABEL) and the time line
#   INPUTS  the inputs SAVED analysed, then a folder with the new article (and its sources.csv): nothing is
#           written into the inputs, so a shared corpus folder can be named
# The added article is new to the run's store (a new one in the work folder): segmented and embedded.
set -e
CODE=$1; SAVED=$2; LABEL=$3; shift 3
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/parallax-add}/$LABEL
rm -rf "$WORK"; mkdir -p "$WORK"
cp -r "$SAVED" "$WORK/out"
sync
echo "$LABEL load before $(cut -d' ' -f1 /proc/loadavg)"
PYTHONPATH=$CODE HF_HUB_OFFLINE=1 /usr/bin/time -f "$LABEL: %e s wall, %U s user, %S s sys, peak %M KB, %R minor faults, %F major faults" \
    python "$HERE/add_stages.py" analyze "$@" --out "$WORK/out" --store "$WORK/fresh.sqlite3" --quiet
echo "$LABEL load after $(cut -d' ' -f1 /proc/loadavg)"
rm -rf "$WORK"
