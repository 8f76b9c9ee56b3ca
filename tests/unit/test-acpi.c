/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Firmware tables on hand-built models: DMAR device scopes and the DRHD
 * registration order (spec §6, §7.1.3, the worked example of §7.2), igfx_off,
 * IVRS IVHD coverage and aliases (§4.5), VIOT PCI ranges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "builder.h"

#define UNUSED __attribute__((unused))
#define DF(slot, fn) ((slot) << 3 | (fn))

struct blob {
	uint8_t b[512];
	size_t n;
};

static void put(struct blob *t, const void *p, size_t n)
{
	memcpy(t->b + t->n, p, n);
	t->n += n;
}

static void put16(struct blob *t, uint16_t v)
{
	uint8_t b[2] = { v & 0xff, v >> 8 };

	put(t, b, 2);
}

static void header(struct blob *t, const char *sig)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, sig, 4);
	t->n = 48;
}

static void finish(struct blob *t)
{
	t->b[4] = t->n & 0xff;
	t->b[5] = t->n >> 8;
}

/* A DRHD with @flags and endpoint (type 1) or bridge (type 2) scopes on bus 0. */
static void drhd(struct blob *t, uint8_t flags, const uint8_t *devfns, const uint8_t *types,
		 size_t n)
{
	size_t start = t->n;
	uint8_t z[8] = { 0 };

	put16(t, 0);	  /* type DRHD */
	put16(t, 0);	  /* length, below */
	put(t, &flags, 1);
	put(t, z, 1);	  /* size */
	put16(t, 0);	  /* segment */
	put(t, z, 8);	  /* register base */
	for (size_t i = 0; i < n; i++) {
		uint8_t s[8] = { types[i], 8, 0, 0, 0, 0, devfns[i] >> 3, devfns[i] & 7 };

		put(t, s, 8);
	}
	t->b[start + 2] = (t->n - start) & 0xff;
	t->b[start + 3] = (t->n - start) >> 8;
}

static void set_table(uint8_t **dst, size_t *len, const struct blob *t)
{
	*dst = malloc(t->n);
	memcpy(*dst, t->b, t->n);
	*len = t->n;
}

/* A client machine: 00:00.0 host bridge, 00:02.0 iGPU, 00:1c.0 root port with
 * a NIC, 00:1f.0 ISA bridge. */
static struct iog_topology *client(void)
{
	struct tb *tb = tb_new();
	struct iog_device *gpu;

	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	gpu = tb_endpoint(tb, 0, 0, DF(2, 0), true, false);
	tb_set_class(gpu, 0x030000);
	tb_root_port(tb, 0, 0, DF(0x1c, 0), 1, 1, TB_ACS_FULL);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 0, DF(0x1f, 0), false, false);
	return tb_finish(tb);
}

/* §7.1.3 and the §7.2 example: a graphics-only DRHD registers before the
 * INCLUDE_ALL one, so the iGPU is group 0; with igfx_off it gets none. */
