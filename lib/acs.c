/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ACS: what the kernel switches on (pci_enable_acs, spec §3.2) and how it
 * judges a device (pci_acs_enabled §2.7, pci_acs_flags_enabled §2.8,
 * pci_acs_path_enabled §2.9).
 */
#include "internal.h"

/* pci_acs_flags_enabled(): bits the capability does not advertise count as
 * hard-wired on; the rest must be enabled in the control word. */
static bool acs_flags_enabled(const struct iog_device *dev, uint16_t flags,
			      struct iog_acs_verdict *why)
{
	uint16_t need;

	if (dev->acs_fact == IOG_FACT_UNKNOWN) {
		why->reason = IOG_ACS_UNKNOWN;
		return false;
	}
	if (!dev->acs_pos) {
		why->reason = IOG_ACS_NO_CAP;
		return false;
	}
	need = flags & (dev->acs_cap | PCI_ACS_EC);
	why->missing = need & ~dev->acs_ctrl;
	why->reason = why->missing ? IOG_ACS_CTRL_MISSING : IOG_ACS_CTRL_OK;
	return !why->missing;
}

/* pci_acs_enabled(), spec §2.7 / §3.1. */
bool iog_acs_enabled(const struct iog_device *dev, const struct iog_profile *p,
		     uint16_t flags, struct iog_acs_verdict *why)
{
	struct iog_acs_verdict local;
	int q;

	if (!why)
		why = &local;
	*why = (struct iog_acs_verdict){ 0 };
	q = iog_quirk_acs_enabled(dev, p, flags, &why->quirk);
	if (q >= 0) {
		why->reason = IOG_ACS_QUIRK;
		why->enabled = q > 0;
		return why->enabled;
	}
	if (dev->pcie_fact == IOG_FACT_UNKNOWN) {
		/* Type unknown (capability list beyond what we could read). */
		why->reason = IOG_ACS_UNKNOWN;
		return false;
	}
	if (!iog_dev_is_pcie(dev)) {
		why->reason = IOG_ACS_NOT_PCIE;
		return false;
	}
	switch (dev->pcie_type) {
	case PCI_EXP_TYPE_PCIE_BRIDGE:
	case PCI_EXP_TYPE_PCI_BRIDGE:
	case PCI_EXP_TYPE_RC_EC:
		why->reason = IOG_ACS_BRIDGE_TYPE;
		return false;
	case PCI_EXP_TYPE_DOWNSTREAM:
	case PCI_EXP_TYPE_ROOT_PORT:
		return why->enabled = acs_flags_enabled(dev, flags, why);
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_UPSTREAM:
	case PCI_EXP_TYPE_LEG_END:
	case PCI_EXP_TYPE_RC_END:
		/* A single function cannot do peer-to-peer with itself. */
		if (dev->multifunction)
			return why->enabled = acs_flags_enabled(dev, flags, why);
		why->reason = IOG_ACS_SINGLE_FUNCTION;
		return why->enabled = true;
	default:
		why->reason = IOG_ACS_OTHER_TYPE;
		return why->enabled = true;
	}
}

/* pci_acs_path_enabled(start, NULL, flags): every bridge up to the root bus. */
bool iog_acs_path_enabled(const struct iog_device *start, const struct iog_profile *p,
			  uint16_t flags, const struct iog_device **blocker)
{
	const struct iog_device *dev = start;

	while (dev) {
		const struct iog_bus *bus = dev->bus;

		if (!iog_acs_enabled(dev, p, flags, NULL)) {
			if (blocker)
				*blocker = dev;
			return false;
		}
		while (!iog_bus_is_root(bus) && !bus->self)
			bus = bus->parent;
		if (iog_bus_is_root(bus))
			return true;
		dev = bus->self;
	}
	return true;
}

/* ---- pci_enable_acs() ---- */

