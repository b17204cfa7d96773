#!/usr/bin/env bash
# Self-test of tests/image/harness.sh, by hand (seconds; not part of CI): the layer checks fail on a layer tar cannot
# read (truncated gzip, not a tar at all) instead of reading it as "no secret" / "file in no layer", and a suite that
# dies before its summary leaves a result file tests/run-all.sh counts as failed, and a child that outlives a suite
# with the lock's descriptor does not keep the lock.
# Run: flock /var/tmp/containersdk-image.lock bash tests/image/harness-selftest.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=harness.sh
source "$ROOT/tests/image/harness.sh"
T=$(mktemp -d)
export CONTAINERSDK_TEST_RESULTS=$T/results
harness_start harness-selftest "harness self-test"
harness_cleanup 'rm -rf "$T"'

mkdir -p "$T/root/app/models"
echo "API_KEY=planted-secret-42" >"$T/root/app/.env"
echo model >"$T/root/app/models/model.onnx"
echo clean >"$T/root/app/readme.txt"
tar -C "$T/root" -czf "$T/secret.tar.gz" app
tar -C "$T/root" -czf "$T/clean.tar.gz" app/readme.txt
tar -C "$T/root" -cf "$T/plain.tar" app/models/model.onnx
head -c 60 "$T/secret.tar.gz" >"$T/truncated.tar.gz"
head -c 4096 /dev/urandom >"$T/garbage"

fails() { ! "$@"; }
check "layers_lack: a clean layer has no secret" layers_lack planted-secret-42 "$T/clean.tar.gz"
check "layers_lack: finds the secret (gzip and plain layers)" fails layers_lack planted-secret-42 "$T/plain.tar" "$T/secret.tar.gz"
check "layers_lack: a truncated layer fails, not 'no secret'" fails layers_lack planted-secret-42 "$T/clean.tar.gz" "$T/truncated.tar.gz"
check "layers_lack: a layer that is no tar fails" fails layers_lack planted-secret-42 "$T/garbage"
# What the old check did (tar ... 2>/dev/null | grep): the unreadable layer read as "no secret".
old_check() { ! { tar -xzOf "$T/truncated.tar.gz" 2>/dev/null | grep -aq planted-secret-42; }; }
check "(the old pattern passed on the truncated layer)" old_check
check "layers_with: counts the layers that carry the file" test "$(layers_with app/models/model.onnx "$T/plain.tar" "$T/secret.tar.gz" "$T/clean.tar.gz")" = 2
check "layers_with: a truncated layer fails" fails layers_with app/models/model.onnx "$T/plain.tar" "$T/truncated.tar.gz"

# A suite that dies half-way: its result file has a FAIL line and END, its exit status is not 0, and every cleanup
# ran, also after one that fails and clobbers a loop variable.
cat >"$T/dies.sh" <<EOF
set -euo pipefail
source "$ROOT/tests/image/harness.sh"
harness_start dies "dies"
harness_cleanup 'touch "$T/first-cleanup-ran"'
clobber() { for i in a/b c/d; do :; done; false; }
harness_cleanup clobber
pass "one check passed"
false
pass "never reached"
summary
EOF
dies_counts_as_failed() {
  local rc=0
  bash "$T/dies.sh" >"$T/dies.log" 2>&1 || rc=$?
  cat "$T/dies.log"
  ((rc != 0)) && grep -qx 'PASS one check passed' "$T/results/dies.results" &&
    grep -q '^FAIL dies: the script exited before its summary' "$T/results/dies.results" &&
    grep -qx END "$T/results/dies.results" && ! grep -q 'never reached' "$T/results/dies.results" &&
    [[ -f $T/first-cleanup-ran ]]
}
check "a suite that exits early: FAIL line, END, non-zero exit, every cleanup run" dies_counts_as_failed

# A suite whose child outlives it with the lock's descriptor (the compiler server `dotnet build` leaves running does
# exactly that) must not keep the next suite waiting: the lock is free once the suite exits, child or not.
cat >"$T/leaves-child.sh" <<EOF
set -euo pipefail
export CONTAINERSDK_IMAGE_LOCK="$T/lock"
source "$ROOT/tests/image/harness.sh"
harness_start leaves "leaves a child"
sleep 60 &
echo \$! >"$T/child.pid"
pass "one check passed"
summary
EOF
lock_is_free_while_the_child_runs() {
  local child rc=0
  bash "$T/leaves-child.sh" >"$T/leaves.log" 2>&1 || { cat "$T/leaves.log"; return 1; }
  child=$(cat "$T/child.pid")
  kill -0 "$child" && flock -n "$T/lock" true || rc=1
  kill "$child" 2>/dev/null || true
  return "$rc"
}
check "the lock is released at exit even while a child holds its descriptor" lock_is_free_while_the_child_runs

summary
