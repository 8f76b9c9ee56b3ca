// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for the grouping engine (lib/grouping.c, lib/acs.c,
 * lib/platform.c) against spec/kernel-grouping.md §2, §3, §6-§9. Every
 * topology is built from synthesized config space (builder.c), so the model's
 * decoding runs as it does for real sources. Each test names the kernel
 * function and the spec section it checks.
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
#define DF(slot, fn) ((uint8_t)((slot) << 3 | (fn)))
#define ACS_SV PCI_ACS_SV
#define ACS_RR PCI_ACS_RR
#define ACS_CR PCI_ACS_CR
#define ACS_UF PCI_ACS_UF

static void done(struct iog_grouping *g, struct iog_topology *t)
{
	iog_grouping_unref(g);
	iog_topology_unref(t);
}

static const struct iog_dev_result *res(const struct iog_grouping *g,
					const struct iog_topology *t, const char *addr)
{
	return &g->res[tb_dev((struct iog_topology *)t, addr)->order];
}

/* ------------------------------------------------------------------------ */

/*
 * pci_device_group() §2.3 steps 3-7 on a root bus: nothing to climb, no
 * alias, not multifunction => every function allocates a new group, numbered
 * in probe order (§7.1.1).
 */
static void test_root_bus_single_functions(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);	 /* host bridge, conventional */
	tb_endpoint(tb, 0, 0, DF(2, 0), true, false);	 /* PCIe endpoint */
	tb_endpoint_type(tb, 0, 0, DF(3, 0), PCI_EXP_TYPE_RC_END, false);
	tb_endpoint(tb, 0, 0, DF(1, 0), false, false);	 /* VGA */
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:00.0 | 1:00:01.0 | 2:00:02.0 | 3:00:03.0");
	assert_true(iog_grouping_numbers_known(g));
	assert_int_equal(res(g, t, "00:02.0")->join, IOG_JOIN_NEW);
	done(g, t);
}

/*
 * pci_acs_path_enabled() §2.9 / §3.1: a root port with every required ACS
 * bit enabled isolates the endpoint below it; the climb (§2.3 step 3) stops.
 */
static void test_root_port_acs_isolates(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0");
	assert_ptr_equal(res(g, t, "01:00.0")->start, tb_dev(t, "01:00.0"));
	done(g, t);
}

/*
 * pci_device_group() climb §2.3 step 3, pitfall §8.2: a root port without
 * ACS capability (and no quirk) swallows everything below it, a whole switch
 * with ACS-capable downstream ports included.
 */
static void test_root_port_without_acs_swallows_switch(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(0x1c, 0), 1, 4, TB_NO_ACS);
	tb_switch_up(tb, 0, 1, DF(0, 0), 2, 4, TB_NO_ACS);
	tb_switch_down(tb, 0, 2, DF(0, 0), 3, 3, TB_ACS_FULL);
	tb_switch_down(tb, 0, 2, DF(1, 0), 4, 4, TB_ACS_FULL);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 4, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:1c.0 01:00.0 02:00.0 02:01.0 03:00.0 04:00.0");
	assert_int_equal(res(g, t, "04:00.0")->join, IOG_JOIN_CLIMB);
	assert_ptr_equal(res(g, t, "04:00.0")->via, tb_dev(t, "02:01.0"));
	done(g, t);
}

/*
 * pci_acs_flags_enabled() §2.8, pitfall §8.5: required = 0x001D masked by
 * the capability word. An advertised bit that is not enabled fails; bits not
 * advertised count as hard-wired; a capability advertising none passes.
 */
static void test_acs_capability_masking(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	struct iog_profile *p;
	struct iog_acs_verdict why;

	/* no UF advertised, SV/RR/CR on: passes */
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, true, ACS_SV | ACS_RR | ACS_CR,
		     ACS_SV | ACS_RR | ACS_CR);
	/* UF advertised but off: fails */
	tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, true, TB_ACS_REQ, ACS_SV | ACS_RR | ACS_CR);
	/* only EC advertised: nothing required, passes */
	tb_root_port(tb, 0, 0, DF(3, 0), 3, 3, true, PCI_ACS_EC, 0);
	/* capability present, advertising nothing: passes */
	tb_root_port(tb, 0, 0, DF(4, 0), 4, 4, true, 0, 0);
	/* SV advertised and off, the rest on: fails */
	tb_root_port(tb, 0, 0, DF(5, 0), 5, 5, true, TB_ACS_REQ, ACS_RR | ACS_CR | ACS_UF);
	for (int b = 1; b <= 5; b++)
		tb_endpoint(tb, 0, (uint8_t)b, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:00:02.0 02:00.0 | 2:00:03.0 | 3:00:04.0 | "
			 "4:00:05.0 05:00.0 | 5:01:00.0 | 6:03:00.0 | 7:04:00.0");

	assert_int_equal(iog_profile_new(t->ctx, &p), 0);
	assert_false(iog_acs_enabled(tb_dev(t, "00:02.0"), p, REQ_ACS_FLAGS, &why));
	assert_int_equal(why.reason, IOG_ACS_CTRL_MISSING);
	assert_int_equal(why.missing, ACS_UF);
	assert_false(iog_acs_enabled(tb_dev(t, "00:05.0"), p, REQ_ACS_FLAGS, &why));
	assert_int_equal(why.missing, ACS_SV);
	assert_true(iog_acs_enabled(tb_dev(t, "00:04.0"), p, REQ_ACS_FLAGS, &why));
	assert_int_equal(why.reason, IOG_ACS_CTRL_OK);
	iog_profile_unref(p);
	done(g, t);
}

/*
 * pci_acs_enabled() §2.7 / §3.1, pitfall §8.3: a single-function switch
 * upstream port passes without an ACS capability; a multifunction one
 * without ACS fails, so everything below joins it, and its sibling function
 * shares its group (get_pci_function_alias_group §2.5).
 */
static void test_switch_upstream_single_vs_multifunction(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 3, TB_ACS_FULL);
	tb_switch_up(tb, 0, 1, DF(0, 0), 2, 3, TB_NO_ACS);
	tb_switch_down(tb, 0, 2, DF(0, 0), 3, 3, TB_ACS_FULL);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0 | 3:03:00.0");
	done(g, t);

	tb = tb_new();
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 3, TB_ACS_FULL);
	tb_set_mf(tb_switch_up(tb, 0, 1, DF(0, 0), 2, 3, TB_NO_ACS), true);
	tb_endpoint(tb, 0, 1, DF(0, 1), true, false); /* switch management function */
	tb_switch_down(tb, 0, 2, DF(0, 0), 3, 3, TB_ACS_FULL);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 01:00.1 02:00.0 03:00.0");
	assert_int_equal(res(g, t, "01:00.1")->join, IOG_JOIN_FUNCTION);
	done(g, t);

	/* The same multifunction upstream port with ACS enabled passes. */
	tb = tb_new();
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 3, TB_ACS_FULL);
	tb_set_mf(tb_switch_up(tb, 0, 1, DF(0, 0), 2, 3, TB_ACS_FULL), true);
	tb_set_acs(tb_endpoint(tb, 0, 1, DF(0, 1), true, false), TB_ACS_REQ, TB_ACS_REQ);
	tb_switch_down(tb, 0, 2, DF(0, 0), 3, 3, TB_ACS_FULL);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:01:00.1 | 3:02:00.0 | 4:03:00.0");
	done(g, t);
}

/*
 * pci_device_group() climb §2.3 step 3, pitfall §8.2: the climb stops at the
 * first bridge whose whole path is ACS-clean; an endpoint below a downstream
 * port without ACS joins that port, its neighbour below an ACS port does not.
 */
