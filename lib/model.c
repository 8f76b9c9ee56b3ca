/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The topology model: devices and buses as the kernel sees them (struct pci_dev,
 * struct pci_bus), decoded from config space with the kernel's rules, linked by
 * bridge bus numbers, and put in the kernel's device-list order (spec §7.1).
 * Sources fill raw facts with iog_topology_add_device(); iog_topology_finish()
 * does everything else, so every source gets the same decoding.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- allocation and look-up ---- */

struct iog_topology *iog_topology_alloc(struct iog_ctx *ctx, const char *kind,
					const char *path)
{
	struct iog_topology *t = calloc(1, sizeof(*t));

	if (!t)
		abort();
	t->refcount = 1;
	t->ctx = iog_ctx_ref(ctx);
	t->kind = iog_strdup(kind);
	t->path = iog_strdup(path);
	t->bus_hash_bits = 10;
	t->bus_hash = calloc(1u << t->bus_hash_bits, sizeof(*t->bus_hash));
	if (!t->bus_hash)
		abort();
	return t;
}

/* "%04x:%02x:%02x.%d" by hand: it runs once per device of every topology. */
void iog_format_address(char *buf, size_t len, uint32_t seg, uint8_t bus, uint8_t devfn)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[24], *p = tmp;
	int digits = 4;

	while (digits < 8 && seg >> (4 * digits))
		digits++;
	while (digits--)
		*p++ = hex[(seg >> (4 * digits)) & 0xf];
	*p++ = ':';
	*p++ = hex[bus >> 4];
	*p++ = hex[bus & 0xf];
	*p++ = ':';
	*p++ = hex[PCI_SLOT(devfn) >> 4];
	*p++ = hex[PCI_SLOT(devfn) & 0xf];
	*p++ = '.';
	*p++ = '0' + PCI_FUNC(devfn);
	if ((size_t)(p - tmp) >= len)
		p = tmp + len - 1;
	memcpy(buf, tmp, p - tmp);
	buf[p - tmp] = '\0';
}

/* "SSSS:BB:DD.F" or "BB:DD.F"; returns 0 or -EINVAL. */
int iog_parse_address(const char *s, uint32_t *seg, uint8_t *bus, uint8_t *devfn)
{
	unsigned a, b, c, d;
	char end;

	if (sscanf(s, "%x:%x:%x.%x%c", &a, &b, &c, &d, &end) == 4) {
		if (a > 0xffffff || b > 0xff || c > 0x1f || d > 7)
			return -EINVAL;
		*seg = a;
	} else if (sscanf(s, "%x:%x.%x%c", &b, &c, &d, &end) == 3) {
		if (b > 0xff || c > 0x1f || d > 7)
			return -EINVAL;
		*seg = 0;
	} else {
		return -EINVAL;
	}
	*bus = b;
	*devfn = (c << 3) | d;
	return 0;
}

/* Fibonacci hashing of (segment, number) into 2^bits buckets. */
static unsigned bus_hash(const struct iog_topology *t, uint32_t segment, uint8_t number)
{
	uint64_t key = (uint64_t)segment << 8 | number;

	return (key * 0x9e3779b97f4a7c15ull) >> (64 - t->bus_hash_bits);
}

/* Keep chains short as buses are added: one bucket per bus at most. */
static void grow_bus_hash(struct iog_topology *t)
{
	unsigned bits = t->bus_hash_bits + 2;
	struct iog_bus **old = t->bus_hash;
	size_t n = (size_t)1 << t->bus_hash_bits;

	t->bus_hash = calloc((size_t)1 << bits, sizeof(*t->bus_hash));
	if (!t->bus_hash)
		abort();
	t->bus_hash_bits = bits;
	for (size_t i = 0; i < n; i++)
		for (struct iog_bus *b = old[i], *next; b; b = next) {
			unsigned h = bus_hash(t, b->segment, b->number);

			next = b->hash_next;
			b->hash_next = t->bus_hash[h];
			t->bus_hash[h] = b;
		}
	free(old);
}

struct iog_bus *iog_topology_find_bus(const struct iog_topology *topo, uint32_t segment,
				      uint8_t number)
{
	struct iog_bus *b;

	for (b = topo->bus_hash[bus_hash(topo, segment, number)]; b; b = b->hash_next)
		if (b->segment == segment && b->number == number)
			return b;
	return NULL;
}

