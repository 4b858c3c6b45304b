#!/usr/bin/env bash
# The VM's free page reporting, which decides what a page-cache write costs on a virtual machine like the project's
# box (docs/benchmarks/history.md, fourteenth part).
#
# usage: bench/page-reporting.sh show | hold | restore
#   show     the guest kernel's page_reporting parameters, or that this machine has none
#   hold     (root) stops the guest handing free memory back to the hypervisor, then touches every free page once
#            (a JVM with -XX:+AlwaysPreTouch), so that later page-cache writes land on pages the host already backs;
#            the values it replaced are kept in $STATE for restore
#   restore  (root) puts back the values hold replaced
#
# PAGE_REPORTING_PARAMS names another parameter directory and PAGE_REPORTING_TOUCH=0 skips the touch (the script's
# own test uses both, on a directory of plain files).
#
# With reporting on (the box's default), a block of memory freed for a few seconds (a deleted topic's page cache, a
# JVM that exited) goes back to the hypervisor, and the next write into it faults it in again on the host: writing a
# file into such pages took 2-6 times the system CPU of writing into pages reused at once (`dd`, 2 GiB). Every
# broker on the box pays that per byte it writes, so a benchmark that runs after another one, or after a pause,
# measures a different machine. Hold it for both systems of a comparison, or for neither, and say which.
set -euo pipefail

PARAMS="${PAGE_REPORTING_PARAMS:-/sys/module/page_reporting/parameters}"
STATE="${STATE:-/tmp/sluice-page-reporting.saved}"
# Free blocks are reported from this order up. x86-64's largest free block is order 10 (4 MiB), so 11 reports none
# (on the box, reported_kib stays put); a kernel that keeps the parameter within its orders refuses 11, and hold
# says so.
HELD_ORDER=11
HELD_MIN_FREE_MS=60000

show() {
  if [[ ! -d "$PARAMS" ]]; then
    echo "page reporting: none on this machine (no $PARAMS)"
    return 0
  fi
  local p
  for p in "$PARAMS"/*; do
    printf 'page reporting: %s=%s\n' "$(basename "$p")" "$(cat "$p")"
  done
}

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then echo "$JAVA_HOME/bin/java"; else command -v java; fi
}

hold() {
  [[ -d "$PARAMS" ]] || { echo "nothing to hold: no $PARAMS on this machine" >&2; return 0; }
  [[ -w "$PARAMS/page_reporting_order" ]] || { echo "hold needs root (writes $PARAMS)" >&2; return 1; }
  if [[ ! -f "$STATE" ]]; then
    echo "page_reporting_order=$(cat "$PARAMS/page_reporting_order")" > "$STATE"
    if [[ -f "$PARAMS/min_free_ms" ]]; then
      echo "min_free_ms=$(cat "$PARAMS/min_free_ms")" >> "$STATE"
    fi
  fi
  echo "$HELD_ORDER" > "$PARAMS/page_reporting_order" \
    || { echo "this kernel refuses page_reporting_order=$HELD_ORDER: reporting cannot be held here" >&2; return 1; }
  if [[ -f "$PARAMS/min_free_ms" ]]; then
    echo "$HELD_MIN_FREE_MS" > "$PARAMS/min_free_ms" || true
  fi
  # Touch all but 2 GiB of what is available, in one short-lived JVM heap; its pages are freed at exit and, with
  # reporting held, stay backed by the host.
  local available_mib touch_mib
  available_mib=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
  touch_mib=$((available_mib - 2048))
  if [[ "${PAGE_REPORTING_TOUCH:-1}" != 0 ]] && ((touch_mib > 256)); then
    echo "touching ${touch_mib} MiB once"
    "$(java_bin)" -Xms${touch_mib}m -Xmx${touch_mib}m -XX:+AlwaysPreTouch -XX:+UseSerialGC -version > /dev/null 2>&1 \
      || echo "could not touch ${touch_mib} MiB: later writes may still land on pages the host has to fault in" >&2
  fi
  show
}

restore() {
  [[ -f "$STATE" ]] || { echo "nothing to restore: hold has not run (no $STATE)" >&2; return 0; }
  local line
  while IFS= read -r line; do
    echo "${line#*=}" > "$PARAMS/${line%%=*}"
  done < "$STATE"
  rm -f "$STATE"
  show
}

case "${1:-show}" in
  show) show ;;
  hold) hold ;;
  restore) restore ;;
  *) echo "usage: $0 show | hold | restore" >&2; exit 2 ;;
esac