static void test_downstream_port_without_acs(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 4, TB_ACS_FULL);
	tb_switch_up(tb, 0, 1, DF(0, 0), 2, 4, TB_NO_ACS);
	tb_switch_down(tb, 0, 2, DF(0, 0), 3, 3, TB_NO_ACS);
	tb_switch_down(tb, 0, 2, DF(1, 0), 4, 4, TB_ACS_FULL);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 4, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0 03:00.0 | 3:02:01.0 | 4:04:00.0");
	assert_int_equal(res(g, t, "03:00.0")->join, IOG_JOIN_CLIMB);
	assert_ptr_equal(res(g, t, "03:00.0")->via, tb_dev(t, "02:00.0"));
	done(g, t);
}

/* Topology A of spec §9 (q35), as the real 6.1/6.12/7.2 kernels grouped it. */
static struct iog_topology *topology_a(bool amd_iommu_fn)
{
	struct tb *tb = tb_new();
	struct iog_device *d;

	tb_set_ids(tb_endpoint(tb, 0, 0, DF(0, 0), false, false), 0x8086, 0x29c0);
	tb_set_ids(tb_endpoint(tb, 0, 0, DF(1, 0), false, false), 0x1234, 0x1111);
	if (amd_iommu_fn) {
		d = tb_endpoint(tb, 0, 0, DF(2, 0), false, false);
		tb_set_ids(d, 0x1022, 0x0010);
		tb_set_class(d, 0x080600);
	}
	tb_set_ids(tb_root_port(tb, 0, 0, DF(0x10, 0), 1, 1, true, 0x1f, TB_ACS_REQ), 0x1b36,
		   0x000c);
	tb_set_ids(tb_root_port(tb, 0, 0, DF(0x11, 0), 2, 5, true, 0x1f, TB_ACS_REQ), 0x1b36,
		   0x000c);
	tb_set_ids(tb_pcie_to_pci_bridge(tb, 0, 0, DF(0x12, 0), 6, 6), 0x1b36, 0x000e);
	d = tb_endpoint(tb, 0, 0, DF(0x1f, 0), false, true);
	tb_set_ids(d, 0x8086, 0x2918);
	tb_set_class(d, 0x060100);
	tb_set_ids(tb_endpoint(tb, 0, 0, DF(0x1f, 2), false, false), 0x8086, 0x2922);
	tb_set_ids(tb_endpoint(tb, 0, 0, DF(0x1f, 3), false, false), 0x8086, 0x2930);
	tb_set_ids(tb_endpoint(tb, 0, 1, DF(0, 0), true, false), 0x8086, 0x10d3);
	tb_set_ids(tb_switch_up(tb, 0, 2, DF(0, 0), 3, 5, TB_NO_ACS), 0x104c, 0x8232);
	tb_set_ids(tb_switch_down(tb, 0, 3, DF(0, 0), 4, 4, TB_NO_ACS), 0x104c, 0x8233);
	tb_set_ids(tb_switch_down(tb, 0, 3, DF(1, 0), 5, 5, TB_NO_ACS), 0x104c, 0x8233);
	tb_set_ids(tb_endpoint(tb, 0, 4, DF(0, 0), true, false), 0x8086, 0x10d3);
	tb_set_ids(tb_endpoint(tb, 0, 5, DF(0, 0), true, false), 0x8086, 0x10d3);
	tb_set_ids(tb_endpoint(tb, 0, 6, DF(1, 0), false, false), 0x8086, 0x100e);
	tb_set_ids(tb_endpoint(tb, 0, 6, DF(2, 0), false, false), 0x8086, 0x100e);
	return tb_finish(tb);
}

#define TOPOLOGY_A_GROUPS                                                          \
	"0:00:00.0 | 1:00:01.0 | 2:00:10.0 | 3:00:11.0 | 4:00:12.0 06:01.0 06:02.0 | " \
	"5:00:1f.0 00:1f.2 00:1f.3 | 6:01:00.0 | 7:02:00.0 | 8:03:00.0 04:00.0 | "     \
	"9:03:01.0 05:00.0"

/*
 * pci_for_each_dma_alias() §2.1 (PCIe-to-PCI bridge alias), §2.3 step 1,
 * §7.1.4 numbering; spec §9 Topology A on all three kernels: 06:01.0 joins
 * group 4, created earlier by 00:12.0 (bus 00 is probed first).
 */
static void test_topology_a(void **state UNUSED)
{
	static const char *const kernels[] = { "6.1", "6.12", "7.2" };
	struct iog_topology *t = topology_a(false);

	for (size_t k = 0; k < 3; k++) {
		struct iog_grouping *g = tb_predict(t, kernels[k], "intel-vtd", NULL);

		assert_groups(g, TOPOLOGY_A_GROUPS);
		assert_int_equal(res(g, t, "06:01.0")->join, IOG_JOIN_ALIAS_WALK);
		assert_ptr_equal(res(g, t, "06:01.0")->via, tb_dev(t, "00:12.0"));
		assert_int_equal(iog_dma_alias_rid(tb_dev(t, "06:02.0")), 0x0600);
		assert_string_equal(iog_group_get_type(g->groups[0]), "DMA-FQ");
		iog_grouping_unref(g);
	}
	iog_topology_unref(t);
}

/*
 * AMD-Vi membership §6: the IOMMU's own PCI function (1022:xxxx, class
 * 0806) is never translated and gets no group; the rest of Topology A is
 * numbered as on Intel (spec §9).
 */
static void test_amd_iommu_function_no_group(void **state UNUSED)
{
	struct iog_topology *t = topology_a(true);
	struct iog_grouping *g = tb_predict(t, "6.12", "amd-vi", NULL);

	assert_groups(g, TOPOLOGY_A_GROUPS);
	assert_null(iog_grouping_get_device_group(g, tb_dev(t, "00:02.0")));
	assert_non_null(iog_grouping_get_device_note(g, tb_dev(t, "00:02.0")));
	done(g, t);
}

/*
 * pci_for_each_dma_alias() §2.1 conventional bridge (RID of the bridge),
 * pitfall §8.4; spec §9 Topology C: a conventional bridge on the root bus
 * shares its group with the device behind it.
 */
