// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for lib/profile.c: kernel and platform names, and the kernel
 * command-line knobs of spec §3.4 (pci=config_acs=, pci=disable_acs_redir=
 * with the device strings of §3.2, pcie_acs_override= of §3.5, IOMMU
 * switches and the options that only change a group's type, §5).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "builder.h"

#define UNUSED __attribute__((unused))
#define DF(slot, fn) ((uint8_t)((slot) << 3 | (fn)))

static struct iog_ctx *ctx;
static struct iog_profile *p;

static int setup(void **state UNUSED)
{
	if (iog_ctx_new(&ctx) < 0 || iog_profile_new(ctx, &p) < 0)
		return -1;
	iog_ctx_set_log_priority(ctx, 0); /* the bad-input tests log errors */
	return 0;
}

static int teardown(void **state UNUSED)
{
	iog_profile_unref(p);
	iog_ctx_unref(ctx);
	return 0;
}

/* iog_profile_set_kernel: release strings map to the series' profile. */
static void test_kernel_versions(void **state UNUSED)
{
	assert_string_equal(iog_profile_get_kernel(p), "7.2"); /* default */
	assert_int_equal(iog_profile_set_kernel(p, "6.12.117+deb12-amd64"), 0);
	assert_string_equal(iog_profile_get_kernel(p), "6.12");
	assert_int_equal(p->kernel, KV(6, 12));
	assert_int_equal(iog_profile_set_kernel(p, "6.1.0-28-amd64"), 0);
	assert_string_equal(iog_profile_get_kernel(p), "6.1");
	assert_int_equal(iog_profile_set_kernel(p, "7.2.13"), 0);
	assert_string_equal(iog_profile_get_kernel(p), "7.2");
	assert_int_equal(iog_profile_set_kernel(p, "7.2"), 0);
	assert_true(p->kernel_set);

	assert_int_equal(iog_profile_set_kernel(p, "5.10"), -EINVAL);
	assert_int_equal(iog_profile_set_kernel(p, "6.10.3"), -EINVAL);
	assert_int_equal(iog_profile_set_kernel(p, "6"), -EINVAL);
	assert_int_equal(iog_profile_set_kernel(p, "linux"), -EINVAL);
	assert_int_equal(iog_profile_set_kernel(p, ""), -EINVAL);
	assert_int_equal(iog_profile_set_kernel(p, NULL), -EINVAL);
	assert_string_equal(iog_profile_get_kernel(p), "7.2"); /* unchanged */

	assert_string_equal(iog_kernel_names()[0], "6.1");
	assert_null(iog_kernel_names()[3]);
}

static void test_platforms(void **state UNUSED)
{
	const char *const *names = iog_platform_names();

	for (size_t i = 0; names[i]; i++) {
		assert_int_equal(iog_profile_set_platform(p, names[i]), 0);
		assert_string_equal(iog_profile_get_platform(p), names[i]);
	}
	assert_int_equal(iog_profile_set_platform(p, "amd-vi"), 0);
	assert_int_equal(p->platform, IOG_PLAT_AMD_VI);
	assert_int_equal(iog_profile_set_platform(p, "intel"), -EINVAL);
	assert_int_equal(iog_profile_set_platform(p, NULL), -EINVAL);
	assert_int_equal(p->platform, IOG_PLAT_AMD_VI);
}

/* §3.2 step 4: "<flags>@<dev>", rightmost flag character = bit 0 (SV). */
static void test_config_acs(void **state UNUSED)
{
	const struct iog_pci_devspec *s;

	assert_int_equal(iog_profile_set_cmdline(p, "pci=config_acs=1x0x1@0000:00:01.0;"
						    "111@pci:8086:1234;0@2:03:00.1/00.0"),
			 0);
	assert_int_equal(p->nconfig_acs, 3);
	s = &p->config_acs[0];
	assert_false(s->by_id);
	assert_int_equal(s->mask, 0x15);
	assert_int_equal(s->flags, 0x11);
	assert_int_equal(s->segment, 0);
	assert_int_equal(s->bus, 0);
	assert_int_equal(s->npath, 1);
	assert_int_equal(s->path[0], DF(1, 0));
	s = &p->config_acs[1];
	assert_true(s->by_id);
	assert_int_equal(s->vendor, 0x8086);
	assert_int_equal(s->device, 0x1234);
	assert_int_equal(s->subsys_vendor, 0);
	assert_int_equal(s->mask, 0x7);
	assert_int_equal(s->flags, 0x7);
	s = &p->config_acs[2];
	assert_int_equal(s->segment, 2);
	assert_int_equal(s->bus, 3);
	assert_int_equal(s->npath, 2);
	assert_int_equal(s->path[0], DF(0, 1));
	assert_int_equal(s->path[1], DF(0, 0));
	assert_int_equal(s->mask, 0x1);
	assert_int_equal(s->flags, 0);
	assert_int_equal(p->ndisable_acs_redir, 0);

	/* all seven bits, upper-case X; quoted value */
	assert_int_equal(iog_profile_set_cmdline(p, "pci=\"config_acs=1X11111@00:1c.0\""), 0);
	assert_int_equal(p->nconfig_acs, 1);
	assert_int_equal(p->config_acs[0].mask, 0x5f);
	assert_int_equal(p->config_acs[0].flags, 0x5f);
	assert_int_equal(p->config_acs[0].path[0], DF(0x1c, 0));
}

/* §3.2 step 3: paths through bridges, IDs with subsystem IDs, lists. */
static void test_disable_acs_redir(void **state UNUSED)
{
	const struct iog_pci_devspec *s;

	assert_int_equal(iog_profile_set_cmdline(p, "root=/dev/sda1 quiet "
						    "pci=noats,disable_acs_redir=0000:00:1c.0/00.0;"
						    "pci:10b5:8747;pci:8086:0:1028:0 splash"),
			 0);
	assert_true(p->noats);
	assert_int_equal(p->ndisable_acs_redir, 3);
	s = &p->disable_acs_redir[0];
	assert_int_equal(s->npath, 2);
	assert_int_equal(s->path[0], DF(0x1c, 0));
	assert_int_equal(s->path[1], DF(0, 0));
	s = &p->disable_acs_redir[1];
	assert_true(s->by_id);
	assert_int_equal(s->vendor, 0x10b5);
	assert_int_equal(s->device, 0x8747);
	s = &p->disable_acs_redir[2];
	assert_int_equal(s->vendor, 0x8086);
	assert_int_equal(s->device, 0);
	assert_int_equal(s->subsys_vendor, 0x1028);
	assert_int_equal(s->subsys_device, 0);

	/* a new command line replaces the old one */
	assert_int_equal(iog_profile_set_cmdline(p, "quiet"), 0);
	assert_int_equal(p->ndisable_acs_redir, 0);
	assert_false(p->noats);
	assert_int_equal(iog_profile_set_cmdline(p, NULL), 0);
	assert_null(p->cmdline);
}

static void test_bad_acs_device_strings(void **state UNUSED)
{
	static const char *const bad[] = {
		"pci=config_acs=@00:01.0",	 /* no flags */
		"pci=config_acs=111",		 /* no '@' */
		"pci=config_acs=12@00:01.0",	 /* not 0/1/x */
		"pci=config_acs=11111111@00:01.0", /* 8 flags */
		"pci=config_acs=1@",		 /* no device */
		"pci=disable_acs_redir=zz",
		"pci=disable_acs_redir=00:20.0",  /* slot > 0x1f */
		"pci=disable_acs_redir=00:01.8",  /* function > 7 */
		"pci=disable_acs_redir=100:01.0", /* bus > 0xff */
		"pci=disable_acs_redir=00:01.0/1.9",
		"pci=disable_acs_redir=00:01.0y",
		"pci=disable_acs_redir=pci:8086",
		"pci=disable_acs_redir=pci:8086:1:2",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (iog_profile_set_cmdline(p, bad[i]) != -EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
	}
}

/* §3.5 out-of-tree pcie_acs_override=: options, ids, bad input. */
static void test_acs_override_options(void **state UNUSED)
{
	char many[512];
	size_t n;

	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=downstream"), 0);
	assert_true(p->override_enabled);
	assert_true(p->override_downstream);
	assert_false(p->override_multifunction);
	assert_int_equal(p->noverride_ids, 0);

	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=multifunction,"
						    "id:8086:1C10,downstream,id:1d17:0001"),
			 0);
	assert_true(p->override_downstream);
	assert_true(p->override_multifunction);
	assert_int_equal(p->noverride_ids, 2);
	assert_int_equal(p->override_ids[0][0], 0x8086);
	assert_int_equal(p->override_ids[0][1], 0x1c10);
	assert_int_equal(p->override_ids[1][0], 0x1d17);
	assert_int_equal(p->override_ids[1][1], 0x0001);

	/* at most 15 ids are used */
	n = (size_t)snprintf(many, sizeof(many), "pcie_acs_override=");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%sid:1b36:%04x", i ? "," : "",
				      i);
	assert_int_equal(iog_profile_set_cmdline(p, many), 0);
	assert_int_equal(p->noverride_ids, 15);
	assert_int_equal(p->override_ids[14][1], 14);

	/* without the option, the override is off */
	assert_int_equal(iog_profile_set_cmdline(p, "iommu=pt"), 0);
	assert_false(p->override_enabled);
	assert_false(p->override_downstream);

	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=upstream"), -EINVAL);
	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=id:12345:1"), -EINVAL);
	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=id:8086"), -EINVAL);
	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=id:8086;1234"), -EINVAL);
	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=id:8086:12345"), -EINVAL);
	assert_int_equal(iog_profile_set_cmdline(p, "pcie_acs_override=id:"), -EINVAL);
}

