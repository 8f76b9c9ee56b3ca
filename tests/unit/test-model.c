// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for lib/model.c and lib/caps.c: decoding synthesized config
 * space (header, capability walks of spec §2.15, multifunction §2.13, PCIe
 * type §2.14), linking buses and rejecting topologies that cannot exist.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "builder.h"

#define UNUSED __attribute__((unused))
#define DF(slot, fn) ((uint8_t)((slot) << 3 | (fn)))

/* A standard capability at @pos with @id pointing at @next. */
static void std_cap(struct iog_device *d, unsigned pos, uint8_t id, uint8_t next)
{
	tb_put8(d, pos, id);
	tb_put8(d, pos + 1, next);
}

/* An extended capability header at @pos. */
static void ext_cap(struct iog_device *d, unsigned pos, uint16_t id, unsigned next)
{
	tb_put32(d, pos, id | 1u << 16 | (uint32_t)next << 20);
}

/* Header fields, bridge bus numbers, capability offsets (§0, §2.15). */
static void test_decode_fields(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *d;
	int cap, ctrl;

	d = tb_root_port(tb, 0, 0, DF(0x1c, 4), 3, 7, true, 0x5f, 0x1d);
	tb_set_ids(d, 0x8086, 0x1234);
	tb_put8(d, PCI_REVISION_ID, 0x21);
	d = tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_set_ids(d, 0x144d, 0xa808);
	tb_set_class(d, 0x010802);
	tb_set_subsys(d, 0x144d, 0xa801);
	t = tb_finish(tb);

	d = tb_dev(t, "0000:00:1c.4");
	assert_int_equal(d->vendor, 0x8086);
	assert_int_equal(d->device, 0x1234);
	assert_int_equal(d->revision, 0x21);
	assert_int_equal(d->class, 0x060400);
	assert_int_equal(d->hdr_type, PCI_HEADER_TYPE_BRIDGE);
	assert_int_equal(d->secondary, 3);
	assert_int_equal(d->subordinate_nr, 7);
	assert_int_equal(d->pcie_pos, TB_PCIE_POS);
	assert_int_equal(d->pcie_type, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(d->acs_pos, TB_ACS_POS);
	assert_int_equal(d->acs_fact, IOG_FACT_READ);
	assert_int_equal(iog_device_get_acs(d, &cap, &ctrl), IOG_FACT_READ);
	assert_int_equal(cap, 0x5f);
	assert_int_equal(ctrl, 0x1d);
	assert_true(iog_device_is_bridge(d));
	assert_true(d->multifunction); /* fn 4 */

	d = tb_dev(t, "03:00.0");
	assert_int_equal(d->class, 0x010802);
	assert_int_equal(d->subsys_vendor, 0x144d);
	assert_int_equal(d->subsys_device, 0xa801);
	assert_int_equal(d->acs_pos, 0);
	assert_int_equal(d->acs_fact, IOG_FACT_READ);
	assert_int_equal(iog_device_get_acs(d, &cap, &ctrl), IOG_FACT_READ);
	assert_int_equal(cap, -1);
	assert_false(iog_device_is_bridge(d));
	assert_string_equal(iog_device_get_address(d), "0000:03:00.0");
	iog_topology_unref(t);
}

/*
 * §2.15 standard list: a loop ends the walk with a warning; the PCIe
 * capability found before the loop point is still found; the pointer is
 * aligned down to 4; CardBus starts at 0x14.
 */
static void test_std_cap_walk(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *d;

	/* 0x40 PM -> 0x50 MSI -> 0x40: loops, no PCIe capability */
	d = tb_endpoint(tb, 0, 0, DF(1, 0), false, false);
	tb_put16(d, PCI_STATUS, PCI_STATUS_CAP_LIST);
	tb_put8(d, PCI_CAPABILITY_LIST, 0x40);
	std_cap(d, 0x40, 0x01, 0x50);
	std_cap(d, 0x50, 0x05, 0x40);
	/* 0x40 PM -> 0x63 (aligned to 0x60) PCIe: found */
	d = tb_endpoint(tb, 0, 0, DF(2, 0), false, false);
	tb_put16(d, PCI_STATUS, PCI_STATUS_CAP_LIST);
	tb_put8(d, PCI_CAPABILITY_LIST, 0x40);
	std_cap(d, 0x40, 0x01, 0x63);
	std_cap(d, 0x60, PCI_CAP_ID_EXP, 0x40);
	tb_put16(d, 0x62, PCI_EXP_TYPE_LEG_END << 4 | 2);
	/* capability pointer set but the status bit clear: no list */
	d = tb_endpoint(tb, 0, 0, DF(3, 0), true, false);
	tb_put16(d, PCI_STATUS, 0);
	/* a capability pointing to itself */
	d = tb_endpoint(tb, 0, 0, DF(4, 0), false, false);
	tb_put16(d, PCI_STATUS, PCI_STATUS_CAP_LIST);
	tb_put8(d, PCI_CAPABILITY_LIST, 0x40);
	std_cap(d, 0x40, 0x01, 0x40);
	/* CardBus: list starts at 0x14 */
	d = tb_device(tb, 0, 0, DF(5, 0), PCI_HEADER_TYPE_CARDBUS);
	tb_put16(d, PCI_STATUS, PCI_STATUS_CAP_LIST);
	tb_put8(d, PCI_CB_CAPABILITY_LIST, 0x80);
	std_cap(d, 0x80, 0x01, 0);
	t = tb_finish(tb);

	d = tb_dev(t, "00:01.0");
	assert_int_equal(d->pcie_fact, IOG_FACT_READ);
	assert_false(iog_dev_is_pcie(d));
	assert_non_null(strstr(tb_log(), "0000:00:01.0: standard capability list loops"));
	d = tb_dev(t, "00:02.0");
	assert_int_equal(d->pcie_pos, 0x60);
	assert_int_equal(d->pcie_type, PCI_EXP_TYPE_LEG_END);
	assert_false(iog_dev_is_pcie(tb_dev(t, "00:03.0")));
	assert_int_equal(iog_find_capability(tb_dev(t, "00:04.0"), 0x10), 0);
	assert_non_null(strstr(tb_log(), "0000:00:04.0: standard capability list loops"));
	assert_int_equal(iog_find_capability(tb_dev(t, "00:05.0"), 0x01), 0x80);
	iog_topology_unref(t);
}

/*
 * §2.15 extended list: starts at 0x100, header 0 ends it, a loop ends it
 * with a warning, ACS is found after other capabilities, and a function
 * whose extended space is known to be absent (cfg_size 256) has none.
 */
static void test_ext_cap_walk(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *d;

	/* AER at 0x100 -> 0x140 VC -> 0x100: loops, no ACS */
	d = tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_NO_ACS);
	ext_cap(d, 0x100, 0x0001, 0x140);
	ext_cap(d, 0x140, 0x0002, 0x100);
	/* AER -> ACS at 0x180 */
	d = tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_NO_ACS);
	ext_cap(d, 0x100, 0x0001, 0x180);
	ext_cap(d, 0x180, PCI_EXT_CAP_ID_ACS, 0);
	tb_put16(d, 0x184, 0x1f);
	tb_put16(d, 0x186, 0x1d);
	/* ACS behind a "next" below 0x100: the list ends first */
	d = tb_root_port(tb, 0, 0, DF(3, 0), 3, 3, TB_NO_ACS);
	ext_cap(d, 0x100, 0x0001, 0x0fc);
	/* header 0 at 0x100: no extended capabilities */
	tb_root_port(tb, 0, 0, DF(4, 0), 4, 4, TB_NO_ACS);
	/* known 256-byte space with ACS bytes present beyond it: ignored */
	d = tb_root_port(tb, 0, 0, DF(5, 0), 5, 5, TB_ACS_FULL);
	tb_set_cfg_len(d, 4096);
	d->has_ext = false;
	t = tb_finish(tb);

	d = tb_dev(t, "00:01.0");
	assert_int_equal(d->acs_fact, IOG_FACT_READ);
	assert_int_equal(d->acs_pos, 0);
	assert_non_null(strstr(tb_log(), "0000:00:01.0: extended capability list loops"));
	d = tb_dev(t, "00:02.0");
	assert_int_equal(d->acs_pos, 0x180);
	assert_int_equal(d->acs_cap_read, 0x1f);
	assert_int_equal(d->acs_ctrl_read, 0x1d);
	assert_int_equal(tb_dev(t, "00:03.0")->acs_pos, 0);
	assert_int_equal(tb_dev(t, "00:04.0")->acs_pos, 0);
	assert_int_equal(tb_dev(t, "00:05.0")->acs_pos, 0);
	assert_int_equal(tb_dev(t, "00:05.0")->acs_fact, IOG_FACT_READ);
	assert_null(strstr(tb_log(), "0000:00:02.0"));
	iog_topology_unref(t);
}