static void test_conventional_pci_bridge(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_set_ids(tb_pci_bridge(tb, 0, 0, DF(9, 0), 3, 3), 0x1b36, 0x0001);
	tb_endpoint(tb, 0, 3, DF(1, 0), false, false);
	tb_endpoint(tb, 0, 3, DF(2, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:09.0 03:01.0 03:02.0");
	assert_int_equal(res(g, t, "03:01.0")->join, IOG_JOIN_ALIAS_WALK);
	assert_int_equal(iog_dma_alias_rid(tb_dev(t, "03:01.0")), 0x0048);
	assert_false(tb_dev(t, "00:09.0")->dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	done(g, t);
}

/*
 * quirk_use_pcie_bridge_dma_alias §4.6 and §2.1: an i82801 (8086:244e, no
 * PCIe capability) behind an ioh3420-like root port without ACS: the bridge
 * aliases as (secondary, 0) and all three share one group (spec §9 C).
 */
static void test_pcie_bridge_alias_i82801(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_set_ids(tb_root_port(tb, 0, 0, DF(8, 0), 1, 2, TB_NO_ACS), 0x8086, 0x3420);
	tb_set_ids(tb_pci_bridge(tb, 0, 1, DF(0, 0), 2, 2), 0x8086, 0x244e);
	tb_endpoint(tb, 0, 2, DF(1, 0), false, false);
	/* the same bridge directly on a root bus gets no flag */
	tb_set_ids(tb_pci_bridge(tb, 0, 0, DF(9, 0), 3, 3), 0x8086, 0x244e);
	t = tb_finish(tb);
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_groups(g, "0:00:08.0 01:00.0 02:01.0 | 1:00:09.0");
	assert_true(tb_dev(t, "01:00.0")->dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	assert_false(tb_dev(t, "00:09.0")->dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS);
	assert_int_equal(iog_dma_alias_rid(tb_dev(t, "02:01.0")), 0x0200);
	done(g, t);
}

/*
 * pci_for_each_dma_alias() §2.1, type 8 (PCI/PCI-X-to-PCIe bridge): the
 * bridge is passed with its own RID; the device behind joins its group.
 */
static void test_pci_to_pcie_bridge(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_port(tb, PCI_EXP_TYPE_PCIE_BRIDGE, 0, 0, DF(5, 0), 1, 1, TB_NO_ACS);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:05.0 01:00.0");
	assert_int_equal(res(g, t, "01:00.0")->join, IOG_JOIN_ALIAS_WALK);
	assert_int_equal(iog_dma_alias_rid(tb_dev(t, "01:00.0")), 0x0028);
	done(g, t);
}

/*
 * pci_for_each_dma_alias() §2.1 "any other type": a type-1 header with an
 * Endpoint PCIe type adds no alias, and as a single function it passes
 * pci_acs_enabled() (§2.7), so the device behind it is isolated.
 */
static void test_endpoint_type_bridge(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 2, TB_ACS_FULL);
	tb_port(tb, PCI_EXP_TYPE_ENDPOINT, 0, 1, DF(0, 0), 2, 2, TB_NO_ACS);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0");
	assert_int_equal(iog_dma_alias_rid(tb_dev(t, "02:00.0")), 0x0200);
	done(g, t);
}

/*
 * get_pci_function_alias_group() §2.5: the functions of a multifunction slot
 * without ACS share one group (ICH9 00:1f.0/.2/.3, spec §9 A).
 */
static void test_multifunction_slot_without_acs(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_endpoint(tb, 0, 0, DF(0x1f, 0), false, true);
	tb_endpoint(tb, 0, 0, DF(0x1f, 2), false, false);
	tb_endpoint(tb, 0, 0, DF(0x1f, 3), false, false);
	tb_endpoint(tb, 0, 0, DF(0x1e, 0), false, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:1e.0 | 1:00:1f.0 00:1f.2 00:1f.3");
	assert_true(tb_dev(t, "00:1f.3")->multifunction); /* fn > 0, header bit clear */
	assert_int_equal(res(g, t, "00:1f.2")->join, IOG_JOIN_FUNCTION);
	done(g, t);
}

/*
 * get_pci_function_alias_group() §2.5, pitfall §8.12: the sibling loop skips
 * functions that pass ACS. An ACS-capable fn0 plus two functions without ACS
 * gives {fn0}, {fn1, fn2}.
 */
static void test_acs_fn0_and_two_plain_functions(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_set_acs(tb_endpoint(tb, 0, 0, DF(3, 0), true, true), TB_ACS_REQ, TB_ACS_REQ);
	tb_endpoint(tb, 0, 0, DF(3, 1), true, false);
	tb_endpoint(tb, 0, 0, DF(3, 2), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:03.0 | 1:00:03.1 00:03.2");
	done(g, t);
}

/*
 * pci_quirk_mf_endpoint_acs §4.1: an I350 (8086:1521) multifunction NIC
 * without ACS capability is isolated function by function; the same slot
 * with IDs no quirk knows is one group.
 */
static void test_mf_endpoint_quirk(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);
	tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_ACS_FULL);
	for (int fn = 0; fn < 4; fn++) {
		tb_set_ids(tb_endpoint(tb, 0, 1, DF(0, fn), true, fn == 0), 0x8086, 0x1521);
		tb_endpoint(tb, 0, 2, DF(0, fn), true, fn == 0);
	}
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:00:02.0 | 2:01:00.0 | 3:01:00.1 | 4:01:00.2 | "
			 "5:01:00.3 | 6:02:00.0 02:00.1 02:00.2 02:00.3");
	done(g, t);
}

/* Two Intel PCH root ports (IDs of §4.2a, no ACS capability) and an LPC. */
static struct iog_topology *pch_topology(bool rcba)
{
	struct tb *tb = tb_new();
	struct iog_device *rp0, *lpc;

	rp0 = tb_root_port(tb, 0, 0, DF(0x1c, 0), 1, 1, TB_NO_ACS);
	tb_set_ids(rp0, 0x8086, 0x1c10);
	tb_set_mf(rp0, true);
	tb_set_ids(tb_root_port(tb, 0, 0, DF(0x1c, 1), 2, 2, TB_NO_ACS), 0x8086, 0x1c12);
	lpc = tb_endpoint(tb, 0, 0, DF(0x1f, 0), false, false);
	tb_set_ids(lpc, 0x8086, 0x1c44);
	tb_set_class(lpc, 0x060100);
	tb_put32(lpc, 0xf0, rcba ? 0xfed1c001 : 0xfed1c000);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	return tb_finish(tb);
}

/*
 * pci_quirk_intel_pch_acs / pci_quirk_enable_intel_pch_acs §4.1-§4.3,
 * pitfalls §8.8-§8.9: without RCBA enabled in the LPC (31.0 reg 0xF0 bit 0)
 * the quirk answers a definite "not isolated" (the ports also share one
 * multifunction slot); with it, every port is isolated. The definite answer
 * wins over pcie_acs_override in either table position.
 */
static void test_intel_pch_root_ports(void **state UNUSED)
{
	struct iog_topology *t = pch_topology(false);
	struct iog_grouping *g = tb_predict(t, "7.2", "intel-vtd", NULL);

	assert_groups(g, "0:00:1c.0 00:1c.1 01:00.0 02:00.0 | 1:00:1f.0");
	assert_false(tb_dev(t, "00:1c.0")->dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK);
	iog_grouping_unref(g);
	g = tb_predict_ex(t, "7.2", "intel-vtd", "pcie_acs_override=downstream",
			  IOG_ACS_AS_READ, IOG_OVERRIDE_PROXMOX);
	assert_groups(g, "0:00:1c.0 00:1c.1 01:00.0 02:00.0 | 1:00:1f.0");
	iog_grouping_unref(g);
	g = tb_predict_ex(t, "7.2", "intel-vtd", "pcie_acs_override=downstream",
			  IOG_ACS_AS_READ, IOG_OVERRIDE_APPENDED);
	assert_groups(g, "0:00:1c.0 00:1c.1 01:00.0 02:00.0 | 1:00:1f.0");
	done(g, t);

	t = pch_topology(true);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:1c.0 | 1:00:1c.1 | 2:00:1f.0 | 3:01:00.0 | 4:02:00.0");
	assert_true(tb_dev(t, "00:1c.0")->dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK);
	iog_grouping_unref(g);
	g = tb_predict_sim(t, "6.1", "intel-vtd", NULL);
	assert_groups(g, "0:00:1c.0 | 1:00:1c.1 | 2:00:1f.0 | 3:01:00.0 | 4:02:00.0");
	done(g, t);
}

/*
 * pci_quirk_intel_spt_pch_acs / pci_quirk_enable_intel_spt_pch_acs /
 * pci_quirk_disable_intel_spt_pch_acs_redir §4.1-§4.3, pitfall §8.7: SPT root
 * ports keep a 32-bit capability at cap+4 and a 32-bit control at cap+8; the
 * word at +6 (high half of the capability dword) is not the control.
 */
static void test_intel_spt_dword_layout(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	struct iog_device *d;

	/* +4 = 0x0000001d (the word at +6 reads 0), +8 = 0x1d: isolated */
	d = tb_root_port(tb, 0, 0, DF(0x1c, 0), 1, 1, TB_NO_ACS);
	tb_set_ids(d, 0x8086, 0xa290);
	tb_set_acs(d, 0, 0);
	tb_put32(d, TB_ACS_POS + 4, 0x0000001d);
	tb_put32(d, TB_ACS_POS + 8, 0x1d);
	/* +4 = 0x001d001d (the word at +6 looks enabled), +8 = 0: not isolated */
	d = tb_root_port(tb, 0, 0, DF(0x1d, 0), 2, 2, TB_NO_ACS);
	tb_set_ids(d, 0x8086, 0xa298);
	tb_set_acs(d, 0, 0);
	tb_put32(d, TB_ACS_POS + 4, 0x001d001d);
	tb_put32(d, TB_ACS_POS + 8, 0);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	t = tb_finish(tb);

	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:1c.0 | 1:00:1d.0 02:00.0 | 2:01:00.0");
	iog_grouping_unref(g);
	/* the enable quirk ORs the advertised bits into the dword control */
	g = tb_predict_sim(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:1c.0 | 1:00:1d.0 | 2:01:00.0 | 3:02:00.0");
	iog_grouping_unref(g);
	/* disable_acs_redir: the SPT quirk clears RR/CR/EC in the dword */
	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=disable_acs_redir=00:1c.0");
	assert_groups(g, "0:00:1c.0 01:00.0 | 1:00:1d.0 | 2:02:00.0");
	iog_grouping_unref(g);
	/* config_acs on an SPT port behaves like disable_acs_redir (§3.2 step 4) */
	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=config_acs=11111@00:1c.0");
	assert_groups(g, "0:00:1c.0 01:00.0 | 1:00:1d.0 | 2:02:00.0");
	done(g, t);
}

/*
 * quirk_dma_func1_alias §4.5, pitfall §8.13, get_pci_alias_group §2.4 with
 * pci_devs_are_dma_aliases §2.6: a Marvell controller aliasing a ghost
 * function 1 stays alone; when function 1 exists, both share a group even
 * though each passes ACS.
 */
static void test_dma_alias_func1(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	struct iog_device *d;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);
	tb_set_ids(tb_endpoint(tb, 0, 1, DF(0, 0), true, false), 0x1b4b, 0x9123);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0");
	assert_true(tb_dev(t, "01:00.0")->has_dma_alias);
	assert_int_equal(iog_dma_alias_rid(tb_dev(t, "01:00.0")), 0x0101);
	done(g, t);

	tb = tb_new();
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);
	d = tb_endpoint(tb, 0, 1, DF(0, 0), true, true);
	tb_set_ids(d, 0x1b4b, 0x9123);
	tb_set_acs(d, TB_ACS_REQ, TB_ACS_REQ);
	tb_set_acs(tb_endpoint(tb, 0, 1, DF(0, 1), true, false), TB_ACS_REQ, TB_ACS_REQ);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 01:00.1");
	assert_int_equal(res(g, t, "01:00.1")->join, IOG_JOIN_DMA_ALIAS);
	assert_ptr_equal(res(g, t, "01:00.1")->via, tb_dev(t, "01:00.0"));
	done(g, t);
}

/*
 * quirk_plx_ntb_dma_alias §4.5, pitfall §8.13: the PLX NTB aliases all 256
 * devfns and absorbs every device of its bus, those probed before it too
 * (get_pci_alias_group recursion §2.4). Devices behind an ACS port on that
 * bus are not affected.
 */
static void test_plx_ntb_absorbs_bus(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);
	tb_set_ids(tb_endpoint(tb, 0, 0, DF(3, 0), true, false), 0x10b5, 0x87b0);
	tb_endpoint(tb, 0, 0, DF(4, 0), true, false);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:00.0 00:01.0 00:03.0 00:04.0 | 1:01:00.0");
	assert_int_equal(res(g, t, "00:03.0")->join, IOG_JOIN_DMA_ALIAS);
	done(g, t);
}