/* §3.4 switches: IOMMU off, igfx_off, strict, passthrough. */
static void test_iommu_switches(void **state UNUSED)
{
	assert_int_equal(iog_profile_set_cmdline(p, "intel_iommu=off"), 0);
	assert_true(p->intel_off);
	assert_false(p->amd_off);
	assert_false(p->iommu_off);
	assert_int_equal(iog_profile_set_cmdline(p, "intel_iommu=on,igfx_off"), 0);
	assert_false(p->intel_off);
	assert_true(p->igfx_off);
	assert_int_equal(iog_profile_set_cmdline(p, "amd_iommu=off"), 0);
	assert_true(p->amd_off);
	assert_false(p->intel_off);
	assert_int_equal(iog_profile_set_cmdline(p, "iommu=off"), 0);
	assert_true(p->iommu_off);

	assert_int_equal(iog_profile_set_cmdline(p, "iommu.strict=1"), 0);
	assert_true(p->strict_set);
	assert_true(p->strict);
	assert_int_equal(iog_profile_set_cmdline(p, "iommu.strict=0"), 0);
	assert_true(p->strict_set);
	assert_false(p->strict);
	assert_int_equal(iog_profile_set_cmdline(p, "iommu=pt"), 0);
	assert_true(p->passthrough_set);
	assert_true(p->passthrough);
	assert_false(p->iommu_off);
	assert_int_equal(iog_profile_set_cmdline(p, "iommu=pt iommu=nopt"), 0);
	assert_true(p->passthrough_set);
	assert_false(p->passthrough);
	assert_int_equal(iog_profile_set_cmdline(p, "iommu.passthrough=1"), 0);
	assert_true(p->passthrough);
	assert_int_equal(iog_profile_set_cmdline(p, "  "), 0);
	assert_false(p->passthrough_set);
	assert_false(p->strict_set);
}

