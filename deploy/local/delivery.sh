#!/usr/bin/env bash
# The local progressive-delivery stack: HAProxy in front of two versions of the demo service
# (stable v1 and canary v2, conclave-demo-service), with HAProxy's admin runtime API on a unix
# socket under var/run/, and the conclave-devops config that maps service "demo" onto it.
# deploy/local/up calls it (or run it by hand); deploy/local/down stops what it started, by
# the PID files under var/run/.
#
#   delivery.sh start [--nats_url URL] [--canary_latency_ms N] [--canary_error_rate F]
#                     [--stable_version V] [--canary_version V] [--map VERSION=SERVER]...
#                     [--devops]
#   delivery.sh restart-canary [--latency_ms N] [--error_rate F]
#   delivery.sh restart-server stable|canary [--version V] [--latency_ms N] [--error_rate F]
#   delivery.sh stop
#   delivery.sh status
#
# --map adds a version to the devops config, served by server `stable` or `canary`: after v2
# was promoted onto `canary`, `--map v3=stable` plus `restart-server stable --version v3` lets
# the next rollout (v2 -> v3) run without restarting conclave-devops.
# start writes var/run/delivery.json (one line) and var/run/delivery.env (sourceable):
#   url, frontend_port, runtime_api, socket, backend, stats_url, metrics_url, devops_config,
#   stable_version/_server/_port/_pid, canary_version/_server/_port/_pid, haproxy_pid,
#   nats_url (empty: the demo service does not report samples)
# The traffic starts 100 % on stable (weights stable 100, canary 0, as haproxy.cfg.in says).
set -euo pipefail
source "$(dirname "$0")/common.sh"

DELIVERY_DIR="$VAR/delivery"
SOCKET="$RUN/haproxy.sock"
DEVOPS_CONFIG="$DELIVERY_DIR/devops.yaml"
SERVICE=demo

usage() {
  sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'
}

die() { echo "delivery: $*" >&2; exit 1; }

# start_version TAG VERSION PORT EXTRA-ARGS...: one demo-service process.
start_version() {
  local tag="$1" version="$2" port="$3"; shift 3
  local args=(--service "$SERVICE" --version "$version" --port "$port"
              --port_file "$RUN/demo-$tag.port" --log_level warn)
  [ -n "$NATS_URL" ] && args+=(--nats_url "$NATS_URL")
  rm -f "$RUN/demo-$tag.port"
  setsid "$BUILD/bin/conclave-demo-service" "${args[@]}" "$@" \
    >>"$LOGS/demo-$tag.log" 2>&1 </dev/null &
  echo $! >"$RUN/demo-$tag.pid"
  wait_for_file "$RUN/demo-$tag.port" 10 || die "demo $tag did not start, see $LOGS/demo-$tag.log"
}

render_haproxy_config() {
  sed -e "s|@ADMIN_SOCKET@|$SOCKET|" -e "s|@FRONTEND_PORT@|$FRONTEND_PORT|" \
      -e "s|@STABLE_PORT@|$STABLE_PORT|" -e "s|@CANARY_PORT@|$CANARY_PORT|" \
      -e "s|@STATS_PORT@|$STATS_PORT|" \
      "$ROOT/deploy/local/haproxy.cfg.in" >"$DELIVERY_DIR/haproxy.cfg"
  haproxy -c -q -f "$DELIVERY_DIR/haproxy.cfg" || die "invalid $DELIVERY_DIR/haproxy.cfg"
}

write_devops_config() {
  cat >"$DEVOPS_CONFIG" <<YAML
# conclave-devops: service "$SERVICE" is backend "demo" of the local HAProxy (docs/DEVOPS.md).
driver: haproxy
haproxy:
  runtime_api: unix@$SOCKET
  timeout: 2s
  services:
    $SERVICE:
      backend: demo
      servers:
        $STABLE_VERSION: stable
        $CANARY_VERSION: canary
YAML
  local m
  for m in ${EXTRA_MAPS[@]+"${EXTRA_MAPS[@]}"}; do
    echo "        ${m%%=*}: ${m#*=}" >>"$DEVOPS_CONFIG"
  done
}

