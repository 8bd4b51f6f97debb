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

apt_install() {
    # shellcheck disable=SC2068 # a list of package names
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $@ >/dev/null
}

can_apt=no
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    can_apt=yes
fi

if ! have_libmagic; then
    if [ "$can_apt" = yes ]; then
        echo "Installing libmagic1 (needed by python-magic)..."
        apt_install libmagic1
    else
        echo "libmagic is missing. Install it first, then re-run make:" >&2
        echo "    sudo apt-get install -y libmagic1      # Debian/Ubuntu" >&2
        echo "    brew install libmagic                  # macOS" >&2
        exit 1
    fi
fi

if ! have_tesseract; then
    if [ "$can_apt" = yes ]; then
        echo "Installing Tesseract with its Arabic and English models (OCR of scans)..."
        apt_install tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng || true
    fi
    if ! have_tesseract; then
        echo "Tesseract (with Arabic and English) is missing: scanned PDFs and images will be kept without text." >&2
        echo "    sudo apt-get install -y tesseract-ocr tesseract-ocr-ara tesseract-ocr-eng   # Debian/Ubuntu" >&2
        echo "    brew install tesseract tesseract-lang                                        # macOS" >&2
    fi
fi
have_arabic_font() {
    for f in /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/share/fonts/dejavu/DejaVuSans.ttf \
             /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf /usr/share/fonts/truetype/freefont/FreeSerif.ttf; do
        [ -f "$f" ] && return 0
    done
    [ -n "${DEMO_ARABIC_FONT:-}" ] && [ -f "$DEMO_ARABIC_FONT" ]
}

if ! have_arabic_font; then
    if [ "$can_apt" = yes ]; then
        echo "Installing the DejaVu fonts (Arabic glyphs for redacted copies and the demo's PDFs)..."
        apt_install fonts-dejavu-core || true
    fi
    if ! have_arabic_font; then
        echo "No TTF font with Arabic glyphs: Arabic redacted copies will be refused (503) and the demo's Arabic PDFs skipped." >&2
        echo "    sudo apt-get install -y fonts-dejavu-core      # Debian/Ubuntu (or set DEMO_ARABIC_FONT to a TTF)" >&2
    fi
fi
# Chromium for the browser tests (tests/test_browser.py, driven by Playwright from the dev extra): without it
# those tests are skipped with the reason, so a missing Chromium is a warning, not an error.
have_chromium() {
    [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ] && return 0
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
}

if ! have_chromium; then
    if [ "$can_apt" = yes ]; then
        echo "Installing Chromium (the browser tests)..."
        apt_install chromium || true
    fi
    if ! have_chromium; then
        echo "Chromium is missing: the browser tests (tests/test_browser.py) will be skipped." >&2
        echo "    sudo apt-get install -y chromium      # Debian/Ubuntu (or set CHROMIUM to a Chromium binary)" >&2
    fi
fi
exit 0