/* §5 "type": strict and passthrough change the type, never membership. */
static void test_group_types(void **state UNUSED)
{
	static const struct {
		const char *kernel, *platform, *cmdline, *type;
	} cases[] = {
		{ "7.2", "intel-vtd", NULL, "DMA-FQ" },
		{ "7.2", "intel-vtd", "iommu.strict=1", "DMA" },
		{ "7.2", "intel-vtd", "iommu=pt", "identity" },
		{ "6.12", "intel-vtd", "iommu.passthrough=1", "identity" },
		{ "6.12", "amd-vi", NULL, "DMA-FQ" },
		{ "6.12", "amd-vi", "iommu.strict=1", "DMA" },
		{ "6.1", "s390", NULL, "unknown" },
		{ "7.2", "s390", NULL, "DMA-FQ" },
	};
	struct tb *tb = tb_new();
	struct iog_topology *t;

	tb_root_port(tb, 0, 0, DF(1, 0), 1, 1, TB_NO_ACS);
	tb_endpoint(tb, 0, 1, DF(0, 0), true, false);
	t = tb_finish(tb);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct iog_grouping *g = tb_predict(t, cases[i].kernel, cases[i].platform,
						    cases[i].cmdline);

		if (!strcmp(cases[i].platform, "s390"))
			assert_partition(g, "00:01.0 | 01:00.0");
		else
			assert_groups(g, "0:00:01.0 01:00.0");
		assert_string_equal(iog_group_get_type(iog_grouping_get_group(g, 0)),
				    cases[i].type);
		iog_grouping_unref(g);
	}
	iog_topology_unref(t);
}