static struct iog_bus *get_bus(struct iog_topology *topo, uint32_t segment, uint8_t number)
{
	struct iog_bus *b = iog_topology_find_bus(topo, segment, number);
	unsigned h;

	if (b)
		return b;
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	b->segment = segment;
	b->number = number;
	if (topo->nbuses >= ((size_t)1 << topo->bus_hash_bits))
		grow_bus_hash(topo);
	h = bus_hash(topo, segment, number);
	b->hash_next = topo->bus_hash[h];
	topo->bus_hash[h] = b;
	IOG_GROW(topo->buses, topo->nbuses, topo->capbuses);
	topo->buses[topo->nbuses++] = b;
	return b;
}

struct iog_device *iog_bus_find_device(const struct iog_bus *bus, uint8_t devfn)
{
	size_t i;

	if (!bus)
		return NULL;
	for (i = 0; i < bus->ndevs; i++)
		if (bus->devs[i]->devfn == devfn)
			return bus->devs[i];
	return NULL;
}

struct iog_device *iog_topology_add_device(struct iog_topology *topo, uint32_t segment,
					   uint8_t bus, uint8_t devfn)
{
	struct iog_device *d = calloc(1, sizeof(*d));

	if (!d)
		abort();
	d->topo = topo;
	d->segment = segment;
	d->busnr = bus;
	d->devfn = devfn;
	d->kernel_group = -1;
	d->pcie_type_raw = -1;
	d->pcie_type = -1;
	d->zpci_fid = d->zpci_fh = d->zpci_uid = -1;
	d->acs_forced = -1;
	iog_format_address(d->address, sizeof(d->address), segment, bus, devfn);
	IOG_GROW(topo->devs, topo->ndevs, topo->capdevs);
	topo->devs[topo->ndevs++] = d;
	return d;
}

/* ---- config space ---- */

bool iog_cfg_read8(const struct iog_device *dev, unsigned pos, uint8_t *val)
{
	if (pos + 1 > dev->cfg_len)
		return false;
	*val = dev->cfg[pos];
	return true;
}

bool iog_cfg_read16(const struct iog_device *dev, unsigned pos, uint16_t *val)
{
	if (pos + 2 > dev->cfg_len)
		return false;
	*val = dev->cfg[pos] | dev->cfg[pos + 1] << 8;
	return true;
}

bool iog_cfg_read32(const struct iog_device *dev, unsigned pos, uint32_t *val)
{
	if (pos + 4 > dev->cfg_len)
		return false;
	*val = dev->cfg[pos] | dev->cfg[pos + 1] << 8 | dev->cfg[pos + 2] << 16 |
	       (uint32_t)dev->cfg[pos + 3] << 24;
	return true;
}

/* ---- decoding one device ---- */

static void decode_acs(struct iog_device *d)
{
	int pos;

	if (d->pcie_fact == IOG_FACT_UNKNOWN) {
		d->acs_fact = IOG_FACT_UNKNOWN;
		return;
	}
	if (!iog_dev_is_pcie(d)) {
		/* Conventional functions never pass ACS; the capability is moot. */
		d->acs_fact = IOG_FACT_READ;
		return;
	}
	pos = iog_find_ext_capability(d, PCI_EXT_CAP_ID_ACS);
	if (pos < 0) {
		d->acs_fact = IOG_FACT_UNKNOWN;
		return;
	}
	d->acs_fact = IOG_FACT_READ;
	d->acs_pos = pos;
	if (!pos)
		return;
	if (!iog_cfg_read16(d, pos + PCI_ACS_CAP, &d->acs_cap_read) ||
	    !iog_cfg_read16(d, pos + PCI_ACS_CTRL, &d->acs_ctrl_read)) {
		d->acs_fact = IOG_FACT_UNKNOWN;
		return;
	}
	/* Intel SPT-class root ports use dwords at +4 and +8 (§4.2b). */
	if (!iog_cfg_read32(d, pos + 4, &d->acs_cap32))
		d->acs_cap32 = 0;
	if (!iog_cfg_read32(d, pos + 8, &d->acs_ctrl32))
		d->acs_ctrl32 = 0;
	d->acs_cap = d->acs_cap_read;
	d->acs_ctrl = d->acs_ctrl_read;
	d->acs_ctrl_fw = d->acs_ctrl_read;
}

