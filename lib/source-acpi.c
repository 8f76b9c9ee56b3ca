/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ACPI DMAR (Intel VT-d): which remapping unit (DRHD) translates each PCI
 * device, and the order in which the units register (spec §6, §7.1.3).
 * Layout facts from include/acpi/actbl1.h; every length is checked against
 * the table before it is used.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DMAR_HEADER_LEN 48
#define DMAR_TYPE_DRHD 0
#define DRHD_INCLUDE_PCI_ALL 0x01
#define SCOPE_PCI_ENDPOINT 1
#define SCOPE_PCI_BRIDGE 2

struct drhd {
	uint16_t segment;
	bool include_all;
	struct iog_device **scope; /* devices the scope paths resolve to */
	size_t nscope, capscope;
	unsigned nscope_entries;   /* PCI scope entries, found or not */
	size_t table_index;	   /* dmar%d number: parse order */
};

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

/* Follow a scope path: (dev, fn) on start_bus, then on each bridge's
 * secondary bus. Returns NULL when the path leads to no listed device. */
static struct iog_device *resolve_path(const struct iog_topology *t, uint16_t seg,
				       uint8_t bus, const uint8_t *path, size_t n)
{
	struct iog_device *dev = NULL;

	for (size_t i = 0; i < n; i++) {
		if (path[2 * i] > 0x1f || path[2 * i + 1] > 7)
			return NULL;
		dev = iog_bus_find_device(iog_topology_find_bus(t, seg, bus),
					  path[2 * i] << 3 | path[2 * i + 1]);
		if (!dev)
			return NULL;
		if (i + 1 < n) {
			if (!iog_dev_is_bridge(dev))
				return NULL;
			bus = dev->secondary;
		}
	}
	return dev;
}

static int parse_dmar(const struct iog_topology *t, struct drhd **out, size_t *count)
{
	const uint8_t *tab = t->dmar;
	size_t len = t->dmar_len, off = DMAR_HEADER_LEN, n = 0;
	struct drhd *units = NULL;
	uint32_t hdr_len;

	*out = NULL;
	*count = 0;
	if (!tab || len < DMAR_HEADER_LEN || memcmp(tab, "DMAR", 4))
		return -1;
	hdr_len = tab[4] | tab[5] << 8 | tab[6] << 16 | (uint32_t)tab[7] << 24;
	if (hdr_len < len)
		len = hdr_len;
	while (off + 4 <= len) {
		uint16_t type = le16(tab + off), slen = le16(tab + off + 2);
		struct drhd *u;
		size_t s;

		if (slen < 4 || off + slen > len) {
			iog_warn(t->ctx, "%s: DMAR: remapping structure at offset %zu is %u bytes long, past the table end",
				 t->path, off, slen);
			goto bad;
		}
		if (type != DMAR_TYPE_DRHD || slen < 16) {
			off += slen;
			continue;
		}
		units = iog_xrealloc(units, (n + 1) * sizeof(*units));
		u = &units[n];
		memset(u, 0, sizeof(*u));
		u->table_index = n++;
		u->include_all = tab[off + 4] & DRHD_INCLUDE_PCI_ALL;
		u->segment = le16(tab + off + 6);
		for (s = off + 16; s + 6 <= off + slen;) {
			uint8_t stype = tab[s], sl = tab[s + 1];
			struct iog_device *dev;

			if (sl < 6 || s + sl > off + slen || (sl - 6) % 2) {
				iog_warn(t->ctx, "%s: DMAR: bad device scope at offset %zu", t->path, s);
				goto bad;
			}
			if (stype == SCOPE_PCI_ENDPOINT || stype == SCOPE_PCI_BRIDGE) {
				u->nscope_entries++;
				dev = resolve_path(t, u->segment, tab[s + 5], tab + s + 6,
						   (sl - 6) / 2);
				if (dev) {
					IOG_GROW(u->scope, u->nscope, u->capscope);
					u->scope[u->nscope++] = dev;
				}
			}
			s += sl;
		}
		off += slen;
	}
	*out = units;
	*count = n;
	return 0;
bad:
	for (size_t i = 0; i < n; i++)
		free(units[i].scope);
	free(units);
	return -1;
}

static bool below(const struct iog_device *dev, const struct iog_device *bridge)
{
	/* device_to_iommu(): the bus lies in the bridge's secondary..subordinate */
	return iog_dev_is_bridge(bridge) && bridge->secondary && dev->segment == bridge->segment &&
	       dev->busnr >= bridge->secondary && dev->busnr <= bridge->subordinate_nr;
}

static bool unit_matches(const struct drhd *u, const struct iog_device *dev)
{
	if (dev->segment != u->segment)
		return false;
	for (size_t i = 0; i < u->nscope; i++)
		if (u->scope[i] == dev || below(dev, u->scope[i]))
			return true;
	return u->include_all;
}

static bool graphics_only(const struct drhd *u)
{
	if (u->include_all || !u->nscope)
		return false;
	for (size_t i = 0; i < u->nscope; i++)
		if (u->scope[i]->class >> 16 != 0x03)
			return false;
	return true;
}

int iog_dmar_membership(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;
	struct drhd *units, **list;
	size_t n, nlist = 0, i, k;

	if (parse_dmar(t, &units, &n) < 0 || !n) {
		free(units);
		return -1;
	}
	/* The DRHD list: units without INCLUDE_ALL are added at the head as
	 * parsed (so in reverse), INCLUDE_ALL units at the tail. Ignored units
	 * never register and their devices get no group. */
	list = calloc(n, sizeof(*list));
	if (!list)
		abort();
	for (i = n; i-- > 0;)
		if (!units[i].include_all)
			list[nlist++] = &units[i];
	for (i = 0; i < n; i++)
		if (units[i].include_all)
			list[nlist++] = &units[i];
	for (k = 0; k < nlist; k++) {
		if (!list[k]->include_all && !list[k]->nscope)
			iog_grouping_assume(e->g, "DMAR unit dmar%zu lists no present device: ignored",
					    list[k]->table_index);
		if (e->p->igfx_off && graphics_only(list[k]))
			iog_grouping_assume(e->g, "intel_iommu=igfx_off: graphics-only unit dmar%zu is ignored",
					    list[k]->table_index);
	}
	iog_grouping_assume(e->g, "which VT-d unit translates each device: the DMAR table's device scopes (%zu unit%s)",
			    n, n == 1 ? "" : "s");

	for (i = 0; i < t->ndevs; i++) {
		const struct iog_device *dev = t->devs[i];
		const struct iog_device *lookup = dev->is_virtfn && dev->physfn ? dev->physfn : dev;

		e->pass_of[i] = -1;
		for (k = 0; k < nlist; k++) {
			const struct drhd *u = list[k];

			if (!u->include_all && !u->nscope)
				continue;
			if (e->p->igfx_off && graphics_only(u)) {
				/* its devices are marked as not translated */
				if (unit_matches(u, lookup))
					break;
				continue;
			}
			if (unit_matches(u, lookup)) {
				e->pass_of[i] = k;
				break;
			}
		}
		if (e->pass_of[i] < 0)
			iog_grouping_note(e->g, dev, "outside every DMAR device scope: not translated");
	}
	e->npasses = nlist;
	for (i = 0; i < n; i++)
		free(units[i].scope);
	free(units);
	free(list);
	return (int)n;
}