/*
 * pci_device_group() §2.3 with a virtual bus (§2.1 / §2.3 skip buses
 * without self), pitfall §8.15, §2.13 (VFs are never multifunction): VFs get
 * their own groups although their PFs share one.
 */
static void test_virtfn_own_groups(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	struct iog_device *pf0, *pf1;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 2, TB_ACS_FULL);
	pf0 = tb_endpoint(tb, 0, 1, DF(0, 0), true, true);
	tb_set_ids(pf0, 0x15b3, 0x1017);
	pf1 = tb_endpoint(tb, 0, 1, DF(0, 1), true, false);
	tb_set_ids(pf1, 0x15b3, 0x1017);
	/* PF0's VFs on its own bus, in its slot; PF1's on a bus no bridge decodes */
	tb_virtfn(tb, 0, 1, DF(0, 2), pf0);
	tb_virtfn(tb, 0, 1, DF(0, 3), pf0);
	tb_virtfn(tb, 0, 2, DF(0, 0), pf1);
	tb_virtfn(tb, 0, 2, DF(0, 1), pf1);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 01:00.1 | 2:01:00.2 | 3:01:00.3 | 4:02:00.0 | "
			 "5:02:00.1");
	assert_true(tb_dev(t, "02:00.0")->bus->is_virtual);
	assert_null(tb_dev(t, "02:00.0")->bus->self);
	assert_ptr_equal(tb_dev(t, "02:00.0")->bus->parent, pf1->bus);
	assert_ptr_equal(tb_dev(t, "02:00.0")->physfn, pf1);
	assert_false(tb_dev(t, "01:00.2")->multifunction);
	assert_int_equal(tb_dev(t, "02:00.1")->vendor, 0x15b3);
	assert_int_equal(tb_dev(t, "02:00.1")->device, 0x1018);
	/* VFs come after every boot-time device (§7.1.6) */
	assert_int_equal(tb_dev(t, "01:00.2")->order, 3);
	done(g, t);

	/* the same VFs below a root port without ACS join the port's group */
	tb = tb_new();
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 2, TB_NO_ACS);
	pf0 = tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_virtfn(tb, 0, 2, DF(0, 0), pf0);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 01:00.0 02:00.0");
	done(g, t);
}

/*
 * Probe order §7.1.4, pitfalls §8.1: all devices of a bus first, then each
 * bridge's subtree in turn. With buses numbered not depth-first the group
 * numbers follow that order, not BDF order: 02:00.0 comes after 07:00.0.
 */
static void test_probe_order_not_bdf(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 5, 7, TB_ACS_FULL);
	tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_ACS_FULL);
	tb_switch_up(tb, 0, 5, DF(0, 0), 6, 7, TB_NO_ACS);
	tb_switch_down(tb, 0, 6, DF(0, 0), 7, 7, TB_ACS_FULL);
	tb_endpoint(tb, 0, 7, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	t = tb_finish(tb);
	assert_string_equal(iog_device_get_address(iog_topology_get_device(t, 5)),
			    "0000:02:00.0");
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:00:02.0 | 2:05:00.0 | 3:06:00.0 | 4:07:00.0 | 5:02:00.0");
	done(g, t);
}

/*
 * Per-IOMMU passes §7.1.2 from the sysfs iommu links (§6): a device without
 * a link gets no group; with two VT-d units and no DMAR table the
 * registration order is unknown, so only the partition is known.
 */
