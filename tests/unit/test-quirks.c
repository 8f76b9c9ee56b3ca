// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for lib/quirks.c: the kernel quirk tables of
 * spec/kernel-grouping.md §4, on hand-built devices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

#define UNUSED __attribute__((unused))
#define REQ REQ_ACS_FLAGS
#define CFG_EXT 4096

/* A device with its own config buffer, on a bus of its own unless put on one. */
struct tdev {
	struct iog_device dev;
	uint8_t cfg[CFG_EXT];
};

static struct iog_topology topo;
static uint8_t fake_ivrs[48];

static void put16(uint8_t *cfg, unsigned int pos, uint16_t v)
{
	cfg[pos] = (uint8_t)v;
	cfg[pos + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *cfg, unsigned int pos, uint32_t v)
{
	put16(cfg, pos, (uint16_t)v);
	put16(cfg, pos + 2, (uint16_t)(v >> 16));
}

static bool is_bridge_type(int type)
{
	return type == PCI_EXP_TYPE_ROOT_PORT || type == PCI_EXP_TYPE_UPSTREAM ||
	       type == PCI_EXP_TYPE_DOWNSTREAM || type == PCI_EXP_TYPE_PCI_BRIDGE ||
	       type == PCI_EXP_TYPE_PCIE_BRIDGE;
}

/*
 * Build a device: @type is the (corrected) PCIe type, -1 for conventional PCI.
 * ACS facts are "read" and absent until add_acs(); config space is 4 KiB.
 */
static struct iog_device *mkdev(struct tdev *t, struct iog_bus *bus, uint8_t devfn,
				uint16_t vendor, uint16_t device, int type)
{
	struct iog_device *d = &t->dev;

	memset(t, 0, sizeof(*t));
	d->topo = &topo;
	d->cfg = t->cfg;
	d->cfg_len = CFG_EXT;
	d->has_ext = true;
	d->ext_fact = IOG_FACT_READ;
	d->bus = bus;
	d->busnr = bus ? bus->number : 0;
	d->devfn = devfn;
	d->vendor = vendor;
	d->device = device;
	put16(t->cfg, PCI_VENDOR_ID, vendor);
	put16(t->cfg, PCI_DEVICE_ID, device);
	d->pcie_type_raw = type;
	d->pcie_type = type;
	d->hdr_type = is_bridge_type(type) ? PCI_HEADER_TYPE_BRIDGE
					   : PCI_HEADER_TYPE_NORMAL;
	d->multifunction = PCI_FUNC(devfn) != 0;
	d->acs_fact = IOG_FACT_READ;
	return d;
}

static void add_acs(struct tdev *t, uint16_t pos, uint16_t cap, uint16_t ctrl)
{
	t->dev.acs_pos = pos;
	t->dev.acs_cap = t->dev.acs_cap_read = cap;
	t->dev.acs_ctrl = t->dev.acs_ctrl_read = t->dev.acs_ctrl_fw = ctrl;
	put16(t->cfg, pos, PCI_EXT_CAP_ID_ACS);
	put16(t->cfg, pos + PCI_ACS_CAP, cap);
	put16(t->cfg, pos + PCI_ACS_CTRL, ctrl);
}

/* Intel SPT layout: 32-bit capability at +4, 32-bit control at +8 (§4.2b). */
static void add_spt_acs(struct tdev *t, uint16_t pos, uint32_t cap32, uint32_t ctrl32)
{
	t->dev.acs_pos = pos;
	t->dev.acs_cap = t->dev.acs_cap_read = (uint16_t)cap32;
	t->dev.acs_ctrl = t->dev.acs_ctrl_read = (uint16_t)(cap32 >> 16); /* garbage */
	t->dev.acs_cap32 = cap32;
	t->dev.acs_ctrl32 = ctrl32;
	put16(t->cfg, pos, PCI_EXT_CAP_ID_ACS);
	put32(t->cfg, pos + 4, cap32);
	put32(t->cfg, pos + 8, ctrl32);
}

static void bus_init(struct iog_bus *bus, uint8_t nr, struct iog_bus *parent,
		     struct iog_device *self, struct iog_device **devs, size_t ndevs)
{
	memset(bus, 0, sizeof(*bus));
	bus->number = nr;
	bus->parent = parent;
	bus->self = self;
	bus->devs = devs;
	bus->ndevs = ndevs;
	bus->capdevs = ndevs;
}

static struct iog_profile prof(int kernel)
{
	struct iog_profile p;

	memset(&p, 0, sizeof(p));
	p.kernel = kernel;
	p.kernel_set = true;
	return p;
}

static bool alias_bit(const struct iog_device *d, unsigned int devfn)
{
	return d->dma_alias_mask[devfn / 8] & (1u << (devfn % 8));
}

static unsigned int alias_count(const struct iog_device *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < 256; i++)
		n += alias_bit(d, i);
	return n;
}

