/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * IOMMU platforms, shaped like the kernel's struct iommu_ops: which
 * device_group callback a driver uses, which devices its probe_device accepts
 * (and in which registration pass), and the default domain type of a group
 * (spec §6, §7, §5 "type"; spec/s390.md §6).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum iog_device_group_fn iog_platform_device_group(const struct iog_profile *p)
{
	switch (p->platform) {
	case IOG_PLAT_S390:	/* every zPCI function has its own DMA table */
	case IOG_PLAT_GENERIC:
		return IOG_DG_GENERIC;
	case IOG_PLAT_SINGLE:
		return IOG_DG_SINGLE;
	default:
		return IOG_DG_PCI;
	}
}

/* The IOMMU's own PCI function is never translated by itself. */
static bool is_iommu_function(const struct iog_profile *p, const struct iog_device *dev)
{
	switch (p->platform) {
	case IOG_PLAT_AMD_VI:
		return dev->vendor == 0x1022 && dev->class >> 8 == PCI_CLASS_SYSTEM_IOMMU;
	case IOG_PLAT_VIRTIO_IOMMU:
		return dev->vendor == 0x1af4 && dev->device == 0x1057;
	default:
		return false;
	}
}

static const char *platform_name(const struct iog_profile *p)
{
	return iog_platform_names()[p->platform];
}

/* Before 6.15, IOMMUs found through firmware nodes (VIOT, IORT, device tree)
 * only probe a device when a driver binds to it (spec §9, guide §5.3). */
static bool probes_at_driver_bind(const struct iog_profile *p)
{
	return (p->platform == IOG_PLAT_VIRTIO_IOMMU || p->platform == IOG_PLAT_ARM_SMMU_V3) &&
	       p->kernel < KV(6, 15);
}

/* Registration order of the units the sysfs links name ("dmar3": 3); -1 when
 * the name does not say (an absurd number counts as not saying). */
static int unit_rank(const char *unit, const char *prefix)
{
	char *end;
	long n;

	if (!unit || strncmp(unit, prefix, strlen(prefix)))
		return -1;
	n = strtol(unit + strlen(prefix), &end, 10);
	return *end || n < 0 || n > 1024 ? -1 : (int)n;
}

static void membership_from_links(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;
	const char *prefix = NULL;
	int max_rank = 0;

	if (e->p->platform == IOG_PLAT_INTEL_VTD)
		prefix = "dmar";
	else if (e->p->platform == IOG_PLAT_AMD_VI)
		prefix = "ivhd";
	iog_grouping_assume(e->g, "which IOMMU translates each device: from the sysfs iommu links");
	for (size_t i = 0; i < t->ndevs; i++) {
		const struct iog_device *dev = t->devs[i];
		int rank = 0;

		if (!dev->iommu_unit) {
			e->pass_of[i] = -1;
			iog_grouping_note(e->g, dev, "no IOMMU translates it (sysfs shows no iommu link)");
			continue;
		}
		if (prefix && (rank = unit_rank(dev->iommu_unit, prefix)) < 0) {
			rank = 0;
			e->g->numbers_known = false;
			iog_grouping_assume(e->g, "an IOMMU unit name does not give its registration order: group numbers are unknown");
		}
		e->pass_of[i] = rank;
		if (rank > max_rank)
			max_rank = rank;
	}
	e->npasses = max_rank + 1;
	if (probes_at_driver_bind(e->p)) {
		e->g->numbers_known = false;
		iog_grouping_assume(e->g, "kernel %s probes %s devices when a driver binds: group numbers follow driver probe order, which the source does not record",
				    e->p->kernel_name, platform_name(e->p));
	}
	if (max_rank > 0 && e->p->platform == IOG_PLAT_INTEL_VTD) {
		/* DRHDs without INCLUDE_ALL register in reverse table order,
		 * INCLUDE_ALL ones last: the DMAR table is needed for that. */
		int *saved = malloc(t->ndevs * sizeof(*saved));

		if (!saved)
			abort();
		memcpy(saved, e->pass_of, t->ndevs * sizeof(*saved));
		if (iog_dmar_membership(e) < 0) {
			memcpy(e->pass_of, saved, t->ndevs * sizeof(*saved));
			e->npasses = max_rank + 1;
			e->g->numbers_known = false;
			iog_grouping_assume(e->g, "several VT-d units and no DMAR table: their registration order, and so the group numbers, are unknown");
		}
		free(saved);
	}
}