int iog_topology_finish_device(struct iog_device *d)
{
	struct iog_ctx *ctx = d->topo->ctx;
	uint8_t hdr;
	uint16_t flags;
	int pos;

	if (d->cfg_len < 64) {
		iog_err(ctx, "%s: %s: config space unreadable (%u bytes; at least 64 needed)",
			d->topo->path, d->address, d->cfg_len);
		return -EINVAL;
	}
	hdr = d->cfg[PCI_HEADER_TYPE];
	d->hdr_type = hdr & PCI_HEADER_TYPE_MASK;
	d->hdr_mfd = hdr & PCI_HEADER_TYPE_MFD;
	d->multifunction = d->hdr_mfd;
	if (!d->vendor && !d->device) {
		iog_cfg_read16(d, PCI_VENDOR_ID, &d->vendor);
		iog_cfg_read16(d, PCI_DEVICE_ID, &d->device);
	}
	if (!d->class)
		d->class = d->cfg[0x09] | d->cfg[0x0a] << 8 | d->cfg[0x0b] << 16;
	d->revision = d->cfg[PCI_REVISION_ID];
	if (d->hdr_type == PCI_HEADER_TYPE_NORMAL) {
		iog_cfg_read16(d, PCI_SUBSYSTEM_VENDOR_ID, &d->subsys_vendor);
		iog_cfg_read16(d, PCI_SUBSYSTEM_ID, &d->subsys_device);
	}
	if (iog_dev_is_bridge(d)) {
		d->secondary = d->cfg[PCI_SECONDARY_BUS];
		d->subordinate_nr = d->cfg[PCI_SUBORDINATE_BUS];
	}

	pos = iog_find_capability(d, PCI_CAP_ID_EXP);
	d->pcie_fact = pos < 0 ? IOG_FACT_UNKNOWN : IOG_FACT_READ;
	if (pos > 0 && iog_cfg_read16(d, pos + PCI_EXP_FLAGS, &flags)) {
		d->pcie_pos = pos;
		d->pcie_type_raw = (flags & PCI_EXP_FLAGS_TYPE) >> 4;
		d->pcie_type = d->pcie_type_raw;
	}
	if (!iog_dev_is_pcie(d) && d->pcie_fact != IOG_FACT_UNKNOWN &&
	    d->ext_fact == IOG_FACT_UNKNOWN) {
		/* No PCIe capability: the kernel gives it 256 bytes of config space. */
		d->ext_fact = IOG_FACT_DERIVED;
		d->has_ext = false;
	}
	decode_acs(d);
	d->acs_pos_read = d->acs_pos;
	d->acs_fact_read = d->acs_fact;
	return 0;
}

/* ---- SR-IOV ---- */

/* A dump has no physfn links: a PF's SR-IOV capability says where its enabled
 * VFs are (pci_iov_virtfn_bus/devfn: PF RID + First VF Offset + i * Stride). */
static void derive_virtfns(struct iog_topology *t)
{
	for (size_t i = 0; i < t->ndevs; i++) {
		struct iog_device *pf = t->devs[i];
		uint16_t ctrl, num, offset, stride;
		int pos;

		if (pf->is_virtfn || !iog_dev_is_pcie(pf))
			continue;
		pos = iog_find_ext_capability(pf, PCI_EXT_CAP_ID_SRIOV);
		if (pos <= 0 || !iog_cfg_read16(pf, pos + 0x08, &ctrl) ||
		    !iog_cfg_read16(pf, pos + 0x10, &num) ||
		    !iog_cfg_read16(pf, pos + 0x14, &offset) ||
		    !iog_cfg_read16(pf, pos + 0x16, &stride) || !(ctrl & 1))
			continue;
		for (unsigned k = 0; k < num; k++) {
			unsigned rid = (pf->busnr << 8 | pf->devfn) + offset + k * stride;
			struct iog_device *vf;

			if (rid > 0xffff)
				break;
			vf = iog_bus_find_device(iog_topology_find_bus(t, pf->segment, rid >> 8),
						 rid & 0xff);
			if (vf && vf != pf && !vf->is_virtfn) {
				vf->is_virtfn = true;
				vf->physfn = pf;
			}
		}
	}
}

/* ---- buses ---- */