/* pci_dev_str_match (§3.2 device strings) against a built topology. */
static void test_devspec_match(void **state UNUSED)
{
	struct tb *tb = tb_new();
	struct iog_topology *t;
	struct iog_device *rp, *ds, *ep;

	rp = tb_root_port(tb, 0, 0, DF(0x1c, 0), 1, 3, TB_NO_ACS);
	tb_switch_up(tb, 0, 1, DF(0, 0), 2, 3, TB_NO_ACS);
	ds = tb_switch_down(tb, 0, 2, DF(1, 0), 3, 3, TB_NO_ACS);
	tb_set_ids(ds, 0x10b5, 0x8747);
	ep = tb_endpoint(tb, 0, 3, DF(0, 0), true, false);
	tb_set_subsys(ep, 0x1028, 0x0001);
	tb_set_ids(ep, 0x8086, 0x1521);
	tb_endpoint(tb, 1, 3, DF(0, 0), true, false);
	t = tb_finish(tb);

	assert_int_equal(iog_profile_set_cmdline(p, "pci=disable_acs_redir="
						    "00:1c.0/00.0/01.0;"	   /* ds by path */
						    "0000:02:01.0;"		   /* ds by address */
						    "03:00.0;"			   /* ep, segment 0 */
						    "0001:03:00.0;"		   /* the other ep */
						    "00:1c.0/00.0/00.0;"	   /* no such path */
						    "pci:8086:1521:1028:1;"	   /* ep by subsystem */
						    "pci:8086:1521:1028:2;"	   /* wrong subsystem */
						    "pci:0:8747"),		   /* any vendor */
			 0);
	assert_int_equal(p->ndisable_acs_redir, 8);
	assert_true(iog_devspec_match(&p->disable_acs_redir[0], ds));
	assert_false(iog_devspec_match(&p->disable_acs_redir[0], ep));
	assert_false(iog_devspec_match(&p->disable_acs_redir[0], rp));
	assert_true(iog_devspec_match(&p->disable_acs_redir[1], ds));
	assert_true(iog_devspec_match(&p->disable_acs_redir[2], ep));
	assert_false(iog_devspec_match(&p->disable_acs_redir[2], tb_dev(t, "0001:03:00.0")));
	assert_true(iog_devspec_match(&p->disable_acs_redir[3], tb_dev(t, "0001:03:00.0")));
	assert_false(iog_devspec_match(&p->disable_acs_redir[4], ds));
	assert_true(iog_devspec_match(&p->disable_acs_redir[5], ep));
	assert_false(iog_devspec_match(&p->disable_acs_redir[6], ep));
	assert_true(iog_devspec_match(&p->disable_acs_redir[7], ds));
	assert_false(iog_devspec_match(&p->disable_acs_redir[7], rp));
	iog_topology_unref(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kernel_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platforms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_acs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disable_acs_redir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_acs_device_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acs_override_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_iommu_switches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devspec_match, setup, teardown),
	};

	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
