#!/usr/bin/env bash
# Create or update everything migbot needs on this machine. Idempotent: a
# second run only checks stamps and returns in seconds.
#   .venv       Python 3.11: the bot, retrieval, tests
#   .venv-rasa  Python 3.10: Rasa 3.6 (its pins clash with the bot's stack)
# then the embedding model (converted once into ~/.cache/migbot), the index
# and the Rasa NLU model, each rebuilt only when its inputs changed.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

find_python() {
    local version=$1 candidate
    for candidate in "$(pyenv root 2>/dev/null)/versions/$version"*/bin/python \
                     "$(command -v "python${version}" 2>/dev/null)"; do
        if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
    done
    return 1
}

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

# pip, minus this machine's warnings about local package folders it skips.
pip_install() {
    local venv=$1; shift
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" \
        2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}

setup_bot_venv() {
    local stamp; stamp=$(stamp_of pyproject.toml)
    if [ -f .venv/.stamp ] && [ "$(cat .venv/.stamp)" = "$stamp" ]; then return; fi
    local python; python=$(find_python 3.11) || { log "Python 3.11 not found"; exit 1; }
    log "installing the bot's environment (.venv)"
    [ -x .venv/bin/python ] || "$python" -m venv .venv
    # torch first, pinned to the CPU build on this disk: anything else would
    # pull a multi-GB CUDA build.
    pip_install .venv torch==2.13.0
    pip_install .venv -e '.[dev]'
    echo "$stamp" > .venv/.stamp
}

setup_rasa_venv() {
    local stamp; stamp=$(stamp_of nlu/requirements-rasa.txt)
    if [ -f .venv-rasa/.stamp ] && [ "$(cat .venv-rasa/.stamp)" = "$stamp" ]; then return; fi
    local python
    if ! python=$(find_python 3.10); then
        log "Python 3.10 not found: Rasa NLU disabled (the bot runs on retrieval only)."
        log "Alternative: Rasa's official container image with MIGBOT_RASA_URL, see README.md (Commands)."
        return
    fi
    log "installing Rasa's environment (.venv-rasa, about two minutes)"
    [ -x .venv-rasa/bin/python ] || "$python" -m venv .venv-rasa
    pip_install .venv-rasa -r nlu/requirements-rasa.txt
    echo "$stamp" > .venv-rasa/.stamp
}

# Spell-checking the bot's Georgian texts (bot/spelling.py, tests/test_spelling.py)
# needs Debian's hunspell and the npm package dictionary-ka (MIT, hunspell files).
HUNSPELL_DICTIONARY=dictionary-ka@1.1.0
HUNSPELL_DIR="$HOME/.cache/migbot/hunspell"

setup_hunspell() {
    if ! command -v hunspell >/dev/null; then
        local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
        log "installing hunspell (apt)"
        # the package lists are empty on a fresh machine: refresh only then
        apt-cache show hunspell >/dev/null 2>&1 || $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
            hunspell </dev/null >/dev/null
    fi
    if [ -f "$HUNSPELL_DIR/ka.dic" ] && [ -f "$HUNSPELL_DIR/ka.aff" ] \
        && [ "$(cat "$HUNSPELL_DIR/VERSION" 2>/dev/null)" = "$HUNSPELL_DICTIONARY" ]; then
        return
    fi
    log "fetching the Georgian hunspell dictionary ($HUNSPELL_DICTIONARY)"
    mkdir -p "$HUNSPELL_DIR"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "$HUNSPELL_DICTIONARY" --silent >/dev/null)
    tar -xzf "$tmp"/dictionary-ka-*.tgz -C "$tmp" package/index.aff package/index.dic package/license
    cp "$tmp/package/index.aff" "$HUNSPELL_DIR/ka.aff"
    cp "$tmp/package/index.dic" "$HUNSPELL_DIR/ka.dic"
    cp "$tmp/package/license" "$HUNSPELL_DIR/LICENSE"
    rm -rf "$tmp"
    echo "$HUNSPELL_DICTIONARY" > "$HUNSPELL_DIR/VERSION"
}

setup_bot_venv
setup_rasa_venv
setup_hunspell
log "checking the embedding model, the index and the NLU model"
.venv/bin/migbot kb build --if-needed
if [ -x .venv-rasa/bin/rasa ]; then .venv/bin/migbot nlu train >/dev/null; fi
