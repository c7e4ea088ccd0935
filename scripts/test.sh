#!/usr/bin/env bash
# npm test [-- <vitest args>]: provisions what the tests need on this machine (npm packages, a test
# PostgreSQL and Redis separate from the dev ones, Chromium, the mediasoup worker, the app build),
# then runs the typecheck and lint, and the unit, integration and e2e vitest projects in that order,
# stopping at the first one that fails. Extra arguments go to every vitest run (e.g. `npm test -- meetings` filters files).
#
# TEST_DATABASE_URL / TEST_REDIS_URL use existing servers instead (their databases get created and
# dropped by the tests). DATABASE_URL / REDIS_URL are ignored on purpose: tests never touch dev data.
#
# Ends with one line "N passed, M failed" (a run that could not start counts as one failure) after
# the time of each phase; the exit status is non-zero when anything failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh

results_dir="$ROOT/test-results"
passed=0 failed=0 summarized=false
phase_lines=()
phase_start=$SECONDS
current_phase=provision

# end_phase NAME STATUS: records how long the phase since the previous one took.
end_phase() {
  phase_lines+=("$(printf '  %-12s %5ss  %s' "$1" "$((SECONDS - phase_start))" "$2")")
  phase_start=$SECONDS
}

summary() {
  $summarized && return 0
  summarized=true
  stop_started_services # first, so that the summary is the last line of the output
  echo
  echo "Phases:"
  printf '%s\n' "${phase_lines[@]}"
  echo "$passed passed, $failed failed"
}

finish() {
  local code=$?
  if ! $summarized && [ "$code" != 0 ]; then
    # Provisioning or the build failed (the reason is printed above): the tests could not start.
    end_phase "$current_phase" "FAILED"
    failed=$((failed + 1))
    summary
  fi
  stop_started_services
  exit "$code"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# ── Provisioning ────────────────────────────────────────────────────────────────────────────────
ensure_node_modules
unset DATABASE_URL REDIS_URL
[ -n "${TEST_DATABASE_URL:-}" ] && export DATABASE_URL=$TEST_DATABASE_URL
[ -n "${TEST_REDIS_URL:-}" ] && export REDIS_URL=$TEST_REDIS_URL
# Throwaway data: no fsync makes the many create/drop database calls of the tests much faster.
PG_FSYNC=off ensure_postgres pg-test 54339
ensure_redis redis-test 63799
ensure_chromium
ensure_capture_tools
ensure_mediasoup_worker
export DATABASE_URL REDIS_URL CHROMIUM_PATH MEDIASOUP_WORKER_BIN
end_phase provision ok

# e2e tests run the production build, as `npm start` does.
current_phase=build
ensure_app_build
end_phase build ok

# ── Tests ───────────────────────────────────────────────────────────────────────────────────────
mkdir -p "$results_dir"
# Counts "passed failed" from vitest's JSON report. A run that exits non-zero with no failed test
# (a file that does not load, an unhandled error) or without a report counts as failed too.
count_js='
const fs = require("node:fs")
const [file, status] = process.argv.slice(1)
let passed = 0, failed = 0
try {
  const report = JSON.parse(fs.readFileSync(file, "utf8"))
  passed = report.numPassedTests ?? 0
  failed = report.numFailedTests ?? 0
  if (Number(status) !== 0 && failed === 0) failed = Math.max(1, report.numFailedTestSuites ?? 0)
} catch {
  if (Number(status) !== 0) failed = 1
}
console.log(passed, failed)
'
stopped_early=false

# Static checks first: a type error or a lint error fails the suite like a failing test.
current_phase=static
log "typecheck and lint"
static_failed=0
tsc --noEmit -p . || static_failed=$((static_failed + 1))
eslint . || static_failed=$((static_failed + 1))
if [ "$static_failed" = 0 ]; then
  passed=$((passed + 2))
  end_phase static "ok (typecheck, lint)"
else
  failed=$((failed + static_failed))
  end_phase static "FAILED"
  stopped_early=true
fi

for project in unit integration e2e; do
  if $stopped_early; then
    end_phase "$project" "skipped"
    continue
  fi
  current_phase=$project
  log "vitest: $project"
  report="$results_dir/vitest-$project.json"
  rm -f "$report"
  status=0
  # --passWithNoTests: a file filter that matches nothing in one project is not a failure.
  vitest run --project "$project" --passWithNoTests --reporter=default --reporter=json \
    --outputFile.json="$report" "$@" || status=$?
  read -r run_passed run_failed < <(node -e "$count_js" "$report" "$status")
  passed=$((passed + run_passed))
  failed=$((failed + run_failed))
  if [ "$status" = 0 ] && [ "$run_failed" = 0 ]; then
    end_phase "$project" "ok ($run_passed passed)"
  else
    end_phase "$project" "FAILED ($run_passed passed, $run_failed failed)"
    stopped_early=true
  fi
done

summary
[ "$failed" = 0 ]
