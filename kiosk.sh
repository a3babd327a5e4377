#!/usr/bin/env bash
# Set up and run the 秒办 kiosk from a fresh clone (Debian 12, Python 3.11).
#
#   ./kiosk.sh demo [ARGS...]   start the kiosk in offline demo mode (simulated reader and printer)
#   ./kiosk.sh test [ARGS...]   lint, check the import contract (lint-imports) and run the whole test suite
#   ./kiosk.sh hall [ARGS...]   run the hall back office alone (python -m hall serve; data in $HALL_DATA_DIR or ./.hall)
#   ./kiosk.sh bundle [ARGS...] build the installable kiosk, dist/kiosk/ (pyinstaller kiosk.spec), and run its self-test
#
# Both commands install what is missing and nothing else: the Debian packages the Qt window, the
# PDF checks, the screenshots and the rare-character fonts need (with apt-get when run as root; otherwise the exact apt line
# is printed), a virtualenv in .venv, and the project with its dev extra. When everything is already
# there they take a second or two.
set -euo pipefail
cd "$(dirname "$0")"

# Libraries Qt's xcb window and the virtual keyboard need; then the tools the tests use (pdftoppm,
# pdffonts, Xvfb) and espeak-ng, the voice of elder mode where Qt has no speech engine.
QT_DEBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-xkb1
         libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libpulse0
         libxkbcommon0 libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3)
TOOL_DEBS=(python3-venv poppler-utils xvfb xauth espeak-ng)
# Fonts for rare name characters (GB 18030: 䶮 in Extension A, 𠮷 and 𠀀 in Extension B), behind the
# shipped WenQuanYi Micro Hei: HanaMinA and HanaMinB in /usr/share/fonts/truetype/hanazono/ (51 MB,
# TrueType, so reportlab can embed them). Not in git; assets/fontchain.py finds them there and
# kiosk.spec copies them into the bundle. Without them rare characters print as a box.
FONT_DEBS=(fonts-hanazono)
# The hall back office (hall/): its own PostgreSQL cluster (Debian's binaries in /usr/lib/postgresql/N/bin;
# the tests start a throwaway one) and headless Chromium with its driver for the console's browser tests.
HALL_DEBS=(postgresql chromium chromium-driver)
VENV=.venv
STAMP="$VENV/.setup-stamp"

log() { printf '[kiosk.sh] %s\n' "$*" >&2; }

ensure_debs() {
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not a Debian system: nothing to check
    local missing=()
    for pkg in "${QT_DEBS[@]}" "${TOOL_DEBS[@]}" "${FONT_DEBS[@]}" "${HALL_DEBS[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        log "missing Debian packages; run this once, then again:"
        echo "sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
}

ensure_venv() {
    local python=${PYTHON:-python3}
    if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        log "Python 3.11 or newer is needed; '$python' is $("$python" --version 2>&1)"
        exit 1
    fi
    [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$python" -m venv "$VENV"; }
    local want
    want=$(sha256sum pyproject.toml | cut -d' ' -f1)
    if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
        log "installing the project and its dev tools into $VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e '.[dev]'
        echo "$want" > "$STAMP"
    fi
}

cmd=${1:-}
shift || true
case "$cmd" in
    demo)
        ensure_debs
        ensure_venv
        # The whole loop: a local hall in the background (kiosk/sync/demo_hall.py), the demo kiosk pointed at
        # it, the hall stopped when the demo exits. Without it (KIOSK_DEMO_NO_HALL=1, or it cannot start)
        # the demo runs alone as before.
        if [ -z "${KIOSK_DEMO_NO_HALL:-}" ] && hall_config=$("$VENV/bin/python" -m kiosk.sync.demo_hall start); then
            trap '"$VENV/bin/python" -m kiosk.sync.demo_hall stop' EXIT
            "$VENV/bin/kiosk" demo --config "$hall_config" "$@"
            exit $?
        fi
        exec "$VENV/bin/kiosk" demo "$@"
        ;;
    test)
        ensure_debs
        ensure_venv
        "$VENV/bin/ruff" check .
        "$VENV/bin/lint-imports"   # the floors: pyproject.toml [tool.importlinter]
        exec "$VENV/bin/pytest" "$@"
        ;;
    hall)
        ensure_debs
        ensure_venv
        # A later --data-dir in ARGS wins (argparse keeps the last).
        exec "$VENV/bin/python" -m hall serve --data-dir "${HALL_DATA_DIR:-./.hall}" "$@"
        ;;
    bundle)
        ensure_debs
        ensure_venv
        # ARGS go to pyinstaller (e.g. --distpath DIR --workpath DIR); the bundle then checks itself.
        dist=dist
        for ((i = 1; i <= $#; i++)); do
            [ "${!i}" = "--distpath" ] && { j=$((i + 1)); dist=${!j}; }
        done
        "$VENV/bin/pyinstaller" --noconfirm --log-level WARN "$@" kiosk.spec
        exec "$dist/kiosk/kiosk" --self-test
        ;;
    *)
        echo "usage: ./kiosk.sh demo [ARGS...] | ./kiosk.sh test [PYTEST ARGS...] | ./kiosk.sh hall [ARGS...]" \
             "| ./kiosk.sh bundle [PYINSTALLER ARGS...]" >&2
        exit 2
        ;;
esac