/* §2.15 / §8.19: what 64 and 256 bytes of config space leave unknown. */
static void test_truncated_config(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *d;

	tb_set_cfg_len(tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_ACS_FULL), 64);
	tb_set_cfg_len(tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_ACS_FULL), 256);
	tb_set_cfg_len(tb_endpoint(tb, 0, 0, DF(3, 0), false, true), 64);
	tb_set_cfg_len(tb_endpoint(tb, 0, 0, DF(3, 1), false, false), 256);
	t = tb_finish(tb);

	d = tb_dev(t, "00:01.0");
	assert_int_equal(d->pcie_fact, IOG_FACT_UNKNOWN);
	assert_int_equal(d->acs_fact, IOG_FACT_UNKNOWN);
	assert_int_equal(d->secondary, 1); /* within 64 bytes */
	d = tb_dev(t, "00:02.0");
	assert_int_equal(d->pcie_fact, IOG_FACT_READ);
	assert_int_equal(d->pcie_type, PCI_EXP_TYPE_ROOT_PORT);
	assert_int_equal(d->acs_fact, IOG_FACT_UNKNOWN);
	/* 64 bytes: the status bit is readable but the list is not */
	d = tb_dev(t, "00:03.0");
	assert_int_equal(d->pcie_fact, IOG_FACT_READ); /* no cap-list bit: known */
	assert_true(d->multifunction);
	/* no PCIe capability: the kernel gives it 256 bytes, no ACS */
	d = tb_dev(t, "00:03.1");
	assert_int_equal(d->ext_fact, IOG_FACT_DERIVED);
	assert_int_equal(d->acs_fact, IOG_FACT_READ);
	iog_topology_unref(t);
}

