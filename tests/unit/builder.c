// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Test topology builder (see builder.h): every function gets a real 4 KiB
 * config space, so the tests go through the model's whole decoding path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "builder.h"

#define TB_CFG_SIZE 4096
#define TB_DEFAULT_VENDOR 0x1b36 /* Red Hat (QEMU): no quirk matches it */
#define TB_DEFAULT_DEVICE 0x00f0
#define TB_CLASS_BRIDGE 0x060400
#define TB_CLASS_NET 0x020000

static char *log_buf;
static size_t log_len;

static void log_fn(void *data, int priority, const char *msg)
{
	size_t n = strlen(msg) + 4;

	(void)data;
	log_buf = iog_xrealloc(log_buf, log_len + n + 1);
	log_len += (size_t)sprintf(log_buf + log_len, "%d %s\n", priority, msg);
}

const char *tb_log(void)
{
	return log_buf ? log_buf : "";
}

struct tb *tb_new(void)
{
	struct tb *tb = calloc(1, sizeof(*tb));

	assert_non_null(tb);
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
	assert_int_equal(iog_ctx_new(&tb->ctx), 0);
	iog_ctx_set_log_fn(tb->ctx, log_fn, NULL);
	iog_ctx_set_log_priority(tb->ctx, 6);
	tb->topo = iog_topology_alloc(tb->ctx, "test", "builder");
	return tb;
}

void tb_free(struct tb *tb)
{
	if (!tb)
		return;
	iog_topology_unref(tb->topo);
	iog_ctx_unref(tb->ctx);
	free(tb);
}

/* ---- raw config space ---- */

void tb_put8(struct iog_device *dev, unsigned pos, uint8_t v)
{
	assert_true(pos < TB_CFG_SIZE);
	dev->cfg[pos] = v;
}

void tb_put16(struct iog_device *dev, unsigned pos, uint16_t v)
{
	tb_put8(dev, pos, (uint8_t)v);
	tb_put8(dev, pos + 1, (uint8_t)(v >> 8));
}

