#!/bin/sh
# Make sure the C library behind python-magic is present; install it when we can.
set -e
if python3 -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("magic") else 1)'; then
    exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing libmagic1 (needed by python-magic)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null
    exit 0
fi
echo "libmagic is missing. Install it first, then re-run make:" >&2
echo "    sudo apt-get install -y libmagic1      # Debian/Ubuntu" >&2
echo "    brew install libmagic                  # macOS" >&2
exit 1
