#!/bin/sh
# private-apt.sh DIR SUITE ARCH: write DIR/apt.conf for an apt state kept in DIR whose
# only source is the host's main Debian entry with the suite replaced by SUITE.
# Prints the file to use as APT_CONFIG.
set -eu
dir=$(mkdir -p "$1" && cd "$1" && pwd) suite=$2 arch=$3
etc=${APT_ETC:-/etc/apt}
mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/parts" "$dir/prefs"
: > "$dir/status"

src=
for f in "$etc"/sources.list.d/*.sources; do          # deb822 format
	[ -f "$f" ] || continue
	awk -v RS= -v suite="$suite" '
		done || !/(^|\n)Types:[^\n]*deb/ || /(^|\n)Suites:[^\n]*-security/ { next }
		{
			n = split($0, line, "\n")
			for (i = 1; i <= n; i++) {
				if (line[i] ~ /^(Architectures|Enabled):/) continue
				if (line[i] ~ /^Suites:/) line[i] = "Suites: " suite
				print line[i]
			}
			done = 1
		}' "$f" > "$dir/derived.sources"
	if [ -s "$dir/derived.sources" ]; then src=$dir/derived.sources; break; fi
done
if [ -z "$src" ]; then                                   # one-line format
	for f in "$etc"/sources.list "$etc"/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
			done || $1 != "deb" { next }
			{
				gsub(/arch=[^] ]*/, ""); gsub(/\[ *\]/, "")     # ARCH comes from apt.conf
				i = 2
				if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }  # skip [options]
				if ($(i + 1) ~ /-(security|updates|backports)$/) next
				$(i + 1) = suite
				print
				done = 1
			}' "$f" > "$dir/derived.list"
		if [ -s "$dir/derived.list" ]; then src=$dir/derived.list; break; fi
	done
fi
[ -n "$src" ] || { echo "private-apt: no usable deb entry under $etc" >&2; exit 1; }

cat > "$dir/apt.conf" <<CONF
Dir::State "$dir";
Dir::State::Lists "$dir/lists";
Dir::State::status "$dir/status";
Dir::Cache "$dir/cache";
Dir::Etc::SourceList "$src";
Dir::Etc::SourceParts "$dir/parts";
Dir::Etc::PreferencesParts "$dir/prefs";
APT::Architecture "$arch";
APT::Architectures { "$arch"; };
Acquire::Languages "none";
CONF
echo "$dir/apt.conf"
