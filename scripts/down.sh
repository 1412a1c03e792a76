#!/usr/bin/env bash
# Stops what scripts/up.sh started, by the pids it recorded (TERM, a grace period, then KILL),
# and leaves the data under the run directory in place for the next scripts/up.sh.
#
# Environment: DURABLEKUBE_RUN_DIR as for up.sh.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
run_dir="$(durablekube_run_dir "$root")"

# The host first: on TERM it stops its containers (SIGTERM, then SIGKILL after their grace) and its workers.
stop_pid "$run_dir/host.pid" durablekube.dll 45 "DurableKube"
stop_pid "$run_dir/azurite.pid" azurite 20 "Azurite"
say "Stopped. Data is kept in $run_dir; scripts/up.sh starts again from it."