static int cmp_address(const void *a, const void *b)
{
	const struct iog_device *x = *(struct iog_device *const *)a;
	const struct iog_device *y = *(struct iog_device *const *)b;

	if (x->segment != y->segment)
		return x->segment < y->segment ? -1 : 1;
	if (x->busnr != y->busnr)
		return x->busnr < y->busnr ? -1 : 1;
	return (int)x->devfn - (int)y->devfn;
}

static void bus_append(struct iog_bus *bus, struct iog_device *d)
{
	IOG_GROW(bus->devs, bus->ndevs, bus->capdevs);
	bus->devs[bus->ndevs++] = d;
}

static int link_buses(struct iog_topology *t)
{
	size_t i;

	/* Bridges first: each claims the bus behind it. */
	for (i = 0; i < t->ndevs; i++) {
		struct iog_device *d = t->devs[i];
		struct iog_bus *b;

		d->bus = get_bus(t, d->segment, d->busnr);
		if (!iog_dev_is_bridge(d) || d->secondary == 0)
			continue;
		if (d->secondary <= d->busnr) {
			iog_err(t->ctx, "%s: %s: bridge's secondary bus %02x is not below its own bus %02x (bus numbers loop back upward)",
				t->path, d->address, d->secondary, d->busnr);
			return -EINVAL;
		}
		b = get_bus(t, d->segment, d->secondary);
		if (b->self) {
			iog_warn(t->ctx, "%s: %s: secondary bus %02x is already behind %s; ignored",
				 t->path, d->address, d->secondary, b->self->address);
			continue;
		}
		b->self = d;
		d->subordinate = b;
	}
	for (i = 0; i < t->nbuses; i++) {
		struct iog_bus *b = t->buses[i];

		if (b->self)
			b->parent = b->self->bus;
	}
	/* SR-IOV VFs on a bus no bridge decodes sit on a virtual bus (§8.15). */
	for (i = 0; i < t->ndevs; i++) {
		struct iog_device *d = t->devs[i];

		if (d->is_virtfn && d->physfn && !d->bus->self && d->bus != d->physfn->bus) {
			const struct iog_bus *up = d->physfn->bus;

			if (d->bus->parent == up)
				continue;
			/* The PF must not sit below the VF's bus: every upward
			 * walk (root_bus_of, the alias walk) would loop. */
			while (up && up != d->bus)
				up = up->parent;
			if (up) {
				iog_warn(t->ctx, "%s: %s: its physfn %s sits below its own bus; not a virtual bus",
					 t->path, d->address, d->physfn->address);
				continue;
			}
			d->bus->is_virtual = true;
			d->bus->parent = d->physfn->bus;
		}
	}
	return 0;
}

/* VMD: root buses in segments >= 0x10000 belong to an Intel VMD endpoint. */
static void link_vmd(struct iog_topology *t)
{
	struct iog_device *only = NULL;
	size_t i, nvmd = 0;

	for (i = 0; i < t->ndevs; i++)
		if (iog_quirk_is_vmd(t->devs[i]->vendor, t->devs[i]->device)) {
			t->devs[i]->vmd_owner = true;
			only = t->devs[i];
			nvmd++;
		}
	if (!nvmd)
		return;
	for (i = 0; i < t->nbuses; i++) {
		struct iog_bus *b = t->buses[i];
		struct iog_device *owner = NULL;

		if (!iog_bus_is_root(b) || b->segment < 0x10000)
			continue;
		/* sysfs names the VMD endpoint as the parent of the root bus. */
		if (b->ndevs && b->devs[0]->sysfs_parent)
			owner = iog_topology_find_device(t, b->devs[0]->sysfs_parent);
		if (!owner && nvmd == 1)
			owner = only;
		if (!owner)
			iog_warn(t->ctx, "%s: segment %04x: cannot tell which VMD owns it",
				 t->path, b->segment);
		b->vmd = owner;
	}
}

static struct iog_device *upstream_bridge(const struct iog_device *d)
{
	if (d->is_virtfn && d->physfn)
		d = d->physfn;
	return d->bus->self;
}

