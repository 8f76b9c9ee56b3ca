/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the sysfs source (lib/source-sysfs.c, libpci's sysfs method under it,
 * the model's decoding) by building a small sysroot from the input, then the
 * engine and the kernel-groups reader on it.
 *
 * Input encoding (all integers little-endian; a short input just ends early):
 *
 *   byte 0   global flags
 *              bit 0    the tail is sys/firmware/acpi/tables/DMAR
 *              bit 1    the tail is .../IVRS (bit 0 wins)
 *              bit 2    write proc/cmdline and proc/sys/kernel/osrelease
 *              bit 3    create sys/kernel/iommu_groups even if no device links one
 *              bits 4-6 IOMMU unit naming: 0 dmar, 1 ivhd, 2 s390-iommu., 3 smmu3.,
 *                       4 the first device's address (virtio-iommu), 5-7 "bogus"
 *              bit 7    an entry in sys/bus/pci/devices that is no PCI address
 *   byte 1   device count (mod 9)
 *   per device, 8 header bytes then config bytes:
 *     [0] segment: bits 0-1; bit 7 adds 0x10000 (a VMD domain)
 *     [1] bus   [2] devfn
 *     [3] flags: bit 0 physfn link to device [4]&7
 *                bit 1 iommu_group link, group [4]>>4 (and the group directory)
 *                bit 2 iommu link to unit number [4]&1 (and /sys/class/iommu)
 *                bit 3 driver link
 *                bits 4-5 where the directory sits: 0 flat under pciSSSS:BB,
 *                         1 under device [4]&7's directory (behind a bridge),
 *                         2 under device [4]&7's directory in a pciSSSS:BB
 *                         directory (a VMD root bus), 3 flat
 *                bit 6 zPCI attributes (function_id, function_handle, uid)
 *                bit 7 leave out the libpci file named by [4]>>1 & 3: vendor,
 *                      device, class, resource
 *     [4] aux   [5] config file size: 64, 128, 256, 4096 by bits 0-1
 *     [6..7] N: bytes of config that follow (at most the file size; the rest
 *               of the file is zeros)
 *   tail     the ACPI table named by byte 0, if any
 *
 * The files libpci's sysfs method reads are written well-formed, or left out
 * (flag bit 7): the library must turn a libpci error into -EINVAL without a
 * leak (see tests/fuzz/README.md).
 */
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>

#include "fixture.h"

#define MAX_DEVS 8

static struct iog_ctx *ctx;

struct rec {
	uint32_t seg;
	uint8_t bus, devfn, flags, aux;
	char addr[24];
	char rel[512]; /* directory under sys/devices */
};

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);
	return 0;
}

static void rm_tree(const char *root)
{
	nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkdir_p(const char *path)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	mkdir(buf, 0755);
}

static void put_file(const char *root, const char *rel, const void *data, size_t len)
{
	char path[1024], *slash;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir_p(path);
	*slash = '/';
	fuzz_write_file(path, data, len);
}

static void put_text(const char *root, const char *rel, const char *text)
{
	put_file(root, rel, text, strlen(text));
}

static void put_link(const char *root, const char *rel, const char *target)
{
	char path[1024], *slash;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir_p(path);
	*slash = '/';
	if (symlink(target, path) < 0 && errno != EEXIST)
		abort();
}

static const char *unit_name(uint8_t kind, const struct rec *first, unsigned n, char *buf,
			     size_t len)
{
	static const char *const prefix[] = { "dmar", "ivhd", "s390-iommu.0000000", "smmu3.0x0000" };

	if (kind < 4)
		snprintf(buf, len, "%s%u", prefix[kind], n);
	else if (kind == 4)
		snprintf(buf, len, "%s", first->addr);
	else
		snprintf(buf, len, "bogus%u", n);
	return buf;
}

