#!/usr/bin/env bash
# Every test, exactly as CI runs it (.ci/run calls this). On a fresh Debian 12 machine with the .NET SDK it installs
# what the tests need itself (buildah, podman, skopeo, ... via tests/lab/lab.sh), then: build, pack, unit and
# integration tests (real `dotnet publish` of temp projects against the packed nupkg), and real image builds of
# the samples' and tests/fixtures' generated Dockerfiles run with podman, BuildContainerImage with podman/buildah
# and a private docker daemon against a local registry, and the generated Kubernetes manifests validated and run
# with podman kube play. Ends with one "tests: N passed, N failed" line, totalled from result files, not console text:
# the dotnet test runners' .trx files (artifacts/test-logs/trx) and each image suite's artifacts/test-logs/<suite>.results
# (tests/image/harness.sh); a suite without a finished result file counts as failed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Build servers would keep an old ContainerSdk task assembly loaded between builds.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
LOGS=$ROOT/artifacts/test-logs
mkdir -p "$LOGS"
# Only this run's results are counted.
rm -rf "$LOGS/trx"
rm -f "$LOGS"/*.trx "$LOGS"/*.results
SUITES=(image-tests fixture-tests engine-tests docker-tests kube-tests)
start=$(date +%s)
step() { echo "== [$(($(date +%s) - start))s] $*"; }

step "container lab: apt packages and stand-in base images"
bash tests/lab/lab.sh setup

step "build (warnings are errors in src/)"
dotnet build ContainerSdk.sln -c Release -nr:false 2>&1 | tail -3

step "pack -> artifacts/packages"
# No stale package may stand in for this one: delete them, and stop on a failed pack.
rm -f artifacts/packages/ContainerSdk.*.nupkg
if ! dotnet pack ContainerSdk.sln -c Release -nr:false -o artifacts/packages >"$LOGS/pack.log" 2>&1; then
  grep -E ': error ' "$LOGS/pack.log" | sort -u | tail -20 >&2 || tail -30 "$LOGS/pack.log" >&2
  echo "run-all: dotnet pack failed (log: $LOGS/pack.log); nothing was tested" >&2
  exit 1
fi
grep -E "Successfully created" "$LOGS/pack.log"
version=$(sed -n 's:.*<ContainerSdkVersion>\(.*\)</ContainerSdkVersion>.*:\1:p' Directory.Build.props)
[[ -f artifacts/packages/ContainerSdk.$version.nupkg ]] || {
  echo "run-all: dotnet pack wrote no artifacts/packages/ContainerSdk.$version.nupkg; nothing was tested" >&2
  exit 1
}

step "unit, analyzer and integration tests"
set +e
dotnet test ContainerSdk.sln -c Release --no-build -nr:false --logger "trx" --results-directory "$LOGS/trx" 2>&1 | tee "$LOGS/dotnet-test.log"
dotnet_rc=${PIPESTATUS[0]}
set -e

step "image tests: build and run the samples' generated Dockerfiles"
set +e
bash tests/image/image-tests.sh 2>&1 | tee "$LOGS/image-tests.log"
image_rc=${PIPESTATUS[0]}
set -e

step "fixture tests: repositories shaped like real services (tests/fixtures), built and run"
set +e
bash tests/image/fixture-tests.sh 2>&1 | tee "$LOGS/fixture-tests.log"
fixture_rc=${PIPESTATUS[0]}
set -e

step "engine tests: dotnet publish -t:BuildContainerImage with podman and buildah, push to a local registry"
set +e
bash tests/image/engine-tests.sh 2>&1 | tee "$LOGS/engine-tests.log"
engine_rc=${PIPESTATUS[0]}
set -e

step "docker tests: BuildContainerImage with a private dockerd (Debian docker.io, BuildKit)"
set +e
bash tests/image/docker-tests.sh 2>&1 | tee "$LOGS/docker-tests.log"
docker_rc=${PIPESTATUS[0]}
set -e

step "kube tests: GenerateKubernetesManifests, schema validation, podman kube play"
set +e
bash tests/image/kube-tests.sh 2>&1 | tee "$LOGS/kube-tests.log"
kube_rc=${PIPESTATUS[0]}
set -e

# Totals from the result files: each .trx's <ResultSummary><Counters> (one file per test project; a project without
# one counts as a failure), and each suite's PASS/FAIL lines (no file, or one without END, counts as a failure).
totals=$(
  python3 - "$LOGS" "$(grep -c '\.Tests\.csproj"' ContainerSdk.sln)" "${SUITES[@]}" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET

logs, projects, suites = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
passed = failed = 0
trx = sorted(glob.glob(os.path.join(logs, "trx", "*.trx")))
for path in trx:
    try:
        counters = ET.parse(path).getroot().find("{*}ResultSummary/{*}Counters")
        if counters is None:
            raise ValueError("no ResultSummary/Counters")
        count = lambda name: int(counters.get(name, "0"))
        passed += count("passed")
        failed += count("failed") + count("error") + count("timeout") + count("aborted")
    except Exception as e:
        print(f"run-all: unreadable test result {path}: {e}", file=sys.stderr)
        failed += 1
if len(trx) < projects:
    print(f"run-all: {len(trx)} .trx result files for {projects} test projects", file=sys.stderr)
    failed += projects - len(trx)
totals = [passed, failed]
for suite in suites:
    path = os.path.join(logs, suite + ".results")
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        print(f"run-all: {suite} wrote no result file ({path})", file=sys.stderr)
        totals += [0, 1]
        continue
    p = sum(1 for line in lines if line.startswith("PASS "))
    f = sum(1 for line in lines if line.startswith("FAIL "))
    if "END" not in lines:
        print(f"run-all: {suite} did not finish its result file ({path})", file=sys.stderr)
        f += 1
    totals += [p, f]
print(*totals)
PY
) || { echo "run-all: could not total the result files" >&2; totals="0 1 0 1 0 1 0 1 0 1 0 1"; }
read -r dn_passed dn_failed im_passed im_failed fx_passed fx_failed en_passed en_failed dk_passed dk_failed kb_passed kb_failed <<<"$totals"
if ((dotnet_rc != 0 && dn_failed == 0)); then dn_failed=1; fi
step "done"
echo "dotnet test: $dn_passed passed, $dn_failed failed; image tests: $im_passed passed, $im_failed failed; fixture tests: $fx_passed passed, $fx_failed failed; engine tests: $en_passed passed, $en_failed failed; docker tests: $dk_passed passed, $dk_failed failed; kube tests: $kb_passed passed, $kb_failed failed"
failed=$((dn_failed + im_failed + fx_failed + en_failed + dk_failed + kb_failed))
echo "tests: $((dn_passed + im_passed + fx_passed + en_passed + dk_passed + kb_passed)) passed, $failed failed"
((failed == 0 && dotnet_rc == 0 && image_rc == 0 && fixture_rc == 0 && engine_rc == 0 && docker_rc == 0 && kube_rc == 0 && dn_passed > 0 && im_passed > 0 && fx_passed > 0 && en_passed > 0 && dk_passed > 0 && kb_passed > 0))
