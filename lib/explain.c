/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Explanations: turn the engine's record of how each device found its group
 * (which rule of pci_device_group() decided, and through which device) into
 * reason records, with the ACS verdict of the device that broke isolation.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static void add(struct iog_grouping *g, const struct iog_reason *r)
{
	IOG_GROW(g->reasons, g->nreasons, g->capreasons);
	g->reasons[g->nreasons++] = *r;
}

/* @dev is the device that breaks isolation: record why (pci_acs_enabled). */
static void set_acs(const struct iog_grouping *g, const struct iog_device *dev,
		    struct iog_reason *r)
{
	struct iog_acs_verdict v;

	iog_acs_enabled(dev, g->profile, REQ_ACS_FLAGS, &v);
	r->blocker = dev;
	r->acs = v.reason;
	r->acs_missing = v.missing;
	r->quirk = v.quirk;
}

/* The first device on the way from @from to the root whose ACS test fails. */
static void blocker_of(const struct iog_grouping *g, const struct iog_device *from,
		       struct iog_reason *r)
{
	const struct iog_device *blocker = NULL;

	if (!iog_acs_path_enabled(from, g->profile, REQ_ACS_FLAGS, &blocker) && blocker)
		set_acs(g, blocker, r);
}

/* The climb of pci_device_group() took @dev up to bridge @to. */
static void climbed(struct iog_grouping *g, const struct iog_device *dev,
		    const struct iog_device *to)
{
	struct iog_reason r = { .kind = IOG_REASON_NOT_ISOLATED, .dev = dev, .other = to };

	blocker_of(g, to, &r);
	add(g, &r);
}

/* How @dev joined its group: one or two records. Returns the device it
 * joined through (to follow the chain), or NULL at the group's creator. */
static const struct iog_device *explain_step(struct iog_grouping *g,
					     const struct iog_device *dev)
{
	const struct iog_dev_result *res = &g->res[dev->order];
	struct iog_reason r = { .dev = dev, .other = res->via };
	bool moved = res->start && res->start != dev;

	switch (res->join) {
	case IOG_JOIN_NONE:
		r.kind = IOG_REASON_NO_GROUP;
		r.text = res->note ? res->note : "the IOMMU does not translate it";
		add(g, &r);
		return NULL;
	case IOG_JOIN_PLATFORM:
		r.kind = IOG_REASON_PLATFORM;
		add(g, &r);
		return NULL;
	case IOG_JOIN_NEW:
		if (moved)
			climbed(g, dev, res->start);
		r.kind = res->group && res->group->ndevs == 1 ? IOG_REASON_ALONE
							      : IOG_REASON_FIRST;
		add(g, &r);
		return NULL;
	case IOG_JOIN_ALIAS_WALK:
		r.kind = res->via->vmd_owner ? IOG_REASON_VMD : IOG_REASON_BRIDGE_ALIAS;
		add(g, &r);
		return res->via;
	case IOG_JOIN_CLIMB:
		climbed(g, dev, res->via);
		return res->via;
	case IOG_JOIN_DMA_ALIAS:
	case IOG_JOIN_FUNCTION:
		/* found from where the climb stopped: say how it got there */
		if (moved)
			climbed(g, dev, res->start);
		r.dev = moved ? res->start : dev;
		if (res->join == IOG_JOIN_DMA_ALIAS) {
			r.kind = IOG_REASON_DMA_ALIAS;
		} else {
			r.kind = IOG_REASON_MULTIFUNCTION;
			set_acs(g, r.dev, &r);
		}
		add(g, &r);
		return res->via;
	}
	return NULL;
}

static bool on_chain(const struct iog_grouping *g, size_t upto, const struct iog_device *d)
{
	for (size_t i = 0; i < upto; i++)
		if (g->reasons[i].dev == d)
			return true;
	return false;
}

IOG_EXPORT int iog_grouping_explain(struct iog_grouping *g, const struct iog_device *dev,
				    const struct iog_reason **out)
{
	const struct iog_group *grp;
	const struct iog_device *x = dev;
	size_t chain, guard;

	if (!g->predicted || !g->profile)
		return -EINVAL;
	/* The topology may have served another profile since. */
	iog_acs_prepare(g->topo, g->profile, g->simulated);
	g->nreasons = 0;
	grp = g->res[dev->order].group;
	for (guard = 0; x && guard <= (grp ? grp->ndevs : 0) + 1; guard++)
		x = explain_step(g, x);
	chain = g->nreasons;
	for (size_t i = 0; i < chain; i++)
		g->reasons[i].on_chain = true;
	for (size_t i = 0; grp && i < grp->ndevs; i++)
		if (!on_chain(g, chain, grp->devs[i]))
			explain_step(g, grp->devs[i]);
	if (grp && grp->uncertain) {
		struct iog_reason r = {
			.kind = IOG_REASON_UNCERTAIN,
			.dev = dev,
			.text = "a fact this grouping rests on could not be read (extended config space needs root, or an lspci -xxxx dump): isolation was not assumed",
		};

		add(g, &r);
	}
	*out = g->reasons;
	return (int)g->nreasons;
}

IOG_EXPORT bool iog_grouping_acs_enabled(const struct iog_grouping *g,
					 const struct iog_device *dev,
					 enum iog_acs_reason *why, uint16_t *missing,
					 const char **quirk)
{
	struct iog_acs_verdict v = { .reason = IOG_ACS_UNKNOWN };

	/* only a prediction knows which profile judged the device */
	if (g->profile) {
		iog_acs_prepare(g->topo, g->profile, g->simulated);
		iog_acs_enabled(dev, g->profile, REQ_ACS_FLAGS, &v);
	}
	if (why)
		*why = v.reason;
	if (missing)
		*missing = v.missing;
	if (quirk)
		*quirk = v.quirk;
	return v.enabled;
}
