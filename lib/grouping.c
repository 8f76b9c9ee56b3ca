/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The grouping engine: pci_device_group() and its helpers from
 * drivers/iommu/iommu.c, the DMA-alias walk of drivers/pci/search.c, and the
 * boot-time probe loop that hands out group numbers (spec §2, §7).
 * The engine reads no files: everything comes from the model and the profile.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- result objects ---- */

struct iog_group *iog_grouping_new_group(struct iog_grouping *g, int id)
{
	struct iog_group *grp;

	if (!g->slabs || g->slabs->used == IOG_GROUP_SLAB) {
		struct iog_group_slab *slab = malloc(sizeof(*slab));

		if (!slab)
			abort();
		slab->used = 0;
		slab->next = g->slabs;
		g->slabs = slab;
	}
	grp = &g->slabs->groups[g->slabs->used++];
	memset(grp, 0, sizeof(*grp));
	grp->id = id;
	grp->devs = grp->first_devs;
	grp->capdevs = 2;
	IOG_GROW(g->groups, g->ngroups, g->capgroups);
	g->groups[g->ngroups++] = grp;
	return grp;
}

void iog_group_add(struct iog_group *group, struct iog_device *dev)
{
	if (group->ndevs == group->capdevs) {
		struct iog_device **more = iog_xrealloc(NULL, 2 * group->capdevs * sizeof(*more));

		memcpy(more, group->devs, group->ndevs * sizeof(*more));
		if (group->devs != group->first_devs)
			free(group->devs);
		group->devs = more;
		group->capdevs *= 2;
	}
	group->devs[group->ndevs++] = dev;
}

void iog_grouping_assume(struct iog_grouping *g, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = iog_vasprintf(fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < g->nassumptions; i++)
		if (!strcmp(g->assumptions[i], s)) {
			free(s);
			return;
		}
	g->assumptions = iog_xrealloc(g->assumptions, (g->nassumptions + 1) * sizeof(char *));
	g->assumptions[g->nassumptions++] = s;
}

void iog_grouping_note(struct iog_grouping *g, const struct iog_device *dev,
		       const char *fmt, ...)
{
	struct iog_dev_result *r = &g->res[dev->order];
	va_list ap;

	if (r->note)
		return; /* the first reason is the one that decided */
	va_start(ap, fmt);
	r->note = iog_vasprintf(fmt, ap);
	va_end(ap);
}

static int cmp_group(const void *a, const void *b)
{
	const struct iog_group *x = *(struct iog_group *const *)a;
	const struct iog_group *y = *(struct iog_group *const *)b;

	return (x->id > y->id) - (x->id < y->id);
}

void iog_grouping_sort(struct iog_grouping *g)
{
	size_t i;

	/* a prediction creates its groups in id order already */
	for (i = 1; i < g->ngroups && g->groups[i - 1]->id < g->groups[i]->id; i++)
		;
	if (i < g->ngroups)
		qsort(g->groups, g->ngroups, sizeof(*g->groups), cmp_group);
}

static struct iog_grouping *grouping_alloc(struct iog_topology *t)
{
	struct iog_grouping *g = calloc(1, sizeof(*g));

	if (!g)
		abort();
	g->refcount = 1;
	g->topo = iog_topology_ref(t);
	g->res = calloc(t->ndevs ? t->ndevs : 1, sizeof(*g->res));
	if (!g->res)
		abort();
	g->numbers_known = true;
	return g;
}

/* ---- the DMA-alias walk (pci_for_each_dma_alias, §2.1) ---- */

static struct iog_group *group_of(const struct iog_engine *e, const struct iog_device *dev)
{
	return e->g->res[dev->order].group;
}

static const struct iog_bus *root_bus_of(const struct iog_device *dev)
{
	const struct iog_bus *b = dev->bus;

	while (b->parent)
		b = b->parent;
	return b;
}

/* pci_real_dma_dev(): devices behind an Intel VMD use the VMD endpoint's RID. */
static struct iog_device *real_dma_dev(struct iog_device *dev)
{
	const struct iog_bus *root = root_bus_of(dev);

	return root->vmd ? root->vmd : dev;
}

struct alias_walk {
	struct iog_device *last; /* last device object passed to the callback */
	uint16_t rid;		 /* last requester ID */
	struct iog_group *found;
};

/* get_pci_alias_or_group(): remember the device; stop at the first group. */
static bool visit(const struct iog_engine *e, struct alias_walk *w, struct iog_device *dev,
		  uint16_t rid)
{
	w->last = dev;
	w->rid = rid;
	if (e && group_of(e, dev)) {
		w->found = group_of(e, dev);
		return true;
	}
	return false;
}