static void test_dmar_graphics_unit_first(void **state UNUSED)
{
	static const uint8_t gpu[] = { DF(2, 0) }, ep[] = { 1 };
	struct iog_topology *t = client();
	struct iog_grouping *g;
	struct blob b;

	header(&b, "DMAR");
	drhd(&b, 0, gpu, ep, 1);
	drhd(&b, 1, NULL, NULL, 0); /* INCLUDE_ALL */
	finish(&b);
	set_table(&t->dmar, &t->dmar_len, &b);
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_groups(g, "0:00:02.0 | 1:00:00.0 | 2:00:1c.0 | 3:00:1f.0 | 4:01:00.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "6.12", "intel-vtd", "intel_iommu=on,igfx_off");
	assert_groups(g, "0:00:00.0 | 1:00:1c.0 | 2:00:1f.0 | 3:01:00.0");
	assert_non_null(iog_grouping_get_device_note(g, tb_dev(t, "00:02.0")));
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

/* Scopes without INCLUDE_ALL (as QEMU's DMAR): a bridge scope covers its
 * subtree; a device in no scope gets no group but is climbed over. Units
 * without INCLUDE_ALL register in reverse table order. */
static void test_dmar_scopes(void **state UNUSED)
{
	static const uint8_t s1[] = { DF(0, 0), DF(0x1f, 0) }, t1[] = { 1, 1 };
	static const uint8_t s2[] = { DF(0x1c, 0) }, t2[] = { 2 };
	struct iog_topology *t = client();
	struct iog_grouping *g;
	struct blob b;

	header(&b, "DMAR");
	drhd(&b, 0, s1, t1, 2); /* dmar0: host bridge and ISA bridge */
	drhd(&b, 0, s2, t2, 1); /* dmar1: the root port's subtree; registers first */
	finish(&b);
	set_table(&t->dmar, &t->dmar_len, &b);
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	/* pass 1 (dmar1): 00:1c.0, 01:00.0; pass 2 (dmar0): 00:00.0, 00:1f.0 */
	assert_groups(g, "0:00:1c.0 | 1:01:00.0 | 2:00:00.0 | 3:00:1f.0");
	assert_null(iog_grouping_get_device_group(g, tb_dev(t, "00:02.0")));
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

/* An IVRS with one type 0x10 IVHD: the IOMMU at 00:00.2, the range 00:00.0 ..
 * 00:03.0, 00:05.0 aliased to 00:04.0, 00:04.0; with @acpihid also an ACPI-HID
 * entry (a UART, "AMDI0020"). */
static void ivrs(struct blob *b, bool acpihid)
{
	uint8_t z[16] = { 0 }, e[22];
	size_t start;

	header(b, "IVRS");
	start = b->n;
	e[0] = 0x10; /* IVHD type 0x10 */
	e[1] = 0;
	put(b, e, 2);
	put16(b, 0);	       /* length, below */
	put16(b, DF(0, 2));    /* the IOMMU's devid */
	put(b, z, 10);	       /* cap offset, base */
	put16(b, 0);	       /* segment */
	put(b, z, 6);	       /* info, feature reporting */
	/* range 00:00.0 .. 00:03.0 */
	e[0] = 0x03; e[1] = DF(0, 0); e[2] = 0; e[3] = 0;
	put(b, e, 4);
	e[0] = 0x04; e[1] = DF(3, 0); e[2] = 0; e[3] = 0;
	put(b, e, 4);
	/* alias select: 00:05.0 uses the requester ID of 00:04.0 */
	memset(e, 0, 8);
	e[0] = 0x42; e[1] = DF(5, 0); e[5] = DF(4, 0);
	put(b, e, 8);
	e[0] = 0x02; e[1] = DF(4, 0); e[2] = 0; e[3] = 0;
	put(b, e, 4);
	if (acpihid) {
		/* type, devid 00:14.5, flags, HID, CID, UID format, UID length 0 */
		memset(e, 0, sizeof(e));
		e[0] = 0xf0; e[1] = DF(0x14, 5);
		memcpy(e + 4, "AMDI0020", 8);
		put(b, e, 22);
	}
	b->b[start + 2] = (b->n - start) & 0xff;
	b->b[start + 3] = (b->n - start) >> 8;
	finish(b);
}

static struct iog_topology *ivrs_machine(bool acpihid)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct blob b;

	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_set_class(tb_endpoint(tb, 0, 0, DF(0, 2), true, false), 0x080600); /* the IOMMU */
	tb_endpoint(tb, 0, 0, DF(3, 0), true, false);
	tb_endpoint(tb, 0, 0, DF(4, 0), true, false);
	tb_endpoint(tb, 0, 0, DF(5, 0), true, false);
	t = tb_finish(tb);
	ivrs(&b, acpihid);
	set_table(&t->ivrs, &t->ivrs_len, &b);
	return t;
}

/* IVRS (type 0x10 IVHD): a select entry and a range; a same-bus alias entry
 * makes two functions share a group (§4.5); the IOMMU's own devid is left out. */
static void test_ivrs(void **state UNUSED)
{
	struct iog_topology *t = ivrs_machine(false);
	struct iog_grouping *g;

	g = tb_predict(t, "7.2", "amd-vi", NULL);
	assert_groups(g, "0:00:00.0 | 1:00:03.0 | 2:00:04.0 00:05.0");
	assert_true(iog_grouping_numbers_known(g));
	assert_null(iog_grouping_get_device_group(g, tb_dev(t, "00:00.2")));
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

/* §8.22: ACPI devices in an IOMMU's scope (IVRS ACPI-HID, DMAR namespace
 * scopes) take the first group numbers of their unit's pass when present: the
 * partition of the PCI devices stands, their numbers are unknown. */
static void test_acpi_platform_devices(void **state UNUSED)
{
	static const uint8_t scopes[] = { DF(0x15, 0) }, types[] = { 5 };
	struct iog_topology *t = ivrs_machine(true);
	struct iog_grouping *g;
	struct blob b;

	g = tb_predict(t, "7.2", "amd-vi", NULL);
	assert_partition(g, "00:00.0 | 00:03.0 | 00:04.0 00:05.0");
	assert_false(iog_grouping_numbers_known(g));
	assert_true(tb_has_assumption(g, "IVRS table puts 1 ACPI (non-PCI) device"));
	iog_grouping_unref(g);
	iog_topology_unref(t);

	t = client();
	header(&b, "DMAR");
	drhd(&b, 1, scopes, types, 1); /* INCLUDE_ALL, plus ANDD device 0x15 */
	finish(&b);
	set_table(&t->dmar, &t->dmar_len, &b);
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_partition(g, "00:00.0 | 00:02.0 | 00:1c.0 | 00:1f.0 | 01:00.0");
	assert_false(iog_grouping_numbers_known(g));
	assert_true(tb_has_assumption(g, "DMAR table puts 1 ACPI"));
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

/* VIOT: only devices in a PCI range node are translated (7.2, probe time). */
static void test_viot(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	struct blob b;
	uint8_t z[4] = { 0 };

	tb_endpoint(tb, 0, 0, DF(3, 0), true, false);
	tb_endpoint(tb, 0, 0x40, DF(0, 0), true, false);
	t = tb_finish(tb);
	header(&b, "VIOT");
	b.b[36] = 1;  /* one node */
	b.b[38] = 48; /* at offset 48 */
	/* PCI range: segment 0..0, BDF 0x0000..0x00ff */
	put(&b, (uint8_t[]){ 1, 0 }, 2);
	put16(&b, 20);
	put(&b, z, 4); /* endpoint start */
	put16(&b, 0);
	put16(&b, 0);
	put16(&b, 0x0000);
	put16(&b, 0x00ff);
	put16(&b, 0);	/* output node */
	put16(&b, 0);
	finish(&b);
	set_table(&t->viot, &t->viot_len, &b);
	g = tb_predict(t, "7.2", "virtio-iommu", NULL);
	assert_groups(g, "0:00:03.0");
	assert_null(iog_grouping_get_device_group(g, tb_dev(t, "40:00.0")));
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dmar_graphics_unit_first),
		cmocka_unit_test(test_dmar_scopes),
		cmocka_unit_test(test_ivrs),
		cmocka_unit_test(test_acpi_platform_devices),
		cmocka_unit_test(test_viot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
