#!/bin/busybox sh
# Kernel oracle /init (packed by scripts/oracle/mkinitramfs): report how this kernel
# grouped the PCI devices, then power off.  Procedure and report format:
# shared/guides/kernel-oracle.md §3.  Runs unchanged on x86-64, s390x and arm64.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /snap
dmesg -n 1                      # keep asynchronous kernel messages off the console

# Optional modules, in load order (plain .ko files, decompressed when packing).
if [ -f /modules/order ]; then
	while read -r m; do insmod "/modules/$m"; done < /modules/order
fi

# SR-IOV: "oracle.sriov=BDF=N[,BDF=N]" on the kernel command line enables N VFs of
# each PF (its driver must be loaded above); the VFs then get their groups as
# hotplugged devices, as on a real system.
for w in $(cat /proc/cmdline); do
	case $w in
	oracle.sriov=*)
		for e in $(echo "${w#oracle.sriov=}" | tr ',' ' '); do
			echo "${e##*=}" > "/sys/bus/pci/devices/${e%=*}/sriov_numvfs"
		done ;;
	esac
done

# Groups may still be forming (modular IOMMU driver, deferred probes): wait until
# the number of grouped devices has not changed for 3 s, at most 30 s.
grouped() { ls /sys/kernel/iommu_groups/*/devices 2>/dev/null | grep -c ':'; }
last=-1 stable=0 waited=0
while [ $stable -lt 3 ] && [ $waited -lt 30 ]; do
	now=$(grouped)
	if [ "$now" = "$last" ]; then stable=$((stable + 1)); else stable=0 last=$now; fi
	sleep 1
	waited=$((waited + 1))
done

echo                            # the firmware may leave escape codes on this line
echo "@@ORACLE BEGIN release=$(uname -r) machine=$(uname -m)"
echo "@@CMDLINE $(cat /proc/cmdline)"

echo "@@GROUPS BEGIN"
ngroups=0
for n in $(ls /sys/kernel/iommu_groups | sort -n); do
	g=/sys/kernel/iommu_groups/$n
	echo "group $n type=$(cat $g/type 2>/dev/null || echo -) devices: $(ls $g/devices | tr '\n' ' ')"
	while read -r r; do echo "  reserved $r"; done < $g/reserved_regions
	ngroups=$((ngroups + 1))
done
echo "@@GROUPS END groups=$ngroups"

echo "@@DMESG BEGIN"
dmesg | grep -iE 'iommu|dmar|amd-vi|acs|alias|viot|smmu' | sed 's/^/  /'
echo "@@DMESG END"

# IOMMU units: "unit <name> <link target>", then "  device <name>" per member.
echo "@@IOMMU BEGIN"
nunits=0
for u in /sys/class/iommu/*; do
	[ -e "$u" ] || continue
	echo "unit ${u##*/} $(readlink $u)"
	for l in $u/devices/*; do [ -e "$l" ] || [ -L "$l" ] && echo "  device ${l##*/}"; done
	nunits=$((nunits + 1))
done
echo "@@IOMMU END units=$nunits"

# Config space in the text form lspci -F reads: "DDDD:BB:DD.F <text>",
# "OFF: xx xx ..." (16 bytes a line), then an empty line.
echo "@@CONFIG BEGIN"
ndev=0
for d in /sys/bus/pci/devices/*; do
	[ -e "$d" ] || continue
	v=$(cat $d/vendor) i=$(cat $d/device) c=$(cat $d/class)
	echo "${d##*/} ${v#0x}:${i#0x} class ${c#0x} config-bytes $(wc -c < $d/config)"
	hexdump -v -e '"%03_ax:" 16/1 " %02x" "\n"' $d/config
	echo
	ndev=$((ndev + 1))
done
echo "@@CONFIG END devices=$ndev"

# sysfs snapshot: the files a --sysroot reader needs, symlinks kept as symlinks.
# Attributes are copied with cat (sysfs reports a fake st_size, so tar cannot read
# them directly); resourceN, rom and write-only files are left out.
S=/snap/root
mkdir -p $S/sys/bus/pci/devices $S/sys/kernel/iommu_groups $S/sys/class/iommu $S/proc
cat /proc/cmdline > $S/proc/cmdline
copy_link() { [ -L "$1" ] && ln -s "$(readlink "$1")" "$2"; }
for d in /sys/bus/pci/devices/*; do
	[ -e "$d" ] || continue
	real=$(readlink -f $d)
	mkdir -p $S$real
	copy_link $d $S/sys/bus/pci/devices/${d##*/}
	# generic PCI, SR-IOV/ARI, and s390 zPCI attributes (those present)
	for a in config vendor device subsystem_vendor subsystem_device class revision \
	         irq resource numa_node enable driver_override label modalias \
	         ari_enabled sriov_totalvfs sriov_numvfs sriov_offset sriov_stride \
	         sriov_vf_device sriov_drivers_autoprobe sriov_vf_total_msix \
	         function_id function_handle uid uid_is_unique pchid pfgid vfn pft port \
	         mio_enabled index; do
		[ -f $d/$a ] && cat $d/$a > $S$real/$a 2>/dev/null
	done
	for l in iommu_group iommu driver physfn $(cd $d && ls -d virtfn* 2>/dev/null); do
		copy_link $d/$l $S$real/$l
	done
done
for g in /sys/kernel/iommu_groups/*; do
	[ -d $g ] || continue
	mkdir -p $S$g/devices
	for a in type reserved_regions name; do [ -f $g/$a ] && cat $g/$a > $S$g/$a; done
	for l in $g/devices/*; do copy_link $l $S$g/devices/${l##*/}; done
done
for u in /sys/class/iommu/*; do
	[ -e $u ] || continue
	copy_link $u $S$u
	real=$(readlink -f $u)
	mkdir -p $S$real/devices
	for l in $real/devices/*; do copy_link $l $S$real/devices/${l##*/}; done
done
# host bridges' firmware companions: their ACPI instance numbers give the order
# the root buses were scanned in
for h in /sys/devices/pci*; do
	[ -L $h/firmware_node ] || continue
	mkdir -p $S$h
	copy_link $h/firmware_node $S$h/firmware_node
done
# s390 slots are named after the FID
for s in /sys/bus/pci/slots/*; do
	[ -d $s ] || continue
	mkdir -p $S$s
	[ -f $s/address ] && cat $s/address > $S$s/address
done
for t in DMAR IVRS VIOT IORT; do
	f=/sys/firmware/acpi/tables/$t
	[ -f $f ] && mkdir -p $S/sys/firmware/acpi/tables && cat $f > $S$f
done
echo "@@SNAPSHOT BEGIN format=tar.gz encoding=base64"
tar -C $S -czf - . | base64
echo "@@SNAPSHOT END"

echo "@@ORACLE END devices=$ndev groups=$ngroups"
poweroff -f