static int setup(void **state UNUSED)
{
	memset(&topo, 0, sizeof(topo));
	return 0;
}

/* ---- pci_dev_specific_acs_enabled (§2.10, §4.1) ---- */

/* No row matches: "no opinion" and no function name (§2.10). */
static void test_no_matching_row(void **state UNUSED)
{
	struct iog_profile p = prof(KV(7, 2));
	struct tdev t;
	const char *fn = "stale";

	mkdev(&t, NULL, 0x08, 0x1af4, 0x1041, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	assert_null(fn);
	/* A NULL name pointer is allowed. */
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), -1);
}

/*
 * pci_quirk_intel_pch_acs (§4.1, §4.2a, §8.8-9): a PCH root port without the
 * ACS_ENABLED_QUIRK flag gets a definite 0 that stops the scan, so even an
 * override in either position never sees it; with the flag it is isolated.
 */
static void test_intel_pch_definite_zero(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 12));
	struct tdev t;
	const char *fn;

	mkdev(&t, NULL, 0xe0, 0x8086, 0x1c10, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_intel_pch_acs");

	p.override_enabled = p.override_downstream = true;
	p.override_pos = IOG_OVERRIDE_APPENDED;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_intel_pch_acs");
	p.override_pos = IOG_OVERRIDE_PROXMOX;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_intel_pch_acs");

	t.dev.dev_flags |= PCI_DEV_FLAGS_ACS_ENABLED_QUIRK;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_intel_pch_acs");
}

/* pci_quirk_intel_pch_acs (§4.2a): list edges, type check, empty request. */
static void test_intel_pch_ids(void **state UNUSED)
{
	struct iog_profile p = prof(KV(7, 2));
	struct tdev t;

	mkdev(&t, NULL, 0xe0, 0x8086, 0x8d1e, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), 0);
	/* 0x8d1f and the odd Patsburg IDs are not in the list. */
	mkdev(&t, NULL, 0xe0, 0x8086, 0x8d1f, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), -1);
	mkdev(&t, NULL, 0xe0, 0x8086, 0x1d11, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), -1);
	mkdev(&t, NULL, 0xe0, 0x8086, 0x8c9e, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), 0);
	/* Root ports only. */
	mkdev(&t, NULL, 0xe0, 0x8086, 0x1c10, PCI_EXP_TYPE_DOWNSTREAM);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), -1);
	/* "Enabled for {}" still holds for an empty request. */
	mkdev(&t, NULL, 0xe0, 0x8086, 0x1c10, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, 0, NULL), 1);
}

/*
 * pci_quirk_zhaoxin_pcie_ports_acs (§4.1, §8.9): listed ports are isolated,
 * any other Zhaoxin port is a definite 0 even with a fully enabled ACS cap;
 * endpoints get no opinion from it.
 */
static void test_zhaoxin_ports(void **state UNUSED)
{
	struct iog_profile p = prof(KV(7, 2));
	struct tdev t;
	const char *fn;

	mkdev(&t, NULL, 0x08, 0x1d17, 0x0800, PCI_EXP_TYPE_ROOT_PORT);
	add_acs(&t, 0x140, 0x1f, 0x1f);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_zhaoxin_pcie_ports_acs");

	mkdev(&t, NULL, 0x08, 0x1d17, 0x0715, PCI_EXP_TYPE_DOWNSTREAM);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	mkdev(&t, NULL, 0x08, 0x1d17, 0x0722, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	mkdev(&t, NULL, 0x08, 0x1d17, 0x0752, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);

	mkdev(&t, NULL, 0x08, 0x1d17, 0x0800, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	/* The Zhaoxin mf_endpoint rows come first. */
	mkdev(&t, NULL, 0x09, 0x1d17, 0x9083, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_mf_endpoint_acs");
}

/* pci_quirk_wangxun_nic_acs (§4.1): listed IDs 1, every other Wangxun 0. */
static void test_wangxun(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 1));
	static const uint16_t good[] = { 0x0100, 0x010f, 0x1001, 0x2001, 0x5010,
					 0x5025, 0x5040, 0x5110, 0x5125, 0x5140 };
	struct tdev t;
	const char *fn;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		mkdev(&t, NULL, 0x01, 0x8088, good[i], PCI_EXP_TYPE_ENDPOINT);
		assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
		assert_string_equal(fn, "pci_quirk_wangxun_nic_acs");
	}
	/* Unlisted, with a proper ACS capability, and not even an endpoint. */
	mkdev(&t, NULL, 0x01, 0x8088, 0x0110, PCI_EXP_TYPE_DOWNSTREAM);
	add_acs(&t, 0x100, 0x1f, 0x1f);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_wangxun_nic_acs");
}