/* set_pcie_port_type(): fix ports that claim the wrong direction (§2.14). */
static void correct_pcie_type(struct iog_device *d)
{
	const struct iog_device *parent = upstream_bridge(d);
	int ptype;

	if (!iog_dev_is_pcie(d) || !parent)
		return;
	ptype = iog_dev_is_pcie(parent) ? parent->pcie_type : PCI_EXP_TYPE_ENDPOINT;
	if (d->pcie_type == PCI_EXP_TYPE_DOWNSTREAM &&
	    (ptype == PCI_EXP_TYPE_ROOT_PORT || ptype == PCI_EXP_TYPE_DOWNSTREAM ||
	     ptype == PCI_EXP_TYPE_PCIE_BRIDGE))
		d->pcie_type = PCI_EXP_TYPE_UPSTREAM;
	else if (d->pcie_type == PCI_EXP_TYPE_UPSTREAM && ptype == PCI_EXP_TYPE_UPSTREAM)
		d->pcie_type = PCI_EXP_TYPE_DOWNSTREAM;
}

static bool bridge_has_ari(const struct iog_device *bridge)
{
	uint16_t ctl2;

	return bridge && bridge->pcie_pos &&
	       iog_cfg_read16(bridge, bridge->pcie_pos + PCI_EXP_DEVCTL2, &ctl2) &&
	       (ctl2 & PCI_EXP_DEVCTL2_ARI);
}

/* Multifunction as the kernel sets it (§2.13). */
static void set_multifunction(struct iog_device *d)
{
	if (d->is_virtfn) {
		d->multifunction = false;
		return;
	}
	d->ari = bridge_has_ari(d->bus->self);
	if (d->ari ? d->devfn != 0 : PCI_FUNC(d->devfn) != 0)
		d->multifunction = true;
}

/* ---- probe order ---- */

/* Devices added after boot: by their PF's probe position, then address. */
static int cmp_late(const void *a, const void *b)
{
	const struct iog_device *x = *(struct iog_device *const *)a;
	const struct iog_device *y = *(struct iog_device *const *)b;
	size_t px = x->physfn ? x->physfn->order : SIZE_MAX;
	size_t py = y->physfn ? y->physfn->order : SIZE_MAX;

	if (px != py)
		return px < py ? -1 : 1;
	return cmp_address(a, b);
}

static int cmp_root(const void *a, const void *b)
{
	const struct iog_bus *x = *(struct iog_bus *const *)a;
	const struct iog_bus *y = *(struct iog_bus *const *)b;

	if ((x->vmd != NULL) != (y->vmd != NULL))
		return x->vmd ? 1 : -1;
	if (x->firmware_rank != y->firmware_rank)
		return x->firmware_rank < y->firmware_rank ? -1 : 1;
	if (x->segment != y->segment)
		return x->segment < y->segment ? -1 : 1;
	return (x->number > y->number) - (x->number < y->number);
}

/* The order root buses are scanned in: the order firmware lists their host
 * bridges (ACPI: namespace order, which the companions' instance numbers
 * follow, as they are numbered per hardware ID while the namespace is walked).
 * Without that, (segment, number) order is assumed, and root_order_known tells
 * whether the assumption could matter. VMD domains come last: they appear
 * when the vmd driver binds, after boot-time enumeration. */
static size_t order_roots(struct iog_topology *t, struct iog_bus **roots)
{
	const char *hid = NULL;
	size_t n = 0, nfirmware = 0, i, j;
	bool one_hid = true;

	for (i = 0; i < t->nbuses; i++) {
		struct iog_bus *b = t->buses[i];

		b->firmware_rank = -1;
		if (!iog_bus_is_root(b) || !b->ndevs)
			continue;
		roots[n++] = b;
		if (b->vmd)
			continue;
		nfirmware++;
		for (j = 0; j < t->nroot_bridges; j++) {
			const struct iog_root_bridge *rb = &t->root_bridges[j];
			const char *colon = strrchr(rb->companion, ':');

			if (rb->segment != b->segment || rb->bus != b->number || !colon)
				continue;
			if (hid && (strncmp(hid, rb->companion, colon - rb->companion) ||
				    hid[colon - rb->companion] != ':'))
				one_hid = false;
			hid = rb->companion;
			b->firmware_rank = (int)strtol(colon + 1, NULL, 16);
			break;
		}
		if (b->firmware_rank < 0)
			one_hid = false;
	}
	/* Instance numbers only order host bridges of one hardware ID. */
	t->root_order_known = nfirmware <= 1 || one_hid;
	if (!t->root_order_known)
		for (i = 0; i < n; i++)
			roots[i]->firmware_rank = -1;
	qsort(roots, n, sizeof(*roots), cmp_root);
	return n;
}

