/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iog_grouping_explain(): every reason kind on a hand-built model, each chain
 * ending where its group was created, and every co-member accounted for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "builder.h"

#define UNUSED __attribute__((unused))
#define DF(slot, fn) ((slot) << 3 | (fn))

/* The records of @addr's explanation; asserts the chain and coverage. */
static int explain(struct iog_grouping *g, struct iog_topology *t, const char *addr,
		   const struct iog_reason **r)
{
	const struct iog_device *dev = tb_dev(t, addr);
	const struct iog_group *grp = iog_grouping_get_device_group(g, dev);
	int n = iog_grouping_explain(g, dev, r), last = -1;

	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		if ((*r)[i].on_chain)
			last = i;
	assert_true(last >= 0);
	assert_true((*r)[last].kind == IOG_REASON_FIRST || (*r)[last].kind == IOG_REASON_ALONE ||
		    (*r)[last].kind == IOG_REASON_PLATFORM || (*r)[last].kind == IOG_REASON_NO_GROUP);
	for (size_t m = 0; grp && m < iog_group_get_device_count(grp); m++) {
		bool seen = false;

		for (int i = 0; i < n; i++)
			seen |= (*r)[i].dev == iog_group_get_device(grp, m);
		assert_true(seen);
	}
	return n;
}

static bool has(const struct iog_reason *r, int n, enum iog_reason_kind kind)
{
	for (int i = 0; i < n; i++)
		if (r[i].kind == kind)
			return true;
	return false;
}

static const struct iog_reason *find(const struct iog_reason *r, int n,
				     enum iog_reason_kind kind)
{
	for (int i = 0; i < n; i++)
		if (r[i].kind == kind)
			return &r[i];
	fail_msg("reason kind %d not found", kind);
	return NULL;
}

/* ALONE, NOT_ISOLATED with the exact missing bits, FIRST, BRIDGE_ALIAS,
 * MULTIFUNCTION, NO_GROUP (AMD's own IOMMU function) and a prediction-only
 * error for the kernel's groups. */
static void test_kinds_pci(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	const struct iog_reason *r, *x;
	struct iog_device *d;
	int n;

	/* root port advertising SV RR CR UF with only SV RR enabled */
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, true, 0x001d, 0x0005);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_ACS_FULL);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	tb_pcie_to_pci_bridge(tb, 0, 0, DF(3, 0), 3, 3);
	tb_endpoint(tb, 0, 3, DF(1, 0), false, false);
	tb_endpoint(tb, 0, 0, DF(0x1f, 0), false, true);
	tb_endpoint(tb, 0, 0, DF(0x1f, 2), false, false);
	d = tb_endpoint(tb, 0, 0, DF(0x0a, 0), true, false); /* the AMD IOMMU */
	tb_set_ids(d, 0x1022, 0x1481);
	tb_set_class(d, 0x080600);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "amd-vi", NULL);

	n = explain(g, t, "01:00.0", &r);
	x = find(r, n, IOG_REASON_NOT_ISOLATED);
	assert_ptr_equal(x->other, tb_dev(t, "00:01.0"));
	assert_ptr_equal(x->blocker, tb_dev(t, "00:01.0"));
	assert_int_equal(x->acs, IOG_ACS_CTRL_MISSING);
	assert_int_equal(x->acs_missing, 0x0018); /* CR and UF */
	assert_true(x->on_chain);
	assert_true(has(r, n, IOG_REASON_FIRST));

	n = explain(g, t, "02:00.0", &r);
	assert_int_equal(r[0].kind, IOG_REASON_ALONE);

	n = explain(g, t, "03:01.0", &r);
	x = find(r, n, IOG_REASON_BRIDGE_ALIAS);
	assert_ptr_equal(x->other, tb_dev(t, "00:03.0"));

	n = explain(g, t, "00:1f.2", &r);
	x = find(r, n, IOG_REASON_MULTIFUNCTION);
	assert_ptr_equal(x->other, tb_dev(t, "00:1f.0"));
	assert_int_equal(x->acs, IOG_ACS_NOT_PCIE);

	n = explain(g, t, "00:0a.0", &r);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].kind, IOG_REASON_NO_GROUP);
	assert_non_null(r[0].text);
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

/* DMA_ALIAS (a quirk alias to an existing function), VMD, UNCERTAIN. */
static void test_kinds_alias_vmd_uncertain(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	const struct iog_reason *r;
	struct iog_device *d;
	int n;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);
	d = tb_endpoint(tb, 0, 1, DF(0, 0), true, true);
	tb_set_ids(d, 0x1b4b, 0x9123); /* Marvell: DMA from function 1 */
	tb_set_acs(d, TB_ACS_REQ, TB_ACS_REQ);
	tb_set_acs(tb_endpoint(tb, 0, 1, DF(0, 1), true, false), TB_ACS_REQ, TB_ACS_REQ);
	tb_set_ids(tb_endpoint_type(tb, 0, 0, DF(0x0e, 0), PCI_EXP_TYPE_RC_END, false), 0x8086,
		   0x201d);
	tb_root_port(tb, 0x10000, 0, DF(0, 0), 1, 1, TB_ACS_FULL);
	tb_endpoint(tb, 0x10000, 1, DF(0, 0), true, false);
	tb_set_cfg_len(tb_root_port(tb, 0, 0, DF(5, 0), 5, 5, TB_ACS_FULL), 64);
	tb_endpoint(tb, 0, 5, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);

	n = explain(g, t, "01:00.1", &r);
	assert_ptr_equal(find(r, n, IOG_REASON_DMA_ALIAS)->other, tb_dev(t, "01:00.0"));

	n = explain(g, t, "10000:01:00.0", &r);
	assert_ptr_equal(find(r, n, IOG_REASON_VMD)->other, tb_dev(t, "00:0e.0"));

	/* 00:05.0's type is unreadable: the alias walk takes it for a
	 * conventional bridge, conservatively, and the group is uncertain */
	n = explain(g, t, "05:00.0", &r);
	assert_ptr_equal(find(r, n, IOG_REASON_BRIDGE_ALIAS)->other, tb_dev(t, "00:05.0"));
	assert_non_null(find(r, n, IOG_REASON_UNCERTAIN)->text);
	assert_int_equal(iog_device_get_pcie_type(tb_dev(t, "00:05.0")), -2);
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

/* PLATFORM (s390: a group per function, whatever the topology). */
static void test_kinds_platform(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	const struct iog_reason *r;
	int n;

	tb_endpoint(tb, 1, 0, DF(0, 0), false, false);
	tb_endpoint(tb, 2, 0, DF(0, 0), false, false);
	t = tb_finish(tb);
	g = tb_predict(t, "6.12", "s390", NULL);
	n = explain(g, t, "0002:00:00.0", &r);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].kind, IOG_REASON_PLATFORM);
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_pci),
		cmocka_unit_test(test_kinds_alias_vmd_uncertain),
		cmocka_unit_test(test_kinds_platform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
