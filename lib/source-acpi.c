/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ACPI DMAR (Intel VT-d): which remapping unit (DRHD) translates each PCI
 * device, and the order in which the units register (spec §6, §7.1.3).
 * Layout facts from include/acpi/actbl1.h; every length is checked against
 * the table before it is used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DMAR_HEADER_LEN 48
#define DMAR_TYPE_DRHD 0
#define DRHD_INCLUDE_PCI_ALL 0x01
#define SCOPE_PCI_ENDPOINT 1
#define SCOPE_PCI_BRIDGE 2
#define SCOPE_ACPI_NAMESPACE 5

struct drhd {
	uint16_t segment;
	bool include_all;
	struct iog_device **scope; /* devices the scope paths resolve to */
	size_t nscope, capscope;
	unsigned nscope_entries;   /* PCI scope entries, found or not */
	unsigned nnamespace;	   /* ACPI namespace (ANDD) device entries */
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

/* With @warn, a malformed table is logged (once per use, not per parse). */
static int parse_dmar(const struct iog_topology *t, bool warn, struct drhd **out, size_t *count)
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
			if (warn)
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
				if (warn)
					iog_warn(t->ctx, "%s: DMAR: bad device scope at offset %zu",
						 t->path, s);
				goto bad;
			}
			if (stype == SCOPE_ACPI_NAMESPACE)
				u->nnamespace++;
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

	if (parse_dmar(t, true, &units, &n) < 0 || !n) {
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

/* ---- reading the tables ---- */

void iog_topology_read_acpi(struct iog_topology *t, const char *dir)
{
	char *p;

	p = iog_asprintf("%s/DMAR", dir);
	free(t->dmar);
	t->dmar = iog_read_file(p, &t->dmar_len);
	free(p);
	p = iog_asprintf("%s/IVRS", dir);
	free(t->ivrs);
	t->ivrs = iog_read_file(p, &t->ivrs_len);
	free(p);
	p = iog_asprintf("%s/VIOT", dir);
	free(t->viot);
	t->viot = iog_read_file(p, &t->viot_len);
	free(p);
	/* Without an active IOMMU the firmware still tells the platform. */
	if (!t->platform && t->dmar)
		t->platform = "intel-vtd";
	if (!t->platform && t->ivrs)
		t->platform = "amd-vi";
	if (!t->platform && t->viot)
		t->platform = "virtio-iommu";
}

IOG_EXPORT int iog_topology_load_acpi(struct iog_topology *t, const char *dir)
{
	iog_topology_read_acpi(t, dir);
	if (!t->dmar && !t->ivrs && !t->viot) {
		iog_err(t->ctx, "%s: no DMAR, IVRS or VIOT table here", dir);
		return -ENOENT;
	}
	return 0;
}

/* ---- AMD IVRS (drivers/iommu/amd/init.c) ---- */

#define IVRS_HEADER_LEN 48
#define IVHD_DEV_ALL 0x01
#define IVHD_DEV_SELECT 0x02
#define IVHD_DEV_SELECT_RANGE_START 0x03
#define IVHD_DEV_RANGE_END 0x04
#define IVHD_DEV_ALIAS 0x42
#define IVHD_DEV_ALIAS_RANGE 0x43
#define IVHD_DEV_EXT_SELECT 0x46
#define IVHD_DEV_EXT_SELECT_RANGE 0x47
#define IVHD_DEV_ACPI_HID 0xf0

static bool ivhd_type_ok(uint8_t type)
{
	return type == 0x10 || type == 0x11 || type == 0x40;
}

/* Size of a device entry, as ivhd_entry_length(); 0 if unknown. */
static size_t ivhd_entry_len(const uint8_t *e, size_t left)
{
	if (e[0] < 0x80)
		return 4u << (e[0] >> 6);
	if (e[0] == IVHD_DEV_ACPI_HID && left > 21)
		return e[21] + 22u;
	return 0;
}

static void set_range(uint8_t *cover, unsigned from, unsigned to)
{
	for (unsigned d = from; d <= to && d < 65536; d++)
		cover[d / 8] |= 1u << (d % 8);
}

/* An IVRS alias: the AMD driver adds it to the device's DMA alias mask at
 * probe when both are on the same bus (spec §4.5); cross-bus aliases only
 * change IOMMU programming. */
static void ivrs_alias(struct iog_topology *t, uint16_t seg, unsigned devid, unsigned alias)
{
	struct iog_device *dev;

	if (devid == alias || devid >> 8 != alias >> 8)
		return;
	dev = iog_bus_find_device(iog_topology_find_bus(t, seg, devid >> 8), devid & 0xff);
	if (!dev)
		return;
	dev->dma_alias_mask[(alias & 0xff) / 8] |= 1u << (alias % 8);
	dev->has_dma_alias = true;
}

/* Marks in @cover the devids one IVHD block translates; with @t, applies
 * its alias entries to the devices of segment @seg. */
static int parse_ivhd(const struct iog_topology *ct, const uint8_t *h, size_t len, uint8_t *cover,
		      struct iog_topology *t, uint16_t seg)
{
	size_t off = h[0] == 0x10 ? 24 : 40;
	long range_start = -1, range_alias = -1;

	while (off + 4 <= len) {
		const uint8_t *e = h + off;
		size_t n = ivhd_entry_len(e, len - off);
		unsigned devid = e[1] | e[2] << 8;

		if (!n || off + n > len) {
			iog_warn(ct->ctx, "%s: IVRS: device entry type 0x%02x at offset %zu does not fit its IVHD",
				 ct->path, e[0], off);
			return -1;
		}
		switch (e[0]) {
		case IVHD_DEV_ALL:
			set_range(cover, 0, 0xffff);
			break;
		case IVHD_DEV_ALIAS:
			if (t)
				ivrs_alias(t, seg, devid, e[5] | e[6] << 8);
			/* fall through */
		case IVHD_DEV_SELECT:
		case IVHD_DEV_EXT_SELECT:
			set_range(cover, devid, devid);
			break;
		case IVHD_DEV_ALIAS_RANGE:
			range_alias = e[5] | e[6] << 8;
			range_start = devid;
			break;
		case IVHD_DEV_SELECT_RANGE_START:
		case IVHD_DEV_EXT_SELECT_RANGE:
			range_alias = -1;
			range_start = devid;
			break;
		case IVHD_DEV_RANGE_END:
			if (range_start >= 0)
				set_range(cover, range_start, devid);
			for (long d = range_start; t && range_alias >= 0 && d >= 0 && d <= devid; d++)
				ivrs_alias(t, seg, d, range_alias);
			range_start = range_alias = -1;
			break;
		default:
			break;
		}
		off += n;
	}
	return 0;
}

/* get_highest_supported_ivhd_type(): the highest type listed for the first
 * IOMMU; only IVHDs of that type are used. 0 when there is none. */
static uint8_t ivhd_selected_type(const uint8_t *tab, size_t len)
{
	uint8_t type = 0;

	if (!tab || len < IVRS_HEADER_LEN || memcmp(tab, "IVRS", 4))
		return 0;
	for (size_t off = IVRS_HEADER_LEN; off + 8 <= len;) {
		uint16_t blen = le16(tab + off + 2);

		if (blen < 8 || off + blen > len)
			break;
		if (ivhd_type_ok(tab[off]) && tab[off] > type &&
		    (!type || le16(tab + off + 4) == le16(tab + IVRS_HEADER_LEN + 4)))
			type = tab[off];
		off += blen;
	}
	return type;
}

/* IVRS ACPI-HID entries in the IVHDs the kernel uses. */
static unsigned ivrs_acpihid_entries(const struct iog_topology *t)
{
	const uint8_t *tab = t->ivrs;
	size_t len = t->ivrs_len;
	uint8_t type = ivhd_selected_type(tab, len);
	unsigned n = 0;

	for (size_t off = IVRS_HEADER_LEN; type && off + 8 <= len;) {
		uint16_t blen = le16(tab + off + 2);
		size_t e = tab[off] == 0x10 ? 24 : 40;

		if (blen < 8 || off + blen > len)
			break;
		while (tab[off] == type && e + 4 <= blen) {
			size_t elen = ivhd_entry_len(tab + off + e, blen - e);

			if (!elen)
				break;
			n += tab[off + e] == IVHD_DEV_ACPI_HID;
			e += elen;
		}
		off += blen;
	}
	return n;
}

/* Non-PCI (ACPI) devices the firmware tables put in an IOMMU's scope: Intel
 * ACPI namespace devices (DMAR scope type 5, with @dmar) or AMD ACPI-HID
 * entries (IVRS). Those present get their groups first in their unit's pass
 * (the platform bus is walked before PCI), so they shift the PCI group
 * numbers by a count no PCI source gives. */
unsigned iog_acpi_platform_devices(const struct iog_topology *t, bool dmar)
{
	struct drhd *units;
	size_t n;
	unsigned count = 0;

	if (!dmar)
		return ivrs_acpihid_entries(t);
	if (parse_dmar(t, false, &units, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			count += units[i].nnamespace;
			free(units[i].scope);
		}
		free(units);
	}
	return count;
}

int iog_ivrs_membership(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;
	const uint8_t *tab = t->ivrs;
	size_t len = t->ivrs_len, off;
	uint8_t type = 0, *cover;
	int units = 0;

	type = ivhd_selected_type(tab, len);
	if (!type)
		return -1;
	for (size_t i = 0; i < t->ndevs; i++)
		e->pass_of[i] = -1;
	cover = calloc(65536 / 8, 1);
	if (!cover)
		abort();
	for (off = IVRS_HEADER_LEN; off + 8 <= len;) {
		uint16_t blen = le16(tab + off + 2), seg, iommu_devid;

		if (blen < 8 || off + blen > len) {
			iog_warn(t->ctx, "%s: IVRS: block at offset %zu runs past the table", t->path, off);
			free(cover);
			return -1;
		}
		if (tab[off] != type || blen < (type == 0x10 ? 24 : 40)) {
			off += blen;
			continue;
		}
		iommu_devid = le16(tab + off + 4);
		seg = le16(tab + off + 16);
		memset(cover, 0, 65536 / 8);
		if (parse_ivhd(t, tab + off, blen, cover, NULL, seg) < 0) {
			free(cover);
			return -1;
		}
		for (size_t i = 0; i < t->ndevs; i++) {
			const struct iog_device *dev = t->devs[i];
			unsigned devid = dev->busnr << 8 | dev->devfn;

			if (e->pass_of[i] >= 0 || dev->segment != seg)
				continue;
			if (devid == iommu_devid)
				continue; /* the IOMMU never translates itself */
			if (cover[devid / 8] & (1u << (devid % 8)))
				e->pass_of[i] = units;
		}
		units++;
		off += blen;
	}
	free(cover);
	for (size_t i = 0; i < t->ndevs; i++)
		if (e->pass_of[i] < 0)
			iog_grouping_note(e->g, t->devs[i], "not covered by any IVHD of the IVRS table: not translated");
	e->npasses = units;
	iog_grouping_assume(e->g, "which AMD IOMMU translates each device: the IVRS table (IVHD type 0x%02x, %d unit%s)",
			    type, units, units == 1 ? "" : "s");
	return units;
}

/* ---- ACPI VIOT (drivers/acpi/viot.c) ---- */

#define VIOT_NODE_PCI_RANGE 1

int iog_viot_membership(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;
	const uint8_t *tab = t->viot;
	size_t len = t->viot_len, off;
	unsigned nodes, first;

	if (!tab || len < 48 || memcmp(tab, "VIOT", 4))
		return -1;
	nodes = le16(tab + 36);
	first = le16(tab + 38);
	for (size_t i = 0; i < t->ndevs; i++)
		e->pass_of[i] = -1;
	for (off = first; nodes-- && off + 4 <= len;) {
		uint16_t nlen = le16(tab + off + 2);

		if (nlen < 4 || off + nlen > len) {
			iog_warn(t->ctx, "%s: VIOT: node at offset %zu runs past the table", t->path, off);
			return -1;
		}
		if (tab[off] == VIOT_NODE_PCI_RANGE && nlen >= 18) {
			unsigned seg_lo = le16(tab + off + 8), seg_hi = le16(tab + off + 10);
			unsigned bdf_lo = le16(tab + off + 12), bdf_hi = le16(tab + off + 14);

			for (size_t i = 0; i < t->ndevs; i++) {
				const struct iog_device *dev = t->devs[i];
				unsigned bdf = dev->busnr << 8 | dev->devfn;

				if (dev->segment >= seg_lo && dev->segment <= seg_hi &&
				    bdf >= bdf_lo && bdf <= bdf_hi)
					e->pass_of[i] = 0;
			}
		}
		off += nlen;
	}
	for (size_t i = 0; i < t->ndevs; i++)
		if (e->pass_of[i] < 0)
			iog_grouping_note(e->g, t->devs[i], "outside every VIOT PCI range: not translated");
	e->npasses = 1;
	iog_grouping_assume(e->g, "which devices the virtio-iommu translates: the VIOT table's PCI ranges");
	return 1;
}

/* The same-bus aliases of the IVRS table, for the amd-vi platform. */
void iog_ivrs_aliases(struct iog_topology *t)
{
	const uint8_t *tab = t->ivrs;
	size_t len = t->ivrs_len, off;
	uint8_t *cover;

	if (!tab || len < IVRS_HEADER_LEN || memcmp(tab, "IVRS", 4))
		return;
	cover = calloc(65536 / 8, 1);
	if (!cover)
		abort();
	for (off = IVRS_HEADER_LEN; off + 8 <= len;) {
		uint16_t blen = le16(tab + off + 2);

		if (blen < 8 || off + blen > len)
			break;
		if (ivhd_type_ok(tab[off]) && blen >= (tab[off] == 0x10 ? 24 : 40) &&
		    parse_ivhd(t, tab + off, blen, cover, t, le16(tab + off + 16)) < 0)
			break;
		off += blen;
	}
	free(cover);
}