/* All devices of a bus first, then each bridge's bus in turn (§7.1.4). The
 * stack is explicit so that deep trees cannot exhaust the C stack. */
static void order_devices(struct iog_topology *t, struct iog_device **sorted)
{
	struct iog_device **out = calloc(t->ndevs, sizeof(*out));
	struct iog_bus **stack = calloc(t->nbuses + 1, sizeof(*stack));
	struct iog_bus **roots = calloc(t->nbuses + 1, sizeof(*roots));
	size_t n = 0, sp, i, j, first_vf, nroots;

	if (!out || !stack || !roots)
		abort();
	for (i = 0; i < t->ndevs; i++)
		t->devs[i]->order = SIZE_MAX;
	nroots = order_roots(t, roots);
	for (i = 0; i < nroots; i++) {
		sp = 0;
		stack[sp++] = roots[i];
		while (sp) {
			struct iog_bus *b = stack[--sp];
			size_t first = n;

			b->visited = true;
			for (j = 0; j < b->ndevs; j++)
				if (!b->devs[j]->is_virtfn)
					out[n++] = b->devs[j];
			/* push in reverse so the first bridge's bus comes next */
			for (j = n; j > first; j--) {
				struct iog_device *br = out[j - 1];

				if (br->subordinate && br->subordinate->self == br &&
				    !br->subordinate->visited)
					stack[sp++] = br->subordinate;
			}
		}
	}
	free(roots);
	/* VFs are added when sriov_numvfs is written: after boot, PF by PF in
	 * probe order, each PF's VFs in order; VFs of an unknown PF and anything
	 * on a bus no walk reached go last. */
	for (i = 0; i < n; i++)
		out[i]->order = i;
	first_vf = n;
	for (i = 0; i < t->ndevs; i++)
		if (sorted[i]->is_virtfn || !sorted[i]->bus->visited)
			out[n++] = sorted[i];
	qsort(out + first_vf, n - first_vf, sizeof(*out), cmp_late);
	free(stack);
	memcpy(t->devs, out, n * sizeof(*out));
	t->ndevs = n;
	free(out);
}

static void rebuild_bus_lists(struct iog_topology *t)
{
	size_t i;

	for (i = 0; i < t->nbuses; i++)
		t->buses[i]->ndevs = 0;
	for (i = 0; i < t->ndevs; i++) {
		t->devs[i]->order = i;
		bus_append(t->devs[i]->bus, t->devs[i]);
	}
}

/* Link devices into buses, derive VFs, order them as the kernel would and apply
 * the rules that depend on the parent. Repeatable: what-if changes call it again
 * after moving, adding or removing devices. */
int iog_topology_link(struct iog_topology *t)
{
	struct iog_device **sorted;
	size_t i;
	int r;

	for (i = 0; i < t->nbuses; i++) {
		struct iog_bus *b = t->buses[i];

		b->ndevs = 0;
		b->self = NULL;
		b->parent = NULL;
		b->vmd = NULL;
		b->visited = false;
		b->is_virtual = false;
	}
	/* sources often list devices in address order already */
	for (i = 1; i < t->ndevs && cmp_address(&t->devs[i - 1], &t->devs[i]) < 0; i++)
		;
	if (i < t->ndevs)
		qsort(t->devs, t->ndevs, sizeof(*t->devs), cmp_address);
	for (i = 1; i < t->ndevs; i++)
		if (cmp_address(&t->devs[i - 1], &t->devs[i]) == 0) {
			iog_err(t->ctx, "%s: %s: device listed twice", t->path,
				t->devs[i]->address);
			return -EINVAL;
		}
	for (i = 0; i < t->ndevs; i++) {
		struct iog_device *d = t->devs[i];

		d->subordinate = NULL;
		d->pcie_type = d->pcie_type_raw;
		d->multifunction = d->hdr_mfd;
		d->bus = get_bus(t, d->segment, d->busnr);
		bus_append(d->bus, d);
	}
	for (i = 0; i < t->ndevs; i++) {
		struct iog_device *d = t->devs[i];

		if (d->physfn_name) {
			d->is_virtfn = true;
			d->physfn = iog_topology_find_device(t, d->physfn_name);
			if (!d->physfn)
				iog_warn(t->ctx, "%s: %s: physfn %s is not a listed device",
					 t->path, d->address, d->physfn_name);
		}
	}
	derive_virtfns(t);
	r = link_buses(t);
	if (r < 0)
		return r;
	link_vmd(t);

	sorted = malloc(t->ndevs * sizeof(*sorted));
	if (!sorted)
		abort();
	memcpy(sorted, t->devs, t->ndevs * sizeof(*sorted));
	order_devices(t, sorted);
	free(sorted);
	rebuild_bus_lists(t);

	/* Enumeration order: parents are corrected before their children. */
	for (i = 0; i < t->ndevs; i++) {
		correct_pcie_type(t->devs[i]);
		set_multifunction(t->devs[i]);
	}
	t->acs_profile = NULL; /* the ACS state must be prepared again */
	return 0;
}