static uint16_t rid_of(const struct iog_device *dev)
{
	return dev->busnr << 8 | dev->devfn;
}

/* Walk every requester ID @dev's DMA can carry up to the root bus. With @e
 * NULL it never stops early (the IOMMU driver's own walk for stream IDs). */
static void dma_alias_walk(struct iog_engine *e, struct iog_device *dev,
			   struct alias_walk *w)
{
	const struct iog_bus *bus;

	dev = real_dma_dev(dev);
	if (visit(e, w, dev, rid_of(dev)))
		return;
	/* Same-bus aliases pass the device itself again: no new group can be
	 * met here, only the RID changes. */
	for (unsigned f = 0; f < 256 && dev->has_dma_alias; f++)
		if (dev->dma_alias_mask[f / 8] & (1u << (f % 8)))
			w->rid = dev->busnr << 8 | f;

	for (bus = dev->bus; !iog_bus_is_root(bus); bus = bus->parent) {
		struct iog_device *b = bus->self;

		if (!b)
			continue; /* virtual bus: no bridge, nothing to alias */
		if (b->dev_flags & PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT)
			return;
		/* A bridge whose PCIe capability could not be read is walked as
		 * conventional (it aliases), but it may be a port that does not. */
		if (e && b->pcie_fact == IOG_FACT_UNKNOWN)
			e->uncertain = true;
		if (iog_dev_is_pcie(b)) {
			switch (b->pcie_type) {
			case PCI_EXP_TYPE_ROOT_PORT:
			case PCI_EXP_TYPE_UPSTREAM:
			case PCI_EXP_TYPE_DOWNSTREAM:
				continue;
			case PCI_EXP_TYPE_PCI_BRIDGE:
				if (b->dev_flags & PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS)
					continue;
				if (visit(e, w, b, b->secondary << 8))
					return;
				continue;
			case PCI_EXP_TYPE_PCIE_BRIDGE:
				if (visit(e, w, b, rid_of(b)))
					return;
				continue;
			default:
				continue;
			}
		}
		/* Conventional bridge: takes ownership of the transaction. */
		if (visit(e, w, b, b->dev_flags & PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS ?
					   b->secondary << 8 : rid_of(b)))
			return;
	}
}

uint16_t iog_dma_alias_rid(const struct iog_device *dev)
{
	struct alias_walk w = { 0 };

	dma_alias_walk(NULL, (struct iog_device *)dev, &w);
	return w.rid;
}

/* ---- pci_device_group() helpers (§2.4-§2.6) ---- */

static bool test_and_set(uint8_t *bits, uint8_t n)
{
	bool was = bits[n / 8] & (1u << (n % 8));

	bits[n / 8] |= 1u << (n % 8);
	return was;
}

static bool alias_bit(const struct iog_device *dev, uint8_t devfn)
{
	return dev->has_dma_alias && (dev->dma_alias_mask[devfn / 8] & (1u << (devfn % 8)));
}

/* pci_devs_are_dma_aliases(); the caller ensures the same bus. */
static bool devs_are_dma_aliases(struct iog_device *x, struct iog_device *t)
{
	return alias_bit(x, t->devfn) || alias_bit(t, x->devfn) || real_dma_dev(x) == t ||
	       real_dma_dev(t) == x;
}

static bool acs_ok(struct iog_engine *e, const struct iog_device *dev)
{
	struct iog_acs_verdict why;
	bool ok = iog_acs_enabled(dev, e->p, REQ_ACS_FLAGS, &why);

	if (why.reason == IOG_ACS_UNKNOWN)
		e->uncertain = true;
	return ok;
}

static struct iog_group *function_alias_group(struct iog_engine *e, struct iog_device *x,
					      uint8_t *visited, struct iog_device **via);

/* get_pci_alias_group() */
static struct iog_group *alias_group(struct iog_engine *e, struct iog_device *x,
				     uint8_t *visited, struct iog_device **via)
{
	struct iog_group *g;

	if (test_and_set(visited, x->devfn))
		return NULL;
	if ((g = group_of(e, x))) {
		*via = x;
		return g;
	}
	for (size_t i = 0; i < x->bus->ndevs; i++) {
		struct iog_device *t = x->bus->devs[i];

		if (t == x || !devs_are_dma_aliases(x, t))
			continue;
		if ((g = alias_group(e, t, visited, via)))
			return g;
		if ((g = function_alias_group(e, t, visited, via)))
			return g;
	}
	return NULL;
}

