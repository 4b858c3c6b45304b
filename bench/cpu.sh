# Sourced by the bench scripts: the CPU time of running processes, by pid file.

ticks() {  # ticks PIDFILES: CPU seconds (user + system) of each process so far
  local f line=""
  for f in $1; do
    line+="$(basename "$f" .pid)=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$(cat "$f")/stat") "
  done
  echo "$line"
}
