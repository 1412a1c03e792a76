#!/usr/bin/env bash
# Starts DurableKube on this machine: Azurite (Azure Storage) and the local host (the Kubernetes API,
# the workflows, the process runtime), both in the background, then writes a kubeconfig.
#
# The API serves HTTPS on 127.0.0.1 and requires a bearer token: the first run makes a CA, a server certificate
# and two tokens (admin, viewer) under the run directory (pki/, tokens/, keys and tokens 0600) and later runs reuse
# them; the kubeconfig carries the CA and both users (contexts durablekube and durablekube-viewer).
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
#   DURABLEKUBE_NO_BUILD  1: start the build that is there, without building first (tests that restart the host)
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

# 2. The local host, and its credentials (made once, then reused).
host_dll="$root/src/DurableKube.LocalHost/bin/$configuration/net10.0/durablekube.dll"
host_running=0
if pid_alive "$run_dir/host.pid" durablekube.dll; then
  host_running=1
else
  if port_open "$port"; then
    fail "Port $port is in use by something else. Set DURABLEKUBE_PORT to another port."
  fi
  if [[ "${DURABLEKUBE_NO_BUILD:-0}" == "1" && -f "$host_dll" ]]; then
    say "Not building (DURABLEKUBE_NO_BUILD=1): starting the build in $host_dll."
  else
    say "Building DurableKube ($configuration)..."
    if ! dotnet build "$root/src/DurableKube.LocalHost/DurableKube.LocalHost.csproj" -c "$configuration" -nologo -v quiet >"$run_dir/build.log" 2>&1; then
      tail -n 30 "$run_dir/build.log" >&2
      fail "The build failed; the whole log is in $run_dir/build.log."
    fi
  fi
fi
dotnet "$host_dll" credentials "$run_dir" || fail "could not make the API's certificate and tokens in $run_dir."
ca="$run_dir/pki/ca.crt"
if ((host_running)); then
  say "DurableKube is running (pid $(cat "$run_dir/host.pid"))."
else
  say "Starting DurableKube on https://127.0.0.1:$port (log in $run_dir/host.log)..."
  # The host gets this script's environment, plus defaults for what it was not given.
  DURABLEKUBE_PORT="$port" \
  Storage__ConnectionString="${Storage__ConnectionString:-$storage}" \
  Runtime__Process__Root="${Runtime__Process__Root:-$run_dir/runtime}" \
  Runtime__Docker__Root="${Runtime__Docker__Root:-$run_dir/docker}" \
  ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}" \
  Tls__CertificatePath="$run_dir/pki/server.crt" \
  Tls__KeyPath="$run_dir/pki/server.key" \
  Auth__Tokens__admin__TokenFile="$run_dir/tokens/admin" \
  Auth__Tokens__admin__User=admin \
  Auth__Tokens__admin__Groups=system:masters \
  Auth__Tokens__admin__Role=admin \
  Auth__Tokens__viewer__TokenFile="$run_dir/tokens/viewer" \
  Auth__Tokens__viewer__User=viewer \
  Auth__Tokens__viewer__Role=view \
    start_background "$run_dir/host.pid" "$run_dir/host.log" dotnet "$host_dll"
fi

# 3. Ready when the API says so (/readyz is open to anyone, as in Kubernetes).
if ! wait_for_ready "https://127.0.0.1:$port/readyz" 120 "$run_dir/host.pid" "$ca"; then
  tail -n 40 "$run_dir/host.log" >&2 || true
  fail "DurableKube did not become ready; its log is in $run_dir/host.log."
fi

# 4. A kubeconfig for kubectl and the clients: the CA, the admin user (current) and the read-only one. It holds
# the tokens, so it is 0600 too.
kubeconfig="$run_dir/kubeconfig"
ca_data="$(base64 <"$ca" | tr -d '\n')"
(umask 077 && cat >"$kubeconfig.tmp") <<EOF
apiVersion: v1
kind: Config
clusters:
- name: durablekube
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $ca_data
contexts:
- name: durablekube
  context:
    cluster: durablekube
    namespace: default
    user: durablekube
- name: durablekube-viewer
  context:
    cluster: durablekube
    namespace: default
    user: durablekube-viewer
current-context: durablekube
users:
- name: durablekube
  user:
    token: $(tr -d '[:space:]' <"$run_dir/tokens/admin")
- name: durablekube-viewer
  user:
    token: $(tr -d '[:space:]' <"$run_dir/tokens/viewer")
EOF
chmod 600 "$kubeconfig.tmp"
mv "$kubeconfig.tmp" "$kubeconfig"

# 5. The dashboard's link that signs in as admin: the token rides in the fragment (never sent to the server; the page
# moves it to the tab's sessionStorage and drops it from the address). It holds the token, so it is a 0600 file, and
# printed below only to a terminal (dashboard_sign_in), never into a log.
(umask 077 && printf 'https://127.0.0.1:%s/ui/#token=%s\n' "$port" "$(tr -d '[:space:]' <"$run_dir/tokens/admin")" >"$run_dir/dashboard.url")

cat <<EOF

DurableKube is up at https://127.0.0.1:$port (as admin; --context durablekube-viewer is read-only)

  Dashboard: https://127.0.0.1:$port/ui/
EOF
# Not inside the text above: a command substitution's output is never a terminal, and the lines depend on whether it is.
dashboard_sign_in "$run_dir/dashboard.url" "$run_dir/pki/ca.crt"
cat <<EOF

  export KUBECONFIG=$kubeconfig
  kubectl get nodes
  kubectl apply -f examples/pod-completes.yaml
  kubectl get pods -w

Stop it with scripts/down.sh (data stays in $run_dir).
EOF