/*
 * pcie_acs_overrides position (§3.5): for a Zhaoxin downstream port without
 * ACS, Proxmox's slot (after X-Gene) answers 1 before the Zhaoxin row; the
 * appended slot comes after Zhaoxin's definite 0.
 */
static void test_override_position(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 12));
	struct tdev t;
	const char *fn;

	mkdev(&t, NULL, 0x08, 0x1d17, 0x0800, PCI_EXP_TYPE_DOWNSTREAM);
	p.override_enabled = p.override_downstream = true;

	p.override_pos = IOG_OVERRIDE_PROXMOX;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pcie_acs_overrides");

	p.override_pos = IOG_OVERRIDE_APPENDED;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_zhaoxin_pcie_ports_acs");

	/* Without the option there is no override row at all. */
	p.override_enabled = false;
	p.override_pos = IOG_OVERRIDE_PROXMOX;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_zhaoxin_pcie_ports_acs");
}

/*
 * pcie_acs_overrides (§3.5, §8.21): never for a device with an ACS capability
 * (even with its bits off), never for conventional PCI, never when the
 * capability is unknown; id: matches any type, and the answer ignores flags.
 */
static void test_override_rules(void **state UNUSED)
{
	struct iog_profile p = prof(KV(7, 2));
	struct tdev t;
	const char *fn;

	p.override_enabled = p.override_downstream = p.override_multifunction = true;
	p.override_pos = IOG_OVERRIDE_APPENDED;

	mkdev(&t, NULL, 0x08, 0x10de, 0x1234, PCI_EXP_TYPE_DOWNSTREAM);
	add_acs(&t, 0x100, 0x1f, 0);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	assert_null(fn);

	mkdev(&t, NULL, 0x08, 0x10de, 0x1234, -1);
	t.dev.hdr_type = PCI_HEADER_TYPE_BRIDGE;
	t.dev.multifunction = true;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);

	mkdev(&t, NULL, 0x08, 0x10de, 0x1234, PCI_EXP_TYPE_DOWNSTREAM);
	t.dev.acs_fact = IOG_FACT_UNKNOWN;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);

	t.dev.acs_fact = IOG_FACT_READ;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pcie_acs_overrides");
	/* Flags outside SV/RR/CR/UF do not matter to the override. */
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, PCI_ACS_EC | PCI_ACS_DT, &fn),
			 1);

	/* multifunction: only multifunction endpoint-like functions. */
	mkdev(&t, NULL, 0x00, 0x10de, 0x1234, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	t.dev.multifunction = true;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	mkdev(&t, NULL, 0x01, 0x10de, 0x1234, PCI_EXP_TYPE_RC_EC);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);

	/* id: works without downstream/multifunction and for any type. */
	p.override_downstream = p.override_multifunction = false;
	p.override_ids[0][0] = 0x10de;
	p.override_ids[0][1] = 0x5678;
	p.noverride_ids = 1;
	mkdev(&t, NULL, 0x00, 0x10de, 0x5678, PCI_EXP_TYPE_PCI_BRIDGE);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	mkdev(&t, NULL, 0x00, 0x10de, 0x5679, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
}

/* pci_quirk_amd_sb_acs (§4.1): multifunction, root bus, and IVRS required. */
static void test_amd_sb_needs_ivrs(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 1));
	struct iog_bus root, child;
	struct tdev t;
	const char *fn;

	bus_init(&root, 0, NULL, NULL, NULL, 0);
	bus_init(&child, 1, &root, NULL, NULL, 0);
	mkdev(&t, &root, 0xa2, 0x1002, 0x4385, -1);
	assert_true(t.dev.multifunction);

	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	topo.ivrs = fake_ivrs;
	topo.ivrs_len = sizeof(fake_ivrs);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_amd_sb_acs");
	/* Only RR/CR/EC/DT count, and only RR/CR are provided. */
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, PCI_ACS_SV | PCI_ACS_UF, &fn),
			 1);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, PCI_ACS_EC, &fn), 0);

	t.dev.multifunction = false;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	mkdev(&t, &child, 0xa2, 0x1022, 0x780f, -1);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	t.dev.bus = &root;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
}

/* pci_quirk_rciep_acs (§4.1): Intel, corrected type 9 only. */
static void test_intel_rciep(void **state UNUSED)
{
	struct iog_profile p = prof(KV(7, 2));
	struct tdev t;
	const char *fn;

	mkdev(&t, NULL, 0x21, 0x8086, 0x0b25, PCI_EXP_TYPE_RC_END);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_rciep_acs");
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, PCI_ACS_DT, &fn), 0);

	mkdev(&t, NULL, 0x21, 0x8086, 0x0b25, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	/* The raw type does not count, the corrected one does. */
	t.dev.pcie_type_raw = PCI_EXP_TYPE_RC_END;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	mkdev(&t, NULL, 0x21, 0x8087, 0x0b25, PCI_EXP_TYPE_RC_END);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
}