write_state() {
  local pid_stable pid_canary pid_haproxy
  pid_stable=$(cat "$RUN/demo-stable.pid") pid_canary=$(cat "$RUN/demo-canary.pid")
  pid_haproxy=$(cat "$RUN/haproxy.pid")
  printf '{"service":"%s","url":"http://127.0.0.1:%s/","frontend_port":%s,"runtime_api":"unix@%s","socket":"%s","backend":"demo","stats_url":"http://127.0.0.1:%s/stats","metrics_url":"http://127.0.0.1:%s/metrics","devops_config":"%s","stable_version":"%s","stable_server":"stable","stable_port":%s,"stable_pid":%s,"canary_version":"%s","canary_server":"canary","canary_port":%s,"canary_pid":%s,"haproxy_pid":%s,"nats_url":"%s"}\n' \
    "$SERVICE" "$FRONTEND_PORT" "$FRONTEND_PORT" "$SOCKET" "$SOCKET" "$STATS_PORT" "$STATS_PORT" \
    "$DEVOPS_CONFIG" "$STABLE_VERSION" "$STABLE_PORT" "$pid_stable" "$CANARY_VERSION" \
    "$CANARY_PORT" "$pid_canary" "$pid_haproxy" "$NATS_URL" >"$RUN/delivery.json"
  cat >"$RUN/delivery.env" <<ENV
DELIVERY_SERVICE=$SERVICE
DELIVERY_URL=http://127.0.0.1:$FRONTEND_PORT/
DELIVERY_FRONTEND_PORT=$FRONTEND_PORT
DELIVERY_RUNTIME_API=unix@$SOCKET
DELIVERY_SOCKET=$SOCKET
DELIVERY_STATS_URL=http://127.0.0.1:$STATS_PORT/stats
DELIVERY_METRICS_URL=http://127.0.0.1:$STATS_PORT/metrics
DELIVERY_DEVOPS_CONFIG=$DEVOPS_CONFIG
DELIVERY_STABLE_VERSION=$STABLE_VERSION
DELIVERY_STABLE_PORT=$STABLE_PORT
DELIVERY_STABLE_PID=$pid_stable
DELIVERY_CANARY_VERSION=$CANARY_VERSION
DELIVERY_CANARY_PORT=$CANARY_PORT
DELIVERY_CANARY_PID=$pid_canary
DELIVERY_HAPROXY_PID=$pid_haproxy
DELIVERY_NATS_URL=$NATS_URL
ENV
}

start_devops() {
  [ -n "$NATS_URL" ] || die "--devops needs a NATS URL (--nats_url, or var/run/nats.url)"
  setsid "$BUILD/bin/conclave-devops" --config "$DEVOPS_CONFIG" --nats_url "$NATS_URL" \
    --addr_file "$RUN/devops.json" >"$LOGS/devops.log" 2>&1 </dev/null &
  echo $! >"$RUN/devops.pid"
  wait_for_file "$RUN/devops.json" 30 || die "conclave-devops did not start, see $LOGS/devops.log"
}

cmd_start() {
  NATS_URL="" STABLE_VERSION=v1 CANARY_VERSION=v2 CANARY_ARGS=() DEVOPS=0 EXTRA_MAPS=()
  [ -s "$RUN/nats.url" ] && NATS_URL=$(cat "$RUN/nats.url")
  while [ $# -gt 0 ]; do
    case "$1" in
      --nats_url) NATS_URL="$2"; shift ;;
      --canary_latency_ms) CANARY_ARGS+=(--latency_ms "$2"); shift ;;
      --canary_error_rate) CANARY_ARGS+=(--error_rate "$2"); shift ;;
      --stable_version) STABLE_VERSION="$2"; shift ;;
      --canary_version) CANARY_VERSION="$2"; shift ;;
      --map)
        [[ "$2" =~ ^[A-Za-z0-9._-]+=(stable|canary)$ ]] || die "--map wants VERSION=stable|canary, got '$2'"
        EXTRA_MAPS+=("$2"); shift ;;
      --devops) DEVOPS=1 ;;
      *) usage >&2; die "unknown argument $1" ;;
    esac
    shift
  done
  if pid_alive "$RUN/haproxy.pid"; then
    echo "delivery: already running ($RUN/delivery.json); delivery.sh stop first"
    return 0
  fi
  command -v haproxy >/dev/null || die "haproxy is not installed (deploy/local/install-deps)"
  for bin in conclave-demo-service conclave-loadgen; do
    [ -x "$BUILD/bin/$bin" ] || die "$BUILD/bin/$bin is missing; build it first"
  done
  mkdir -p "$RUN" "$LOGS" "$DELIVERY_DIR"
  rm -f "$SOCKET" "$RUN/delivery.json" "$RUN/delivery.env"
  STABLE_PORT=$(free_port) CANARY_PORT=$(free_port)
  FRONTEND_PORT=$(free_port) STATS_PORT=$(free_port)
  start_version stable "$STABLE_VERSION" "$STABLE_PORT"
  start_version canary "$CANARY_VERSION" "$CANARY_PORT" ${CANARY_ARGS[@]+"${CANARY_ARGS[@]}"}
  render_haproxy_config
  setsid haproxy -db -f "$DELIVERY_DIR/haproxy.cfg" >"$LOGS/haproxy.log" 2>&1 </dev/null &
  echo $! >"$RUN/haproxy.pid"
  wait_for_port "$FRONTEND_PORT" 10 || die "haproxy did not start, see $LOGS/haproxy.log"
  wait_for_file "$SOCKET" 10 || [ -S "$SOCKET" ] || die "no runtime API socket at $SOCKET"
  write_devops_config
  write_state
  [ "$DEVOPS" = 1 ] && start_devops
  cmd_status
}

