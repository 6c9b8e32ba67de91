#!/bin/sh
# The CLI adding one article to a saved run, in a new process, timed (BENCHMARKS §5f).
#
# Usage: bench/add_once.sh CODE SAVED INPUT LABEL [python options...]
#   CODE   a checkout whose `python -m compare` is timed (run from its root, so its compare/ is used)
#   SAVED  an `analyze INPUT --out SAVED` folder; it is copied, never written
#   INPUT  the folder SAVED analysed (its manifest names those paths): the seed article (and
#          seeds/sources.csv, its outlet, unless INPUT has one) is copied into it and removed after
#   LABEL  names the work folder (${WORK:-/tmp/parallax-add}/LABEL) and the time line
# The added article is new to the run's store (a new one in the work folder): segmented and embedded.
set -e
CODE=$1; SAVED=$2; INPUT=$3; LABEL=$4; shift 4
SEEDS=$(cd "$(dirname "$0")/.." && pwd)/seeds
WORK=${WORK:-/tmp/parallax-add}/$LABEL
rm -rf "$WORK"; mkdir -p "$WORK"
cp -r "$SAVED" "$WORK/out"
cp "$SEEDS/003_ea7004de55ab861a.txt" "$INPUT/"
OURS=""; [ -e "$INPUT/sources.csv" ] || { cp "$SEEDS/sources.csv" "$INPUT/"; OURS="$INPUT/sources.csv"; }
cd "$CODE"
HF_HUB_OFFLINE=1 /usr/bin/time -f "$LABEL: %e s wall, %U s user, %S s sys, peak %M KB" \
    python "$@" -m compare analyze "$INPUT" --out "$WORK/out" --store "$WORK/fresh.sqlite3" --quiet || true
rm -f "$INPUT/003_ea7004de55ab861a.txt" $OURS
echo "$LABEL load $(cut -d' ' -f1 /proc/loadavg)"
