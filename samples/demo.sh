#!/usr/bin/env bash
# The main job on a sample: pack ContainerSdk, `dotnet publish` the CPU, GPU and binding samples (which consume the package
# exactly as a customer would), and show the Dockerfiles they wrote.
#   bash samples/demo.sh            publish both samples and print their Dockerfiles
#   bash samples/demo.sh --build    also build the CPU image with buildah and answer one request (installs the lab)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
VERSION=$(sed -n 's:.*<ContainerSdkVersion>\(.*\)</ContainerSdkVersion>.*:\1:p' Directory.Build.props)

echo "== dotnet pack ContainerSdk.sln -c Release -o artifacts/packages"
dotnet pack ContainerSdk.sln -c Release -nr:false -o artifacts/packages 2>&1 | grep -E "Successfully created|error"
# The samples use the fixed version $VERSION: drop a stale copy from the NuGet cache so they get this build.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/containersdk/$VERSION"

for sample in CpuInference GpuInference BindingInference; do
  echo
  echo "== (cd samples/$sample && dotnet publish)"
  (cd "samples/$sample" && dotnet publish -nr:false 2>&1 | grep -E "ContainerSdk:|warning CSDK|error" | sed "s|$ROOT/||g")
  echo
  echo "---- samples/$sample/Dockerfile ----"
  cat "samples/$sample/Dockerfile"
done

if [[ ${1:-} == --build ]]; then
  echo
  echo "== building samples/CpuInference/Dockerfile with buildah (stand-in base images, see tests/lab/lab.sh)"
  bash tests/lab/lab.sh setup
  eval "$(bash tests/lab/lab.sh env)"
  # The build's NuGet cache mount keeps the first ContainerSdk $VERSION it saw; drop it so this build is used.
  rm -rf "$TMPDIR/buildah-cache/containersdk-nuget/containersdk"
  bash tests/lab/lab.sh build "$ROOT" samples/CpuInference/Dockerfile localhost/cpu-inference:demo \
    --build-arg "SOURCE_REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  bash tests/lab/lab.sh http-check localhost/cpu-inference:demo 8080 /v2/models/relu relu
  bash tests/lab/lab.sh user-check localhost/cpu-inference:demo
fi