static void std_enable_acs(struct iog_device *dev, const struct iog_profile *p)
{
	uint16_t cap = dev->acs_cap;

	if (!dev->acs_pos)
		return;
	dev->acs_ctrl |= cap & (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF);
	/* TB only with pci=noats (external-facing/untrusted is not in config
	 * space); TB is not among the flags grouping asks for. */
	if (p->noats)
		dev->acs_ctrl |= cap & PCI_ACS_TB;
}

/* pci=disable_acs_redir= and pci=config_acs=: computed from the firmware
 * value, after a device-specific quirk had its chance (§3.2 steps 3-4). */
static void cmdline_acs(struct iog_device *dev, const struct iog_profile *p)
{
	size_t i;

	if (!dev->acs_pos)
		return;
	for (i = 0; i < p->ndisable_acs_redir; i++)
		if (iog_devspec_match(&p->disable_acs_redir[i], dev)) {
			if (!iog_quirk_disable_acs_redir(dev, p))
				dev->acs_ctrl = dev->acs_ctrl_fw &
						~(PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC);
			break;
		}
	for (i = 0; i < p->nconfig_acs; i++) {
		const struct iog_pci_devspec *s = &p->config_acs[i];

		if (iog_devspec_match(s, dev)) {
			if (!iog_quirk_disable_acs_redir(dev, p))
				dev->acs_ctrl = (dev->acs_ctrl_fw & ~s->mask) |
						(s->flags & s->mask);
			break;
		}
	}
}

/* 6.12.75-6.12.77 carried the 7.0 "enable ACS in pci_dma_configure" change
 * without the 6.15 probe-path change: ACS was enabled only when a driver
 * bound, after the groups were formed (spec §3.3). Reverted in 6.12.78. */
bool iog_acs_enabled_after_grouping(const struct iog_profile *p)
{
	return p->kernel == KV(6, 12) && p->sublevel >= 75 && p->sublevel <= 77;
}

void iog_acs_prepare(struct iog_topology *t, const struct iog_profile *p, bool simulate)
{
	bool late = iog_acs_enabled_after_grouping(p);

	if (t->acs_profile == p && t->acs_generation == p->generation &&
	    t->acs_simulated == simulate)
		return;
	t->acs_profile = p;
	t->acs_generation = p->generation;
	t->acs_simulated = simulate;

	for (size_t i = 0; i < t->ndevs; i++) {
		struct iog_device *dev = t->devs[i];
		uint32_t ctrl32;

		/* Start from the facts as read, so one topology serves many profiles. */
		dev->acs_pos = dev->acs_pos_read;
		dev->acs_fact = dev->acs_fact_read;
		dev->acs_cap = dev->acs_cap_read;
		dev->acs_ctrl = dev->acs_ctrl_fw = dev->acs_ctrl_read;
		if (dev->acs_pos)
			iog_cfg_read32(dev, dev->acs_pos + 8, &dev->acs_ctrl32);
		ctrl32 = dev->acs_ctrl32;
		dev->acs_simulated = false;
		dev->dev_flags = 0;
		dev->has_dma_alias = false;
		for (size_t k = 0; k < sizeof(dev->dma_alias_mask); k++)
			dev->dma_alias_mask[k] = 0;

		iog_quirk_acs_cap_mask(dev, p->kernel);
		iog_quirk_header_fixups(dev, p->kernel);
		iog_whatif_apply_acs(dev);

		if (late) {
			/* Grouping saw the firmware's control word; a post-boot
			 * read includes what the kernel set later, so take the
			 * bits it sets as off. */
			if (!simulate)
				dev->acs_ctrl &= ~(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF);
			cmdline_acs(dev, p);
			continue;
		}
		if (!simulate) {
			/* The control words are what the kernel set; only the
			 * quirk's own flag (Intel PCH) is not in config space. */
			iog_quirk_enable_acs(dev, p);
			dev->acs_ctrl32 = ctrl32;
			continue;
		}
		dev->acs_simulated = true;
		if (!iog_quirk_enable_acs(dev, p))
			std_enable_acs(dev, p);
		cmdline_acs(dev, p);
	}
}
