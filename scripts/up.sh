#!/usr/bin/env bash
# Starts DurableKube on this machine: Azurite (Azure Storage) and the local host (the Kubernetes API,
# the workflows, the process runtime), both in the background, then writes a kubeconfig.
#
# Needs only the .NET SDK and Node.js. Installs what is missing (Azurite from npm into the repository,
# NuGet packages), builds, starts only what is not already running, and reuses the data under .run/,
# so running it again after a crash picks up where things were.
#
# Environment (all optional; anything else, e.g. Kubelet__BackoffMax=00:00:30, is passed to the host):
#   DURABLEKUBE_PORT      port of the API on 127.0.0.1 (default 7071)
#   DURABLEKUBE_RUN_DIR   where state, logs and the kubeconfig go (default <repo>/.run)
#   DURABLEKUBE_STORAGE   an Azure Storage connection string to use instead of starting Azurite
#   DURABLEKUBE_CONFIGURATION  Release (default) or Debug
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

port="${DURABLEKUBE_PORT:-7071}"
run_dir="$(durablekube_run_dir "$root")"
configuration="${DURABLEKUBE_CONFIGURATION:-Release}"
mkdir -p "$run_dir"

require_command dotnet "Install the .NET SDK 10: https://dotnet.microsoft.com/download"
require_command node "Install Node.js 20 or later: https://nodejs.org"
require_command npm "Install Node.js 20 or later (npm comes with it): https://nodejs.org"

# 1. Azurite, unless another storage account was given.
if [[ -n "${DURABLEKUBE_STORAGE:-}" ]]; then
  storage="$DURABLEKUBE_STORAGE"
  say "Using the storage account in DURABLEKUBE_STORAGE; not starting Azurite."
else
  ensure_azurite_installed "$root"
  storage="UseDevelopmentStorage=true"
  if pid_alive "$run_dir/azurite.pid" azurite; then
    say "Azurite is running (pid $(cat "$run_dir/azurite.pid"))."
  else
    for p in 10000 10001 10002; do
      if port_open "$p"; then
        fail "Port $p is in use by something that is not this repository's Azurite. Stop it, or set DURABLEKUBE_STORAGE."
      fi
    done
    mkdir -p "$run_dir/azurite"
    say "Starting Azurite (data in $run_dir/azurite)..."
    start_background "$run_dir/azurite.pid" "$run_dir/azurite.log" \
      "$root/node_modules/.bin/azurite" --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      --location "$run_dir/azurite" --skipApiVersionCheck --loose --silent
    wait_for_port 10002 60 "$run_dir/azurite.pid" "$run_dir/azurite.log"
  fi
fi

# 2. The local host.
host_dll="$root/src/DurableKube.LocalHost/bin/$configuration/net10.0/durablekube.dll"
if pid_alive "$run_dir/host.pid" durablekube.dll; then
  say "DurableKube is running (pid $(cat "$run_dir/host.pid"))."
else
  if port_open "$port"; then
    fail "Port $port is in use by something else. Set DURABLEKUBE_PORT to another port."
  fi
  say "Building DurableKube ($configuration)..."
  if ! dotnet build "$root/src/DurableKube.LocalHost/DurableKube.LocalHost.csproj" -c "$configuration" -nologo -v quiet >"$run_dir/build.log" 2>&1; then
    tail -n 30 "$run_dir/build.log" >&2
    fail "The build failed; the whole log is in $run_dir/build.log."
  fi
  say "Starting DurableKube on http://127.0.0.1:$port (log in $run_dir/host.log)..."
  # The host gets this script's environment, plus defaults for what it was not given.
  DURABLEKUBE_PORT="$port" \
  Storage__ConnectionString="${Storage__ConnectionString:-$storage}" \
  Runtime__Process__Root="${Runtime__Process__Root:-$run_dir/runtime}" \
  Runtime__Docker__Root="${Runtime__Docker__Root:-$run_dir/docker}" \
  ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}" \
    start_background "$run_dir/host.pid" "$run_dir/host.log" dotnet "$host_dll"
fi

# 3. Ready when the API says so.
if ! wait_for_ready "http://127.0.0.1:$port/readyz" 120 "$run_dir/host.pid"; then
  tail -n 40 "$run_dir/host.log" >&2 || true
  fail "DurableKube did not become ready; its log is in $run_dir/host.log."
fi

# 4. A kubeconfig for kubectl and the clients.
kubeconfig="$run_dir/kubeconfig"
cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: durablekube
  cluster:
    server: http://127.0.0.1:$port
contexts:
- name: durablekube
  context:
    cluster: durablekube
    namespace: default
    user: durablekube
current-context: durablekube
users:
- name: durablekube
  user:
    # DurableKube does not authenticate requests yet (a later release adds it). The official clients
    # refuse a user without credentials, so this placeholder token is here for them; kubectl sends no
    # token to a plain-http server at all.
    token: durablekube-local-no-auth
EOF

cat <<EOF

DurableKube is up at http://127.0.0.1:$port

  export KUBECONFIG=$kubeconfig
  kubectl get nodes
  kubectl apply -f examples/pod-completes.yaml
  kubectl get pods -w

Stop it with scripts/down.sh (data stays in $run_dir).
EOF