/*
 * pci_quirk_intel_spt_pch_acs (§4.2b, §8.7): the dwords at cap+4 and cap+8
 * decide, not the word at cap+6; missing dwords give 0; no ACS cap, no opinion.
 */
static void test_spt_dword_layout(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 12));
	struct tdev t;
	const char *fn;

	mkdev(&t, NULL, 0xe0, 0x8086, 0xa110, PCI_EXP_TYPE_ROOT_PORT);
	add_spt_acs(&t, 0x140, 0x1f, 0x1d);
	t.dev.acs_ctrl = 0; /* what a +6 reader sees */
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_intel_spt_pch_acs");

	t.dev.acs_ctrl32 = 0x0d; /* UF advertised but off */
	t.dev.acs_ctrl = 0xffff;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);

	/* Unadvertised bits count as hard-wired on. */
	t.dev.acs_cap32 = 0x0d;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	/* EC always counts when requested. */
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, PCI_ACS_EC, &fn), 0);

	/* Truncated config space: control dword unknown. */
	t.dev.cfg_len = 0x140 + 8;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 0);
	assert_string_equal(fn, "pci_quirk_intel_spt_pch_acs");

	mkdev(&t, NULL, 0xe0, 0x8086, 0xa2e7, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	t.dev.acs_fact = IOG_FACT_UNKNOWN;
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	/* Not an SPT ID. */
	mkdev(&t, NULL, 0xe0, 0x8086, 0xa120, PCI_EXP_TYPE_ROOT_PORT);
	add_spt_acs(&t, 0x140, 0x1f, 0x1f);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
}

/* pci_quirk_cavium_acs then Cavium mf_endpoint rows (§4.1). */
static void test_cavium_ranges(void **state UNUSED)
{
	struct iog_profile p = prof(KV(7, 2));
	static const uint16_t rp[] = { 0xa000, 0xa3ff, 0xa7ff, 0xaf84, 0xb884 };
	struct tdev t;
	const char *fn;
	size_t i;

	for (i = 0; i < sizeof(rp) / sizeof(rp[0]); i++) {
		mkdev(&t, NULL, 0x08, 0x177d, rp[i], PCI_EXP_TYPE_ROOT_PORT);
		assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
		assert_string_equal(fn, "pci_quirk_cavium_acs");
	}
	mkdev(&t, NULL, 0x08, 0x177d, 0xa800, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	mkdev(&t, NULL, 0x08, 0x177d, 0xaf85, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	mkdev(&t, NULL, 0x08, 0x177d, 0xa000, PCI_EXP_TYPE_DOWNSTREAM);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	/* 0xa026 is in the ThunderX1 range but an endpoint: the MF row decides. */
	mkdev(&t, NULL, 0x09, 0x177d, 0xa026, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_mf_endpoint_acs");
}

/* pci_quirk_mf_endpoint_acs (§4.1): SV/TB/RR/CR/UF/DT, no type check, not EC. */
static void test_mf_endpoint(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 1));
	struct tdev t;
	const char *fn;

	mkdev(&t, NULL, 0x01, 0x8086, 0x1521, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_mf_endpoint_acs");
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ | PCI_ACS_TB | PCI_ACS_DT,
					       &fn), 1);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ | PCI_ACS_EC, &fn), 0);
	/* Emulex rows sit after the Intel ANY rows and still match. */
	mkdev(&t, NULL, 0x01, 0x19a2, 0x0710, -1);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
	mkdev(&t, NULL, 0x01, 0x10df, 0x0720, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
}

/*
 * pci_quirk_qcom_rp_acs, _nxp_rp_acs, _xgene_acs, _brcm_acs, _loongson_acs,
 * _al_acs (§4.1): root-port quirks that need no ACS capability.
 */
static void test_root_port_quirks(void **state UNUSED)
{
	static const struct {
		uint16_t vendor, device;
		const char *fn;
	} rows[] = {
		{ 0x17cb, 0x0400, "pci_quirk_qcom_rp_acs" },
		{ 0x17cb, 0x0115, "pci_quirk_qcom_rp_acs" },
		{ 0x1dbf, 0x0401, "pci_quirk_qcom_rp_acs" },
		{ 0x1957, 0x8d9b, "pci_quirk_nxp_rp_acs" },
		{ 0x10e8, 0xe004, "pci_quirk_xgene_acs" },
		{ 0x1def, 0xe00c, "pci_quirk_xgene_acs" },
		{ 0x14e4, 0xd714, "pci_quirk_brcm_acs" },
		{ 0x0014, 0x7a69, "pci_quirk_loongson_acs" },
		{ 0x1c36, 0x0031, "pci_quirk_al_acs" },
	};
	struct iog_profile p = prof(KV(6, 1));
	struct tdev t;
	const char *fn;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		mkdev(&t, NULL, 0x00, rows[i].vendor, rows[i].device,
		      PCI_EXP_TYPE_ROOT_PORT);
		assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
		assert_string_equal(fn, rows[i].fn);
		assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, PCI_ACS_EC, &fn), 0);
	}
	/* The Annapurna quirk alone checks for a root port. */
	mkdev(&t, NULL, 0x00, 0x1c36, 0x0031, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), -1);
	mkdev(&t, NULL, 0x00, 0x17cb, 0x0400, PCI_EXP_TYPE_ENDPOINT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, &fn), 1);
}

