#!/usr/bin/env bash
# Measures the local host against the Durable backend's own floor, in one run on one fresh Azurite (issue 11):
# the floor (N orchestrations of one trivial activity, on a task hub of their own), N pods of a ReplicaSet from
# `kubectl scale` to Running, N bare pods created by 16 clients, N run-to-completion pods, deleting them, API
# latency with N pods stored, the host's peak memory and CPU time, storage requests and change-queue messages per
# pod lifecycle (Azurite's request log, as scripts/pod-cost.sh counts it), and ARM requests per pod per minute with
# an ACI node on the tests' fake ARM server. Prints a table, then one last line:
#   bench: pods=N pods_per_s=.. running_p50_ms=.. running_p99_ms=.. baseline_per_s=.. ratio=.. delete_s=.. api_p99_ms=.. storage_req_per_pod=.. arm_req_per_pod_min=..
#
#   scripts/bench.sh [--pods N] [--aci-pods N] [--arm-window SECONDS] [--phases P,...] [--no-request-log]
#                    (default 200 pods, min(N, 50) ACI pods, a window of 60 s, every phase)
#
# --phases runs some of floor, replicaset, burst, completion, aci (what was not run is na on the last line):
# `--phases aci --aci-pods 1000 --arm-window 1800` is half an hour of 1,000 ACI pods alone, their ARM reads by
# stretches of five minutes as each group's reads back off, and how low ARM's throttling buckets fell.
# --no-request-log runs Azurite without its request log: no storage counts (na on the last line), but none of the
# log's cost in Azurite's time and memory either.
#
# Everything it starts (Azurite, the fake ARM server, the host) lives under .run/bench and is stopped by pid at the
# end, on Ctrl-C too. Not part of the test suite; docs/benchmarks.md quotes its output.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

pods=200
aci_pods=""
arm_window=60
phases=floor,replicaset,burst,completion,aci
request_log=yes
usage="scripts/bench.sh [--pods N] [--aci-pods N] [--arm-window SECONDS] [--phases P,...] [--no-request-log]"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pods) pods="$2"; shift 2 ;;
    --aci-pods) aci_pods="$2"; shift 2 ;;
    --arm-window) arm_window="$2"; shift 2 ;;
    --phases) phases="$2"; shift 2 ;;
    --no-request-log) request_log=no; shift ;;
    *) fail "unknown argument: $1 (usage: $usage)" ;;
  esac
done
[[ "$pods" =~ ^[1-9][0-9]*$ ]] || fail "--pods takes a positive number"
aci_pods="${aci_pods:-$((pods < 50 ? pods : 50))}"
[[ "$aci_pods" =~ ^[1-9][0-9]*$ ]] || fail "--aci-pods takes a positive number"
[[ "$phases" =~ ^(floor|replicaset|burst|completion|aci)(,(floor|replicaset|burst|completion|aci))*$ ]] \
  || fail "--phases takes names of floor, replicaset, burst, completion, aci separated by commas"
[[ "$arm_window" =~ ^[1-9][0-9]*$ ]] || fail "--arm-window takes a positive number of seconds"

require_command dotnet "Install the .NET SDK 10: https://dotnet.microsoft.com/download"
require_command node "Install Node.js 20 or later: https://nodejs.org"
ensure_azurite_installed "$root"
ensure_kubectl "$root"
work="$root/.run/bench"
rm -rf "$work"
mkdir -p "$work"

azurite_pid=""
arm_pid=""
host_pid=""
# The host first, given time to stop every pod's containers (SIGTERM, then SIGKILL after their grace): killed after
# a few seconds with hundreds of pods running, it would leave their processes behind, as a crashed host does.
cleanup() { stop_pid "$work/host.pid" durablekube.dll 300 "the host"; stop_started "$host_pid" "$arm_pid" "$azurite_pid"; }
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

say "Building the bench tool..."
dotnet build "$root/tools/DurableKube.Bench/DurableKube.Bench.csproj" -c Release -nologo -v quiet >"$work/bench-build.log" 2>&1 \
  || { tail -n 30 "$work/bench-build.log"; fail "the bench tool's build failed"; }
bench="$root/tools/DurableKube.Bench/bin/Release/net10.0/durablekube-bench.dll"

start_logging_azurite "$root" "$work" "$request_log"

# The fake ARM server for the ACI node, in a process of its own for the host's whole life.
dotnet "$bench" fake-arm "$work/arm" >"$work/arm.log" 2>&1 &
arm_pid=$!
for _ in $(seq 1 300); do [[ -f "$work/arm/endpoint" ]] && break; kill -0 "$arm_pid" 2>/dev/null || break; sleep 0.1; done
[[ -f "$work/arm/endpoint" ]] || { cat "$work/arm.log"; fail "the fake ARM server did not start"; }

aci=bench-aci
read -r api < <(free_ports 1)
# The local node takes every pod of the run (a kubelet's default of 110 would leave the rest Pending: Too many pods).
start_measured_host "$root" "$work" "$api" "$storage" bench-node \
  "Node__MaxPods=$((pods + 110))" \
  "Nodes__${aci}__Kind=aci" \
  "Nodes__${aci}__Endpoint=$(cat "$work/arm/endpoint")" \
  "Nodes__${aci}__TrustedCertificatePath=$work/arm/arm.pem" \
  "Nodes__${aci}__AccessToken=fake-arm-token" \
  "Nodes__${aci}__SubscriptionId=00000000-0000-0000-0000-0000000000be" \
  "Nodes__${aci}__ResourceGroup=rg-bench-nodes" \
  "Nodes__${aci}__Region=westeurope" \
  "Nodes__${aci}__Pods=$((aci_pods + 10))" \
  "Nodes__${aci}__Cpu=$((aci_pods / 10 + 100))" \
  "Nodes__${aci}__MemoryGi=$((aci_pods / 8 + 400))" \
  "Nodes__${aci}__Labels__type=virtual-kubelet" \
  "Nodes__${aci}__Taints__0=virtual-kubelet.io/provider=azure:NoSchedule"
export KUBECONFIG="$work/kubeconfig"
until kubectl get node bench-node >/dev/null 2>&1 && kubectl get node "$aci" >/dev/null 2>&1; do
  kill -0 "$host_pid" 2>/dev/null || fail "the host exited; see $work/host.log"
  sleep 0.5
done

say "Measuring with $pods pods on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (progress on stderr; host log in $work/host.log)..."
azurite_log=(--azurite-log "$work/requests.log")
[[ "$request_log" == no ]] && azurite_log=()
dotnet "$bench" run --kubeconfig "$work/kubeconfig" --pods "$pods" --storage "$storage" "${azurite_log[@]}" \
  --host-pid "$host_pid" --arm-dir "$work/arm" --aci-node "$aci" --arm-window "$arm_window" \
  --aci-pods "$aci_pods" --phases "$phases" | tee "$work/result.txt"