void tb_put32(struct iog_device *dev, unsigned pos, uint32_t v)
{
	tb_put16(dev, pos, (uint16_t)v);
	tb_put16(dev, pos + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const struct iog_device *dev, unsigned pos)
{
	return (uint16_t)(dev->cfg[pos] | dev->cfg[pos + 1] << 8);
}

/* ---- constructors ---- */

struct iog_device *tb_device(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
			     uint8_t hdr_type)
{
	struct iog_device *d = iog_topology_add_device(tb->topo, seg, bus, devfn);

	d->cfg = calloc(1, TB_CFG_SIZE);
	assert_non_null(d->cfg);
	d->cfg_len = TB_CFG_SIZE;
	d->has_ext = true;
	d->ext_fact = IOG_FACT_READ;
	tb_put16(d, PCI_VENDOR_ID, TB_DEFAULT_VENDOR);
	tb_put16(d, PCI_DEVICE_ID, TB_DEFAULT_DEVICE);
	tb_put8(d, PCI_HEADER_TYPE, hdr_type);
	tb_set_class(d, hdr_type == PCI_HEADER_TYPE_BRIDGE ? TB_CLASS_BRIDGE : TB_CLASS_NET);
	return d;
}

static void add_pcie_cap(struct iog_device *d, int pcie_type)
{
	tb_put16(d, PCI_STATUS, get16(d, PCI_STATUS) | PCI_STATUS_CAP_LIST);
	tb_put8(d, PCI_CAPABILITY_LIST, TB_PCIE_POS);
	tb_put8(d, TB_PCIE_POS + PCI_CAP_LIST_ID, PCI_CAP_ID_EXP);
	tb_put8(d, TB_PCIE_POS + PCI_CAP_LIST_NEXT, 0);
	tb_put16(d, TB_PCIE_POS + PCI_EXP_FLAGS, (uint16_t)(pcie_type << 4 | 2));
}

static void set_bus_numbers(struct iog_device *d, uint8_t secondary, uint8_t subordinate)
{
	tb_put8(d, PCI_PRIMARY_BUS, d->busnr);
	tb_put8(d, PCI_SECONDARY_BUS, secondary);
	tb_put8(d, PCI_SUBORDINATE_BUS, subordinate);
}

struct iog_device *tb_port(struct tb *tb, int pcie_type, uint32_t seg, uint8_t bus,
			   uint8_t devfn, uint8_t secondary, uint8_t subordinate, bool acs,
			   uint16_t acs_cap, uint16_t acs_ctrl)
{
	struct iog_device *d = tb_device(tb, seg, bus, devfn, PCI_HEADER_TYPE_BRIDGE);

	add_pcie_cap(d, pcie_type);
	set_bus_numbers(d, secondary, subordinate);
	if (acs)
		tb_set_acs(d, acs_cap, acs_ctrl);
	return d;
}

struct iog_device *tb_root_port(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				uint8_t secondary, uint8_t subordinate, bool acs,
				uint16_t acs_cap, uint16_t acs_ctrl)
{
	return tb_port(tb, PCI_EXP_TYPE_ROOT_PORT, seg, bus, devfn, secondary, subordinate,
		       acs, acs_cap, acs_ctrl);
}

struct iog_device *tb_switch_up(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				uint8_t secondary, uint8_t subordinate, bool acs,
				uint16_t acs_cap, uint16_t acs_ctrl)
{
	return tb_port(tb, PCI_EXP_TYPE_UPSTREAM, seg, bus, devfn, secondary, subordinate,
		       acs, acs_cap, acs_ctrl);
}

struct iog_device *tb_switch_down(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				  uint8_t secondary, uint8_t subordinate, bool acs,
				  uint16_t acs_cap, uint16_t acs_ctrl)
{
	return tb_port(tb, PCI_EXP_TYPE_DOWNSTREAM, seg, bus, devfn, secondary, subordinate,
		       acs, acs_cap, acs_ctrl);
}

struct iog_device *tb_pcie_to_pci_bridge(struct tb *tb, uint32_t seg, uint8_t bus,
					 uint8_t devfn, uint8_t secondary,
					 uint8_t subordinate)
{
	return tb_port(tb, PCI_EXP_TYPE_PCI_BRIDGE, seg, bus, devfn, secondary, subordinate,
		       false, 0, 0);
}

struct iog_device *tb_pci_bridge(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				 uint8_t secondary, uint8_t subordinate)
{
	struct iog_device *d = tb_device(tb, seg, bus, devfn, PCI_HEADER_TYPE_BRIDGE);

	set_bus_numbers(d, secondary, subordinate);
	return d;
}

struct iog_device *tb_endpoint_type(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				    int pcie_type, bool mf)
{
	struct iog_device *d = tb_device(tb, seg, bus, devfn, PCI_HEADER_TYPE_NORMAL);

	if (pcie_type >= 0)
		add_pcie_cap(d, pcie_type);
	tb_set_mf(d, mf);
	return d;
}

struct iog_device *tb_endpoint(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
			       bool pcie, bool mf)
{
	return tb_endpoint_type(tb, seg, bus, devfn, pcie ? PCI_EXP_TYPE_ENDPOINT : -1, mf);
}

struct iog_device *tb_virtfn(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
			     struct iog_device *pf)
{
	struct iog_device *d = tb_endpoint(tb, seg, bus, devfn, true, false);

	d->physfn_name = iog_strdup(pf->address);
	tb_set_ids(d, get16(pf, PCI_VENDOR_ID), (uint16_t)(get16(pf, PCI_DEVICE_ID) + 1));
	return d;
}

/* ---- edits ---- */

void tb_set_ids(struct iog_device *dev, uint16_t vendor, uint16_t device)
{
	if (dev->physfn_name) {
		/* VFs: sysfs has the IDs, config space reads all-ones there. */
		dev->vendor = vendor;
		dev->device = device;
		tb_put16(dev, PCI_VENDOR_ID, 0xffff);
		tb_put16(dev, PCI_DEVICE_ID, 0xffff);
		return;
	}
	tb_put16(dev, PCI_VENDOR_ID, vendor);
	tb_put16(dev, PCI_DEVICE_ID, device);
}

void tb_set_subsys(struct iog_device *dev, uint16_t vendor, uint16_t device)
{
	tb_put16(dev, PCI_SUBSYSTEM_VENDOR_ID, vendor);
	tb_put16(dev, PCI_SUBSYSTEM_ID, device);
}

void tb_set_class(struct iog_device *dev, uint32_t class24)
{
	tb_put8(dev, 0x09, (uint8_t)class24);
	tb_put8(dev, 0x0a, (uint8_t)(class24 >> 8));
	tb_put8(dev, 0x0b, (uint8_t)(class24 >> 16));
}

void tb_set_mf(struct iog_device *dev, bool mf)
{
	uint8_t hdr = dev->cfg[PCI_HEADER_TYPE] & PCI_HEADER_TYPE_MASK;

	tb_put8(dev, PCI_HEADER_TYPE, mf ? hdr | PCI_HEADER_TYPE_MFD : hdr);
}

void tb_set_acs(struct iog_device *dev, uint16_t cap, uint16_t ctrl)
{
	/* header: ID 0x000d, version 1, next 0 */
	tb_put32(dev, TB_ACS_POS, PCI_EXT_CAP_ID_ACS | 1u << 16);
	tb_put16(dev, TB_ACS_POS + PCI_ACS_CAP, cap);
	tb_put16(dev, TB_ACS_POS + PCI_ACS_CTRL, ctrl);
}

void tb_set_ari(struct iog_device *bridge)
{
	unsigned pos = TB_PCIE_POS + PCI_EXP_DEVCTL2;

	tb_put16(bridge, pos, get16(bridge, pos) | PCI_EXP_DEVCTL2_ARI);
}

void tb_set_cfg_len(struct iog_device *dev, uint32_t len)
{
	dev->cfg_len = len;
	if (len <= PCI_CFG_SPACE_SIZE) {
		dev->has_ext = false;
		dev->ext_fact = IOG_FACT_UNKNOWN;
	}
}

void tb_set_iommu_unit(struct iog_device *dev, const char *unit)
{
	free(dev->iommu_unit);
	dev->iommu_unit = iog_strdup(unit);
	dev->topo->any_iommu_link = true;
}

void tb_set_driver(struct iog_device *dev, const char *driver)
{
	free(dev->driver);
	dev->driver = iog_strdup(driver);
}

void tb_root_bridge(struct tb *tb, uint32_t seg, uint8_t bus, const char *companion)
{
	struct iog_topology *t = tb->topo;

	t->root_bridges = iog_xrealloc(t->root_bridges,
				       (t->nroot_bridges + 1) * sizeof(*t->root_bridges));
	t->root_bridges[t->nroot_bridges++] = (struct iog_root_bridge){
		.segment = seg, .bus = bus, .companion = iog_strdup(companion),
	};
}

/* ---- finishing and predicting ---- */

int tb_try_finish(struct tb *tb, struct iog_topology **out)
{
	int r = iog_topology_finish(tb->topo);

	if (r < 0) {
		*out = NULL;
		return r;
	}
	*out = tb->topo;
	tb->topo = NULL;
	tb_free(tb);
	return 0;
}

struct iog_topology *tb_finish(struct tb *tb)
{
	struct iog_topology *t;

	assert_int_equal(tb_try_finish(tb, &t), 0);
	return t;
}

bool tb_has_assumption(const struct iog_grouping *g, const char *needle)
{
	const char *a;

	for (size_t i = 0; (a = iog_grouping_get_assumption(g, i)); i++)
		if (strstr(a, needle))
			return true;
	return false;
}

struct iog_device *tb_dev(struct iog_topology *t, const char *address)
{
	struct iog_device *d = iog_topology_find_device(t, address);

	if (!d)
		fail_msg("no device %s in the topology", address);
	return d;
}

struct iog_grouping *tb_predict_ex(struct iog_topology *t, const char *kernel,
				   const char *platform, const char *cmdline,
				   enum iog_acs_mode mode, enum iog_override_position pos)
{
	struct iog_profile *p;
	struct iog_grouping *g = NULL;

	assert_int_equal(iog_profile_new(t->ctx, &p), 0);
	assert_int_equal(iog_profile_set_kernel(p, kernel), 0);
	assert_int_equal(iog_profile_set_platform(p, platform), 0);
	assert_int_equal(iog_profile_set_cmdline(p, cmdline), 0);
	iog_profile_set_acs_mode(p, mode);
	iog_profile_set_override_position(p, pos);
	assert_int_equal(iog_grouping_predict(t, p, &g), 0);
	iog_profile_unref(p);
	assert_non_null(g);
	return g;
}

struct iog_grouping *tb_predict(struct iog_topology *t, const char *kernel,
				const char *platform, const char *cmdline)
{
	return tb_predict_ex(t, kernel, platform, cmdline, IOG_ACS_AS_READ,
			     IOG_OVERRIDE_PROXMOX);
}

struct iog_grouping *tb_predict_sim(struct iog_topology *t, const char *kernel,
				    const char *platform, const char *cmdline)
{
	return tb_predict_ex(t, kernel, platform, cmdline, IOG_ACS_SIMULATE,
			     IOG_OVERRIDE_PROXMOX);
}

int tb_group_id(const struct iog_grouping *g, const struct iog_topology *t,
		const char *address)
{
	const struct iog_device *d = iog_topology_find_device(t, address);
	const struct iog_group *grp;

	if (!d)
		fail_msg("no device %s in the topology", address);
	grp = iog_grouping_get_device_group(g, d);
	return grp ? grp->id : -1;
}

/* ---- canonical partition strings ---- */

struct cgroup {
	int id;
	bool uncertain;
	char (*addr)[24];
	size_t n;
};

static int cmp_addr(const void *a, const void *b)
{
	uint32_t sa, sb;
	uint8_t ba, bb, da, db;

	iog_parse_address(a, &sa, &ba, &da);
	iog_parse_address(b, &sb, &bb, &db);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (ba != bb)
		return ba < bb ? -1 : 1;
	return (int)da - (int)db;
}

static int cmp_cgroup_id(const void *a, const void *b)
{
	const struct cgroup *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_cgroup_first(const void *a, const void *b)
{
	const struct cgroup *x = a, *y = b;

	if (!x->n || !y->n)
		return (int)(x->n > 0) - (int)(y->n > 0);
	return cmp_addr(x->addr[0], y->addr[0]);
}

static char *render(struct cgroup *gs, size_t n, bool ids)
{
	size_t cap = 64, len = 0;
	char *s = iog_xrealloc(NULL, cap);

	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (gs[i].n > 1)
			qsort(gs[i].addr, gs[i].n, sizeof(*gs[i].addr), cmp_addr);
	if (n > 1)
		qsort(gs, n, sizeof(*gs), ids ? cmp_cgroup_id : cmp_cgroup_first);
	for (size_t i = 0; i < n; i++) {
		char head[32] = "";

		if (ids)
			snprintf(head, sizeof(head), "%d%s:", gs[i].id, gs[i].uncertain ? "?" : "");
		cap += strlen(head) + 4 + gs[i].n * 24;
		s = iog_xrealloc(s, cap);
		len += (size_t)sprintf(s + len, "%s%s", i ? " | " : "", head);
		for (size_t j = 0; j < gs[i].n; j++)
			len += (size_t)sprintf(s + len, "%s%s", j ? " " : "", gs[i].addr[j]);
	}
	return s;
}

static void free_cgroups(struct cgroup *gs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(gs[i].addr);
	free(gs);
}

char *tb_groups_string(const struct iog_grouping *g, bool ids)
{
	size_t n = g->ngroups;
	struct cgroup *gs = calloc(n ? n : 1, sizeof(*gs));
	char *s;

	assert_non_null(gs);
	for (size_t i = 0; i < n; i++) {
		const struct iog_group *grp = g->groups[i];

		gs[i].id = grp->id;
		gs[i].uncertain = grp->uncertain;
		gs[i].n = grp->ndevs;
		gs[i].addr = calloc(grp->ndevs ? grp->ndevs : 1, sizeof(*gs[i].addr));
		assert_non_null(gs[i].addr);
		for (size_t j = 0; j < grp->ndevs; j++)
			snprintf(gs[i].addr[j], sizeof(gs[i].addr[j]), "%s",
				 grp->devs[j]->address);
	}
	s = render(gs, n, ids);
	free_cgroups(gs, n);
	return s;
}

/* Parse the expected string; aborts the test on a malformed one. */
static char *parse_expected(const char *expected, bool ids, const char *file, int line)
{
	char *copy = iog_strdup(expected), *save = NULL, *grp_s, *out;
	struct cgroup *gs = NULL;
	size_t n = 0;

	for (grp_s = strtok_r(copy, "|", &save); grp_s; grp_s = strtok_r(NULL, "|", &save)) {
		struct cgroup *c;
		char *tok, *save2 = NULL, *rest = grp_s;

		gs = iog_xrealloc(gs, (n + 1) * sizeof(*gs));
		c = &gs[n++];
		memset(c, 0, sizeof(*c));
		if (ids) {
			char *end;

			c->id = (int)strtol(grp_s, &end, 10);
			if (end == grp_s)
				goto bad;
			if (*end == '?') {
				c->uncertain = true;
				end++;
			}
			if (*end != ':')
				goto bad;
			rest = end + 1;
		}
		for (tok = strtok_r(rest, " \t", &save2); tok; tok = strtok_r(NULL, " \t", &save2)) {
			uint32_t seg;
			uint8_t bus, devfn;

			if (iog_parse_address(tok, &seg, &bus, &devfn) < 0)
				goto bad;
			c->addr = iog_xrealloc(c->addr, (c->n + 1) * sizeof(*c->addr));
			iog_format_address(c->addr[c->n++], sizeof(*c->addr), seg, bus, devfn);
		}
	}
	out = render(gs, n, ids);
	free_cgroups(gs, n);
	free(copy);
	return out;
bad:
	free_cgroups(gs, n);
	free(copy);
	print_error("malformed expected groups '%s'\n", expected);
	_fail(file, line);
	return NULL;
}

void tb_assert_groups(const struct iog_grouping *g, const char *expected, bool ids,
		      const char *file, int line)
{
	static char act_buf[16384], exp_buf[16384];
	char *act = tb_groups_string(g, ids), *exp = parse_expected(expected, ids, file, line);

	/* copy so that a failing assertion (longjmp) leaks nothing */
	snprintf(act_buf, sizeof(act_buf), "%s", act);
	snprintf(exp_buf, sizeof(exp_buf), "%s", exp);
	free(act);
	free(exp);
	_assert_string_equal(act_buf, exp_buf, file, line);
}
