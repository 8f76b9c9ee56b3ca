#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Build the fuzz seed corpora from the real fixtures (DESIGN.md §6):
#   seed.sh OUTDIR
# makes OUTDIR/fuzz-dump, fuzz-sysroot, fuzz-dmar, fuzz-cmdline, fuzz-groups.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cases=$top/tests/oracle/cases
out=${1:?usage: seed.sh OUTDIR}

for t in fuzz-dump fuzz-sysroot fuzz-dmar fuzz-cmdline fuzz-groups; do
	mkdir -p "$out/$t"
done
tmp=$(mktemp -d /dev/shm/iog-seed.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
for c in "$cases"/*/; do
	c=${c%/}
	name=$(basename "$c")
	[ -f "$c/config.lspci.gz" ] && gunzip -c "$c/config.lspci.gz" >"$out/fuzz-dump/$name"
	[ -f "$c/groups.txt" ] && cp "$c/groups.txt" "$out/fuzz-groups/$name"
	[ -f "$c/sysroot.tar.gz" ] || continue
	mkdir "$tmp/$name"
	tar xzf "$c/sysroot.tar.gz" -C "$tmp/$name" ./proc ./sys/bus/pci/devices ./sys/devices \
		./sys/firmware ./sys/kernel ./sys/class 2>/dev/null || true
	[ -f "$tmp/$name/proc/cmdline" ] && cp "$tmp/$name/proc/cmdline" "$out/fuzz-cmdline/$name"
	for tab in DMAR IVRS VIOT; do
		[ -f "$tmp/$name/sys/firmware/acpi/tables/$tab" ] &&
			cp "$tmp/$name/sys/firmware/acpi/tables/$tab" "$out/fuzz-dmar/$name-$tab"
	done
	# a few snapshots of each kind, in the sysroot fuzzer's encoding
	case $name in
	*-1000 | *-1001 | *-1004 | *-1005 | *-1006 | *-1007 | *-1056 | *-1057 | *-1065 | s390x-*)
		python3 "$here/encode-sysroot.py" "$tmp/$name" "$out/fuzz-sysroot/$name" ;;
	esac
	rm -rf "${tmp:?}/$name"
	n=$((n + 1))
done

# Sysroots libpci must reject: a bogus entry name, each of its files missing.
python3 - "$out/fuzz-sysroot" <<'PY'
import struct, sys
cfg = bytes([0x86, 0x80, 0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 6]) + bytes(52)
def dev(flags, aux):
    return struct.pack('<BBBBBBH', 0, 0, 0, flags, aux, 0, len(cfg)) + cfg
seeds = {'bogus-entry': bytes([0x80, 1]) + dev(0, 0)}
for i, f in enumerate(['vendor', 'device', 'class', 'resource']):
    seeds['no-' + f] = bytes([0, 1]) + dev(0x80, i << 1)
for name, data in seeds.items():
    open('%s/%s' % (sys.argv[1], name), 'wb').write(data)
PY

# Dumps cut to their first devices: small inputs mutate faster.
for f in "$out"/fuzz-dump/*; do
	awk 'BEGIN { RS = ""; ORS = "\n\n" } NR <= 3' "$f" >"$f.first3"
done

# Command lines that reach the ACS knobs, for the fixed topology of fixture.h.
i=0
while IFS= read -r line; do
	i=$((i + 1))
	printf '%s' "$line" >"$out/fuzz-cmdline/acs-$i"
done <<'CMDLINES'
pci=config_acs=111x@00:1c.0
pci=config_acs=1x1x1x1@0000:00:1c.0/00.0;101@pci:8086:a110,noats
pci=disable_acs_redir=00:1c.0;pci:10de:1b80:0:0 intel_iommu=on,igfx_off
pcie_acs_override=downstream,multifunction
pcie_acs_override=id:8086:a110,id:10de:1b80 iommu=pt
pcie_acs_override=downstream,id:1022:1483 iommu.strict=1 iommu.passthrough=0
iommu=off
amd_iommu=off intel_iommu=off iommu=nopt
pci=config_acs=0000000@0001:00:00.0/00.0 pci=disable_acs_redir=1:0.0/0.0
root="/dev/vda1 x" pci="config_acs=111@00:1c.0"
CMDLINES

# Group listings of the fixed topology.
cat >"$out/fuzz-groups/fixture-1" <<'GROUPS'
group 0 type=DMA-FQ devices: 0000:00:00.0
group 1 type=DMA-FQ devices: 0000:00:02.0
  reserved 0x00000000fee00000 0x00000000feefffff msi
group 2 type=DMA devices: 0000:00:1c.0 0000:01:00.0 0000:01:00.1
group 3 type=identity devices: 0000:00:1e.0 0000:03:01.0 0000:03:02.0
group 4 type=DMA-FQ devices: 0000:00:1f.0 0000:00:1f.2 0000:00:1f.3
group 5 type=DMA-FQ devices: 0001:00:00.0 0001:01:00.0
group 6 type=DMA-FQ devices: 05:00.0 05:00.1 00:03.0
GROUPS
printf 'group 0 type=DMA-FQ devices: 0000:00:00.0 0000:00:00.0\n' >"$out/fuzz-groups/fixture-dup"

# DMAR tables for the fixed topology: a graphics-only unit (00:02.0), a unit
# scoped to the root port 00:1c.0 by a bridge path, an RMRR, INCLUDE_ALL units
# for segments 0 and 1.
python3 - "$out/fuzz-dmar/fixture" <<'PY'
import struct, sys
def scope(kind, bus, path):
    return struct.pack('<BBHBB', kind, 6 + 2 * len(path), 0, 0, bus) + bytes(sum(path, ()))
def drhd(flags, seg, scopes):
    body = b''.join(scopes)
    return struct.pack('<HHBBHQ', 0, 16 + len(body), flags, 0, seg, 0xfed90000) + body
rmrr = struct.pack('<HHHHQQ', 1, 24 + 8, 0, 0, 0x1000, 0x1fff) + scope(1, 0, [(2, 0)])
units = (drhd(0, 0, [scope(1, 0, [(2, 0)])]) + drhd(0, 0, [scope(2, 0, [(0x1c, 0)])]) +
         rmrr + drhd(1, 0, []) + drhd(1, 1, []))
hdr = b'DMAR' + struct.pack('<IBB', 48 + len(units), 1, 0) + b'INTEL ' + b'EDK2    ' + \
    struct.pack('<I', 2) + b'    ' + struct.pack('<I', 0) + bytes([38, 1]) + bytes(10)
assert len(hdr) == 48
open(sys.argv[1], 'wb').write(hdr + units)
PY

for t in fuzz-dump fuzz-sysroot fuzz-dmar fuzz-cmdline fuzz-groups; do
	echo "$t: $(ls "$out/$t" | wc -l) seeds"
done
