#!/usr/bin/env bash
# Renders a workbook (or document) the way a user would print it: LibreOffice → PDF → PNG pages.
# Usage: scripts/render.sh FILE [OUTDIR]   (needs: apt-get install -y libreoffice-calc-nogui poppler-utils)
set -euo pipefail
file=$1
out=${2:-scratch/render}
mkdir -p "$out"
soffice --headless --convert-to pdf --outdir "$out" "$file" >/dev/null
pdf="$out/$(basename "${file%.*}").pdf"
pdftoppm -png -r 70 "$pdf" "$out/$(basename "${file%.*}")"
ls "$out"/"$(basename "${file%.*}")"*