/* pci_quirk_qcom_rp_acs rows for Hamoa/Glymur exist only from 7.0 (§8.20). */
static void test_qcom_new_ids_version(void **state UNUSED)
{
	struct iog_profile p61 = prof(KV(6, 1)), p612 = prof(KV(6, 12));
	struct iog_profile p72 = prof(KV(7, 2));
	struct tdev t;
	const char *fn;

	mkdev(&t, NULL, 0x00, 0x17cb, 0x0111, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p61, REQ, &fn), -1);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p612, REQ, &fn), -1);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p72, REQ, &fn), 1);
	assert_string_equal(fn, "pci_quirk_qcom_rp_acs");
	mkdev(&t, NULL, 0x00, 0x17cb, 0x0120, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p612, REQ, &fn), -1);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p72, REQ, &fn), 1);
}

/* ---- header fixups: DMA aliases (§4.5) ---- */

/* quirk_dma_func0_alias (§4.5): functions other than 0 alias (slot, 0). */
static void test_alias_func0(void **state UNUSED)
{
	struct tdev t;

	mkdev(&t, NULL, 0x0b, 0x1180, 0xe832, -1); /* 01.3 */
	iog_quirk_header_fixups(&t.dev, KV(7, 2));
	assert_true(t.dev.has_dma_alias);
	assert_true(alias_bit(&t.dev, 0x08));
	assert_int_equal(alias_count(&t.dev), 1);

	mkdev(&t, NULL, 0x08, 0x6766, 0x3d41, PCI_EXP_TYPE_ENDPOINT); /* 01.0 */
	iog_quirk_header_fixups(&t.dev, KV(6, 1));
	assert_false(t.dev.has_dma_alias);
	assert_int_equal(alias_count(&t.dev), 0);
}

/* quirk_dma_func1_alias (§4.5): functions other than 1 alias (slot, 1). */
static void test_alias_func1(void **state UNUSED)
{
	struct tdev t;

	mkdev(&t, NULL, 0x10, 0x1b4b, 0x9230, PCI_EXP_TYPE_ENDPOINT); /* 02.0 */
	iog_quirk_header_fixups(&t.dev, KV(6, 12));
	assert_true(alias_bit(&t.dev, 0x11));
	assert_int_equal(alias_count(&t.dev), 1);

	mkdev(&t, NULL, 0x11, 0x1b4b, 0x9230, PCI_EXP_TYPE_ENDPOINT); /* 02.1 */
	iog_quirk_header_fixups(&t.dev, KV(6, 12));
	assert_int_equal(alias_count(&t.dev), 0);

	mkdev(&t, NULL, 0x00, 0x1c28, 0x0122, PCI_EXP_TYPE_ENDPOINT);
	iog_quirk_header_fixups(&t.dev, KV(6, 1));
	assert_true(alias_bit(&t.dev, 0x01));
	mkdev(&t, NULL, 0x00, 0x197b, 0x2392, PCI_EXP_TYPE_ENDPOINT);
	iog_quirk_header_fixups(&t.dev, KV(6, 1));
	assert_true(alias_bit(&t.dev, 0x01));
}

/* quirk_fixed_dma_alias (§4.5): Adaptec 0285 only with subsystem 02bb/02bc. */
static void test_alias_adaptec(void **state UNUSED)
{
	struct tdev t;

	mkdev(&t, NULL, 0x70, 0x9005, 0x0285, -1); /* 0e.0 */
	t.dev.subsys_vendor = 0x9005;
	t.dev.subsys_device = 0x02bc;
	iog_quirk_header_fixups(&t.dev, KV(7, 2));
	assert_true(alias_bit(&t.dev, 0x08));
	assert_int_equal(alias_count(&t.dev), 1);

	mkdev(&t, NULL, 0x70, 0x9005, 0x0285, -1);
	t.dev.subsys_vendor = 0x9005;
	t.dev.subsys_device = 0x02bd;
	iog_quirk_header_fixups(&t.dev, KV(7, 2));
	assert_false(t.dev.has_dma_alias);
}

/*
 * quirk_mic_x200_dma_alias, quirk_pex_vca_alias, quirk_plx_ntb_dma_alias
 * (§4.5, §8.13): exact devfn sets.
 */