static void test_iommu_units_from_links(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_set_iommu_unit(tb_endpoint(tb, 0, 0, DF(0, 0), false, false), "dmar1");
	tb_set_iommu_unit(tb_endpoint(tb, 0, 0, DF(2, 0), true, false), "dmar0");
	tb_endpoint(tb, 0, 0, DF(3, 0), true, false);
	tb_set_iommu_unit(tb_root_port(tb, 0, 0, DF(0x1c, 0), 1, 1, TB_ACS_FULL), "dmar1");
	tb_set_iommu_unit(tb_endpoint(tb, 0, 1, DF(0, 0), true, false), "dmar1");
	t = tb_finish(tb);
	t->platform = "intel-vtd";
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_partition(g, "00:00.0 | 00:02.0 | 00:1c.0 | 01:00.0");
	assert_false(iog_grouping_numbers_known(g));
	assert_true(tb_has_assumption(g, "no DMAR table"));
	assert_null(iog_grouping_get_device_group(g, tb_dev(t, "00:03.0")));
	done(g, t);

	/* one unit: numbers known, in probe order */
	tb = tb_new();
	tb_set_iommu_unit(tb_endpoint(tb, 0, 0, DF(0, 0), false, false), "dmar0");
	tb_set_iommu_unit(tb_endpoint(tb, 0, 0, DF(2, 0), true, false), "dmar0");
	tb_endpoint(tb, 0, 0, DF(3, 0), true, false);
	tb_set_iommu_unit(tb_root_port(tb, 0, 0, DF(0x1c, 0), 1, 1, TB_ACS_FULL), "dmar0");
	tb_set_iommu_unit(tb_endpoint(tb, 0, 1, DF(0, 0), true, false), "dmar0");
	t = tb_finish(tb);
	t->platform = "intel-vtd";
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_groups(g, "0:00:00.0 | 1:00:02.0 | 2:00:1c.0 | 3:01:00.0");
	assert_true(iog_grouping_numbers_known(g));
	assert_true(tb_has_assumption(g, "sysfs iommu links"));
	done(g, t);
}

/*
 * pci_device_group() §2.3 note, pitfall §8.16: a bridge the IOMMU does not
 * translate has no group, so the climb passes it and ends at the root; the
 * search then starts from that bridge and each device gets a fresh group,
 * even two non-ACS functions of one slot.
 */
static void test_untranslated_bridge_climbed_over(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_set_iommu_unit(tb_endpoint(tb, 0, 0, DF(0, 0), false, false), "dmar0");
	tb_root_port(tb, 0, 0, DF(5, 0), 2, 2, TB_NO_ACS);
	tb_set_iommu_unit(tb_endpoint(tb, 0, 2, DF(0, 0), true, true), "dmar0");
	tb_set_iommu_unit(tb_endpoint(tb, 0, 2, DF(0, 1), true, false), "dmar0");
	t = tb_finish(tb);
	t->platform = "intel-vtd";
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:00.0 | 1:02:00.0 | 2:02:00.1");
	assert_ptr_equal(res(g, t, "02:00.1")->start, tb_dev(t, "00:05.0"));
	done(g, t);
}

/*
 * generic_device_group / generic_single_device_group §2.11, §6: s390 and
 * generic drivers give every function its own group; "single" one group per
 * IOMMU instance. s390 numbers follow the function handles (spec/s390.md).
 */
static void test_generic_s390_single(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	struct iog_device *d[4];

	d[3] = tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_NO_ACS);
	d[2] = tb_endpoint(tb, 0, 0, DF(2, 0), true, true);
	d[1] = tb_endpoint(tb, 0, 0, DF(2, 1), true, false);
	d[0] = tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "generic", NULL);
	assert_groups(g, "0:00:01.0 | 1:00:02.0 | 2:00:02.1 | 3:01:00.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "7.2", "single", NULL);
	assert_groups(g, "0:00:01.0 00:02.0 00:02.1 01:00.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "6.12", "s390", NULL);
	assert_partition(g, "00:01.0 | 00:02.0 | 00:02.1 | 01:00.0");
	assert_false(iog_grouping_numbers_known(g));
	iog_grouping_unref(g);
	for (int i = 0; i < 4; i++)
		d[i]->zpci_fh = 0x100 + i;
	g = tb_predict(t, "6.12", "s390", NULL);
	assert_groups(g, "0:01:00.0 | 1:00:02.1 | 2:00:02.0 | 3:00:01.0");
	assert_true(iog_grouping_numbers_known(g));
	done(g, t);
}

/*
 * pcie_acs_overrides (out of tree) §3.5, §4.1 table position, pitfalls §8.9,
 * §8.21: downstream/multifunction/id options; never for a device with an ACS
 * capability; the Proxmox position beats the Zhaoxin definite 0, the
 * appended position does not.
 */
static void test_acs_override(void **state UNUSED)
{
	static const struct {
		const char *cmdline;
		enum iog_override_position pos;
		const char *expected;
	} cases[] = {
		{ NULL, IOG_OVERRIDE_PROXMOX,
		  "0:00:01.0 01:00.0 | 1:00:02.0 02:00.0 | 2:00:03.0 00:03.1 | 3:00:04.0 04:00.0" },
		{ "pcie_acs_override=downstream", IOG_OVERRIDE_PROXMOX,
		  "0:00:01.0 | 1:00:02.0 | 2:00:03.0 00:03.1 | 3:00:04.0 04:00.0 | 4:01:00.0 | "
		  "5:02:00.0" },
		{ "pcie_acs_override=downstream", IOG_OVERRIDE_APPENDED,
		  "0:00:01.0 01:00.0 | 1:00:02.0 | 2:00:03.0 00:03.1 | 3:00:04.0 04:00.0 | "
		  "4:02:00.0" },
		{ "pcie_acs_override=multifunction", IOG_OVERRIDE_PROXMOX,
		  "0:00:01.0 01:00.0 | 1:00:02.0 02:00.0 | 2:00:03.0 | 3:00:03.1 | "
		  "4:00:04.0 04:00.0" },
		{ "pcie_acs_override=id:1d17:0001", IOG_OVERRIDE_PROXMOX,
		  "0:00:01.0 | 1:00:02.0 02:00.0 | 2:00:03.0 00:03.1 | 3:00:04.0 04:00.0 | "
		  "4:01:00.0" },
		{ "pcie_acs_override=id:1d17:0001", IOG_OVERRIDE_APPENDED,
		  "0:00:01.0 01:00.0 | 1:00:02.0 02:00.0 | 2:00:03.0 00:03.1 | 3:00:04.0 04:00.0" },
		{ "pcie_acs_override=downstream,multifunction", IOG_OVERRIDE_PROXMOX,
		  "0:00:01.0 | 1:00:02.0 | 2:00:03.0 | 3:00:03.1 | 4:00:04.0 04:00.0 | "
		  "5:01:00.0 | 6:02:00.0" },
	};
	struct tb *tb = tb_new();
	struct iog_topology *t;

	tb_set_ids(tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_NO_ACS), 0x1d17, 0x0001);
	tb_set_ids(tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_NO_ACS), 0x1b36, 0x000c);
	tb_set_ids(tb_endpoint(tb, 0, 0, DF(3, 0), true, true), 0x1b36, 0x0010);
	tb_set_ids(tb_endpoint(tb, 0, 0, DF(3, 1), true, false), 0x1b36, 0x0010);
	/* an ACS capability with its bits off: never overridden */
	tb_root_port(tb, 0, 0, DF(4, 0), 4, 4, true, TB_ACS_REQ, 0);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 4, DF(0, 0), true, false);
	t = tb_finish(tb);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iog_grouping *g = tb_predict_ex(t, "6.12", "intel-vtd", cases[i].cmdline,
						       IOG_ACS_AS_READ, cases[i].pos);

		assert_groups(g, cases[i].expected);
		iog_grouping_unref(g);
	}
	iog_topology_unref(t);
}

