#!/bin/sh
# Make sure the system packages the application uses are present; install them when we can (root with apt).
#   libmagic (python-magic): required, file types are read from content.
#   Tesseract with Arabic and English (OCR of scanned PDFs and photographs): without it those are kept as
#   "text unavailable", so a missing Tesseract is a warning, not an error.
set -e

have_libmagic() {
    python3 -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("magic") else 1)'
}

have_tesseract() {
    command -v tesseract >/dev/null 2>&1 || return 1
    langs=$(tesseract --list-langs 2>/dev/null) || return 1
    echo "$langs" | grep -qx ara && echo "$langs" | grep -qx eng
}

missing=""
have_libmagic || missing="$missing libmagic1"
have_tesseract || missing="$missing tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing$missing..."
    apt-get update -qq
    # shellcheck disable=SC2086 # word splitting intended: a list of package names
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
    exit 0
fi

if ! have_libmagic; then
    echo "libmagic is missing. Install it first, then re-run make:" >&2
    echo "    sudo apt-get install -y libmagic1      # Debian/Ubuntu" >&2
    echo "    brew install libmagic                  # macOS" >&2
    exit 1
fi
echo "Tesseract (with Arabic and English) is missing: scanned PDFs and images will be kept without text." >&2
echo "    sudo apt-get install -y tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng   # Debian/Ubuntu" >&2
echo "    brew install tesseract tesseract-lang                                        # macOS" >&2
exit 0