static void test_alias_ntb(void **state UNUSED)
{
	struct tdev t;
	unsigned int slot;

	mkdev(&t, NULL, 0x00, 0x8086, 0x2264, PCI_EXP_TYPE_ENDPOINT);
	iog_quirk_header_fixups(&t.dev, KV(6, 1));
	assert_true(alias_bit(&t.dev, 0x80));
	assert_true(alias_bit(&t.dev, 0x88));
	assert_true(alias_bit(&t.dev, 0x93));
	assert_int_equal(alias_count(&t.dev), 3);

	mkdev(&t, NULL, 0x00, 0x8086, 0x295a, PCI_EXP_TYPE_ENDPOINT);
	iog_quirk_header_fixups(&t.dev, KV(6, 12));
	assert_int_equal(alias_count(&t.dev), 32 * 5);
	for (slot = 0; slot < 32; slot++) {
		assert_true(alias_bit(&t.dev, slot * 8 + 4));
		assert_false(alias_bit(&t.dev, slot * 8 + 5));
	}

	mkdev(&t, NULL, 0x00, 0x10b5, 0x87b1, PCI_EXP_TYPE_ENDPOINT);
	iog_quirk_header_fixups(&t.dev, KV(7, 2));
	assert_int_equal(alias_count(&t.dev), 256);
}

/* ---- header fixups: bridge flags (§4.6) ---- */

/*
 * quirk_use_pcie_bridge_dma_alias (§4.6): non-root bus, type-1 header, no PCIe
 * capability, upstream bridge PCIe and not type 7 — each condition checked.
 */