static void membership_default(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;
	const struct iog_profile *p = e->p;

	e->npasses = 1;
	if (p->platform == IOG_PLAT_INTEL_VTD) {
		if (iog_dmar_membership(e) >= 0)
			return;
		iog_grouping_assume(e->g, "no DMAR table: one VT-d unit translating every device (INCLUDE_ALL)");
	} else if (p->platform == IOG_PLAT_AMD_VI && iog_ivrs_membership(e) >= 0) {
		return;
	} else if (p->platform == IOG_PLAT_VIRTIO_IOMMU && !probes_at_driver_bind(p) &&
		   iog_viot_membership(e) >= 0) {
		for (size_t i = 0; i < t->ndevs; i++)
			if (is_iommu_function(p, t->devs[i]))
				e->pass_of[i] = -1;
		return;
	} else {
		iog_grouping_assume(e->g, "which devices the IOMMU translates: the %s default",
				    platform_name(p));
	}
	for (size_t i = 0; i < t->ndevs; i++) {
		const struct iog_device *dev = t->devs[i];

		e->pass_of[i] = 0;
		if (is_iommu_function(p, dev)) {
			e->pass_of[i] = -1;
			iog_grouping_note(e->g, dev, "the IOMMU's own function is never translated");
		} else if (probes_at_driver_bind(p) && !dev->driver) {
			e->pass_of[i] = -1;
			iog_grouping_note(e->g, dev, "no driver bound: before 6.15 this IOMMU only probes a device when a driver binds");
		}
	}
	if (probes_at_driver_bind(p)) {
		e->g->numbers_known = false;
		iog_grouping_assume(e->g, "kernel %s probes %s devices when a driver binds: group numbers follow driver probe order, which the source does not record",
				    p->kernel_name, platform_name(p));
		if (strcmp(t->kind, "sysfs"))
			iog_grouping_assume(e->g, "the source does not say which drivers are bound");
	}
}

static int cmp_fh(const void *a, const void *b)
{
	const struct iog_device *x = *(struct iog_device *const *)a;
	const struct iog_device *y = *(struct iog_device *const *)b;

	return (x->zpci_fh > y->zpci_fh) - (x->zpci_fh < y->zpci_fh);
}

/* zPCI functions are probed in discovery (CLP list) order, which the function
 * handles' index reflects; their addresses do not (spec/s390.md §2.2). */
static void s390_probe_order(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;
	bool all_fh = true;

	for (size_t i = 0; i < t->ndevs; i++)
		all_fh &= t->devs[i]->zpci_fh >= 0;
	if (all_fh) {
		qsort(e->probe, t->ndevs, sizeof(*e->probe), cmp_fh);
		iog_grouping_assume(e->g, "zPCI discovery order: by function handle");
	} else if (t->ndevs > 1) {
		e->g->numbers_known = false;
		iog_grouping_assume(e->g, "zPCI discovery order is not in the source: group numbers are unknown");
	}
}

/* Group numbers follow the order root buses are scanned in; when the source
 * does not record it and translated devices sit on several root buses, the
 * numbers are a guess. */
static void check_root_order(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;
	const struct iog_bus *first = NULL;

	if (t->root_order_known || e->p->platform == IOG_PLAT_S390)
		return;
	for (size_t i = 0; i < t->ndevs; i++) {
		const struct iog_bus *root = t->devs[i]->bus;

		while (root->parent)
			root = root->parent;
		if (e->pass_of[i] < 0 || root->vmd)
			continue;
		if (!first) {
			first = root;
		} else if (root != first) {
			e->g->numbers_known = false;
			iog_grouping_assume(e->g, "the order firmware lists the PCI host bridges in is not in the source: root buses taken in bus-number order, and the group numbers are unknown");
			return;
		}
	}
}

/* ACPI devices in an IOMMU's scope take the first numbers of its pass. */
static void check_platform_devices(struct iog_engine *e)
{
	unsigned n;

	if (e->p->platform != IOG_PLAT_INTEL_VTD && e->p->platform != IOG_PLAT_AMD_VI)
		return;
	n = iog_acpi_platform_devices(e->t, e->p->platform == IOG_PLAT_INTEL_VTD);
	if (n) {
		e->g->numbers_known = false;
		iog_grouping_assume(e->g, "the %s table puts %u ACPI (non-PCI) device%s in an IOMMU's scope: those present take the first group numbers of their unit's pass, so the PCI group numbers are unknown",
				    e->p->platform == IOG_PLAT_INTEL_VTD ? "DMAR" : "IVRS", n,
				    n == 1 ? "" : "s");
	}
}

