#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Encode a sysfs snapshot (an extracted sysroot.tar.gz) in fuzz-sysroot's
input format (see the comment at the top of fuzz-sysroot.c).

  encode-sysroot.py SYSROOT OUTPREFIX

writes OUTPREFIX-0, OUTPREFIX-1, ...: the PCI devices in windows of at most
8 (the format's limit), each with the snapshot's links, groups, IOMMU unit
naming and ACPI table."""
import os
import re
import struct
import sys

MAX_DEVS = 8
ADDR = re.compile(r'^([0-9a-f]{4,6}):([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$')


def link_base(path):
    try:
        return os.path.basename(os.readlink(path))
    except OSError:
        return None


def main():
    root, prefix = sys.argv[1], sys.argv[2]
    devdir = os.path.join(root, 'sys/bus/pci/devices')
    names = sorted(n for n in os.listdir(devdir) if ADDR.match(n))
    glob = 0
    tail = b''
    acpi = os.path.join(root, 'sys/firmware/acpi/tables')
    if os.path.exists(os.path.join(acpi, 'DMAR')):
        glob |= 1
        tail = open(os.path.join(acpi, 'DMAR'), 'rb').read()
    elif os.path.exists(os.path.join(acpi, 'IVRS')):
        glob |= 2
        tail = open(os.path.join(acpi, 'IVRS'), 'rb').read()
    if os.path.exists(os.path.join(root, 'proc/cmdline')):
        glob |= 4
    if os.path.isdir(os.path.join(root, 'sys/kernel/iommu_groups')):
        glob |= 8
    units = sorted(os.listdir(os.path.join(root, 'sys/class/iommu'))) \
        if os.path.isdir(os.path.join(root, 'sys/class/iommu')) else []
    kind = 0
    if units:
        u = units[0]
        kind = (0 if u.startswith('dmar') else 1 if u.startswith('ivhd') else
                2 if u.startswith('s390-iommu.') else 3 if u.startswith('smmu3.') else
                4 if ADDR.match(u) else 5)
    glob |= kind << 4

    for w in range(0, max(len(names), 1), MAX_DEVS):
        window = names[w:w + MAX_DEVS]
        out = bytearray([glob, len(window)])
        for name in window:
            m = ADDR.match(name)
            seg, bus, dev, fn = (int(x, 16) for x in m.groups())
            d = os.path.realpath(os.path.join(devdir, name))
            flags, aux = 0, 0
            pf = link_base(os.path.join(d, 'physfn'))
            parent = os.path.basename(os.path.dirname(d))
            if pf in window:
                flags |= 1
                aux |= window.index(pf)
            elif parent in window:
                flags |= 1 << 4
                aux |= window.index(parent)
            g = link_base(os.path.join(d, 'iommu_group'))
            if g is not None and g.isdigit():
                flags |= 2
                aux |= (int(g) & 15) << 4
            u = link_base(os.path.join(d, 'iommu'))
            if u is not None:
                flags |= 4
                num = re.search(r'(\d+)$', u)
                if kind in (0, 1) and num:
                    aux |= int(num.group(1)) & 1
            if link_base(os.path.join(d, 'driver')):
                flags |= 8
            if os.path.exists(os.path.join(d, 'function_id')):
                flags |= 0x40
            cfg = open(os.path.join(d, 'config'), 'rb').read()
            size = os.path.getsize(os.path.join(d, 'config'))
            sel = {64: 0, 128: 1, 256: 2}.get(size, 3)
            cfg = cfg.rstrip(b'\0')
            out += struct.pack('<BBBBBBH', ((seg & 3) | (0x80 if seg >= 0x10000 else 0)),
                               bus, dev << 3 | fn, flags, aux, sel, len(cfg))
            out += cfg
        out += tail
        with open('%s-%d' % (prefix, w // MAX_DEVS), 'wb') as f:
            f.write(out)


main()