int iog_topology_finish(struct iog_topology *t)
{
	if (!t->ndevs) {
		iog_err(t->ctx, "%s: no PCI devices found", t->path);
		return -ENOENT;
	}
	for (size_t i = 0; i < t->ndevs; i++) {
		int r = iog_topology_finish_device(t->devs[i]);

		if (r < 0)
			return r;
	}
	return iog_topology_link(t);
}

/* ---- public accessors ---- */

void iog_device_free(struct iog_device *d)
{
	free(d->cfg);
	free(d->physfn_name);
	free(d->driver);
	free(d->iommu_unit);
	free(d->sysfs_parent);
	free(d->name);
	free(d->class_name);
	free(d);
}

IOG_EXPORT struct iog_topology *iog_topology_ref(struct iog_topology *topo)
{
	if (topo)
		topo->refcount++;
	return topo;
}

IOG_EXPORT struct iog_topology *iog_topology_unref(struct iog_topology *t)
{
	size_t i, j;

	if (!t || --t->refcount > 0)
		return t;
	for (i = 0; i < t->ndevs; i++)
		iog_device_free(t->devs[i]);
	for (i = 0; i < t->nbuses; i++) {
		free(t->buses[i]->devs);
		free(t->buses[i]);
	}
	for (i = 0; i < t->nkgroups; i++) {
		for (j = 0; j < t->kgroups[i].ndevices; j++)
			free(t->kgroups[i].devices[j]);
		free(t->kgroups[i].devices);
		free(t->kgroups[i].type);
		free(t->kgroups[i].reserved_regions);
	}
	for (i = 0; i < t->nunits; i++) {
		for (j = 0; j < t->units[i].ndevices; j++)
			free(t->units[i].devices[j]);
		free(t->units[i].devices);
		free(t->units[i].name);
	}
	free(t->units);
	for (i = 0; i < t->nroot_bridges; i++)
		free(t->root_bridges[i].companion);
	free(t->root_bridges);
	free(t->kgroups);
	free(t->devs);
	free(t->buses);
	free(t->bus_hash);
	free(t->kind);
	free(t->path);
	free(t->cmdline);
	free(t->release);
	free(t->dmar);
	free(t->ivrs);
	free(t->viot);
	iog_ctx_unref(t->ctx);
	free(t);
	return NULL;
}

IOG_EXPORT const char *iog_topology_get_source_kind(const struct iog_topology *t)
{
	return t->kind;
}

IOG_EXPORT const char *iog_topology_get_source_path(const struct iog_topology *t)
{
	return t->path;
}

IOG_EXPORT size_t iog_topology_get_device_count(const struct iog_topology *t)
{
	return t->ndevs;
}

IOG_EXPORT struct iog_device *iog_topology_get_device(const struct iog_topology *t, size_t i)
{
	return i < t->ndevs ? t->devs[i] : NULL;
}

IOG_EXPORT struct iog_device *iog_topology_find_device(const struct iog_topology *t,
						       const char *address)
{
	uint32_t seg;
	uint8_t bus, devfn;

	if (!address || iog_parse_address(address, &seg, &bus, &devfn) < 0)
		return NULL;
	return iog_bus_find_device(iog_topology_find_bus(t, seg, bus), devfn);
}

IOG_EXPORT const char *iog_topology_get_cmdline(const struct iog_topology *t)
{
	return t->cmdline;
}