/* §2.13: header bit 7 for fn 0; every fn > 0 is multifunction; VFs never. */
static void test_header_multifunction(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *pf;

	tb_endpoint(tb, 0, 0, DF(1, 0), true, true);
	tb_endpoint(tb, 0, 0, DF(2, 0), true, false);
	tb_endpoint(tb, 0, 0, DF(2, 3), true, false);
	tb_set_mf(tb_root_port(tb, 0, 0, DF(3, 0), 1, 2, TB_NO_ACS), true);
	pf = tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	tb_set_mf(tb_virtfn(tb, 0, 1, DF(0, 1), pf), true);
	t = tb_finish(tb);
	assert_true(iog_device_is_multifunction(tb_dev(t, "00:01.0")));
	assert_false(iog_device_is_multifunction(tb_dev(t, "00:02.0")));
	assert_true(iog_device_is_multifunction(tb_dev(t, "00:02.3")));
	assert_true(iog_device_is_multifunction(tb_dev(t, "00:03.0")));
	assert_false(iog_device_is_multifunction(tb_dev(t, "01:00.1")));
	assert_ptr_equal(iog_device_get_physfn(tb_dev(t, "01:00.1")), tb_dev(t, "01:00.0"));
	iog_topology_unref(t);
}

/* Bus linking: bus->self, bus->parent, subordinate; unconfigured bridges;
 * a secondary bus claimed twice (warning, first wins). */
static void test_bus_linking(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *rp, *up, *ep;

	tb_root_port(tb, 0, 0, DF(0x1c, 0), 2, 3, TB_NO_ACS);
	tb_switch_up(tb, 0, 2, DF(0, 0), 3, 3, TB_NO_ACS);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_root_port(tb, 0, 0, DF(0x1d, 0), 0, 0, TB_NO_ACS); /* unconfigured */
	tb_pci_bridge(tb, 0, 0, DF(0x1e, 0), 8, 8);	   /* nothing behind it */
	t = tb_finish(tb);
	rp = tb_dev(t, "00:1c.0");
	up = tb_dev(t, "02:00.0");
	ep = tb_dev(t, "03:00.0");
	assert_true(iog_bus_is_root(rp->bus));
	assert_null(iog_device_get_parent(rp));
	assert_ptr_equal(rp->subordinate, up->bus);
	assert_ptr_equal(up->bus->self, rp);
	assert_ptr_equal(up->bus->parent, rp->bus);
	assert_ptr_equal(iog_device_get_parent(ep), up);
	assert_ptr_equal(ep->bus->parent, up->bus);
	assert_null(tb_dev(t, "00:1d.0")->subordinate);
	assert_non_null(tb_dev(t, "00:1e.0")->subordinate);
	assert_int_equal(tb_dev(t, "00:1e.0")->subordinate->ndevs, 0);
	assert_ptr_equal(iog_topology_find_bus(t, 0, 3), ep->bus);
	assert_null(iog_topology_find_bus(t, 0, 9));
	iog_topology_unref(t);

	/* a secondary bus claimed twice: one bridge keeps it, with a warning
	 * (the kernel keeps the first bridge in scan order, i450NX case) */
	tb = tb_new();
	tb_root_port(tb, 0, 0, DF(0x1c, 0), 2, 3, TB_NO_ACS);
	tb_switch_up(tb, 0, 2, DF(0, 0), 3, 3, TB_NO_ACS);
	tb_pci_bridge(tb, 0, 0, DF(0x1e, 0), 3, 3);
	tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	t = tb_finish(tb);
	assert_non_null(strstr(tb_log(), "secondary bus 03 is already behind"));
	assert_true(!tb_dev(t, "02:00.0")->subordinate != !tb_dev(t, "00:1e.0")->subordinate);
	assert_non_null(iog_device_get_parent(tb_dev(t, "03:00.0")));
	iog_topology_unref(t);
}

