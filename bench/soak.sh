#!/usr/bin/env bash
# The chaos soak in one command: ChaosIT (sluice-it) with a long fault phase, writing the same report as the short run
# in ./mvnw verify. See docs/reliability.md.
#
# usage: bench/soak.sh [DURATION] [SEED]          defaults: PT15M of faults, a random seed (printed)
#   e.g. bench/soak.sh PT15M 7                    replay a soak: the same seed deals the same faults, targets and waits
#   OUT=/tmp/soak.txt bench/soak.sh               also write the report there (it is always kept in
#                                                 sluice-it/target/chaos/chaos-<seed>-<time>.txt)
#   MVN_ARGS=-o bench/soak.sh                     extra Maven arguments (here: offline)
#   SESSION_TIMEOUT=PT3S bench/soak.sh            the coordinator's session timeout (default PT10S; see the doc)
#
# Builds this checkout's service jars (package only: nothing is installed into ~/.m2, which other checkouts share),
# then runs the one test through failsafe. Exit status: 0 when the run found no anomaly.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
DURATION="${1:-PT15M}"
SEED="${2:-$(( (RANDOM << 15) | RANDOM ))}"
OUT="${OUT:-}"
SESSION_TIMEOUT="${SESSION_TIMEOUT:-PT10S}"
read -r -a EXTRA <<< "${MVN_ARGS:-}"

echo "soak: $DURATION of faults, seed $SEED, session timeout $SESSION_TIMEOUT" >&2
./mvnw -B -ntp -q "${EXTRA[@]}" -pl coordinator-service,partition-service,gateway-service -am package -DskipTests
./mvnw -B -ntp "${EXTRA[@]}" -pl sluice-it -am verify \
    -Dit.test=ChaosIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
    -Djacoco.skip=true \
    -Dsluice.chaos.duration="$DURATION" -Dsluice.chaos.seed="$SEED" \
    -Dsluice.chaos.session-timeout="$SESSION_TIMEOUT" ${OUT:+-Dsluice.chaos.report="$OUT"}