/* get_pci_function_alias_group(): non-ACS functions of one slot share. */
static struct iog_group *function_alias_group(struct iog_engine *e, struct iog_device *x,
					      uint8_t *visited, struct iog_device **via)
{
	struct iog_group *g;

	if (!x->multifunction || acs_ok(e, x))
		return NULL;
	for (size_t i = 0; i < x->bus->ndevs; i++) {
		struct iog_device *t = x->bus->devs[i];

		if (t == x || PCI_SLOT(t->devfn) != PCI_SLOT(x->devfn) || acs_ok(e, t))
			continue;
		if ((g = alias_group(e, t, visited, via)))
			return g;
	}
	return NULL;
}

/* ---- pci_device_group() (§2.3) ---- */

static struct iog_group *new_group(struct iog_engine *e)
{
	return iog_grouping_new_group(e->g, e->next_id++);
}

static struct iog_group *pci_device_group(struct iog_engine *e, struct iog_device *dev)
{
	struct iog_dev_result *r = &e->g->res[dev->order];
	struct alias_walk w = { 0 };
	uint8_t visited[32] = { 0 };
	struct iog_device *a, *via = NULL;
	const struct iog_bus *bus;
	struct iog_group *g;

	dma_alias_walk(e, dev, &w);
	if (w.found) {
		r->join = IOG_JOIN_ALIAS_WALK;
		r->via = w.last;
		return w.found;
	}
	a = w.last;
	for (bus = a->bus; !iog_bus_is_root(bus); bus = bus->parent) {
		const struct iog_device *blocker = NULL;

		if (!bus->self)
			continue;
		if (iog_acs_path_enabled(bus->self, e->p, REQ_ACS_FLAGS, &blocker))
			break;
		if (blocker)
			acs_ok(e, blocker); /* marks the decision uncertain if it was */
		a = bus->self;
		if ((g = group_of(e, a))) {
			r->join = IOG_JOIN_CLIMB;
			r->via = a;
			return g;
		}
	}
	r->start = a;
	if ((g = alias_group(e, a, visited, &via))) {
		r->join = IOG_JOIN_DMA_ALIAS;
		r->via = via;
		return g;
	}
	if ((g = function_alias_group(e, a, visited, &via))) {
		r->join = IOG_JOIN_FUNCTION;
		r->via = via;
		return g;
	}
	r->join = IOG_JOIN_NEW;
	return new_group(e);
}

/* ---- the probe loop (§2.16, §7) ---- */

static void probe_device(struct iog_engine *e, struct iog_device *dev,
			 struct iog_group **single)
{
	struct iog_dev_result *r = &e->g->res[dev->order];
	struct iog_group *g;

	if (iog_platform_probe_fails(e, dev))
		return;
	e->uncertain = false;
	switch (iog_platform_device_group(e->p)) {
	case IOG_DG_PCI:
		g = pci_device_group(e, dev);
		break;
	case IOG_DG_SINGLE:
		if (!*single)
			*single = new_group(e);
		g = *single;
		r->join = IOG_JOIN_PLATFORM;
		break;
	default:
		g = new_group(e);
		r->join = IOG_JOIN_PLATFORM;
		break;
	}
	r->group = g;
	iog_group_add(g, dev);
	if (e->uncertain) {
		g->uncertain = true;
		iog_grouping_note(e->g, dev,
				  "decided on facts that could not be read (extended config space needs root or an lspci -xxxx dump)");
	}
}

static bool iommu_disabled(const struct iog_profile *p)
{
	return p->iommu_off || (p->platform == IOG_PLAT_INTEL_VTD && p->intel_off) ||
	       (p->platform == IOG_PLAT_AMD_VI && p->amd_off);
}

IOG_EXPORT int iog_grouping_predict(struct iog_topology *t, struct iog_profile *p,
				    struct iog_grouping **out)
{
	struct iog_engine e = { .t = t, .p = p };
	bool simulate;
	int pass;

	e.g = grouping_alloc(t);
	e.g->predicted = true;
	e.g->profile = iog_profile_ref(p);
	switch (p->acs_mode) {
	case IOG_ACS_AS_READ:
		simulate = false;
		break;
	case IOG_ACS_SIMULATE:
		simulate = true;
		break;
	default:
		/* A source with groups was taken with the IOMMU on: its ACS
		 * control words already are what the kernel set. */
		simulate = t->nkgroups == 0;
		break;
	}
	iog_grouping_assume(e.g, simulate ?
		"ACS control: simulated as the kernel enables it at boot (pci_enable_acs)" :
		"ACS control: as read (the source was taken with the IOMMU on)");
	e.g->simulated = simulate;
	iog_acs_prepare(t, p, simulate);
	if (p->platform == IOG_PLAT_AMD_VI)
		iog_ivrs_aliases(t);
	if (iog_acs_enabled_after_grouping(p))
		iog_grouping_assume(e.g, "Linux 6.12.75-6.12.77 enabled ACS only when drivers bound, after grouping: ACS control taken as the firmware left it (off)");

