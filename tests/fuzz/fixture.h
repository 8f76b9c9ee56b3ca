/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the fuzz targets: a quiet context that still formats every log
 * message (so format strings are exercised), temp files under /dev/shm, and
 * a small fixed topology built through the internal API for the targets that
 * fuzz something other than the topology source (DMAR, command line, group
 * listings).
 *
 * The fixed topology (segment 0 unless noted):
 *   00:00.0 host bridge (8086:29c0, conventional)
 *   00:02.0 VGA, root-complex integrated endpoint        (DMAR: graphics unit)
 *   00:03.0 SR-IOV PF endpoint, VFs 05:00.0 05:00.1 on a virtual bus
 *   00:1c.0 root port with ACS (8086:a110), 01..02 behind it
 *     01:00.0 01:00.1 multifunction endpoint without ACS
 *   00:1e.0 PCIe-to-PCI bridge, 03:01.0 03:02.0 conventional behind it
 *   00:1f.0 00:1f.2 00:1f.3 Intel multifunction chipset functions
 *   0001:00:00.0 root port without ACS, 0001:01:00.0 endpoint
 */
#ifndef IOG_FUZZ_FIXTURE_H
#define IOG_FUZZ_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_log(void *data, int priority, const char *msg)
{
	(void)data;
	(void)priority;
	(void)msg;
}

static inline struct iog_ctx *fuzz_ctx(void)
{
	struct iog_ctx *ctx;

	if (iog_ctx_new(&ctx) < 0)
		abort();
	iog_ctx_set_log_fn(ctx, fuzz_log, NULL);
	iog_ctx_set_log_priority(ctx, 7);
	return ctx;
}

/* A per-process path under /dev/shm (tmpfs): workers run in parallel. */
static inline const char *fuzz_tmp_path(const char *what)
{
	static char path[128];

	snprintf(path, sizeof(path), "/dev/shm/iog-fuzz-%s-%ld", what, (long)getpid());
	return path;
}

static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "w");

	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f))
		abort();
}

/* Walk every accessor of a grouping so each result field is touched. */
static inline void fuzz_consume_grouping(struct iog_topology *t, struct iog_grouping *g)
{
	volatile size_t sink = 0;

	for (size_t i = 0; i < iog_grouping_get_group_count(g); i++) {
		struct iog_group *grp = iog_grouping_get_group(g, i);

		sink += iog_group_get_id(grp) + iog_group_is_uncertain(grp);
		if (iog_group_get_type(grp))
			sink += strlen(iog_group_get_type(grp));
		for (size_t k = 0; k < iog_group_get_device_count(grp); k++)
			sink += strlen(iog_device_get_address(iog_group_get_device(grp, k)));
	}
	for (size_t i = 0; i < iog_topology_get_device_count(t); i++) {
		struct iog_device *d = iog_topology_get_device(t, i);
		const char *note = iog_grouping_get_device_note(g, d);
		struct iog_group *grp = iog_grouping_get_device_group(g, d);

		sink += note ? strlen(note) : 0;
		sink += grp ? (size_t)iog_group_get_id(grp) : 0;
	}
	for (size_t i = 0; iog_grouping_get_assumption(g, i); i++)
		sink += strlen(iog_grouping_get_assumption(g, i));
	sink += iog_grouping_numbers_known(g) + iog_grouping_is_predicted(g);
	(void)sink;
}

/* Touch the per-device facts the CLI prints (no pci.ids look-ups: slow). */
static inline void fuzz_consume_topology(struct iog_topology *t)
{
	volatile size_t sink = 0;
	int cap, ctrl;

	for (size_t i = 0; i < iog_topology_get_device_count(t); i++) {
		struct iog_device *d = iog_topology_get_device(t, i);

		sink += iog_device_get_index(d) + iog_device_get_vendor(d) +
			iog_device_get_class(d) + iog_device_is_bridge(d) +
			iog_device_is_multifunction(d) + iog_device_get_kernel_group(d);
		sink += strlen(iog_pcie_type_name(iog_device_get_pcie_type(d)));
		sink += iog_device_get_acs(d, &cap, &ctrl) + cap + ctrl;
		if (iog_device_get_parent(d))
			sink += iog_device_get_index(iog_device_get_parent(d));
		if (iog_device_get_physfn(d))
			sink += iog_device_get_index(iog_device_get_physfn(d));
		if (iog_topology_find_device(t, iog_device_get_address(d)) != d)
			abort(); /* every listed device must be found by its address */
	}
	(void)sink;
}

/* ---- the fixed topology ---- */

struct fx_dev {
	uint32_t seg;
	uint8_t bus, devfn;
	uint16_t vendor, device;
	uint32_t class;
	uint8_t hdr;	 /* header type byte, MFD bit included */
	int pcie_type;	 /* -1: conventional */
	int acs;	 /* -1: no ACS capability, else the control word */
	uint8_t sec, sub;
	const char *physfn;
};