IOG_EXPORT const char *iog_topology_get_release(const struct iog_topology *t)
{
	return t->release;
}

IOG_EXPORT const char *iog_topology_get_platform(const struct iog_topology *t)
{
	return t->platform;
}

IOG_EXPORT const char *iog_device_get_address(const struct iog_device *d)
{
	return d->address;
}
IOG_EXPORT size_t iog_device_get_index(const struct iog_device *d)
{
	return d->order;
}
IOG_EXPORT uint32_t iog_device_get_segment(const struct iog_device *d)
{
	return d->segment;
}
IOG_EXPORT uint8_t iog_device_get_bus(const struct iog_device *d)
{
	return d->busnr;
}
IOG_EXPORT uint8_t iog_device_get_devfn(const struct iog_device *d)
{
	return d->devfn;
}
IOG_EXPORT uint16_t iog_device_get_vendor(const struct iog_device *d)
{
	return d->vendor;
}
IOG_EXPORT uint16_t iog_device_get_device(const struct iog_device *d)
{
	return d->device;
}
IOG_EXPORT uint32_t iog_device_get_class(const struct iog_device *d)
{
	return d->class;
}
IOG_EXPORT const char *iog_device_get_driver(const struct iog_device *d)
{
	return d->driver;
}
IOG_EXPORT struct iog_device *iog_device_get_parent(const struct iog_device *d)
{
	return d->bus->self;
}
IOG_EXPORT struct iog_device *iog_device_get_physfn(const struct iog_device *d)
{
	return d->physfn;
}
IOG_EXPORT bool iog_device_is_bridge(const struct iog_device *d)
{
	return iog_dev_is_bridge(d);
}
IOG_EXPORT int iog_device_get_pcie_type(const struct iog_device *d)
{
	return d->pcie_fact == IOG_FACT_UNKNOWN ? -2 : d->pcie_type;
}
IOG_EXPORT bool iog_device_is_multifunction(const struct iog_device *d)
{
	return d->multifunction;
}
IOG_EXPORT int iog_device_get_slot_number(const struct iog_device *d)
{
	uint16_t flags;
	uint32_t slotcap;

	/* PCI_EXP_FLAGS_SLOT, then PCI_EXP_SLTCAP bits 31:19 */
	if (!d->pcie_pos || !iog_cfg_read16(d, d->pcie_pos + PCI_EXP_FLAGS, &flags) ||
	    !(flags & 0x0100) || !iog_cfg_read32(d, d->pcie_pos + 0x14, &slotcap))
		return -1;
	return slotcap >> 19;
}

IOG_EXPORT int iog_device_get_kernel_group(const struct iog_device *d)
{
	return d->kernel_group;
}
IOG_EXPORT const char *iog_device_get_iommu_unit(const struct iog_device *d)
{
	return d->iommu_unit;
}

IOG_EXPORT enum iog_fact iog_device_get_acs(const struct iog_device *d, int *cap, int *ctrl)
{
	*cap = *ctrl = -1;
	if (d->acs_fact != IOG_FACT_UNKNOWN && d->acs_pos) {
		*cap = d->acs_cap_read;
		*ctrl = d->acs_ctrl_read;
	}
	return d->acs_fact;
}

IOG_EXPORT const char *iog_pcie_type_name(int type)
{
	static const char *const names[] = {
		[PCI_EXP_TYPE_ENDPOINT] = "Endpoint",
		[PCI_EXP_TYPE_LEG_END] = "Legacy Endpoint",
		[PCI_EXP_TYPE_ROOT_PORT] = "Root Port",
		[PCI_EXP_TYPE_UPSTREAM] = "Upstream Port",
		[PCI_EXP_TYPE_DOWNSTREAM] = "Downstream Port",
		[PCI_EXP_TYPE_PCI_BRIDGE] = "PCIe-to-PCI bridge",
		[PCI_EXP_TYPE_PCIE_BRIDGE] = "PCI-to-PCIe bridge",
		[PCI_EXP_TYPE_RC_END] = "Root Complex Integrated Endpoint",
		[PCI_EXP_TYPE_RC_EC] = "Root Complex Event Collector",
	};

	if (type == -2)
		return "unknown (not readable)";
	if (type < 0)
		return "conventional PCI";
	if ((size_t)type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown PCIe type";
}