	if (iommu_disabled(p)) {
		iog_grouping_assume(e.g, "the IOMMU is disabled on the command line: no groups");
		*out = e.g;
		return 0;
	}
	e.pass_of = calloc(t->ndevs ? t->ndevs : 1, sizeof(*e.pass_of));
	e.probe = calloc(t->ndevs ? t->ndevs : 1, sizeof(*e.probe));
	if (!e.pass_of || !e.probe)
		abort();
	iog_platform_membership(&e);

	/* One pass per IOMMU unit in registration order (since 6.1); a device
	 * is probed in the pass of the unit that translates it. */
	for (pass = 0; pass < e.npasses; pass++) {
		struct iog_group *single = NULL;

		for (size_t i = 0; i < t->ndevs; i++) {
			struct iog_device *dev = e.probe[i];

			if (e.pass_of[dev->order] != pass || e.g->res[dev->order].group)
				continue;
			probe_device(&e, dev, &single);
		}
	}
	if (e.g->ngroups) {
		const char *type = iog_platform_group_type(&e);

		for (size_t i = 0; i < e.g->ngroups; i++)
			e.g->groups[i]->type = type;
	}
	iog_grouping_sort(e.g);
	free(e.pass_of);
	free(e.probe);
	free(e.sid_owner);
	*out = e.g;
	return 0;
}

/* ---- the kernel's groups as recorded by the source ---- */

/* A string the grouping owns (kernel groups' type and reserved regions). */
static const char *own(struct iog_grouping *g, const char *s)
{
	if (!s)
		return NULL;
	g->strings = iog_xrealloc(g->strings, (g->nstrings + 1) * sizeof(char *));
	return g->strings[g->nstrings++] = iog_strdup(s);
}

static int add_kernel_group(struct iog_grouping *g, int id, const char *type,
			    const char *reserved, char *const *members, size_t n)
{
	struct iog_group *grp = iog_grouping_new_group(g, id);

	grp->type = own(g, type);
	grp->reserved_regions = own(g, reserved);
	for (size_t i = 0; i < n; i++) {
		struct iog_device *dev = iog_topology_find_device(g->topo, members[i]);

		if (!dev)
			continue; /* a platform device: not part of the PCI model */
		if (g->res[dev->order].group)
			return -EINVAL;
		g->res[dev->order].group = grp;
		iog_group_add(grp, dev);
	}
	return 0;
}

IOG_EXPORT int iog_grouping_from_kernel(struct iog_topology *t, struct iog_grouping **out)
{
	struct iog_grouping *g;

	if (!t->nkgroups)
		return -ENOENT;
	g = grouping_alloc(t);
	for (size_t i = 0; i < t->nkgroups; i++) {
		const struct iog_kernel_group *k = &t->kgroups[i];

		if (add_kernel_group(g, k->id, k->type, k->reserved_regions, k->devices, k->ndevices) < 0) {
			iog_err(t->ctx, "%s: group %d: a device is in two groups", t->path, k->id);
			iog_grouping_unref(g);
			return -EINVAL;
		}
	}
	iog_grouping_sort(g);
	*out = g;
	return 0;
}

/*
 * A saved listing of the kernel's groups, one line per group:
 *   group <N> type=<type> devices: <BDF> <BDF> ...
 * (other lines, such as "  reserved ..." lines, are ignored).
 */
IOG_EXPORT int iog_grouping_from_file(struct iog_topology *t, const char *path,
				      struct iog_grouping **out)
{
	FILE *f = fopen(path, "r");
	struct iog_grouping *g;
	char line[8192];
	unsigned lineno = 0;
	int r = 0;

