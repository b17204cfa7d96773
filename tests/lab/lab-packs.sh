# shellcheck shell=bash
# Sourced by lab.sh: .NET 8 and 9 runtime/aspnet stand-ins built from the official runtime packs on NuGet
# (Microsoft.NETCore.App.Runtime.linux-x64, Microsoft.AspNetCore.App.Runtime.linux-x64), so a net8.0 or net9.0 app
# really runs on .NET 8 or 9 here, not on the machine's .NET 10 under another tag. The packs carry what the images'
# /usr/share/dotnet holds: CoreCLR, the BCL and its native shims, hostpolicy, hostfxr, the framework
# deps.json/runtimeconfig.json, and ASP.NET Core. Only the `dotnet` muxer (a small launcher that loads
# host/fxr/<newest>/libhostfxr.so, here the pack's) comes from the machine's .NET: no package ships it for Linux.
# The packs come through a throwaway restore (PackageDownload), so NuGet's own client and config fetch them.
#
# The matching SDK stand-ins cannot exist: no package carries a .NET 8 or 9 SDK. sdk:8.0 and sdk:9.0 are the
# machine's SDK under those tags, so a build stage that names them proves nothing about their compiler; the
# generator's SDK rule is what keeps a C# 14 project off sdk:8.0 (tests: SdkRuleTests).

# Patch versions pinned so every machine builds the same stand-ins.
LAB_PACK_VERSIONS=(8.0.34 9.0.23)
LAB_PACK_RUNTIME_ID=Microsoft.NETCore.App.Runtime.linux-x64
LAB_PACK_ASPNET_ID=Microsoft.AspNetCore.App.Runtime.linux-x64

lab_pack_dir() { # lab_pack_dir ID VERSION -> the extracted package folder
  local id=${1,,}
  echo "$LAB_DIR/cache/packs/$id/$2"
}

lab_pack_image() { # lab_pack_image runtime|aspnet VERSION -> the tag generated Dockerfiles name
  echo "mcr.microsoft.com/dotnet/$1:${2%.*}-noble-chiseled"
}

lab_pack_restore() {
  local proj=$LAB_DIR/tmp/pack-restore v versions="" items missing=0
  for v in "${LAB_PACK_VERSIONS[@]}"; do
    if [[ ! -f $(lab_pack_dir "$LAB_PACK_RUNTIME_ID" "$v")/.nupkg.metadata || ! -f $(lab_pack_dir "$LAB_PACK_ASPNET_ID" "$v")/.nupkg.metadata ]]; then
      missing=1
    fi
    versions+="${versions:+;}[$v]"
  done
  # One item per package with every version ("[8.0.34];[9.0.23]"): NuGet merges items of the same id.
  items="<PackageDownload Include=\"$LAB_PACK_RUNTIME_ID\" Version=\"$versions\" /><PackageDownload Include=\"$LAB_PACK_ASPNET_ID\" Version=\"$versions\" />"
  if ((missing == 0)); then
    lab_log "   cached: $LAB_DIR/cache/packs"
    return 0
  fi
  rm -rf "$proj" && mkdir -p "$proj" "$LAB_DIR/cache/packs"
  printf '%s\n' '<Project Sdk="Microsoft.NET.Sdk">' \
    '  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>' \
    "  <ItemGroup>$items</ItemGroup>" '</Project>' >"$proj/pack-restore.csproj"
  NUGET_PACKAGES=$LAB_DIR/cache/packs lab_quiet "$LAB_DIR/logs/pack-restore.log" \
    dotnet restore "$proj/pack-restore.csproj" --disable-build-servers
  rm -rf "$proj"
}

# lab_pack_layout VERSION DIR: /usr/share/dotnet as the official runtime and aspnet images lay it out.
lab_pack_layout() {
  local v=$1 out=$2 tfm rt asp
  tfm=net${v%.*}
  rt=$(lab_pack_dir "$LAB_PACK_RUNTIME_ID" "$v")/runtimes/linux-x64
  asp=$(lab_pack_dir "$LAB_PACK_ASPNET_ID" "$v")/runtimes/linux-x64
  [[ -f $rt/native/libcoreclr.so && -f $rt/native/libhostfxr.so && -d $asp/lib/$tfm ]] ||
    lab_die "runtime packs for $v are incomplete under $LAB_DIR/cache/packs"
  rm -rf "$out"
  mkdir -p "$out/host/fxr/$v" "$out/shared/Microsoft.NETCore.App/$v" "$out/shared/Microsoft.AspNetCore.App/$v"
  cp "$LAB_DOTNET_ROOT/dotnet" "$out/dotnet"
  cp "$rt/native/libhostfxr.so" "$out/host/fxr/$v/"
  cp -r "$rt/lib/$tfm/." "$out/shared/Microsoft.NETCore.App/$v/"
  find "$rt/native" -maxdepth 1 -type f ! -name libhostfxr.so -exec cp {} "$out/shared/Microsoft.NETCore.App/$v/" \;
  cp -r "$asp/lib/$tfm/." "$out/shared/Microsoft.AspNetCore.App/$v/"
  chmod -R u=rwX,go=rX "$out"
}