/*
 * pci_quirk_zhaoxin_pcie_ports_acs §4.1, pitfall §8.9: a Zhaoxin root port
 * outside the ID ranges is "not isolated" even with a proper, enabled ACS
 * capability; one inside the ranges is isolated without any.
 */
static void test_zhaoxin_definite_zero(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_set_ids(tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL), 0x1d17, 0x0001);
	tb_set_ids(tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_NO_ACS), 0x1d17, 0x0710);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 01:00.0 | 1:00:02.0 | 2:02:00.0");
	done(g, t);
}

/*
 * pci_enable_acs / __pci_config_acs §3.2 steps 1, 3, 4, pitfall §8.6:
 * simulated enabling; pci=disable_acs_redir= and pci=config_acs= (flags
 * rightmost = SV) are computed from the firmware control word, by address,
 * by path and by ID; config_acs replaces disable_acs_redir.
 */
static void test_cmdline_acs_overrides(void **state UNUSED)
{
	static const char all_isolated[] = "0:00:01.0 | 1:00:02.0 | 2:00:03.0 | 3:01:00.0 | "
					   "4:02:00.0 | 5:03:00.0 | 6:04:00.0 | 7:05:00.0";
	static const char ds_merged[] = "0:00:01.0 | 1:00:02.0 | 2:00:03.0 | 3:01:00.0 | "
					"4:02:00.0 | 5:03:00.0 | 6:04:00.0 05:00.0";
	static const char rp2_merged[] = "0:00:01.0 | 1:00:02.0 02:00.0 | 2:00:03.0 | "
					 "3:01:00.0 | 4:03:00.0 | 5:04:00.0 | 6:05:00.0";
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, true, TB_ACS_REQ, 0);
	tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, true, TB_ACS_REQ, 0);
	tb_root_port(tb, 0, 0, DF(3, 0), 3, 5, TB_ACS_FULL);
	tb_switch_up(tb, 0, 3, DF(0, 0), 4, 5, TB_NO_ACS);
	tb_set_ids(tb_switch_down(tb, 0, 4, DF(0, 0), 5, 5, true, TB_ACS_REQ, 0), 0x10b5,
		   0x8747);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 5, DF(0, 0), true, false);
	t = tb_finish(tb);

	g = tb_predict(t, "7.2", "intel-vtd", NULL); /* as read: firmware left ACS off */
	assert_groups(g, "0:00:01.0 01:00.0 | 1:00:02.0 02:00.0 | 2:00:03.0 | 3:03:00.0 | "
			 "4:04:00.0 05:00.0");
	iog_grouping_unref(g);
	g = tb_predict_sim(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, all_isolated);
	assert_int_equal(tb_dev(t, "00:01.0")->acs_ctrl, TB_ACS_REQ);
	iog_grouping_unref(g);

	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=disable_acs_redir=00:01.0");
	assert_groups(g, "0:00:01.0 01:00.0 | 1:00:02.0 | 2:00:03.0 | 3:02:00.0 | "
			 "4:03:00.0 | 5:04:00.0 | 6:05:00.0");
	assert_int_equal(tb_dev(t, "00:01.0")->acs_ctrl, 0);
	iog_grouping_unref(g);
	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=disable_acs_redir=pci:10b5:8747");
	assert_groups(g, ds_merged);
	iog_grouping_unref(g);
	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=disable_acs_redir=0000:00:03.0/00.0/00.0");
	assert_groups(g, ds_merged);
	iog_grouping_unref(g);
	/* firmware had everything on: RR/CR cleared, SV/UF kept */
	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=disable_acs_redir=00:03.0");
	assert_groups(g, "0:00:01.0 | 1:00:02.0 | 2:00:03.0 03:00.0 04:00.0 05:00.0 | "
			 "3:01:00.0 | 4:02:00.0");
	assert_int_equal(tb_dev(t, "00:03.0")->acs_ctrl, ACS_SV | ACS_UF);
	iog_grouping_unref(g);

	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=config_acs=11101@00:02.0");
	assert_groups(g, all_isolated);
	assert_int_equal(tb_dev(t, "00:02.0")->acs_ctrl, TB_ACS_REQ);
	iog_grouping_unref(g);
	/* only SV forced on: RR/CR/UF go back to the firmware value (off) */
	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=config_acs=xxxx1@00:02.0");
	assert_groups(g, rp2_merged);
	assert_int_equal(tb_dev(t, "00:02.0")->acs_ctrl, ACS_SV);
	iog_grouping_unref(g);
	/* CR (bit 3) forced off */
	g = tb_predict_sim(t, "7.2", "intel-vtd", "pci=config_acs=10111@00:02.0");
	assert_groups(g, rp2_merged);
	assert_int_equal(tb_dev(t, "00:02.0")->acs_ctrl, 0x17);
	iog_grouping_unref(g);
	/* config_acs replaces disable_acs_redir's result */
	g = tb_predict_sim(t, "7.2", "intel-vtd",
			   "pci=disable_acs_redir=00:01.0,config_acs=11101@00:01.0");
	assert_groups(g, all_isolated);
	done(g, t);
}

/*
 * iommu=off / intel_iommu=off / amd_iommu=off §3.4: no groups at all; the
 * vendor switch only applies to its own platform.
 */
static void test_iommu_off(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_endpoint(tb, 0, 0, DF(2, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", "quiet iommu=off");
	assert_int_equal(iog_grouping_get_group_count(g), 0);
	assert_null(iog_grouping_get_device_group(g, tb_dev(t, "00:02.0")));
	iog_grouping_unref(g);
	g = tb_predict(t, "7.2", "intel-vtd", "intel_iommu=off");
	assert_groups(g, "");
	iog_grouping_unref(g);
	g = tb_predict(t, "7.2", "amd-vi", "intel_iommu=off");
	assert_groups(g, "0:00:00.0 | 1:00:02.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "7.2", "amd-vi", "amd_iommu=off");
	assert_groups(g, "");
	done(g, t);
}

/*
 * pci_disable_broken_acs_cap §4.4 (7.0+), §2.8: IDT 111d:80b5 ports have SV
 * removed from the cached capability on 7.2 only; with SV off in the control
 * word the port passes on 7.2 and fails on 6.1/6.12. When enabling is
 * simulated, 7.2 does not set SV.
 */
static void test_idt_sv_masking(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 3, TB_ACS_FULL);
	tb_set_ids(tb_switch_up(tb, 0, 1, DF(0, 0), 2, 3, TB_NO_ACS), 0x111d, 0x80b5);
	tb_set_ids(tb_switch_down(tb, 0, 2, DF(0, 0), 3, 3, true, TB_ACS_REQ,
				  ACS_RR | ACS_CR | ACS_UF),
		   0x111d, 0x80b5);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0 | 3:03:00.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0 03:00.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "6.1", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0 03:00.0");
	iog_grouping_unref(g);
	done(NULL, t);

	tb = tb_new();
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 3, TB_ACS_FULL);
	tb_set_ids(tb_switch_up(tb, 0, 1, DF(0, 0), 2, 3, TB_NO_ACS), 0x111d, 0x8090);
	tb_set_ids(tb_switch_down(tb, 0, 2, DF(0, 0), 3, 3, true, TB_ACS_REQ, 0), 0x111d,
		   0x8090);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict_sim(t, "7.2", "intel-vtd", NULL);
	assert_int_equal(tb_dev(t, "02:00.0")->acs_ctrl, ACS_RR | ACS_CR | ACS_UF);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0 | 3:03:00.0");
	iog_grouping_unref(g);
	g = tb_predict_sim(t, "6.12", "intel-vtd", NULL);
	assert_int_equal(tb_dev(t, "02:00.0")->acs_ctrl, TB_ACS_REQ);
	done(g, t);
}

/*
 * set_pcie_port_type() §2.14, pitfall §8.18: a "downstream port" below a
 * root port is treated as an upstream port (single function: passes); an
 * "upstream port" below an upstream port is treated as a downstream port
 * (needs ACS: fails without).
 */
static void test_pcie_type_correction(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 2, TB_ACS_FULL);
	tb_switch_down(tb, 0, 1, DF(0, 0), 2, 2, TB_NO_ACS);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	t = tb_finish(tb);
	assert_int_equal(tb_dev(t, "01:00.0")->pcie_type_raw, PCI_EXP_TYPE_DOWNSTREAM);
	assert_int_equal(iog_device_get_pcie_type(tb_dev(t, "01:00.0")), PCI_EXP_TYPE_UPSTREAM);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0");
	done(g, t);

	tb = tb_new();
	tb_root_port(tb, 0, 0, DF(1, 0), 1, 4, TB_ACS_FULL);
	tb_switch_up(tb, 0, 1, DF(0, 0), 2, 4, TB_NO_ACS);
	tb_switch_up(tb, 0, 2, DF(0, 0), 3, 3, TB_NO_ACS);
	tb_switch_down(tb, 0, 2, DF(1, 0), 4, 4, TB_ACS_FULL);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 4, DF(0, 0), true, false);
	t = tb_finish(tb);
	assert_int_equal(iog_device_get_pcie_type(tb_dev(t, "02:00.0")),
			 PCI_EXP_TYPE_DOWNSTREAM);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 | 2:02:00.0 03:00.0 | 3:02:01.0 | 4:04:00.0");
	done(g, t);
}

