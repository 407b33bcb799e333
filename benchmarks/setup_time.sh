#!/usr/bin/env bash
# Time a fresh `make setup` with pip and with uv, side by side in one run, and print the ratio.
# Both install the same pinned packages (constraints.txt) into new virtual environments under a
# temporary folder; package downloads are cached by each installer, so run it twice and read the
# second run for installers on an equal footing.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
uptime
declare -A seconds
for installer in pip uv; do
  start=$(date +%s.%N)
  make setup VENV="$tmp/$installer" INSTALLER="$installer" > "$tmp/$installer.log" 2>&1
  seconds[$installer]=$(python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(date +%s.%N)" "$start")
  "$tmp/$installer/bin/python" -m pip freeze --exclude-editable | sort > "$tmp/$installer.freeze"
  printf '%-4s %6.1f s\n' "$installer" "${seconds[$installer]}"
done
python3 -c "import sys; print(f'uv / pip: {float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "${seconds[uv]}" "${seconds[pip]}"
if diff <(grep -v '^uv==' "$tmp/pip.freeze") <(grep -v '^uv==' "$tmp/uv.freeze") > /dev/null; then
  echo "both installed the same packages at the same versions"
else
  echo "the two installs differ:"; diff "$tmp/pip.freeze" "$tmp/uv.freeze" || true
fi
