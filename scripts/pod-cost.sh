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
mkdir -p "$work"
read -r api < <(free_ports 1)

azurite_pid=""
host_pid=""
# The host first, given time to stop every pod's containers (SIGTERM, then SIGKILL after their grace): killed after
# a few seconds with hundreds of pods running, it would leave their processes behind, as a crashed host does.
cleanup() { stop_pid "$work/host.pid" durablekube.dll 300 "the host"; stop_started "$host_pid" "$azurite_pid"; }
trap cleanup EXIT

start_logging_azurite "$root" "$work"
start_measured_host "$root" "$work" "$api" "$storage" cost-node
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
