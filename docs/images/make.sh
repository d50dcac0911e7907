#!/bin/sh
# Regenerate the README's pictures: the first page of each sample brief, as PDF and as DOCX
# (the DOCX drawn by LibreOffice). Needs reegen installed, LibreOffice (soffice) and
# poppler-utils (pdftoppm). Run from anywhere: sh docs/images/make.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
reegen=${REEGEN:-reegen}
[ -x "$root/.venv/bin/reegen" ] && reegen=${REEGEN:-$root/.venv/bin/reegen}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
for brief in baotou-executive baotou-dossier; do
    "$reegen" build "briefs/$brief.yaml" -f pdf,docx -o "$work" --force -q
    soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to pdf \
        --outdir "$work/docx" "$work/$brief.docx" >/dev/null
    pdftoppm -r 50 -f 1 -l 1 -singlefile -png "$work/$brief.pdf" "$here/$brief-pdf"
    pdftoppm -r 50 -f 1 -l 1 -singlefile -png "$work/docx/$brief.pdf" "$here/$brief-docx"
done
ls -l "$here"/*.png
