/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What-if changes to a topology: ACS switched on or off at a device, a card
 * moved to another port, a card added to an empty port. Each change edits the
 * model and links it again; groupings computed before a change no longer
 * match the topology and must not be used with it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

IOG_EXPORT int iog_topology_set_acs(struct iog_topology *t, struct iog_device *dev, bool on)
{
	if (!iog_dev_is_pcie(dev)) {
		iog_err(t->ctx, "%s: conventional PCI has no ACS to switch", dev->address);
		return -EINVAL;
	}
	dev->acs_forced = on ? 1 : 0;
	t->acs_profile = NULL;
	return 0;
}

/* Apply a forced ACS state on top of what was read (called by iog_acs_prepare). */
void iog_whatif_apply_acs(struct iog_device *dev)
{
	if (dev->acs_forced < 0)
		return;
	dev->acs_fact = IOG_FACT_READ;
	if (!dev->acs_forced) {
		dev->acs_pos = 0;
		return;
	}
	/* a capability that advertises and enables what grouping asks for */
	if (!dev->acs_pos)
		dev->acs_pos = PCI_CFG_SPACE_EXP_SIZE - 8;
	dev->acs_cap |= REQ_ACS_FLAGS;
	dev->acs_ctrl |= REQ_ACS_FLAGS;
	dev->acs_ctrl_fw = dev->acs_ctrl;
}

static bool is_port(const struct iog_device *d)
{
	return iog_dev_is_bridge(d) && d->secondary && d->secondary > d->busnr;
}

static int check_empty_port(struct iog_topology *t, const struct iog_device *port)
{
	const struct iog_bus *b;

	if (!is_port(port)) {
		iog_err(t->ctx, "%s is not a bridge with a bus behind it", port->address);
		return -EINVAL;
	}
	b = iog_topology_find_bus(t, port->segment, port->secondary);
	if (b && b->ndevs) {
		iog_err(t->ctx, "%s: bus %02x behind it is not empty (%s)", port->address,
			port->secondary, b->devs[0]->address);
		return -EBUSY;
	}
	return 0;
}

/* The functions of @dev's slot, with nothing behind them. */
static int slot_functions(struct iog_topology *t, const struct iog_device *dev,
			  struct iog_device **fns, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < dev->bus->ndevs; i++) {
		struct iog_device *f = dev->bus->devs[i];

		if (PCI_SLOT(f->devfn) != PCI_SLOT(dev->devfn) || f->is_virtfn)
			continue;
		if (f->subordinate && f->subordinate->ndevs) {
			iog_err(t->ctx, "%s: moving a bridge with devices behind it is not supported",
				f->address);
			return -ENOTSUP;
		}
		fns[(*n)++] = f;
	}
	return 0;
}

static void set_address(struct iog_device *d, uint32_t seg, uint8_t bus, uint8_t devfn)
{
	d->segment = seg;
	d->busnr = bus;
	d->devfn = devfn;
	iog_format_address(d->address, sizeof(d->address), seg, bus, devfn);
}

IOG_EXPORT int iog_topology_move_slot(struct iog_topology *t, struct iog_device *dev,
				      struct iog_device *port)
{
	struct iog_device *fns[8];
	size_t n;
	int r;

	if ((r = check_empty_port(t, port)) < 0 || (r = slot_functions(t, dev, fns, &n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		set_address(fns[i], port->segment, port->secondary, PCI_FUNC(fns[i]->devfn));
		free(fns[i]->iommu_unit);
		fns[i]->iommu_unit = iog_strdup(port->iommu_unit);
	}
	return iog_topology_link(t);
}

/* A single-function PCIe endpoint without ACS: the plainest card there is. */
IOG_EXPORT int iog_topology_add_card(struct iog_topology *t, struct iog_device *port,
				     struct iog_device **out)
{
	struct iog_device *d;
	uint8_t *c;
	int r;

	if ((r = check_empty_port(t, port)) < 0)
		return r;
	d = iog_topology_add_device(t, port->segment, port->secondary, 0);
	c = calloc(1, PCI_CFG_SPACE_EXP_SIZE);
	if (!c)
		abort();
	/* vendor 0x0000 matches no quirk; class "other network controller" */
	c[PCI_STATUS] = PCI_STATUS_CAP_LIST;
	c[0x0b] = 0x02;
	c[0x0a] = 0x80;
	c[PCI_CAPABILITY_LIST] = 0x40;
	c[0x40] = PCI_CAP_ID_EXP;
	c[0x42] = 0x02; /* capability version 2, type Endpoint */
	d->cfg = c;
	d->cfg_len = PCI_CFG_SPACE_EXP_SIZE;
	d->ext_fact = IOG_FACT_READ;
	d->has_ext = false;
	d->hypothetical = true;
	d->iommu_unit = iog_strdup(port->iommu_unit);
	r = iog_topology_finish_device(d);
	if (r == 0)
		r = iog_topology_link(t);
	*out = d;
	return r;
}

IOG_EXPORT int iog_topology_remove_device(struct iog_topology *t, struct iog_device *dev)
{
	size_t i;

	for (i = 0; i < t->ndevs && t->devs[i] != dev; i++)
		;
	if (i == t->ndevs)
		return -ENOENT;
	memmove(&t->devs[i], &t->devs[i + 1], (t->ndevs - i - 1) * sizeof(*t->devs));
	t->ndevs--;
	iog_device_free(dev);
	return iog_topology_link(t);
}