static void test_pcie_bridge_alias(void **state UNUSED)
{
	struct iog_bus root, sec;
	struct tdev rp, br;

	bus_init(&root, 0, NULL, NULL, NULL, 0);
	mkdev(&rp, &root, 0x40, 0x8086, 0x3420, PCI_EXP_TYPE_ROOT_PORT);
	bus_init(&sec, 1, &root, &rp.dev, NULL, 0);

	mkdev(&br, &sec, 0x00, 0x8086, 0x244e, -1);
	br.dev.hdr_type = PCI_HEADER_TYPE_BRIDGE;
	iog_quirk_header_fixups(&br.dev, KV(6, 12));
	assert_true(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	assert_false(br.dev.has_dma_alias);

	/* On a root bus. */
	br.dev.dev_flags = 0;
	br.dev.bus = &root;
	iog_quirk_header_fixups(&br.dev, KV(6, 12));
	assert_false(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	br.dev.bus = &sec;

	/* Not a type-1 header. */
	br.dev.hdr_type = PCI_HEADER_TYPE_NORMAL;
	iog_quirk_header_fixups(&br.dev, KV(6, 12));
	assert_false(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	br.dev.hdr_type = PCI_HEADER_TYPE_BRIDGE;

	/* The bridge itself shows a PCIe capability. */
	br.dev.pcie_type_raw = br.dev.pcie_type = PCI_EXP_TYPE_PCI_BRIDGE;
	iog_quirk_header_fixups(&br.dev, KV(6, 12));
	assert_false(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	br.dev.pcie_type_raw = br.dev.pcie_type = -1;

	/* Upstream bridge is a PCIe-to-PCI bridge (already aliasing). */
	rp.dev.pcie_type = PCI_EXP_TYPE_PCI_BRIDGE;
	iog_quirk_header_fixups(&br.dev, KV(6, 12));
	assert_false(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);

	/* Upstream bridge is conventional PCI. */
	rp.dev.pcie_type = rp.dev.pcie_type_raw = -1;
	iog_quirk_header_fixups(&br.dev, KV(6, 12));
	assert_false(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);

	/* Upstream is a downstream port: flagged again; other IDs never. */
	rp.dev.pcie_type = rp.dev.pcie_type_raw = PCI_EXP_TYPE_DOWNSTREAM;
	mkdev(&br, &sec, 0x00, 0x1b21, 0x1080, -1);
	br.dev.hdr_type = PCI_HEADER_TYPE_BRIDGE;
	iog_quirk_header_fixups(&br.dev, KV(7, 2));
	assert_true(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	mkdev(&br, &sec, 0x00, 0x1b21, 0x1184, -1);
	br.dev.hdr_type = PCI_HEADER_TYPE_BRIDGE;
	iog_quirk_header_fixups(&br.dev, KV(7, 2));
	assert_false(br.dev.dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
}

/* quirk_bridge_cavm_thrx2_pcie_root and ASPEED no-alias (§4.6, ≈7.0). */
static void test_bridge_flags(void **state UNUSED)
{
	struct tdev t;

	mkdev(&t, NULL, 0x00, 0x14e4, 0x9084, PCI_EXP_TYPE_ROOT_PORT);
	iog_quirk_header_fixups(&t.dev, KV(6, 1));
	assert_int_equal(t.dev.dev_flags, PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT);

	mkdev(&t, NULL, 0x00, 0x1a03, 0x1150, PCI_EXP_TYPE_PCI_BRIDGE);
	iog_quirk_header_fixups(&t.dev, KV(6, 12));
	assert_int_equal(t.dev.dev_flags, 0);
	iog_quirk_header_fixups(&t.dev, KV(7, 2));
	assert_int_equal(t.dev.dev_flags, PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS);
}

/* ---- pci_disable_broken_acs_cap (§4.4) ---- */

/* IDT 0x80b5/0x8090 lose SV from the cached capability on 7.x only. */
static void test_idt_mask(void **state UNUSED)
{
	struct tdev t;

	mkdev(&t, NULL, 0x00, 0x111d, 0x80b5, PCI_EXP_TYPE_DOWNSTREAM);
	add_acs(&t, 0x100, 0x5f, 0);
	iog_quirk_acs_cap_mask(&t.dev, KV(6, 12));
	assert_int_equal(t.dev.acs_cap, 0x5f);
	iog_quirk_acs_cap_mask(&t.dev, KV(6, 1));
	assert_int_equal(t.dev.acs_cap, 0x5f);
	iog_quirk_acs_cap_mask(&t.dev, KV(7, 2));
	assert_int_equal(t.dev.acs_cap, 0x5e);

	mkdev(&t, NULL, 0x00, 0x111d, 0x8090, PCI_EXP_TYPE_UPSTREAM);
	add_acs(&t, 0x100, 0x1d, 0);
	iog_quirk_acs_cap_mask(&t.dev, KV(7, 2));
	assert_int_equal(t.dev.acs_cap, 0x1c);

	mkdev(&t, NULL, 0x00, 0x111d, 0x8091, PCI_EXP_TYPE_DOWNSTREAM);
	add_acs(&t, 0x100, 0x1d, 0);
	iog_quirk_acs_cap_mask(&t.dev, KV(7, 2));
	assert_int_equal(t.dev.acs_cap, 0x1d);
}

/* ---- pci_dev_specific_enable_acs / disable_acs_redir (§4.3) ---- */

/*
 * pci_quirk_enable_intel_pch_acs (§4.3): LPC 31.0 RCBA bit 0 set -> flag;
 * clear, unreadable or missing LPC -> handled without the flag.
 */
static void test_pch_enable(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 1));
	struct iog_device *devs[2];
	struct iog_bus root;
	struct tdev rp, lpc;

	devs[0] = &rp.dev;
	devs[1] = &lpc.dev;
	bus_init(&root, 0, NULL, NULL, devs, 2);
	mkdev(&rp, &root, 0xe0, 0x8086, 0x8c10, PCI_EXP_TYPE_ROOT_PORT);
	mkdev(&lpc, &root, 0xf8, 0x8086, 0x8c4e, -1);

	put32(lpc.cfg, 0xf0, 0xfed1c001);
	assert_true(iog_quirk_enable_acs(&rp.dev, &p));
	assert_true(rp.dev.dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK);
	assert_int_equal(iog_quirk_acs_enabled(&rp.dev, &p, REQ, NULL), 1);

	rp.dev.dev_flags = 0;
	put32(lpc.cfg, 0xf0, 0xfed1c000);
	assert_true(iog_quirk_enable_acs(&rp.dev, &p));
	assert_false(rp.dev.dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK);
	assert_int_equal(iog_quirk_acs_enabled(&rp.dev, &p, REQ, NULL), 0);

	/* Only 64 bytes of the LPC bridge were readable (no root). */
	put32(lpc.cfg, 0xf0, 0xfed1c001);
	lpc.dev.cfg_len = 64;
	assert_true(iog_quirk_enable_acs(&rp.dev, &p));
	assert_false(rp.dev.dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK);

	/* No LPC bridge on the bus. */
	root.ndevs = 1;
	assert_true(iog_quirk_enable_acs(&rp.dev, &p));
	assert_false(rp.dev.dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK);

	/* Not a PCH root port: not handled, the standard enable runs. */
	mkdev(&rp, &root, 0xe0, 0x8086, 0x1234, PCI_EXP_TYPE_ROOT_PORT);
	assert_false(iog_quirk_enable_acs(&rp.dev, &p));
	mkdev(&rp, &root, 0xe0, 0x10de, 0x8c10, PCI_EXP_TYPE_ROOT_PORT);
	assert_false(iog_quirk_enable_acs(&rp.dev, &p));
}

/*
 * pci_quirk_enable_intel_spt_pch_acs (§4.3): advertised SV/RR/CR/UF go into
 * the dword control, TB only with pci=noats; needs an ACS capability.
 */
static void test_spt_enable(void **state UNUSED)
{
	struct iog_profile p = prof(KV(7, 2));
	struct tdev t;

	mkdev(&t, NULL, 0xe0, 0x8086, 0x9d14, PCI_EXP_TYPE_ROOT_PORT);
	add_spt_acs(&t, 0x140, 0x5f, 0x40);
	assert_true(iog_quirk_enable_acs(&t.dev, &p));
	assert_int_equal(t.dev.acs_ctrl32, 0x40 | 0x1d | 0x10);
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), 1);

	add_spt_acs(&t, 0x140, 0x0b, 0);
	p.noats = true;
	assert_true(iog_quirk_enable_acs(&t.dev, &p));
	assert_int_equal(t.dev.acs_ctrl32, PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_CR);

	/* Unreadable dwords: handled, nothing credited. */
	add_spt_acs(&t, 0x140, 0x1f, 0);
	t.dev.cfg_len = 256;
	assert_true(iog_quirk_enable_acs(&t.dev, &p));
	assert_int_equal(t.dev.acs_ctrl32, 0);

	mkdev(&t, NULL, 0xe0, 0x8086, 0x9d14, PCI_EXP_TYPE_ROOT_PORT);
	assert_false(iog_quirk_enable_acs(&t.dev, &p));
}

/* pci_quirk_disable_intel_spt_pch_acs_redir (§3.2 step 3-4, §4.3). */
static void test_spt_disable_redir(void **state UNUSED)
{
	struct iog_profile p = prof(KV(6, 12));
	struct tdev t;

	mkdev(&t, NULL, 0xe0, 0x8086, 0xa29f, PCI_EXP_TYPE_ROOT_PORT);
	add_spt_acs(&t, 0x140, 0x7f, 0x7f);
	assert_true(iog_quirk_disable_acs_redir(&t.dev, &p));
	assert_int_equal(t.dev.acs_ctrl32,
			 0x7f & ~(PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC));
	assert_int_equal(iog_quirk_acs_enabled(&t.dev, &p, REQ, NULL), 0);

	/* PCH and ordinary ports have no redirect quirk. */
	mkdev(&t, NULL, 0xe0, 0x8086, 0x1c10, PCI_EXP_TYPE_ROOT_PORT);
	assert_false(iog_quirk_disable_acs_redir(&t.dev, &p));
	mkdev(&t, NULL, 0xe0, 0x8086, 0xa29f, PCI_EXP_TYPE_ROOT_PORT);
	assert_false(iog_quirk_disable_acs_redir(&t.dev, &p));
}

/* pci_real_dma_dev / vmd_ids: Intel VMD endpoint IDs (§2.6). */
static void test_is_vmd(void **state UNUSED)
{
	assert_true(iog_quirk_is_vmd(0x8086, 0x201d));
	assert_true(iog_quirk_is_vmd(0x8086, 0x28c0));
	assert_true(iog_quirk_is_vmd(0x8086, 0x9a0b));
	assert_true(iog_quirk_is_vmd(0x8086, 0xad0b));
	assert_false(iog_quirk_is_vmd(0x8086, 0x1234));
	assert_false(iog_quirk_is_vmd(0x1022, 0x9a0b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_matching_row, setup),
		cmocka_unit_test_setup(test_intel_pch_definite_zero, setup),
		cmocka_unit_test_setup(test_intel_pch_ids, setup),
		cmocka_unit_test_setup(test_zhaoxin_ports, setup),
		cmocka_unit_test_setup(test_wangxun, setup),
		cmocka_unit_test_setup(test_override_position, setup),
		cmocka_unit_test_setup(test_override_rules, setup),
		cmocka_unit_test_setup(test_amd_sb_needs_ivrs, setup),
		cmocka_unit_test_setup(test_intel_rciep, setup),
		cmocka_unit_test_setup(test_spt_dword_layout, setup),
		cmocka_unit_test_setup(test_cavium_ranges, setup),
		cmocka_unit_test_setup(test_mf_endpoint, setup),
		cmocka_unit_test_setup(test_root_port_quirks, setup),
		cmocka_unit_test_setup(test_qcom_new_ids_version, setup),
		cmocka_unit_test_setup(test_alias_func0, setup),
		cmocka_unit_test_setup(test_alias_func1, setup),
		cmocka_unit_test_setup(test_alias_adaptec, setup),
		cmocka_unit_test_setup(test_alias_ntb, setup),
		cmocka_unit_test_setup(test_pcie_bridge_alias, setup),
		cmocka_unit_test_setup(test_bridge_flags, setup),
		cmocka_unit_test_setup(test_idt_mask, setup),
		cmocka_unit_test_setup(test_pch_enable, setup),
		cmocka_unit_test_setup(test_spt_enable, setup),
		cmocka_unit_test_setup(test_spt_disable_redir, setup),
		cmocka_unit_test_setup(test_is_vmd, setup),
	};

	return cmocka_run_group_tests_name("quirks", tests, NULL, NULL);
}
