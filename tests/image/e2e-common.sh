#!/usr/bin/env bash
# Shared by tests/image/docker-tests.sh and tests/image/kube-tests.sh: counters, the packed package, a fresh project.
# Source after tests/lab/lab.sh. Needs SUITE (the summary line's name) set by the caller.
PASSED=0
FAILED=0
FAILURES=()
pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); FAILURES+=("$1"); echo "FAIL $1" >&2; }
check() { # check NAME CMD...
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}
contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }
summary() {
  echo "$SUITE: $PASSED passed, $FAILED failed"
  ((FAILED == 0)) || printf '  failed: %s\n' "${FAILURES[@]}" >&2
  ((FAILED == 0 && PASSED > 0))
}
json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }
registry_digest() { # registry_digest REPO TAG: the manifest digest the registry serves
  skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$LAB_REGISTRY/$1:$2" 2>/dev/null
}

# pack_package WORK: a unique package version, so no NuGet cache (the host's or the image build's cache mount) can
# hold a stale copy. Sets VERSION and RUN_ID; the nupkg lands in WORK/feed.
pack_package() {
  RUN_ID=$(date +%s)-$$
  VERSION=0.1.0-e2e.$RUN_ID
  echo "== packing ContainerSdk $VERSION"
  dotnet pack "$ROOT/src/ContainerSdk.Package/ContainerSdk.Package.csproj" -c Release -nr:false -o "$1/feed" \
    "-p:Version=$VERSION" >"$1/pack.log" 2>&1 || { tail -30 "$1/pack.log" >&2; exit 1; }
}

# new_project DIR PROPERTIES_XML [PROGRAM_CS]: a minimal ASP.NET service in its own build context (a git repository),
# with the package feed inside the context so the image's restore finds it. PROPERTIES_XML goes into the project's
# PropertyGroup (it may also close it and open an ItemGroup).
new_project() {
  local dir=$1 props=$2 program=${3:-}
  mkdir -p "$dir/packages"
  cp "$WORK/feed/ContainerSdk.$VERSION.nupkg" "$dir/packages/"
  cat >"$dir/NuGet.config" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="packages" />
  </packageSources>
</configuration>
XML
  cat >"$dir/$(basename "$dir").csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <InvariantGlobalization>true</InvariantGlobalization>
$props
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ContainerSdk" Version="$VERSION" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML
  if [[ -z $program ]]; then
    program='var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "hello from a ContainerSdk image");
app.MapGet("/healthz", () => "ok");
app.Run();'
  fi
  printf '%s\n' "$program" >"$dir/Program.cs"
  git -C "$dir" init -q && git -C "$dir" add -A && git -C "$dir" -c user.email=t@example.com -c user.name=t commit -qm init
}