static struct iog_topology *ari_topology(bool ari)
{
	struct tb *tb = tb_new();
	struct iog_device *rp = tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);

	if (ari)
		tb_set_ari(rp);
	for (int devfn = 0; devfn < 16; devfn++)
		tb_endpoint(tb, 0, 1, (uint8_t)devfn, true, devfn == 0);
	return tb_finish(tb);
}

/*
 * §2.13 multifunction with ARI, pitfall §8.11: behind an ARI bridge every
 * function > 0 is multifunction and "slots" are groups of 8 ARI functions;
 * without ARI, devfn 8 (slot 1 fn 0, header bit clear) is single-function.
 */
static void test_ari_multifunction(void **state UNUSED)
{
	struct iog_topology *t = ari_topology(true);
	struct iog_grouping *g = tb_predict(t, "7.2", "intel-vtd", NULL);

	assert_true(tb_dev(t, "01:01.0")->ari);
	assert_true(tb_dev(t, "01:01.0")->multifunction);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 01:00.1 01:00.2 01:00.3 01:00.4 01:00.5 01:00.6 "
			 "01:00.7 | 2:01:01.0 01:01.1 01:01.2 01:01.3 01:01.4 01:01.5 01:01.6 "
			 "01:01.7");
	done(g, t);

	t = ari_topology(false);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_false(tb_dev(t, "01:01.0")->multifunction);
	assert_groups(g, "0:00:01.0 | 1:01:00.0 01:00.1 01:00.2 01:00.3 01:00.4 01:00.5 01:00.6 "
			 "01:00.7 | 2:01:01.0 | 3:01:01.1 01:01.2 01:01.3 01:01.4 01:01.5 "
			 "01:01.6 01:01.7");
	done(g, t);
}

/*
 * Unknown facts, pitfall §8.19 and §2.15: config space of 64 bytes (no
 * PCIe capability readable) or 256 bytes of an unknown-size space (no ACS
 * readable) make a decision uncertain and never isolating; a known 256-byte
 * space (cfg_size 256) is a definite "no ACS capability".
 */
static void test_unknown_facts(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;
	struct iog_device *d;

	tb_set_cfg_len(tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL), 64);
	tb_set_cfg_len(tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_ACS_FULL), 256);
	d = tb_root_port(tb, 0, 0, DF(3, 0), 3, 3, TB_ACS_FULL);
	tb_set_cfg_len(d, 256);
	d->ext_fact = IOG_FACT_READ; /* the kernel's cfg_size is 256 */
	tb_set_cfg_len(tb_endpoint(tb, 0, 0, DF(4, 0), true, true), 64);
	tb_set_cfg_len(tb_endpoint(tb, 0, 0, DF(4, 1), true, false), 64);
	tb_root_port(tb, 0, 0, DF(5, 0), 5, 5, TB_ACS_FULL);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_set_cfg_len(tb_endpoint(tb, 0, 5, DF(0, 0), true, false), 64);
	t = tb_finish(tb);
	assert_int_equal(tb_dev(t, "00:01.0")->pcie_fact, IOG_FACT_UNKNOWN);
	assert_int_equal(tb_dev(t, "00:02.0")->acs_fact, IOG_FACT_UNKNOWN);
	assert_int_equal(tb_dev(t, "00:03.0")->acs_fact, IOG_FACT_READ);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0?:00:01.0 01:00.0 | 1?:00:02.0 02:00.0 | 2:00:03.0 03:00.0 | "
			 "3?:00:04.0 00:04.1 | 4:00:05.0 | 5:05:00.0");
	assert_non_null(iog_grouping_get_device_note(g, tb_dev(t, "01:00.0")));
	assert_null(iog_grouping_get_device_note(g, tb_dev(t, "03:00.0")));
	done(g, t);
}

/*
 * pci_for_each_dma_alias() §2.1 step 4 BRIDGE_XLATE_ROOT, §4.6: the flag
 * stops the alias walk at that bridge (the device keeps its own RID), but
 * the climb of pci_device_group() §2.3 step 3 goes on and joins the bridge.
 */
static void test_xlate_root(void **state UNUSED)
{
	for (int xlate = 0; xlate < 2; xlate++) {
		struct tb *tb = tb_new();
		struct iog_topology *t;
		struct iog_grouping *g;
		struct iog_device *x;

		tb_pcie_to_pci_bridge(tb, 0, 0, DF(1, 0), 1, 2);
		x = tb_pci_bridge(tb, 0, 1, DF(0, 0), 2, 2);
		if (xlate)
			tb_set_ids(x, 0x14e4, 0x9000);
		tb_endpoint(tb, 0, 2, DF(0, 0), false, false);
		t = tb_finish(tb);
		g = tb_predict(t, "7.2", "intel-vtd", NULL);
		assert_groups(g, "0:00:01.0 01:00.0 02:00.0");
		assert_ptr_equal(res(g, t, "02:00.0")->via, tb_dev(t, "01:00.0"));
		if (xlate) {
			assert_true(x->dev_flags & PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT);
			assert_int_equal(res(g, t, "02:00.0")->join, IOG_JOIN_CLIMB);
			assert_int_equal(iog_dma_alias_rid(tb_dev(t, "02:00.0")), 0x0200);
		} else {
			assert_int_equal(res(g, t, "02:00.0")->join, IOG_JOIN_ALIAS_WALK);
			/* walk: bridge 01:00.0 (own RID), then 00:01.0 (bus 01, devfn 0) */
			assert_int_equal(iog_dma_alias_rid(tb_dev(t, "02:00.0")), 0x0100);
		}
		done(g, t);
	}
}

/*
 * PCI_BRIDGE_NO_ALIAS §4.6 (ASPEED AST1150, 7.0+): the type-7 bridge adds no
 * alias on 7.2, yet the devices behind still join it through the climb.
 */