static void build(const char *root, const uint8_t *data, size_t size)
{
	struct rec recs[MAX_DEVS];
	size_t off = 2, ndev, i;
	uint8_t global;
	char rel[1024], tgt[1024], buf[64];

	if (size < 2)
		return;
	global = data[0];
	ndev = data[1] % (MAX_DEVS + 1);
	mkdir_p(root);
	snprintf(rel, sizeof(rel), "%s/sys/bus/pci/devices", root);
	mkdir_p(rel);
	if (global & 4) {
		put_text(root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 intel_iommu=on\n");
		put_text(root, "proc/sys/kernel/osrelease", "7.2.13+deb14-amd64\n");
	}
	if (global & 8) {
		snprintf(rel, sizeof(rel), "%s/sys/kernel/iommu_groups", root);
		mkdir_p(rel);
	}
	/* headers first: nesting may refer to a later device */
	for (i = 0; i < ndev && off + 8 <= size; i++) {
		const uint8_t *h = data + off;
		size_t n = h[6] | h[7] << 8;
		struct rec *r = &recs[i];

		r->seg = (h[0] & 3) | (h[0] & 0x80 ? 0x10000 : 0);
		r->bus = h[1];
		r->devfn = h[2];
		r->flags = h[3];
		r->aux = h[4];
		iog_format_address(r->addr, sizeof(r->addr), r->seg, r->bus, r->devfn);
		off += 8 + n;
	}
	ndev = i;
	for (i = 0; i < ndev; i++) {
		struct rec *r = &recs[i];
		const struct rec *p = &recs[(r->aux & 7) % ndev];
		unsigned nest = (r->flags >> 4) & 3;

		if (nest == 1 && p != r)
			snprintf(r->rel, sizeof(r->rel), "pci%04x:%02x/%s/%s", p->seg, p->bus, p->addr,
				 r->addr);
		else if (nest == 2 && p != r)
			snprintf(r->rel, sizeof(r->rel), "pci%04x:%02x/%s/pci%04x:%02x/%s", p->seg,
				 p->bus, p->addr, r->seg, r->bus, r->addr);
		else
			snprintf(r->rel, sizeof(r->rel), "pci%04x:%02x/%s", r->seg, r->bus, r->addr);
	}
	off = 2;
	for (i = 0; i < ndev; i++) {
		const uint8_t *h = data + off;
		struct rec *r = &recs[i];
		static const size_t sizes[] = { 64, 128, 256, 4096 };
		size_t flen = sizes[h[5] & 3], n = h[6] | h[7] << 8, avail;
		uint8_t cfg[4096] = { 0 };
		char text[64];

		off += 8;
		avail = size - off < n ? size - off : n;
		memcpy(cfg, data + off, avail < flen ? avail : flen);
		off += avail;

		unsigned omit = r->flags & 0x80 ? (r->aux >> 1 & 3) : 4;

		snprintf(rel, sizeof(rel), "sys/devices/%s/config", r->rel);
		put_file(root, rel, cfg, flen);
		snprintf(text, sizeof(text), "0x%04x\n", cfg[0] | cfg[1] << 8);
		snprintf(rel, sizeof(rel), "sys/devices/%s/vendor", r->rel);
		if (omit != 0)
			put_text(root, rel, text);
		snprintf(text, sizeof(text), "0x%04x\n", cfg[2] | cfg[3] << 8);
		snprintf(rel, sizeof(rel), "sys/devices/%s/device", r->rel);
		if (omit != 1)
			put_text(root, rel, text);
		snprintf(text, sizeof(text), "0x%06x\n", cfg[9] | cfg[10] << 8 | cfg[11] << 16);
		snprintf(rel, sizeof(rel), "sys/devices/%s/class", r->rel);
		if (omit != 2)
			put_text(root, rel, text);
		snprintf(rel, sizeof(rel), "sys/devices/%s/irq", r->rel);
		put_text(root, rel, "0\n");
		snprintf(rel, sizeof(rel), "sys/devices/%s/resource", r->rel);
		if (omit != 3)
			put_text(root, rel, "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");

		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", r->addr);
		snprintf(tgt, sizeof(tgt), "../../../devices/%s", r->rel);
		put_link(root, rel, tgt);

		if (r->flags & 1) {
			snprintf(rel, sizeof(rel), "sys/devices/%s/physfn", r->rel);
			snprintf(tgt, sizeof(tgt), "../%s", recs[(r->aux & 7) % ndev].addr);
			put_link(root, rel, tgt);
		}
		if (r->flags & 2) {
			unsigned g = r->aux >> 4;

			snprintf(rel, sizeof(rel), "sys/devices/%s/iommu_group", r->rel);
			snprintf(tgt, sizeof(tgt), "../../../kernel/iommu_groups/%u", g);
			put_link(root, rel, tgt);
			snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%u/devices/%s", g, r->addr);
			snprintf(tgt, sizeof(tgt), "../../../../devices/%s", r->rel);
			put_link(root, rel, tgt);
			snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%u/type", g);
			put_text(root, rel, "DMA-FQ\n");
		}
		if (r->flags & 4) {
			const char *u = unit_name((global >> 4) & 7, &recs[0], r->aux & 1, buf,
						  sizeof(buf));

			snprintf(rel, sizeof(rel), "sys/devices/%s/iommu", r->rel);
			snprintf(tgt, sizeof(tgt), "../../virtual/iommu/%s", u);
			put_link(root, rel, tgt);
			snprintf(rel, sizeof(rel), "sys/class/iommu/%s/devices/%s", u, r->addr);
			snprintf(tgt, sizeof(tgt), "../../../../devices/%s", r->rel);
			put_link(root, rel, tgt);
		}
		if (r->flags & 8) {
			snprintf(rel, sizeof(rel), "sys/devices/%s/driver", r->rel);
			put_link(root, rel, "../../../bus/pci/drivers/fuzzdrv");
		}
		if (r->flags & 0x40) {
			snprintf(text, sizeof(text), "0x%08x\n", r->aux);
			snprintf(rel, sizeof(rel), "sys/devices/%s/function_id", r->rel);
			put_text(root, rel, text);
			snprintf(text, sizeof(text), "0x%08zx\n", 0x80000000u | r->aux << 8 | i);
			snprintf(rel, sizeof(rel), "sys/devices/%s/function_handle", r->rel);
			put_text(root, rel, text);
			snprintf(text, sizeof(text), "0x%x\n", r->aux & 0x0f);
			snprintf(rel, sizeof(rel), "sys/devices/%s/uid", r->rel);
			put_text(root, rel, text);
		}
	}
	if (global & 0x80) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", ndev ? "0000:00:1f" : "nopci");
		put_link(root, rel, "../../../devices/nopci");
	}
	if (off < size && (global & 3))
		put_file(root, global & 1 ? "sys/firmware/acpi/tables/DMAR" :
					    "sys/firmware/acpi/tables/IVRS",
			 data + off, size - off);
}

