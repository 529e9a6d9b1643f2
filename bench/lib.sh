# lib.sh - what the shell benchmarks share (sourced by bench/run-*.sh).

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The resident memory of process $1, in KB.
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# Milliseconds since the epoch.
now_ms() { date +%s%3N; }
# Waits until the server on port $1 answers /readyz with 200.
wait_ready() { until curl -sf "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; do sleep 0.005; done; }
# Fails unless every command named is installed.
need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "$0: $t not installed (scripts/deps.sh bench)" >&2; exit 1; }
	done
}
