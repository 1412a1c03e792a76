#!/usr/bin/env bash
# Measures what one pod lifecycle costs in storage requests and change-queue messages: starts a fresh
# Azurite that logs every request, a local host on it, runs N pods from creation through Succeeded to
# deletion, and counts the requests made meanwhile by what they touched (the object table, the change
# queue, the Durable Task hub), less what the same host does idle over the same time.
#
#   scripts/pod-cost.sh [--pods N]     (default 20)
#
# Not part of the test suite; docs/costs.md quotes its output.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

pods=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pods) pods="$2"; shift 2 ;;
    *) fail "unknown argument: $1 (usage: scripts/pod-cost.sh [--pods N])" ;;
  esac
done

ensure_azurite_installed "$root"
ensure_kubectl "$root"
work="$root/.run/pod-cost"
rm -rf "$work"
mkdir -p "$work/azurite"
read -r blob queue table api < <(free_ports 4)

azurite_pid=""
host_pid=""
cleanup() {
  for pid in "$host_pid" "$azurite_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT

"$root/node_modules/.bin/azurite" --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table" --location "$work/azurite" --skipApiVersionCheck --loose --silent \
  --debug "$work/requests.log" >"$work/azurite.log" 2>&1 &
azurite_pid=$!
echo "$azurite_pid" >"$work/azurite.pid"
wait_for_port "$table" 60 "$work/azurite.pid" "$work/azurite.log"
account="devstoreaccount1"
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
storage="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"

say "Building the local host..."
dotnet build "$root/src/DurableKube.LocalHost/DurableKube.LocalHost.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 \
  || { tail -n 30 "$work/build.log"; fail "the build failed"; }
# A throw-away host on a loopback port, measured rather than used: plain HTTP and no door, said explicitly.
DURABLEKUBE_PORT="$api" Storage__ConnectionString="$storage" Runtime__Process__Root="$work/runtime" \
  Node__Name=cost-node ASPNETCORE_ENVIRONMENT=Production Tls__PlainHttp=true Auth__Disabled=true \
  dotnet "$root/src/DurableKube.LocalHost/bin/Release/net10.0/durablekube.dll" >"$work/host.log" 2>&1 &
host_pid=$!
echo "$host_pid" >"$work/host.pid"
wait_for_ready "http://127.0.0.1:$api/readyz" 120 "$work/host.pid" || fail "the host did not become ready; see $work/host.log"

cat >"$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: cost, cluster: {server: "http://127.0.0.1:$api"}}]
users: [{name: cost, user: {token: cost}}]
contexts: [{name: cost, context: {cluster: cost, user: cost}}]
current-context: cost
EOF
export KUBECONFIG="$work/kubeconfig"
until kubectl get node cost-node >/dev/null 2>&1; do sleep 0.5; done
sleep 5

requests() { grep -c 'StorageContextMiddleware: RequestMethod=' "$work/requests.log" || true; }
# Requests by what they touched: the object table, the change queue, the task hub, anything else.
# A table transaction ($batch) names its table only in its body, which Azurite logs as a raw string.
breakdown() {
  awk -v from="$1" '
    /TableHandler:batch\(\) Raw request string/ { batch[$2] = ($0 ~ /kubeobjects/) ? "object table" : "task hub" }
    /StorageContextMiddleware: RequestMethod=/ {
      seen++
      if (seen < from) next
      id[seen] = $2
      url[seen] = $0
    }
    END {
      for (i = from; i <= seen; i++) {
        u = url[i]
        if (u ~ /RequestURL=[^ ]*\$batch/) what = (id[i] in batch) ? batch[id[i]] : "other"
        else if (u ~ /RequestURL=[^ ]*kubeobjects/) what = "object table"
        else if (u ~ /RequestURL=[^ ]*kube-changes/) what = "change queue"
        else if (u ~ /RequestURL=[^ ]*durablekube/) what = "task hub"
        else what = "other"
        n[what]++
      }
      for (w in n) printf "%s %d\n", w, n[w]
    }' "$work/requests.log"
}

# Idle: what the host does with nothing to do, over a fixed window.
idle_window=30
start=$(requests)
sleep "$idle_window"
idle=$(( $(requests) - start ))
breakdown "$((start + 1))" >"$work/idle.txt"

# The lifecycle: N pods created, run to Succeeded, deleted, gone.
first=$(( $(requests) + 1 ))
began=$(date +%s.%N)
for i in $(seq 1 "$pods"); do
  cat <<EOF
---
apiVersion: v1
kind: Pod
metadata: {name: cost-$i}
spec:
  restartPolicy: Never
  containers: [{name: main, image: busybox, command: ["sh", "-c", "sleep 1"]}]
EOF
done >"$work/pods.yaml"
kubectl apply -f "$work/pods.yaml" >/dev/null
until [[ "$(kubectl get pods -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^Succeeded$')" == "$pods" ]]; do sleep 0.5; done
kubectl delete pods --all --wait=true >/dev/null
ended=$(date +%s.%N)
busy=$(( $(requests) - first + 1 ))
seconds=$(awk -v a="$began" -v b="$ended" 'BEGIN { printf "%.1f", b - a }')
breakdown "$first" >"$work/busy.txt"

say ""
say "$pods pods: created, Succeeded, deleted in ${seconds} s"
say "storage requests per pod lifecycle, less the idle rate over the same time:"
awk -v pods="$pods" -v idle_window="$idle_window" -v seconds="$seconds" '
  FNR == NR { split($0, f, " "); w = f[1]; for (i = 2; i < length(f); i++) w = w " " f[i]; idle[w] = f[length(f)]; next }
  { split($0, f, " "); w = f[1]; for (i = 2; i < length(f); i++) w = w " " f[i]; busy[w] = f[length(f)] }
  END {
    total = 0
    for (w in busy) {
      net = busy[w] - idle[w] * seconds / idle_window
      if (net < 0) net = 0
      total += net
      printf "  %-14s %7.1f\n", w, net / pods
    }
    printf "  %-14s %7.1f\n", "all", total / pods
  }' "$work/idle.txt" "$work/busy.txt"
messages=$(grep -c 'RequestMethod=POST RequestURL=[^ ]*kube-changes/messages' "$work/requests.log" || true)
say "change-queue messages per pod lifecycle: $(awk -v m="$messages" -v p="$pods" 'BEGIN { printf "%.1f", m / p }')"
say "idle: $(awk -v i="$idle" -v w="$idle_window" 'BEGIN { printf "%.1f", i / w }') requests/s"