static void predict(struct iog_topology *t, const char *platform)
{
	struct iog_profile *p = NULL;
	struct iog_grouping *g = NULL;

	if (iog_profile_new(ctx, &p) < 0)
		abort();
	if (platform)
		iog_profile_set_platform(p, platform);
	if (iog_topology_get_cmdline(t))
		iog_profile_set_cmdline(p, iog_topology_get_cmdline(t));
	if (iog_topology_get_release(t))
		iog_profile_set_kernel(p, iog_topology_get_release(t));
	if (iog_grouping_predict(t, p, &g) == 0) {
		fuzz_consume_grouping(t, g);
		iog_grouping_unref(g);
	}
	iog_profile_unref(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char root[128];
	struct iog_topology *t = NULL;
	struct iog_grouping *g = NULL;

	if (!ctx)
		ctx = fuzz_ctx();
	snprintf(root, sizeof(root), "%s", fuzz_tmp_path("sysroot"));
	rm_tree(root); /* a previous run may have crashed */
	build(root, data, size);
	if (iog_topology_new_sysfs(ctx, root, &t) == 0) {
		fuzz_consume_topology(t);
		predict(t, NULL);
		if (iog_topology_get_platform(t))
			predict(t, iog_topology_get_platform(t));
		if (iog_grouping_from_kernel(t, &g) == 0) {
			fuzz_consume_grouping(t, g);
			iog_grouping_unref(g);
		}
		iog_topology_unref(t);
	}
	rm_tree(root);
	return 0;
}
