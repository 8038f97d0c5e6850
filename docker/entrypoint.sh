#!/bin/sh
# mcp-watchdog's container entrypoint (issue 13). POSIX sh, no bash in the image.
# Contract, all through the environment (docker/.env.example documents each):
#   WATCHDOG_CONFIG         config file (default /etc/mcp-watchdog/watchdog.yaml; mount yours there, read-only)
#   WATCHDOG_HOST           bind address (default 0.0.0.0: reachable through the published port)
#   WATCHDOG_PORT           port (default 8765; the HEALTHCHECK reads the same variable)
#   WATCHDOG_TOKENS         Bearer tokens, comma-separated, one per developer (or WATCHDOG_TOKEN: one shared)
#   WATCHDOG_ALLOWED_HOSTS  Host names clients use, comma-separated (empty: any name; tokens still required)
#   WATCHDOG_DATA           writable folder for the SQLite store (default /data, the volume)
# It refuses to start `run` on a non-loopback address without a token, before anything starts, with a
# message saying what to set: a teammate must never reach an open gateway by accident. Arguments that are
# not a watchdog command (e.g. `sh`) are run as given, for debugging the image.
set -eu

fail() {
  printf 'mcp-watchdog entrypoint: %s\n' "$*" >&2
  exit 2
}

here=$(dirname -- "$0")
main="$here/../dist/cli/main.js"

case "${1:-run}" in
  run | stdio | status | findings | scan | import | eval | help | -*) ;;
  *) exec "$@" ;;
esac
[ "$#" -gt 0 ] || set -- run

export WATCHDOG_CONFIG="${WATCHDOG_CONFIG:-/etc/mcp-watchdog/watchdog.yaml}"
export WATCHDOG_HOST="${WATCHDOG_HOST:-0.0.0.0}"
export WATCHDOG_PORT="${WATCHDOG_PORT:-8765}"
export WATCHDOG_DATA="${WATCHDOG_DATA:-/data}"
export WATCHDOG_TOKENS="${WATCHDOG_TOKENS:-${WATCHDOG_TOKEN:-}}"
# WATCHDOG_PUBLIC_HOST was the old, single-name spelling.
export WATCHDOG_ALLOWED_HOSTS="${WATCHDOG_ALLOWED_HOSTS:-${WATCHDOG_PUBLIC_HOST:-}}"

[ -r "$WATCHDOG_CONFIG" ] || fail "config $WATCHDOG_CONFIG is missing or unreadable: mount your watchdog.yaml there (read-only is fine) or set WATCHDOG_CONFIG"

if [ "$1" = run ]; then
  case "$WATCHDOG_HOST" in
    127.* | localhost | ::1 | '[::1]') loopback=yes ;;
    *) loopback=no ;;
  esac
  # Configs that take their tokens elsewhere are checked by the gateway itself (it refuses such a bind too).
  if [ "$loopback" = no ] && [ -z "$WATCHDOG_TOKENS" ] && grep -q 'WATCHDOG_TOKENS' "$WATCHDOG_CONFIG"; then
    fail "no token set: the gateway listens on $WATCHDOG_HOST:$WATCHDOG_PORT, reachable from other machines, so every client must send a Bearer token. Set WATCHDOG_TOKENS (comma-separated, one per developer, at least 16 characters each, e.g. from 'openssl rand -hex 24') or WATCHDOG_TOKEN; see docker/.env.example."
  fi
  mkdir -p "$WATCHDOG_DATA" 2>/dev/null || true
  [ -w "$WATCHDOG_DATA" ] || fail "$WATCHDOG_DATA is not writable by uid $(id -u): the store lives there (for a bind mount: chown $(id -u) on the host folder)"
fi

exec node "$main" "$@"
