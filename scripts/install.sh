#!/usr/bin/env bash
# Install what a fresh machine lacks: system parts (Chromium, Dovecot) where apt
# is there and we are root, else Playwright's own Chromium; then a virtual
# environment with the package, its test extras and nothing global.
set -euo pipefail
venv="${1:-.venv}"

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  # the old headless shell, as Playwright's own headless launch uses: half the CPU of the full browser per run
  command -v chromium-headless-shell >/dev/null 2>&1 || need+=(chromium-headless-shell)
  [ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd dovecot-lmtpd)
  command -v npm >/dev/null 2>&1 || need+=(npm)  # axe-core for the report's accessibility test
  [ -x /usr/lib/postgresql/15/bin/pg_ctl ] || need+=(postgresql)  # team mode's campaign store; tests start a private one
  [ -f /usr/share/i18n/locales/en_US ] || need+=(locales)  # Cartridge (discovery test) formats prices by locale
  # the email pictures use this machine's fonts: without these, Chinese text and emoji are drawn as empty boxes
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
  [ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
  if [ ${#need[@]} -gt 0 ]; then
    echo "install: apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q -e ".[test]"

if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
   && ! command -v google-chrome >/dev/null 2>&1; then
  echo "install: no system Chromium; fetching Playwright's own"
  "$venv/bin/python" -m playwright install chromium
fi

# axe-core (npm) for the report's accessibility test: tests look in $venv/node_modules
if command -v npm >/dev/null 2>&1 && [ ! -f "$venv/node_modules/axe-core/axe.min.js" ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix "$venv" axe-core@4 >/dev/null
fi
# Cartridge (Mezzanine's shop) from PyPI, a second real platform for the discovery tests, in a venv of its
# own: it pins Django 4.2, the project's Oscar needs 5.2. tests/cartridge_fixture.py looks in $venv/cartridge.
if [ ! -x "$venv/cartridge/bin/mezzanine-project" ]; then
  python3 -m venv "$venv/cartridge"
  "$venv/cartridge/bin/pip" install -q "cartridge==1.3.4"
fi
echo "install: done ($venv)"