static void test_pci_bridge_no_alias(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_set_ids(tb_pcie_to_pci_bridge(tb, 0, 0, DF(1, 0), 1, 1), 0x1a03, 0x1150);
	tb_endpoint(tb, 0, 1, DF(1, 0), false, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 01:01.0");
	assert_int_equal(res(g, t, "01:01.0")->join, IOG_JOIN_CLIMB);
	assert_int_equal(iog_dma_alias_rid(tb_dev(t, "01:01.0")), 0x0108);
	iog_grouping_unref(g);
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_groups(g, "0:00:01.0 01:01.0");
	assert_int_equal(res(g, t, "01:01.0")->join, IOG_JOIN_ALIAS_WALK);
	done(g, t);
}

/*
 * pci_real_dma_dev() §2.1 step 1, §2.6, pitfall §8.17, §7.1.6: every device
 * of a VMD domain (segment 0x10000) joins the VMD endpoint's group, even
 * behind an ACS root port; the domain is enumerated after the host buses.
 */
static void test_vmd(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_set_ids(tb_endpoint_type(tb, 0, 0, DF(0x0e, 0), PCI_EXP_TYPE_RC_END, false), 0x8086,
		   0x201d);
	tb_endpoint(tb, 0, 0, DF(0x1f, 0), false, false);
	tb_root_port(tb, 0x10000, 0, DF(0, 0), 1, 1, TB_ACS_FULL);
	tb_endpoint(tb, 0x10000, 1, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:00.0 | 1:00:0e.0 10000:00:00.0 10000:01:00.0 | 2:00:1f.0");
	assert_int_equal(res(g, t, "10000:01:00.0")->join, IOG_JOIN_ALIAS_WALK);
	done(g, t);
}

/*
 * Spec §9 Topology B: two root ports in one multifunction slot, both with
 * ACS, are alone (get_pci_function_alias_group skips ACS functions); a root
 * port without ACS shares its group with its endpoint.
 */
static void test_topology_b(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_endpoint(tb, 0, 0, DF(5, 0), true, false);
	tb_endpoint(tb, 0, 0, DF(6, 0), false, false);
	tb_set_mf(tb_root_port(tb, 0, 0, DF(7, 0), 1, 1, TB_ACS_FULL), true);
	tb_root_port(tb, 0, 0, DF(7, 1), 2, 2, TB_ACS_FULL);
	tb_root_port(tb, 0, 0, DF(0x10, 0), 3, 3, TB_NO_ACS);
	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_endpoint(tb, 0, 1, DF(0, 0), false, false);
	tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "6.12", "intel-vtd", NULL);
	assert_groups(g, "0:00:00.0 | 1:00:05.0 | 2:00:06.0 | 3:00:07.0 | 4:00:07.1 | "
			 "5:00:10.0 03:00.0 | 6:01:00.0 | 7:02:00.0");
	done(g, t);
}

/*
 * §3.3 stable regression window: 6.12.75-6.12.77 enabled ACS only at driver
 * bind, after grouping, so a post-boot dump's enabled ACS was not what the
 * grouping saw; 6.12.78 (revert) and plain 6.12 group with it.
 */
static void test_late_acs_window(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "6.12.76+deb13-amd64", "amd-vi", NULL);
	assert_groups(g, "0:00:01.0 01:00.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "6.12.78", "amd-vi", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0");
	iog_grouping_unref(g);
	g = tb_predict(t, "6.12", "amd-vi", NULL);
	assert_groups(g, "0:00:01.0 | 1:01:00.0");
	done(g, t);
}

/*
 * §7.1: root buses are scanned in the order firmware lists their host
 * bridges, which the ACPI companions' instance numbers follow (QEMU lists
 * expander buses newest first): groups are numbered in that order. Without
 * companions, or with companions of different hardware IDs, the order is
 * unknown and so are the numbers, unless one root bus holds every device.
 */
static void test_root_bus_order(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_grouping *g;

	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_endpoint(tb, 0, 0x40, DF(0, 0), true, false);
	tb_endpoint(tb, 0, 0x80, DF(0, 0), true, false);
	tb_root_bridge(tb, 0, 0x00, "PNP0A08:00");
	tb_root_bridge(tb, 0, 0x40, "PNP0A08:02");
	tb_root_bridge(tb, 0, 0x80, "PNP0A08:01");
	t = tb_finish(tb);
	assert_true(t->root_order_known);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_groups(g, "0:00:00.0 | 2:40:00.0 | 1:80:00.0");
	assert_true(iog_grouping_numbers_known(g));
	done(g, t);

	/* instance numbers of two hardware IDs do not order the bridges */
	tb = tb_new();
	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_endpoint(tb, 0, 0x40, DF(0, 0), true, false);
	tb_root_bridge(tb, 0, 0x00, "PNP0A08:00");
	tb_root_bridge(tb, 0, 0x40, "PNP0A03:00");
	t = tb_finish(tb);
	assert_false(t->root_order_known);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_partition(g, "00:00.0 | 40:00.0");
	assert_false(iog_grouping_numbers_known(g));
	assert_true(tb_has_assumption(g, "host bridges"));
	done(g, t);

	/* no companions (a dump): unknown, unless one root bus holds every
	 * translated device */
	tb = tb_new();
	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_endpoint(tb, 0, 0x40, DF(0, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_false(iog_grouping_numbers_known(g));
	done(g, t);
	tb = tb_new();
	tb_endpoint(tb, 0, 0, DF(0, 0), false, false);
	tb_endpoint(tb, 0, 0, DF(1, 0), true, false);
	t = tb_finish(tb);
	g = tb_predict(t, "7.2", "intel-vtd", NULL);
	assert_true(iog_grouping_numbers_known(g));
	done(g, t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_bus_single_functions),
		cmocka_unit_test(test_root_port_acs_isolates),
		cmocka_unit_test(test_root_port_without_acs_swallows_switch),
		cmocka_unit_test(test_acs_capability_masking),
		cmocka_unit_test(test_switch_upstream_single_vs_multifunction),
		cmocka_unit_test(test_downstream_port_without_acs),
		cmocka_unit_test(test_topology_a),
		cmocka_unit_test(test_amd_iommu_function_no_group),
		cmocka_unit_test(test_conventional_pci_bridge),
		cmocka_unit_test(test_pcie_bridge_alias_i82801),
		cmocka_unit_test(test_pci_to_pcie_bridge),
		cmocka_unit_test(test_endpoint_type_bridge),
		cmocka_unit_test(test_multifunction_slot_without_acs),
		cmocka_unit_test(test_acs_fn0_and_two_plain_functions),
		cmocka_unit_test(test_mf_endpoint_quirk),
		cmocka_unit_test(test_intel_pch_root_ports),
		cmocka_unit_test(test_intel_spt_dword_layout),
		cmocka_unit_test(test_dma_alias_func1),
		cmocka_unit_test(test_plx_ntb_absorbs_bus),
		cmocka_unit_test(test_virtfn_own_groups),
		cmocka_unit_test(test_probe_order_not_bdf),
		cmocka_unit_test(test_iommu_units_from_links),
		cmocka_unit_test(test_untranslated_bridge_climbed_over),
		cmocka_unit_test(test_generic_s390_single),
		cmocka_unit_test(test_acs_override),
		cmocka_unit_test(test_zhaoxin_definite_zero),
		cmocka_unit_test(test_cmdline_acs_overrides),
		cmocka_unit_test(test_iommu_off),
		cmocka_unit_test(test_idt_sv_masking),
		cmocka_unit_test(test_pcie_type_correction),
		cmocka_unit_test(test_ari_multifunction),
		cmocka_unit_test(test_unknown_facts),
		cmocka_unit_test(test_xlate_root),
		cmocka_unit_test(test_pci_bridge_no_alias),
		cmocka_unit_test(test_vmd),
		cmocka_unit_test(test_topology_b),
		cmocka_unit_test(test_late_acs_window),
		cmocka_unit_test(test_root_bus_order),
	};

	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