cmd_restart_canary() { cmd_restart_server canary "$@"; }

# restart-server stable|canary [--version V] [--latency_ms N] [--error_rate F]: the process
# behind one HAProxy server is replaced on the same port, possibly as another version.
cmd_restart_server() {
  [ -s "$RUN/delivery.env" ] || die "not running (delivery.sh start)"
  source "$RUN/delivery.env"
  local tag="${1:-}" version="" args=()
  case "$tag" in stable|canary) shift ;; *) die "restart-server wants stable or canary, got '$tag'" ;; esac
  while [ $# -gt 0 ]; do
    case "$1" in
      --version) version="$2"; shift ;;
      --latency_ms) args+=(--latency_ms "$2"); shift ;;
      --error_rate) args+=(--error_rate "$2"); shift ;;
      *) die "unknown argument $1" ;;
    esac
    shift
  done
  NATS_URL="$DELIVERY_NATS_URL" SERVICE="$DELIVERY_SERVICE"
  STABLE_VERSION=$DELIVERY_STABLE_VERSION CANARY_VERSION=$DELIVERY_CANARY_VERSION
  STABLE_PORT=$DELIVERY_STABLE_PORT CANARY_PORT=$DELIVERY_CANARY_PORT
  FRONTEND_PORT=$DELIVERY_FRONTEND_PORT
  STATS_PORT=${DELIVERY_STATS_URL##*:}; STATS_PORT=${STATS_PORT%%/*}
  if [ "$tag" = stable ]; then
    STABLE_VERSION=${version:-$STABLE_VERSION}
    version=$STABLE_VERSION port=$STABLE_PORT
  else
    CANARY_VERSION=${version:-$CANARY_VERSION}
    version=$CANARY_VERSION port=$CANARY_PORT
  fi
  stop_pid "$RUN/demo-$tag.pid"
  start_version "$tag" "$version" "$port" ${args[@]+"${args[@]}"}
  write_state
  echo "delivery: server $tag now runs $version on port $port ${args[*]:-}"
}

stop_pid() {  # SIGTERM, then SIGKILL after 5 s
  local pidfile="$1" pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -TERM "$pid" 2>/dev/null; then
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

cmd_stop() {
  for tag in devops haproxy demo-canary demo-stable; do stop_pid "$RUN/$tag.pid"; done
  rm -f "$SOCKET" "$RUN/delivery.json" "$RUN/delivery.env" "$RUN/devops.json" \
    "$RUN"/demo-*.port
  echo "delivery: stopped"
}

cmd_status() {
  if ! pid_alive "$RUN/haproxy.pid"; then
    echo "delivery: not running"
    return 1
  fi
  source "$RUN/delivery.env"
  echo "delivery: $DELIVERY_SERVICE behind HAProxy at $DELIVERY_URL"
  echo "  stable   $DELIVERY_STABLE_VERSION on 127.0.0.1:$DELIVERY_STABLE_PORT (server demo/stable)"
  echo "  canary   $DELIVERY_CANARY_VERSION on 127.0.0.1:$DELIVERY_CANARY_PORT (server demo/canary)"
  echo "  runtime  $DELIVERY_RUNTIME_API"
  echo "  stats    $DELIVERY_STATS_URL  exporter $DELIVERY_METRICS_URL"
  echo "  devops   $BUILD/bin/conclave-devops --config $DELIVERY_DEVOPS_CONFIG"
  echo "  load     $BUILD/bin/conclave-loadgen --url $DELIVERY_URL --rps 50 --duration 30s --report_every 1s"
  echo "  state    $RUN/delivery.json"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  restart-canary) shift; cmd_restart_canary "$@" ;;
  restart-server) shift; cmd_restart_server "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