static const struct fx_dev fx_devs[] = {
	{ 0, 0x00, 0x00, 0x8086, 0x29c0, 0x060000, 0x00, -1, -1, 0, 0, NULL },
	{ 0, 0x00, 0x10, 0x8086, 0x0046, 0x030000, 0x00, 9, -1, 0, 0, NULL },
	{ 0, 0x00, 0x18, 0x8086, 0x10c9, 0x020000, 0x00, 0, -1, 0, 0, NULL },
	{ 0, 0x00, 0xe0, 0x8086, 0xa110, 0x060400, 0x01, 4, 0x1d, 1, 2, NULL },
	{ 0, 0x01, 0x00, 0x10de, 0x1b80, 0x030000, 0x80, 0, -1, 0, 0, NULL },
	{ 0, 0x01, 0x01, 0x10de, 0x10f0, 0x040300, 0x80, 0, -1, 0, 0, NULL },
	{ 0, 0x00, 0xf0, 0x8086, 0x244e, 0x060400, 0x01, 7, -1, 3, 3, NULL },
	{ 0, 0x03, 0x08, 0x1234, 0x0001, 0x020000, 0x00, -1, -1, 0, 0, NULL },
	{ 0, 0x03, 0x10, 0x1234, 0x0002, 0x010000, 0x00, -1, -1, 0, 0, NULL },
	{ 0, 0x00, 0xf8, 0x8086, 0x2918, 0x060100, 0x80, -1, -1, 0, 0, NULL },
	{ 0, 0x00, 0xfa, 0x8086, 0x2922, 0x010601, 0x00, -1, -1, 0, 0, NULL },
	{ 0, 0x00, 0xfb, 0x8086, 0x2930, 0x0c0500, 0x00, -1, -1, 0, 0, NULL },
	{ 0, 0x05, 0x00, 0x8086, 0x10ca, 0x020000, 0x00, 0, -1, 0, 0, "0000:00:03.0" },
	{ 0, 0x05, 0x01, 0x8086, 0x10ca, 0x020000, 0x00, 0, -1, 0, 0, "0000:00:03.0" },
	{ 1, 0x00, 0x00, 0x1022, 0x1483, 0x060400, 0x01, 4, -1, 1, 1, NULL },
	{ 1, 0x01, 0x00, 0x144d, 0xa808, 0x010802, 0x00, 0, -1, 0, 0, NULL },
};

#define FX_NDEVS (sizeof(fx_devs) / sizeof(fx_devs[0]))

static inline void fx_put16(uint8_t *c, unsigned pos, uint16_t v)
{
	c[pos] = v & 0xff;
	c[pos + 1] = v >> 8;
}

static inline void fx_put32(uint8_t *c, unsigned pos, uint32_t v)
{
	fx_put16(c, pos, v & 0xffff);
	fx_put16(c, pos + 2, v >> 16);
}

static inline void fx_fill(struct iog_device *d, const struct fx_dev *f)
{
	uint8_t *c = calloc(1, 4096);

	if (!c)
		abort();
	fx_put16(c, 0x00, f->vendor);
	fx_put16(c, 0x02, f->device);
	c[0x09] = f->class & 0xff;
	c[0x0a] = f->class >> 8;
	c[0x0b] = f->class >> 16;
	c[0x0e] = f->hdr;
	if ((f->hdr & 0x7f) == 1) {
		c[0x18] = f->bus;
		c[0x19] = f->sec;
		c[0x1a] = f->sub;
	}
	d->cfg = c;
	d->cfg_len = f->pcie_type >= 0 ? 4096 : 256;
	d->ext_fact = IOG_FACT_READ;
	d->has_ext = f->pcie_type >= 0;
	if (f->pcie_type < 0)
		return;
	c[0x06] = PCI_STATUS_CAP_LIST;
	c[0x34] = 0x40;
	c[0x40] = PCI_CAP_ID_EXP;
	fx_put16(c, 0x42, 2 | f->pcie_type << 4);
	if (f->acs >= 0) {
		fx_put32(c, 0x100, PCI_EXT_CAP_ID_ACS | 1u << 16);
		fx_put16(c, 0x104, 0x5f);
		fx_put16(c, 0x106, f->acs);
	}
	if (f->physfn)
		d->physfn_name = iog_strdup(f->physfn);
}

/* @links: give every device a sysfs "iommu" link to dmar0 / dmar1 (segment 1)
 * as a snapshot of a running VT-d system would, so the link-based membership
 * (and its DMAR fallback for several units) runs. */
static inline struct iog_topology *fx_topology(struct iog_ctx *ctx, bool links)
{
	struct iog_topology *t = iog_topology_alloc(ctx, "sysfs", "fixture");

	for (size_t i = 0; i < FX_NDEVS; i++) {
		const struct fx_dev *f = &fx_devs[i];
		struct iog_device *d = iog_topology_add_device(t, f->seg, f->bus, f->devfn);

		fx_fill(d, f);
		if (links) {
			d->iommu_unit = iog_strdup(f->seg ? "dmar1" : "dmar0");
			t->any_iommu_link = true;
		}
	}
	if (links)
		t->platform = "intel-vtd";
	if (iog_topology_finish(t) < 0)
		abort();
	return t;
}

#endif