/* A bridge whose secondary bus is not below its own bus: -EINVAL. */
static void test_secondary_not_below(void **state UNUSED)
{
	struct iog_topology *t;
	struct tb *tb = tb_new();

	tb_root_port(tb, 0, 0, DF(1, 0), 2, 2, TB_NO_ACS);
	tb_root_port(tb, 0, 2, DF(0, 0), 2, 2, TB_NO_ACS);
	assert_int_equal(tb_try_finish(tb, &t), -EINVAL);
	assert_null(t);
	assert_non_null(strstr(tb_log(), "0000:02:00.0: bridge's secondary bus 02"));
	tb_free(tb);

	tb = tb_new();
	tb_root_port(tb, 0, 5, DF(1, 0), 3, 3, TB_NO_ACS);
	assert_int_equal(tb_try_finish(tb, &t), -EINVAL);
	tb_free(tb);
}

/* The same address twice: -EINVAL. */
static void test_duplicate_device(void **state UNUSED)
{
	struct iog_topology *t;
	struct tb *tb = tb_new();

	tb_endpoint(tb, 0, 0, DF(2, 0), true, false);
	tb_endpoint(tb, 0, 0, DF(1, 0), true, false);
	tb_endpoint(tb, 0, 0, DF(2, 0), true, false);
	assert_int_equal(tb_try_finish(tb, &t), -EINVAL);
	assert_non_null(strstr(tb_log(), "0000:00:02.0: device listed twice"));
	tb_free(tb);

	/* same bus and devfn in another segment is a different device */
	tb = tb_new();
	tb_endpoint(tb, 0, 0, DF(2, 0), true, false);
	tb_endpoint(tb, 1, 0, DF(2, 0), true, false);
	t = tb_finish(tb);
	assert_int_equal(iog_topology_get_device_count(t), 2);
	assert_non_null(iog_topology_find_device(t, "0001:00:02.0"));
	iog_topology_unref(t);
}

/* Fewer than 64 bytes of config space: -EINVAL; no devices: -ENOENT. */
static void test_short_config_and_empty(void **state UNUSED)
{
	struct iog_topology *t;
	struct tb *tb = tb_new();

	tb_endpoint(tb, 0, 0, DF(0, 0), true, false);
	tb_set_cfg_len(tb_endpoint(tb, 0, 0, DF(1, 0), true, false), 63);
	assert_int_equal(tb_try_finish(tb, &t), -EINVAL);
	assert_non_null(strstr(tb_log(), "0000:00:01.0: config space unreadable"));
	tb_free(tb);

	tb = tb_new();
	assert_int_equal(tb_try_finish(tb, &t), -ENOENT);
	tb_free(tb);
}

/*
 * §7.1.4 probe order: devices of a bus, then each bridge's subtree in turn;
 * VFs last; VMD domains after the host buses; order indexes match.
 */
