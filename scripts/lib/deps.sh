# Shared by scripts/test and scripts/laif: make sure the system libraries laif links against
# (and the tools its tests drive) are present. Sourced, not executed.

laif_missing_debian_packages() {
    local wanted=("$@") missing=() pkg
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    echo "${missing[@]:-}"
}

# laif_ensure_debian_packages PKG...: installs what is missing with apt-get when running as
# root; otherwise prints the exact command and returns non-zero.
laif_ensure_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: trust the environment
    local missing
    missing=$(laif_missing_debian_packages "$@")
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "laif: installing missing Debian packages: $missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2 || { echo "laif: apt-get update failed" >&2; return 1; }
        # shellcheck disable=SC2086
        apt-get install -y -qq --no-install-recommends $missing >&2 || {
            echo "laif: apt-get install failed for: $missing" >&2; return 1; }
    else
        echo "laif: missing Debian packages: $missing" >&2
        echo "laif: install them with: sudo apt-get install -y $missing" >&2
        return 1
    fi
}

# Swift must be on PATH; the Swift images here keep it in /opt/swift.
laif_ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
            [ -x "$dir/swift" ] && export PATH="$dir:$PATH" && break
        done
    fi
    command -v swift >/dev/null 2>&1 || {
        echo "laif: swift not found; install a Swift 6 toolchain from swift.org and put it on PATH" >&2
        return 1; }
}

LAIF_RUNTIME_PACKAGES=(libedit-dev libopenblas-dev)