# Libraries the pack's native shims need that the runtime-deps stand-in lacks: zlib for .NET 8, whose
# System.IO.Compression.Native links libz.so.1 (the real 8.0 images ship it; .NET 9 links zlib-ng statically).
lab_pack_extra_libs() { # lab_pack_extra_libs DOTNET_DIR ROOTFS
  local so debs=$LAB_DIR/cache/debs
  mkdir -p "$debs"
  for so in "$1"/shared/Microsoft.NETCore.App/*/*.so; do
    if readelf -d "$so" | grep -q 'NEEDED.*\[libz\.so\.1\]'; then
      if ! compgen -G "$debs/zlib1g_*.deb" >/dev/null; then
        (cd "$debs" && apt-get download -q zlib1g >/dev/null 2>&1) ||
          { lab_quiet "$LAB_DIR/logs/apt.log" apt-get update -q &&
            (cd "$debs" && lab_quiet "$LAB_DIR/logs/apt-download.log" apt-get download -q zlib1g); }
      fi
      dpkg -x "$(compgen -G "$debs/zlib1g_*.deb" | sort -V | tail -n 1)" "$2"
      rm -rf "$2/usr/share"
      return 0
    fi
  done
}

# Builders for lab_standin, which calls them without arguments: LAB_PACK_V says which release.
lab_build_pack_runtime() {
  local v=$LAB_PACK_V ctx=$LAB_DIR/ctx/pack-$LAB_PACK_V
  rm -rf "$ctx" && mkdir -p "$ctx/rootfs/usr/bin"
  lab_pack_layout "$v" "$ctx/dotnet"
  ln -s /usr/share/dotnet/dotnet "$ctx/rootfs/usr/bin/dotnet"
  lab_pack_extra_libs "$ctx/dotnet" "$ctx/rootfs"
  printf '%s\n' "FROM $LAB_IMG_DEPS" "ENV DOTNET_VERSION=$v" 'COPY rootfs/ /' \
    'COPY dotnet/dotnet /usr/share/dotnet/dotnet' 'COPY dotnet/host /usr/share/dotnet/host' \
    'COPY dotnet/shared/Microsoft.NETCore.App /usr/share/dotnet/shared/Microsoft.NETCore.App' \
    "LABEL lab.recipe=$LAB_RECIPE lab.kind=runtime-standin-pack lab.dotnet=$v" >"$ctx/Dockerfile"
  lab_quiet "$LAB_DIR/logs/standin-runtime-$v.log" lab_build "$ctx" "$ctx/Dockerfile" "$(lab_pack_image runtime "$v")"
}

lab_build_pack_aspnet() {
  local v=$LAB_PACK_V ctx=$LAB_DIR/ctx/pack-$LAB_PACK_V
  [[ -d $ctx/dotnet/shared/Microsoft.AspNetCore.App ]] || { mkdir -p "$ctx" && lab_pack_layout "$v" "$ctx/dotnet"; }
  printf '%s\n' "FROM $(lab_pack_image runtime "$v")" "ENV ASPNET_VERSION=$v ASPNETCORE_HTTP_PORTS=8080" \
    'COPY dotnet/shared/Microsoft.AspNetCore.App /usr/share/dotnet/shared/Microsoft.AspNetCore.App' \
    "LABEL lab.recipe=$LAB_RECIPE lab.kind=aspnet-standin-pack lab.dotnet=$v" >"$ctx/Dockerfile.aspnet"
  lab_quiet "$LAB_DIR/logs/standin-aspnet-$v.log" lab_build "$ctx" "$ctx/Dockerfile.aspnet" "$(lab_pack_image aspnet "$v")"
}

# lab_pack_standins DEPS_REBUILT: the .NET 8/9 runtime and aspnet stand-ins (rebuilt with their parent), their
# M.0 aliases, and the sdk:M.0 aliases of the SDK stand-in.
lab_pack_standins() {
  local deps_rebuilt=$1 v rt
  lab_timed "runtime packs (restore)" lab_pack_restore
  for v in "${LAB_PACK_VERSIONS[@]}"; do
    LAB_PACK_V=$v
    rt=$(lab_timed "runtime $v stand-in" lab_standin "$(lab_pack_image runtime "$v")" "$deps_rebuilt" lab_build_pack_runtime \
      "mcr.microsoft.com/dotnet/runtime:${v%.*}")
    lab_timed "aspnet $v stand-in" lab_standin "$(lab_pack_image aspnet "$v")" "$rt" lab_build_pack_aspnet \
      "mcr.microsoft.com/dotnet/aspnet:${v%.*}" >/dev/null
    lab_tag_aliases "$LAB_IMG_SDK" "mcr.microsoft.com/dotnet/sdk:${v%.*}"
  done
}