	if (!f) {
		iog_err(t->ctx, "%s: %m", path);
		return -errno;
	}
	g = grouping_alloc(t);
	while (fgets(line, sizeof(line), f)) {
		char type[64] = "", *devs, *members[512], *save = NULL, *tok;
		size_t n = 0;
		int id, k = 0; /* %n is not stored when "devices:" does not match */

		lineno++;
		if (strncmp(line, "group ", 6))
			continue;
		if (sscanf(line, "group %d type=%63s devices:%n", &id, type, &k) < 2 || id < 0 ||
		    k < 8 || strncmp(line + k - 8, "devices:", 8)) {
			iog_err(t->ctx, "%s:%u: expected 'group N type=T devices: ...'", path,
				lineno);
			r = -EINVAL;
			break;
		}
		devs = line + k;
		for (tok = strtok_r(devs, " \t\n", &save); tok && n < 512;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			uint32_t seg;
			uint8_t b, df;

			if (iog_parse_address(tok, &seg, &b, &df) < 0 || !strchr(tok, '.')) {
				iog_err(t->ctx, "%s:%u: '%s' is not a PCI address", path, lineno,
					tok);
				r = -EINVAL;
				goto done;
			}
			if (!iog_topology_find_device(t, tok)) {
				iog_err(t->ctx, "%s:%u: %s is not a device of %s", path, lineno,
					tok, t->path);
				r = -EINVAL;
				goto done;
			}
			members[n++] = tok;
		}
		if (add_kernel_group(g, id, type, NULL, members, n) < 0) {
			iog_err(t->ctx, "%s:%u: a device of group %d is already in another group",
				path, lineno, id);
			r = -EINVAL;
			break;
		}
	}
done:
	fclose(f);
	if (r < 0) {
		iog_grouping_unref(g);
		return r;
	}
	iog_grouping_sort(g);
	*out = g;
	return 0;
}

/* ---- public accessors ---- */

IOG_EXPORT struct iog_grouping *iog_grouping_ref(struct iog_grouping *g)
{
	if (g)
		g->refcount++;
	return g;
}

IOG_EXPORT struct iog_grouping *iog_grouping_unref(struct iog_grouping *g)
{
	if (!g || --g->refcount > 0)
		return g;
	for (size_t i = 0; i < g->ngroups; i++) {
		if (g->groups[i]->devs != g->groups[i]->first_devs)
			free(g->groups[i]->devs);
	}
	for (size_t i = 0; i < g->topo->ndevs; i++)
		free(g->res[i].note);
	for (size_t i = 0; i < g->nassumptions; i++)
		free(g->assumptions[i]);
	free(g->assumptions);
	while (g->slabs) {
		struct iog_group_slab *next = g->slabs->next;

		free(g->slabs);
		g->slabs = next;
	}
	for (size_t i = 0; i < g->nstrings; i++)
		free(g->strings[i]);
	free(g->strings);
	free(g->reasons);
	iog_profile_unref(g->profile);
	free(g->groups);
	free(g->res);
	iog_topology_unref(g->topo);
	free(g);
	return NULL;
}

IOG_EXPORT bool iog_grouping_is_predicted(const struct iog_grouping *g)
{
	return g->predicted;
}

IOG_EXPORT bool iog_grouping_numbers_known(const struct iog_grouping *g)
{
	return g->numbers_known;
}

IOG_EXPORT size_t iog_grouping_get_group_count(const struct iog_grouping *g)
{
	return g->ngroups;
}

IOG_EXPORT struct iog_group *iog_grouping_get_group(const struct iog_grouping *g, size_t i)
{
	return i < g->ngroups ? g->groups[i] : NULL;
}

IOG_EXPORT struct iog_group *iog_grouping_get_device_group(const struct iog_grouping *g,
							   const struct iog_device *dev)
{
	return g->res[dev->order].group;
}

IOG_EXPORT const char *iog_grouping_get_device_note(const struct iog_grouping *g,
						    const struct iog_device *dev)
{
	return g->res[dev->order].note;
}

IOG_EXPORT const char *iog_grouping_get_assumption(const struct iog_grouping *g, size_t i)
{
	return i < g->nassumptions ? g->assumptions[i] : NULL;
}

IOG_EXPORT int iog_group_get_id(const struct iog_group *grp)
{
	return grp->id;
}

IOG_EXPORT const char *iog_group_get_type(const struct iog_group *grp)
{
	return grp->type;
}

IOG_EXPORT const char *iog_group_get_reserved_regions(const struct iog_group *grp)
{
	return grp->reserved_regions;
}

IOG_EXPORT size_t iog_group_get_device_count(const struct iog_group *grp)
{
	return grp->ndevs;
}

IOG_EXPORT struct iog_device *iog_group_get_device(const struct iog_group *grp, size_t i)
{
	return i < grp->ndevs ? grp->devs[i] : NULL;
}

IOG_EXPORT bool iog_group_is_uncertain(const struct iog_group *grp)
{
	return grp->uncertain;
}