void iog_platform_membership(struct iog_engine *e)
{
	const struct iog_topology *t = e->t;

	memcpy(e->probe, t->devs, t->ndevs * sizeof(*e->probe));
	if (t->any_iommu_link && t->platform && !strcmp(t->platform, platform_name(e->p)))
		membership_from_links(e);
	else
		membership_default(e);
	if (e->p->platform == IOG_PLAT_S390)
		s390_probe_order(e);
	/* VMD children are translated through the VMD endpoint. */
	for (size_t i = 0; i < t->ndevs; i++) {
		const struct iog_bus *root = t->devs[i]->bus;

		while (root->parent)
			root = root->parent;
		if (root->vmd)
			e->pass_of[i] = e->pass_of[root->vmd->order];
	}
	check_root_order(e);
	check_platform_devices(e);
	if (e->p->platform == IOG_PLAT_VIRTIO_IOMMU && e->p->kernel >= KV(7, 0))
		for (size_t i = 0; i < t->ndevs; i++)
			if (t->devs[i]->pcie_type == PCI_EXP_TYPE_PCI_BRIDGE ||
			    (!iog_dev_is_pcie(t->devs[i]) && iog_dev_is_bridge(t->devs[i]))) {
				iog_grouping_assume(e->g, "virtio-iommu on 7.x with a PCI bridge: a real 7.2 kernel was seen to drop every group in this setup (cause not traced); the prediction shows the groups it logged before that");
				break;
			}
}

/* arm-smmu-v3 refuses a device whose stream ID another device already owns
 * ("Aliasing StreamID unsupported"): devices behind a PCIe-to-PCI bridge share
 * the bridge's alias and only the first one probes. */
bool iog_platform_probe_fails(struct iog_engine *e, struct iog_device *dev)
{
	uint16_t sids[2];

	if (e->p->platform != IOG_PLAT_ARM_SMMU_V3)
		return false;
	if (!e->sid_owner) {
		e->sid_owner = calloc(65536, sizeof(*e->sid_owner));
		if (!e->sid_owner)
			abort();
	}
	sids[0] = dev->busnr << 8 | dev->devfn;
	sids[1] = iog_dma_alias_rid(dev);
	for (int i = 0; i < 2; i++) {
		uint32_t owner = e->sid_owner[sids[i]];

		if (owner && owner != dev->order + 1) {
			iog_grouping_note(e->g, dev, "its stream ID %04x is already used by %s: SMMUv3 refuses aliasing stream IDs",
					  sids[i], e->t->devs[owner - 1]->address);
			return true;
		}
	}
	for (int i = 0; i < 2; i++)
		e->sid_owner[sids[i]] = dev->order + 1;
	return false;
}

/* AMD: an IOMMU that reports NpCache is emulated, and the driver then uses
 * strict invalidation ("Using strict mode due to virtualization"). The bit is
 * in the IOMMU function's capability header (cap ID 0x0f, bit 26). */
static bool amd_np_cache(const struct iog_topology *t)
{
	for (size_t i = 0; i < t->ndevs; i++) {
		const struct iog_device *dev = t->devs[i];
		uint32_t hdr;
		int pos;

		if (dev->vendor != 0x1022 || dev->class >> 8 != PCI_CLASS_SYSTEM_IOMMU)
			continue;
		pos = iog_find_capability(dev, 0x0f);
		if (pos > 0 && iog_cfg_read32(dev, pos, &hdr) && (hdr & (1u << 26)))
			return true;
	}
	return false;
}

const char *iog_platform_group_type(const struct iog_engine *e)
{
	const struct iog_profile *p = e->p;
	bool strict = p->strict_set && p->strict;

	if (p->passthrough_set && p->passthrough && p->platform != IOG_PLAT_S390)
		return "identity";
	switch (p->platform) {
	case IOG_PLAT_INTEL_VTD:
	case IOG_PLAT_VIRTIO_IOMMU:
		return strict ? "DMA" : "DMA-FQ";
	case IOG_PLAT_AMD_VI:
		return strict || amd_np_cache(e->t) ? "DMA" : "DMA-FQ";
	case IOG_PLAT_S390:
		/* no default domain before the dma-iommu conversion in 6.7 */
		if (p->kernel < KV(6, 7))
			return "unknown";
		return strict ? "DMA" : "DMA-FQ";
	case IOG_PLAT_ARM_SMMU_V3:
		return "DMA";
	default:
		return NULL;
	}
}
