# Shared by deploy/local/up, down and test: paths, building, free ports, waiting.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${CONCLAVE_BUILD_DIR:-$ROOT/build}"
VAR="$ROOT/var"
RUN="$VAR/run"
LOGS="$VAR/log"

build_conclave() {
  local type="${CONCLAVE_BUILD_TYPE:-RelWithDebInfo}"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
  ninja -C "$BUILD" "$@"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_for_file FILE SECONDS
wait_for_file() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

# wait_for_port PORT SECONDS
wait_for_port() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# json_field FILE KEY: the string value of KEY in a one-line JSON object.
json_field() {
  sed -n "s/.*\"$2\":\"\([^\"]*\)\".*/\1/p" "$1"
}

pid_alive() {
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}
