#!/usr/bin/env bash
# Runs the whole test suite: unit, orchestration, store (on Azurite) and end-to-end tests (the local
# host started by scripts/up.sh, driven by the real kubectl and the official C# and JavaScript clients).
#
# Needs only the .NET SDK and Node.js: installs Azurite and @kubernetes/client-node from npm (and kubectl,
# if the machine has none), restores and builds, starts one Azurite for the run and stops it again, and prints a last
# line "N passed, N failed". Exits non-zero if anything failed.
#
# Arguments are passed to every `dotnet test`, e.g. scripts/test.sh --filter "FullyQualifiedName~Pods".
#
# Docker tests (the Docker runtime's project and the end-to-end tests of category Docker) run whenever a
# Docker engine answers on /var/run/docker.sock (or DOCKER_HOST); without one they are left out and
# the summary says so, unless DURABLEKUBE_REQUIRE_DOCKER=1, which makes a missing engine a failure.
#
# The dashboard's browser tests (tests/DurableKube.Dashboard.Tests) need Debian's chromium; without it they skip with
# the reason, unless DURABLEKUBE_REQUIRE_BROWSER=1 (set by .ci/run, which installs chromium), which makes them fail.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"

run_dir="$root/.run/test"
results="$run_dir/results"
configuration="${DURABLEKUBE_CONFIGURATION:-Release}"
rm -rf "$results" "$run_dir/azurite"
mkdir -p "$results" "$run_dir/azurite"

require_command dotnet "Install the .NET SDK 10: https://dotnet.microsoft.com/download"
require_command node "Install Node.js 20 or later: https://nodejs.org"
require_command npm "Install Node.js 20 or later (npm comes with it): https://nodejs.org"
ensure_azurite_installed "$root"
ensure_js_client_installed "$root"
ensure_kubectl "$root"

say "Building ($configuration)..."
if ! dotnet build "$root/Functions.sln" -c "$configuration" -nologo -v quiet >"$run_dir/build.log" 2>&1; then
  tail -n 40 "$run_dir/build.log"
  say "The build failed; the whole log is in $run_dir/build.log."
  say "0 passed, 1 failed"
  exit 1
fi

# The end-to-end fixtures start the host with scripts/up.sh: it starts what was just built instead of building again,
# since two test projects run at once and two builds of the same projects race on their obj/ files.
export DURABLEKUBE_NO_BUILD=1

# One Azurite for the whole run, on free ports, with fresh data; stopped whatever happens.
read -r blob queue table < <(free_ports 3)
azurite_pid=""
stop_azurite() {
  if [[ -n "$azurite_pid" ]] && kill -0 "$azurite_pid" 2>/dev/null; then
    kill -TERM "$azurite_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$azurite_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$azurite_pid" 2>/dev/null || true
  fi
}
trap stop_azurite EXIT
trap "exit 130" INT
trap "exit 143" TERM
"$root/node_modules/.bin/azurite" --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table" --location "$run_dir/azurite" --skipApiVersionCheck --loose --silent \
  >"$run_dir/azurite.log" 2>&1 &
azurite_pid=$!
echo "$azurite_pid" >"$run_dir/azurite.pid"
wait_for_port "$table" 60 "$run_dir/azurite.pid" "$run_dir/azurite.log"
account="devstoreaccount1"
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export DURABLEKUBE_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"
export DURABLEKUBE_CONFIGURATION="$configuration"

# Docker tests need an engine (and /bin/busybox for their images).
docker_tests=1
docker_missing=0
if ! docker_answers; then
  docker_tests=0
  if [[ "${DURABLEKUBE_REQUIRE_DOCKER:-0}" == "1" ]]; then
    say "DURABLEKUBE_REQUIRE_DOCKER=1 but no Docker engine answers: the Docker tests count as failed."
    docker_missing=1
  else
    say "No Docker engine answers: the Docker tests are left out (set DURABLEKUBE_REQUIRE_DOCKER=1 to fail instead)."
  fi
fi

