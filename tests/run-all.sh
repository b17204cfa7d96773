#!/usr/bin/env bash
# Every test, exactly as CI runs it (.ci/run calls this). On a fresh Debian 12 machine with the .NET SDK it installs
# what the tests need itself (buildah, podman, skopeo, ... via tests/lab/lab.sh), then: build, pack, unit and
# integration tests (real `dotnet publish` of temp projects against the packed nupkg), and real image builds of
# the samples' and tests/fixtures' generated Dockerfiles run with podman, BuildContainerImage with podman/buildah
# and a private docker daemon against a local registry, and the generated Kubernetes manifests validated and run
# with podman kube play. Ends with one "tests: N passed, N failed" line.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Build servers would keep an old ContainerSdk task assembly loaded between builds.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
LOGS=$ROOT/artifacts/test-logs
mkdir -p "$LOGS"
start=$(date +%s)
step() { echo "== [$(($(date +%s) - start))s] $*"; }

step "container lab: apt packages and stand-in base images"
bash tests/lab/lab.sh setup

step "build (warnings are errors in src/)"
dotnet build ContainerSdk.sln -c Release -nr:false 2>&1 | tail -3

step "pack -> artifacts/packages"
dotnet pack ContainerSdk.sln -c Release -nr:false -o artifacts/packages 2>&1 | grep -E "Successfully created|error" || true
ls artifacts/packages/ContainerSdk.*.nupkg >/dev/null

step "unit, analyzer and integration tests"
set +e
dotnet test ContainerSdk.sln -c Release --no-build -nr:false --logger "trx" --results-directory "$LOGS" 2>&1 | tee "$LOGS/dotnet-test.log"
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

# Totals from the runners' own summary lines ("Passed!  - Failed: 0, Passed: 12, ..." and "image tests: N passed, M failed").
read -r dn_passed dn_failed < <(grep -E '^(Passed|Failed)!' "$LOGS/dotnet-test.log" |
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+).*/\2 \1/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
read -r im_passed im_failed < <(sed -nE 's/^image tests: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$LOGS/image-tests.log" | tail -1)
im_passed=${im_passed:-0}
im_failed=${im_failed:-1}
read -r en_passed en_failed < <(sed -nE 's/^engine tests: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$LOGS/engine-tests.log" | tail -1)
en_passed=${en_passed:-0}
en_failed=${en_failed:-1}
read -r dk_passed dk_failed < <(sed -nE 's/^docker tests: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$LOGS/docker-tests.log" | tail -1)
dk_passed=${dk_passed:-0}
dk_failed=${dk_failed:-1}
read -r kb_passed kb_failed < <(sed -nE 's/^kube tests: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$LOGS/kube-tests.log" | tail -1)
kb_passed=${kb_passed:-0}
kb_failed=${kb_failed:-1}
read -r fx_passed fx_failed < <(sed -nE 's/^fixture tests: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$LOGS/fixture-tests.log" | tail -1)
fx_passed=${fx_passed:-0}
fx_failed=${fx_failed:-1}
if ((dotnet_rc != 0 && dn_failed == 0)); then dn_failed=1; fi
step "done"
echo "dotnet test: $dn_passed passed, $dn_failed failed; image tests: $im_passed passed, $im_failed failed; fixture tests: $fx_passed passed, $fx_failed failed; engine tests: $en_passed passed, $en_failed failed; docker tests: $dk_passed passed, $dk_failed failed; kube tests: $kb_passed passed, $kb_failed failed"
echo "tests: $((dn_passed + im_passed + fx_passed + en_passed + dk_passed + kb_passed)) passed, $((dn_failed + im_failed + fx_failed + en_failed + dk_failed + kb_failed)) failed"
((dotnet_rc == 0 && image_rc == 0 && fixture_rc == 0 && engine_rc == 0 && docker_rc == 0 && kube_rc == 0 && dn_passed > 0 && im_passed > 0 && fx_passed > 0 && en_passed > 0 && dk_passed > 0 && kb_passed > 0))
