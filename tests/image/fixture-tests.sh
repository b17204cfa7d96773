#!/usr/bin/env bash
# Builds and runs tests/fixtures/*: repositories shaped like real public services (see tests/fixtures/README.md).
# Each fixture is copied to a temporary folder, gets the freshly packed ContainerSdk as a local feed, generates its
# Dockerfile with the package as a user would, and is built with buildah on the lab's stand-ins and run with podman.
# Needs: `dotnet pack ContainerSdk.sln -c Release -o artifacts/packages` done (tests/run-all.sh does it).
# Run alone: flock /var/tmp/containersdk-image.lock bash tests/image/fixture-tests.sh [FIXTURE...]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=harness.sh
source "$ROOT/tests/image/harness.sh"
harness_start fixture-tests "fixture tests"

wanted() { ((${#SELECTED[@]} == 0)) || [[ " ${SELECTED[*]} " == *" $1 "* ]]; }
SELECTED=("$@")

# A shared NUGET_PACKAGES on this machine would keep the first ContainerSdk $VERSION it restored, like the image
# builds' cache mount (packed_package drops that one): a private one gets the package just packed.
packed_package
WORK=$LAB_DIR/tmp/fixtures
export NUGET_PACKAGES=$WORK/.nuget-packages
rm -rf "$WORK" && mkdir -p "$WORK"

prepare() { # prepare NAME -> copy in $WORK/NAME with the package feed
  local dir=$WORK/$1
  cp -r "$ROOT/tests/fixtures/$1" "$dir"
  mkdir -p "$dir/packages"
  cp "$NUPKG" "$dir/packages/"
}

dotnet_in() { # dotnet_in LOG DIR ARGS...: dotnet with build servers off; the log's tail on failure
  local log=$1 dir=$2
  shift 2
  (cd "$dir" && MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 dotnet "$@" -nr:false >"$log" 2>&1) || {
    tail -40 "$log" >&2
    return 1
  }
}

build_image() { # build_image CONTEXT DOCKERFILE TAG
  lab_build "$1" "$2" "$3" --format docker >"$LAB_DIR/logs/build-fixture-$(basename "$3" | tr ':/' '--').log" 2>&1 || {
    tail -60 "$LAB_DIR/logs/build-fixture-$(basename "$3" | tr ':/' '--').log" >&2
    return 1
  }
}

from_lines() { grep '^FROM ' "$1" | tr '\n' '|'; }

if wanted net8-langversion14; then
  echo "== net8-langversion14: net8.0 + LangVersion 14, its own hand-written Dockerfile"
  F=$WORK/net8-langversion14
  IMG=localhost/containersdk/fixture-net8-langversion14:test
  prepare net8-langversion14
  mkdir -p "$F/.git"
  HANDWRITTEN=$(sha256sum "$F/Dockerfile")
  check "net8: generation keeps the hand-written Dockerfile (CSDK2002)" dotnet_in "$LAB_DIR/logs/fixture-net8-gen1.log" "$F" build Net8Api.csproj -t:GenerateDockerfile
  check "net8: ... and says so with CSDK2002" grep -q 'warning CSDK2002' "$LAB_DIR/logs/fixture-net8-gen1.log"
  check "net8: ... and the file is byte for byte the user's" test "$(sha256sum "$F/Dockerfile")" = "$HANDWRITTEN"
  check "net8: ContainerDockerfileOverwrite=true replaces it" dotnet_in "$LAB_DIR/logs/fixture-net8-gen2.log" "$F" build Net8Api.csproj -t:GenerateDockerfile -p:ContainerDockerfileOverwrite=true
  check "net8: build stage on the .NET 10 SDK (C# 14), runtime on aspnet:8.0" test "$(from_lines "$F/Dockerfile")" = \
    "FROM --platform=\$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build|FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled|"
  t0=$(lab_now_ms)
  if build_image "$F" "$F/Dockerfile" "$IMG"; then
    pass "net8: image builds ($(lab_since "$t0") s)"
    check "net8: the app answers" lab_http_check "$IMG" 8080 /healthz ok
    # The aspnet:8.0 stand-in is built from the official .NET 8 runtime packs: the app really runs on .NET 8.
    check "net8: it runs on .NET 8, not the build stage's .NET 10" lab_http_check "$IMG" 8080 /runtime ".NET 8.0."
    check "net8: runs as non-root and cannot write /app" lab_user_check "$IMG"
  else
    fail "net8: image builds"
  fi
fi

if wanted slnx-chain; then
  echo "== slnx-chain: .slnx only, Api -> Core -> Common, central packages, eng/Versions.props, model outside the project"
  F=$WORK/slnx-chain
  IMG=localhost/containersdk/fixture-slnx-chain:test
  prepare slnx-chain
  mkdir -p "$F/models"
  # A real (tiny) ONNX model, y = Relu(x): .onnx ContainerModels are read at build time (CSDK4010 otherwise).
  base64 -d >"$F/models/tiny.onnx" <<<"CAgSBXRlc3RzOjYKDAoBeBIBeSIEUmVsdRIEdGlueVoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEA0="
  check "chain: generation through the project graph" dotnet_in "$LAB_DIR/logs/fixture-chain-gen.log" "$F/src/Api" build Api.csproj -t:GenerateDockerfile
  D=$F/src/Api/Dockerfile
  check "chain: the .slnx folder is the build context (COPY paths from the root)" grep -q '^COPY \["src/Api/Api.csproj"' "$D"
  for input in Directory.Build.props Directory.Packages.props NuGet.config eng/Versions.props src/Common/Common.csproj src/Core/Core.csproj; do
    check "chain: restore layer copies $input" bash -c "sed -n '/^COPY/,/dotnet restore/p' '$D' | grep -q '\"$input\"'"
  done
  check "chain: the local feed is copied for restore" grep -q '^COPY \["packages/", "packages/"\]' "$D"
  check "chain: the model goes where the app looks (/models/tiny.onnx)" grep -q '"models/tiny.onnx", "/models/tiny.onnx"' "$D"
  t0=$(lab_now_ms)
  if build_image "$F" "$D" "$IMG"; then
    pass "chain: image builds ($(lab_since "$t0") s)"
    check "chain: all three projects run" lab_http_check "$IMG" 8080 /chain "core+common 1.2.3"
    check "chain: the model is read relative to the content root" lab_http_check "$IMG" 8080 /model "model /models/tiny.onnx 71 bytes ir_version_tag=ok"
    check "chain: version label from eng/Versions.props" test "$(config_field "$IMG" "c['Labels']['org.opencontainers.image.version']")" = 1.2.3
    check "chain: runs as non-root and cannot write /app" lab_user_check "$IMG"
  else
    fail "chain: image builds"
  fi
fi

summary