static void test_probe_order(void **state UNUSED)
{
	static const char *const expected[] = {
		"0000:00:01.0", "0000:00:02.0", "0000:00:0e.0", "0000:00:1f.0",
		"0000:05:00.0", "0000:06:00.0", "0000:07:00.0", "0000:02:00.0",
		"10000:00:00.0", "10000:01:00.0", "0000:02:00.1",
	};
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *pf;

	tb_endpoint(tb, 0x10000, 1, DF(0, 0), true, false);
	tb_root_port(tb, 0x10000, 0, DF(0, 0), 1, 1, TB_NO_ACS);
	tb_set_ids(tb_endpoint(tb, 0, 0, DF(0x0e, 0), true, false), 0x8086, 0x28c0);
	pf = tb_endpoint(tb, 0, 2, DF(0, 0), true, false);
	tb_virtfn(tb, 0, 2, DF(0, 1), pf);
	tb_endpoint(tb, 0, 7, DF(0, 0), true, false);
	tb_switch_down(tb, 0, 6, DF(0, 0), 7, 7, TB_NO_ACS);
	tb_switch_up(tb, 0, 5, DF(0, 0), 6, 7, TB_NO_ACS);
	tb_endpoint(tb, 0, 0, DF(0x1f, 0), false, false);
	tb_root_port(tb, 0, 0, DF(2, 0), 2, 2, TB_NO_ACS);
	tb_root_port(tb, 0, 0, DF(1, 0), 5, 7, TB_NO_ACS);
	t = tb_finish(tb);
	assert_int_equal(iog_topology_get_device_count(t), 11);
	for (size_t i = 0; i < 11; i++) {
		struct iog_device *d = iog_topology_get_device(t, i);

		assert_string_equal(iog_device_get_address(d), expected[i]);
		assert_int_equal(iog_device_get_index(d), i);
	}
	assert_ptr_equal(tb_dev(t, "10000:00:00.0")->bus->vmd, tb_dev(t, "00:0e.0"));
	assert_true(tb_dev(t, "00:0e.0")->vmd_owner);
	iog_topology_unref(t);
}

/* §7.1.6: VFs are added after boot, PF by PF in probe order, even when an
 * earlier-probed PF's VFs have higher addresses (buses numbered out of
 * depth-first order: the first port got buses 5-6, the second bus 3). */
static void test_vf_order_by_pf(void **state UNUSED)
{
	static const char *const expected[] = {
		"0000:00:01.0", "0000:00:02.0", "0000:05:00.0", "0000:03:00.0",
		"0000:06:00.0", "0000:06:00.1", "0000:03:00.1",
	};
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *pf1, *pf2;

	tb_root_port(tb, 0, 0, DF(1, 0), 5, 6, TB_NO_ACS);
	tb_root_port(tb, 0, 0, DF(2, 0), 3, 3, TB_NO_ACS);
	pf1 = tb_endpoint(tb, 0, 5, DF(0, 0), true, false);
	pf2 = tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_virtfn(tb, 0, 6, DF(0, 0), pf1); /* virtual bus 06 */
	tb_virtfn(tb, 0, 6, DF(0, 1), pf1);
	tb_virtfn(tb, 0, 3, DF(0, 1), pf2);
	t = tb_finish(tb);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(iog_device_get_address(iog_topology_get_device(t, i)),
				    expected[i]);
	iog_topology_unref(t);
}

/* §2.14 on a VF: the upstream bridge is the PF's (so a VF never is corrected
 * against its virtual bus), and a conventional parent counts as an endpoint. */
static void test_type_correction_parents(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;

	/* below a conventional bridge, a "downstream port" stays one */
	tb_pci_bridge(tb, 0, 0, DF(1, 0), 1, 2);
	tb_switch_down(tb, 0, 1, DF(0, 0), 2, 2, TB_NO_ACS);
	/* below a downstream port, a "downstream port" is an upstream port */
	tb_switch_down(tb, 0, 0, DF(2, 0), 3, 4, TB_NO_ACS); /* root bus: no parent */
	tb_switch_down(tb, 0, 3, DF(0, 0), 4, 4, TB_NO_ACS);
	/* below a PCI-to-PCIe bridge as well */
	tb_port(tb, PCI_EXP_TYPE_PCIE_BRIDGE, 0, 0, DF(3, 0), 5, 5, TB_NO_ACS);
	tb_switch_down(tb, 0, 5, DF(0, 0), 0, 0, TB_NO_ACS);
	t = tb_finish(tb);
	assert_int_equal(tb_dev(t, "01:00.0")->pcie_type, PCI_EXP_TYPE_DOWNSTREAM);
	assert_int_equal(tb_dev(t, "00:02.0")->pcie_type, PCI_EXP_TYPE_DOWNSTREAM);
	assert_int_equal(tb_dev(t, "03:00.0")->pcie_type, PCI_EXP_TYPE_UPSTREAM);
	assert_int_equal(tb_dev(t, "05:00.0")->pcie_type, PCI_EXP_TYPE_UPSTREAM);
	iog_topology_unref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_std_cap_walk),
		cmocka_unit_test(test_ext_cap_walk),
		cmocka_unit_test(test_truncated_config),
		cmocka_unit_test(test_header_multifunction),
		cmocka_unit_test(test_bus_linking),
		cmocka_unit_test(test_secondary_not_below),
		cmocka_unit_test(test_duplicate_device),
		cmocka_unit_test(test_short_config_and_empty),
		cmocka_unit_test(test_probe_order),
		cmocka_unit_test(test_vf_order_by_pf),
		cmocka_unit_test(test_type_correction_parents),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