# Without an engine, the end-to-end project leaves out its Docker category, within any --filter given.
without_docker_args() {
  local args=("$@") i found=0
  for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ "${args[i]}" == "--filter" ]] && ((i + 1 < ${#args[@]})); then
      args[i + 1]="(${args[i + 1]})&Category!=Docker"
      found=1
    fi
  done
  ((found)) || args+=(--filter "Category!=Docker")
  printf '%s\0' "${args[@]}"
}

# Test projects are independent (each end-to-end project starts its own host on free ports, each store
# test its own tables), so they run side by side: the end-to-end tests mostly wait on timers and the
# orchestration tests on Azurite. The longest start first; results are reported in a fixed order.
parallel="${DURABLEKUBE_TEST_JOBS:-2}"
projects=()
for project in "$root"/tests/*.Tests/*.Tests.csproj; do
  if ((docker_tests == 0)) && [[ "$(basename "$project")" == DurableKube.Runtime.Docker.Tests.csproj ]]; then continue; fi
  projects+=("$project")
done
longest_first() {
  local project
  for project in "${projects[@]}"; do
    case "$(basename "$project")" in
      DurableKube.LocalHost.Tests.csproj) echo "0 $project" ;;
      DurableKube.Workflows.Tests.csproj|DurableKube.Store.AzureStorage.Tests.csproj|DurableKube.Dashboard.Tests.csproj) echo "1 $project" ;;
      *) echo "2 $project" ;;
    esac
  done | sort -s -k1,1n | cut -d' ' -f2-
}

run_project() {
  local project="$1" name args=("${@:2}")
  name="$(basename "$project" .csproj)"
  if ((docker_tests == 0)) && [[ "$name" == DurableKube.LocalHost.Tests ]]; then
    mapfile -d '' args < <(without_docker_args "${args[@]}")
  fi
  dotnet test "$project" -c "$configuration" --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results" "${args[@]}" \
    >"$results/$name.log" 2>&1
  echo $? >"$results/$name.exit"
}

say "Running ${#projects[@]} test projects, $parallel at a time..."
running=()
while read -r project; do
  while ((${#running[@]} >= parallel)); do
    wait -n "${running[@]}"
    still=()
    for pid in "${running[@]}"; do if kill -0 "$pid" 2>/dev/null; then still+=("$pid"); fi; done
    running=("${still[@]}")
  done
  run_project "$project" "$@" &
  running+=($!)
done < <(longest_first)
# Azurite is a background job too: wait for the test projects only.
for pid in "${running[@]}"; do wait "$pid"; done

passed=0
failed=0
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  code="$(cat "$results/$name.exit" 2>/dev/null || echo 1)"
  say ""
  say "== $name"
  # Failed and skipped tests, with the lines that say why.
  grep -E -A 12 '^\s+(Failed|Skipped) ' "$results/$name.log" | head -n 200
  counters="$(grep -o '<Counters [^>]*>' "$results/$name.trx" 2>/dev/null | head -n 1)"
  if [[ -z "$counters" ]]; then
    say "$name did not run to the end (exit code $code); its output is in $results/$name.log:"
    tail -n 30 "$results/$name.log"
    failed=$((failed + 1))
    continue
  fi
  p="$(trx_count "$counters" passed)"
  f=$(($(trx_count "$counters" failed) + $(trx_count "$counters" error) + $(trx_count "$counters" timeout) + $(trx_count "$counters" aborted)))
  if ((code != 0 && f == 0)); then
    say "$name exited with code $code although no test failed; counting it as a failure. Output: $results/$name.log"
    f=1
  fi
  say "$name: $p passed, $f failed"
  passed=$((passed + p))
  failed=$((failed + f))
done

if ((docker_missing)); then
  say ""
  say "== Docker: no engine answered although DURABLEKUBE_REQUIRE_DOCKER=1; 1 failed"
  failed=$((failed + 1))
fi

say ""
say "Results and logs are in $results."
say "$passed passed, $failed failed"
((failed == 0))
