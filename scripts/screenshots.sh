#!/usr/bin/env bash
# Takes the screenshots of the local page shown in the README (docs/ekran-*.png): a demo
# campaign served by gpwr, each page opened in headless Chromium. Needs chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q
gpwr=$PWD/target/debug/gpwr
work=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
(cd "$work" && "$gpwr" demo kampania >/dev/null && mkdir pusty)
shoot() { # address, file
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --lang=pl-PL \
    --window-size=1200,860 --force-device-scale-factor=0.8 --screenshot="$2" "$1" >/dev/null 2>&1
}
serve() { # folder; sets $server and $address
  GPWR_BEZ_PRZEGLADARKI=1 "$gpwr" serwer "$1" >"$work/adres" &
  server=$!
  until grep -q adresem "$work/adres" 2>/dev/null; do sleep 0.1; done
  address=$(sed -n 's/.*adresem: //p' "$work/adres")
}
serve "$work/pusty"
shoot "$address" docs/ekran-start.png
kill $server
serve "$work/kampania"
base=${address%%/?t=*} token=${address##*t=}
curl -s -X POST -H "X-Gpwr-Token: $token" -H "Host: ${base#http://}" "$base/zadanie/zestawienie" >/dev/null
until curl -s -H "X-Gpwr-Token: $token" "$base/api/zadanie" | grep -q '"trwa":false'; do sleep 0.2; done
for page in definicja formularze odpowiedzi zbieranie zestawienie; do
  shoot "$base/$page?t=$token" "docs/ekran-$page.png"
done
ls -l docs/ekran-*.png
