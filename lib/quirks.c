// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Device quirks that change IOMMU grouping (spec/kernel-grouping.md §4).
 *
 * Every table here is data: one row per entry of the kernel's own table, in the
 * kernel's order, with the range of kernel versions (KV()) in which the entry
 * exists. Only IDs, bit values and offsets carry over from drivers/pci/quirks.c;
 * the code is written from the specification.
 *
 * Version evidence (doc/quirks.md has the full table):
 *  - 6.1: the 6.1.166 stable tree (BG9OXA/linux-6.1.y-rockchip). Stable picked up
 *    most ID additions made to mainline after 6.1.0 (Qualcomm SA8775P, Broadcom
 *    BCM5750x/5760x, Wangxun AML, Loongson, Glenfly, PLX NTB ...), so the "6.1"
 *    profile means a current 6.1.y, not 6.1.0.
 *  - 6.12: a 6.12.y tree of unknown sublevel (wishday/linux-6.12.y). It lacks the
 *    Loongson rows that 6.1.166 has: that tree predates the stable backport, so
 *    the rows are taken as present in a current 6.12.y (uncertain).
 *  - 7.2: spec §4 (read from 7.2.13).
 *  - Rows first seen in 7.0 (spec: Qualcomm Hamoa/Glymur, ASPEED no-alias, IDT SV
 *    masking) are absent from both stable trees above and carry KV(7, 0).
 */
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Table callbacks share one signature; most ignore some of their arguments. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#define ANY_ID 0xffff /* the kernel's (u16)PCI_ANY_ID */

#define VID_ATI 0x1002
#define VID_AMD 0x1022
#define VID_SOLARFLARE 0x1924
#define VID_INTEL 0x8086
#define VID_QCOM 0x17cb
#define VID_HXT 0x1dbf
#define VID_CAVIUM 0x177d
#define VID_AMCC 0x10e8
#define VID_AMPERE 0x1def
#define VID_BROADCOM 0x14e4
#define VID_LOONGSON 0x0014
#define VID_AMAZON_AL 0x1c36
#define VID_ZHAOXIN 0x1d17
#define VID_NXP 0x1957
#define VID_WANGXUN 0x8088
#define VID_RICOH 0x1180
#define VID_GLENFLY 0x6766
#define VID_MARVELL_EXT 0x1b4b
#define VID_TTI 0x1103
#define VID_JMICRON 0x197b
#define VID_LITEON 0x1c28
#define VID_ADAPTEC2 0x9005
#define VID_PLX 0x10b5
#define VID_ASMEDIA 0x1b21
#define VID_TUNDRA 0x10e3
#define VID_ITE 0x1283
#define VID_ASPEED 0x1a03
#define VID_IDT 0x111d

/* ACS controls a port without a (usable) ACS capability is credited with. */
#define ACS_PORT_SET (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
/* ... and those a vendor-verified multifunction device is credited with. */
#define ACS_MF_SET \
	(PCI_ACS_SV | PCI_ACS_TB | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF | PCI_ACS_DT)

/* The SPT/UPT parts put a 32-bit control register at ACS cap + 8 (§4.2b). */
#define SPT_ACS_CAP32 4
#define SPT_ACS_CTRL32 8

/* LPC bridge 31.0 and its RCBA register, read by the PCH enable quirk (§4.3). */
#define INTEL_LPC_DEVFN 0xf8
#define INTEL_LPC_RCBA 0xf0
#define INTEL_LPC_RCBA_ENABLE 0x1u

static int kernel_of(const struct iog_profile *p)
{
	return p ? p->kernel : KV_ANY_MAX;
}

static bool in_range(int kernel, int kmin, int kmax)
{
	return kernel >= kmin && kernel <= kmax;
}

static bool id_match(uint16_t vendor, uint16_t device, const struct iog_device *dev)
{
	return (vendor == ANY_ID || vendor == dev->vendor) &&
	       (device == ANY_ID || device == dev->device);
}

static bool is_type(const struct iog_device *dev, int type)
{
	return iog_dev_is_pcie(dev) && dev->pcie_type == type;
}

/* "Enabled for S": every requested control is one the device provides. */
static int acs_ctrl_enabled(uint16_t req, uint16_t provided)
{
	return (req & provided) == req;
}

/* ------------------------------------------------------------------------ */
/* pci_dev_acs_enabled[] functions (§4.1). -1 = no opinion, keep scanning.   */

typedef int (*acs_quirk_fn)(const struct iog_device *dev, const struct iog_profile *p,
			    uint16_t flags);

/*
 * AMD/ATI southbridge functions never do peer-to-peer when an AMD IOMMU is
 * present, so the SB multifunction device counts as redirecting RR/CR. Without
 * the IVRS table the premise does not hold: no opinion, and the function fails
 * the generic multifunction test. A missing IVRS in the model (unreadable
 * without root) therefore errs on the merged side.
 */
static int pci_quirk_amd_sb_acs(const struct iog_device *dev, const struct iog_profile *p,
				uint16_t flags)
{
	if (!dev->multifunction || !dev->bus || !iog_bus_is_root(dev->bus))
		return -1;
	if (!dev->topo || !dev->topo->ivrs)
		return -1;
	flags &= PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC | PCI_ACS_DT;
	return acs_ctrl_enabled(flags, PCI_ACS_RR | PCI_ACS_CR);
}

/* Vendor-verified functions that never talk to their siblings. No type check. */
static int pci_quirk_mf_endpoint_acs(const struct iog_device *dev,
				     const struct iog_profile *p, uint16_t flags)
{
	return acs_ctrl_enabled(flags, ACS_MF_SET);
}

/* Intel RCiEPs may only do translated peer-to-peer (VT-d spec): isolated. */
static int pci_quirk_rciep_acs(const struct iog_device *dev, const struct iog_profile *p,
			       uint16_t flags)
{
	/* The kernel checks the type without pci_is_pcie(); -1 never equals 9. */
	if (dev->pcie_type != PCI_EXP_TYPE_RC_END)
		return -1;
	return acs_ctrl_enabled(flags, ACS_PORT_SET);
}

/*
 * Root ports that are each their own root complex (Qualcomm, HXT, NXP, X-Gene,
 * Ampere, Broadcom iProc, Loongson): no ACS capability, but no peer path
 * either. Without these rows every such port would swallow its neighbours.
 */
static int pci_quirk_qcom_rp_acs(const struct iog_device *dev,
				 const struct iog_profile *p, uint16_t flags)
{
	return acs_ctrl_enabled(flags, ACS_PORT_SET);
}

static int pci_quirk_nxp_rp_acs(const struct iog_device *dev, const struct iog_profile *p,
				uint16_t flags)
{
	return acs_ctrl_enabled(flags, ACS_PORT_SET);
}

static int pci_quirk_xgene_acs(const struct iog_device *dev, const struct iog_profile *p,
			       uint16_t flags)
{
	return acs_ctrl_enabled(flags, ACS_PORT_SET);
}

static int pci_quirk_brcm_acs(const struct iog_device *dev, const struct iog_profile *p,
			      uint16_t flags)
{
	return acs_ctrl_enabled(flags, ACS_PORT_SET);
}

static int pci_quirk_loongson_acs(const struct iog_device *dev,
				  const struct iog_profile *p, uint16_t flags)
{
	return acs_ctrl_enabled(flags, ACS_PORT_SET);
}

/* §4.2a: PCH root ports with ACS-like controls but no ACS capability. */
static bool intel_pch_id(uint16_t device)
{
	switch (device) {
	case 0x3b42 ... 0x3b51: /* Ibexpeak */
	case 0x1c10 ... 0x1c1f: /* Cougarpoint */
	case 0x1e10 ... 0x1e1f: /* Pantherpoint */
	case 0x8c10 ... 0x8c1f: /* Lynxpoint-H */
	case 0x9c10 ... 0x9c1b: /* Lynxpoint-LP */
	case 0x9c90 ... 0x9c9b: /* Wildcat */
	case 0x8d10 ... 0x8d1e: /* Wellsburg (X99); 0x8d1f is not listed */
		return true;
	case 0x1d10: case 0x1d12: case 0x1d14: case 0x1d16: /* Patsburg (X79), */
	case 0x1d18: case 0x1d1a: case 0x1d1c: case 0x1d1e: /* even IDs only */
	case 0x8c90: case 0x8c92: case 0x8c94: case 0x8c96: /* 9 series, */
	case 0x8c98: case 0x8c9a: case 0x8c9c: case 0x8c9e: /* even IDs only */
		return true;
	default:
		return false;
	}
}

static bool intel_pch_match(const struct iog_device *dev)
{
	return dev->vendor == VID_INTEL && is_type(dev, PCI_EXP_TYPE_ROOT_PORT) &&
	       intel_pch_id(dev->device);
}

/*
 * The isolation of a PCH port exists only if the enable quirk managed to switch
 * it on (ACS_ENABLED_QUIRK). Otherwise the answer is a definite "no", which
 * also stops the table scan: later rows (the appended override) never see it.
 */
static int pci_quirk_intel_pch_acs(const struct iog_device *dev,
				   const struct iog_profile *p, uint16_t flags)
{
	if (!intel_pch_match(dev))
		return -1;
	if (dev->dev_flags & PCI_DEV_FLAGS_ACS_ENABLED_QUIRK)
		return acs_ctrl_enabled(flags, ACS_PORT_SET);
	return acs_ctrl_enabled(flags, 0);
}

/* §4.2b: Sunrise Point, Union Point, 7th/8th gen mobile root ports. */
static bool intel_spt_id(uint16_t device)
{
	switch (device) {
	case 0xa110 ... 0xa11f: /* Sunrise Point */
	case 0xa167 ... 0xa16a:
	case 0xa290 ... 0xa29f: /* Union Point */
	case 0xa2e7 ... 0xa2ee:
	case 0x9d10 ... 0x9d1b: /* 7th/8th gen mobile */
		return true;
	default:
		return false;
	}
}

static bool intel_spt_match(const struct iog_device *dev)
{
	return dev->vendor == VID_INTEL && is_type(dev, PCI_EXP_TYPE_ROOT_PORT) &&
	       intel_spt_id(dev->device);
}

/* Both SPT dwords (cap + 4, cap + 8) are in what the source gave us. */
static bool spt_regs_readable(const struct iog_device *dev)
{
	uint32_t v;

	return iog_cfg_read32(dev, dev->acs_pos + SPT_ACS_CAP32, &v) &&
	       iog_cfg_read32(dev, dev->acs_pos + SPT_ACS_CTRL32, &v);
}

/*
 * SPT ports have a real ACS capability but with dword registers, so the
 * generic test would read the wrong control word (+6 instead of +8). Unknown
 * dwords (truncated config space) give a definite "not isolated", never a
 * guess from the wrong word.
 */
static int pci_quirk_intel_spt_pch_acs(const struct iog_device *dev,
				       const struct iog_profile *p, uint16_t flags)
{
	uint16_t need;

	if (!intel_spt_match(dev))
		return -1;
	if (dev->acs_fact == IOG_FACT_UNKNOWN || !dev->acs_pos)
		return -1; /* unknown capability: the generic path is conservative */
	if (!spt_regs_readable(dev))
		return 0;
	need = flags & (uint16_t)(dev->acs_cap32 | PCI_ACS_EC);
	return (dev->acs_ctrl32 & need) == need;
}

/* ThunderX root ports enforce SV/RR/CR/UF internally without advertising ACS. */
static bool cavium_match(const struct iog_device *dev)
{
	if (!is_type(dev, PCI_EXP_TYPE_ROOT_PORT))
		return false;
	switch (dev->device) {
	case 0xa000 ... 0xa7ff: /* ThunderX1 */
	case 0xaf84:		/* ThunderX2 */
	case 0xb884:		/* ThunderX3 */
		return true;
	default:
		return false;
	}
}

static int pci_quirk_cavium_acs(const struct iog_device *dev, const struct iog_profile *p,
				uint16_t flags)
{
	if (!cavium_match(dev))
		return -1;
	return acs_ctrl_enabled(flags, ACS_PORT_SET);
}

/* Annapurna Labs root ports: one segment each, no peer path. */
static int pci_quirk_al_acs(const struct iog_device *dev, const struct iog_profile *p,
			    uint16_t flags)
{
	/* No pci_is_pcie() check in the kernel either; -1 is not a root port. */
	if (dev->pcie_type != PCI_EXP_TYPE_ROOT_PORT)
		return -1;
	return (flags & ~ACS_PORT_SET) ? 0 : 1;
}

/*
 * Zhaoxin: only the listed root/downstream ports block peer traffic. Every
 * other Zhaoxin port is declared not isolated, even one with a proper ACS
 * capability — newer parts were expected to use real ACS, but this row
 * answers first and stops the scan.
 */
static int pci_quirk_zhaoxin_pcie_ports_acs(const struct iog_device *dev,
					    const struct iog_profile *p, uint16_t flags)
{
	if (!is_type(dev, PCI_EXP_TYPE_ROOT_PORT) &&
	    !is_type(dev, PCI_EXP_TYPE_DOWNSTREAM))
		return -1;
	switch (dev->device) {
	case 0x0710 ... 0x071e:
	case 0x0721:
	case 0x0723 ... 0x0752:
		return acs_ctrl_enabled(flags, ACS_PORT_SET);
	default:
		return 0;
	}
}

/*
 * Wangxun NICs redirect peer traffic between functions upstream. Any other
 * Wangxun device is declared not isolated (no type check).
 */
static int pci_quirk_wangxun_nic_acs(const struct iog_device *dev,
				     const struct iog_profile *p, uint16_t flags)
{
	switch (dev->device) {
	case 0x0100 ... 0x010f: /* EM */
	case 0x1001: case 0x2001: /* SP */
	case 0x5010: case 0x5025: case 0x5040: /* AML */
	case 0x5110: case 0x5125: case 0x5140:
		return acs_ctrl_enabled(flags, ACS_PORT_SET);
	default:
		return 0;
	}
}

static bool override_id_match(const struct iog_device *dev, const struct iog_profile *p)
{
	size_t n = p->noverride_ids;
	size_t i;

	if (n > sizeof(p->override_ids) / sizeof(p->override_ids[0]))
		n = sizeof(p->override_ids) / sizeof(p->override_ids[0]);
	for (i = 0; i < n; i++)
		if (p->override_ids[i][0] == dev->vendor &&
		    p->override_ids[i][1] == dev->device)
			return true;
	return false;
}

/*
 * Out-of-tree pcie_acs_override= (§3.5). It answers "isolated" whatever the
 * requested flags, and only ever for PCIe functions without an ACS capability.
 * When we cannot tell whether the capability exists, stay out: the generic
 * path then treats the device as not isolated.
 */
static int pcie_acs_overrides(const struct iog_device *dev, const struct iog_profile *p,
			      uint16_t flags)
{
	if (!p || !p->override_enabled)
		return -1;
	if (!iog_dev_is_pcie(dev) || dev->acs_fact == IOG_FACT_UNKNOWN || dev->acs_pos)
		return -1;
	if (override_id_match(dev, p))
		return 1;
	switch (dev->pcie_type) {
	case PCI_EXP_TYPE_DOWNSTREAM:
	case PCI_EXP_TYPE_ROOT_PORT:
		if (p->override_downstream)
			return 1;
		break;
	case PCI_EXP_TYPE_ENDPOINT:
	case PCI_EXP_TYPE_UPSTREAM:
	case PCI_EXP_TYPE_LEG_END:
	case PCI_EXP_TYPE_RC_END:
		if (p->override_multifunction && dev->multifunction)
			return 1;
		break;
	default:
		break;
	}
	return -1;
}

/* ------------------------------------------------------------------------ */
/* The table (§4.1), in kernel order.                                         */

#define OVR_NONE (-1)

struct acs_quirk {
	uint16_t vendor, device;
	acs_quirk_fn fn;
	const char *name; /* kernel function name, for reason records */
	int kmin, kmax;
	int override_pos; /* pcie_acs_override slot: enum iog_override_position */
};

#define Q(v, d, f) { v, d, f, #f, KV_ANY_MIN, KV_ANY_MAX, OVR_NONE }
#define Q_FROM(v, d, f, min) { v, d, f, #f, min, KV_ANY_MAX, OVR_NONE }
#define Q_OVERRIDE(pos)                                                       \
	{ ANY_ID, ANY_ID, pcie_acs_overrides, "pcie_acs_overrides", KV_ANY_MIN, \
	  KV_ANY_MAX, pos }

#define MF(v, d) Q(v, d, pci_quirk_mf_endpoint_acs)

static const struct acs_quirk acs_quirks[] = {
	/* AMD/ATI SB functions: isolated only with an AMD IOMMU (IVRS). */
	Q(VID_ATI, 0x4385, pci_quirk_amd_sb_acs),
	Q(VID_ATI, 0x439c, pci_quirk_amd_sb_acs),
	Q(VID_ATI, 0x4383, pci_quirk_amd_sb_acs),
	Q(VID_ATI, 0x439d, pci_quirk_amd_sb_acs),
	Q(VID_ATI, 0x4384, pci_quirk_amd_sb_acs),
	Q(VID_ATI, 0x4399, pci_quirk_amd_sb_acs),
	Q(VID_AMD, 0x780f, pci_quirk_amd_sb_acs),
	Q(VID_AMD, 0x7809, pci_quirk_amd_sb_acs),
	/* Multifunction NICs without peer paths between functions. */
	MF(VID_SOLARFLARE, 0x0903),
	MF(VID_SOLARFLARE, 0x0923),
	MF(VID_SOLARFLARE, 0x0a03),
	MF(VID_INTEL, 0x10c6),
	MF(VID_INTEL, 0x10db),
	MF(VID_INTEL, 0x10dd),
	MF(VID_INTEL, 0x10e1),
	MF(VID_INTEL, 0x10f1),
	MF(VID_INTEL, 0x10f7),
	MF(VID_INTEL, 0x10f8),
	MF(VID_INTEL, 0x10f9),
	MF(VID_INTEL, 0x10fa),
	MF(VID_INTEL, 0x10fb),
	MF(VID_INTEL, 0x10fc),
	MF(VID_INTEL, 0x1507),
	MF(VID_INTEL, 0x1514),
	MF(VID_INTEL, 0x151c),
	MF(VID_INTEL, 0x1529),
	MF(VID_INTEL, 0x152a),
	MF(VID_INTEL, 0x154d),
	MF(VID_INTEL, 0x154f),
	MF(VID_INTEL, 0x1551),
	MF(VID_INTEL, 0x1558),
	/* 82580 */
	MF(VID_INTEL, 0x1509),
	MF(VID_INTEL, 0x150e),
	MF(VID_INTEL, 0x150f),
	MF(VID_INTEL, 0x1510),
	MF(VID_INTEL, 0x1511),
	MF(VID_INTEL, 0x1516),
	MF(VID_INTEL, 0x1527),
	/* 82576 */
	MF(VID_INTEL, 0x10c9),
	MF(VID_INTEL, 0x10e6),
	MF(VID_INTEL, 0x10e7),
	MF(VID_INTEL, 0x10e8),
	MF(VID_INTEL, 0x150a),
	MF(VID_INTEL, 0x150d),
	MF(VID_INTEL, 0x1518),
	MF(VID_INTEL, 0x1526),
	/* 82575 */
	MF(VID_INTEL, 0x10a7),
	MF(VID_INTEL, 0x10a9),
	MF(VID_INTEL, 0x10d6),
	/* I350 */
	MF(VID_INTEL, 0x1521),
	MF(VID_INTEL, 0x1522),
	MF(VID_INTEL, 0x1523),
	MF(VID_INTEL, 0x1524),
	/* 82571 (not the quad-port parts, which sit behind a non-ACS switch) */
	MF(VID_INTEL, 0x105e),
	MF(VID_INTEL, 0x105f),
	MF(VID_INTEL, 0x1060),
	MF(VID_INTEL, 0x10d9),
	/* I219 */
	MF(VID_INTEL, 0x15b7),
	MF(VID_INTEL, 0x15b8),
	/* Intel RCiEPs: keeps multifunction integrated devices apart. */
	Q(VID_INTEL, ANY_ID, pci_quirk_rciep_acs),
	/* Qualcomm QDF2xxx, SA8775P; Hamoa and Glymur only from 7.0. */
	Q(VID_QCOM, 0x0400, pci_quirk_qcom_rp_acs),
	Q(VID_QCOM, 0x0401, pci_quirk_qcom_rp_acs),
	Q(VID_QCOM, 0x0115, pci_quirk_qcom_rp_acs),
	Q_FROM(VID_QCOM, 0x0111, pci_quirk_qcom_rp_acs, KV(7, 0)),
	Q_FROM(VID_QCOM, 0x0120, pci_quirk_qcom_rp_acs, KV(7, 0)),
	/* HXT SD4800: same design as QDF2xxx */
	Q(VID_HXT, 0x0401, pci_quirk_qcom_rp_acs),
	/* Intel PCH root ports: definite 0 unless the enable quirk worked. */
	Q(VID_INTEL, ANY_ID, pci_quirk_intel_pch_acs),
	/* Intel SPT/UPT root ports: control word is at the wrong offset. */
	Q(VID_INTEL, ANY_ID, pci_quirk_intel_spt_pch_acs),
	MF(0x19a2, 0x0710), /* Emulex BE3-R */
	MF(0x10df, 0x0720), /* Emulex Skyhawk-R */
	/* Cavium ThunderX root ports, then Cavium multifunction devices. */
	Q(VID_CAVIUM, ANY_ID, pci_quirk_cavium_acs),
	MF(VID_CAVIUM, 0xa026),
	MF(VID_CAVIUM, 0xa059),
	MF(VID_CAVIUM, 0xa060),
	/* APM X-Gene */
	Q(VID_AMCC, 0xe004, pci_quirk_xgene_acs),
	/* Proxmox (pve-kernel) inserts the override here. */
	Q_OVERRIDE(IOG_OVERRIDE_PROXMOX),
	/* Ampere */
	Q(VID_AMPERE, 0xe005, pci_quirk_xgene_acs),
	Q(VID_AMPERE, 0xe006, pci_quirk_xgene_acs),
	Q(VID_AMPERE, 0xe007, pci_quirk_xgene_acs),
	Q(VID_AMPERE, 0xe008, pci_quirk_xgene_acs),
	Q(VID_AMPERE, 0xe009, pci_quirk_xgene_acs),
	Q(VID_AMPERE, 0xe00a, pci_quirk_xgene_acs),
	Q(VID_AMPERE, 0xe00b, pci_quirk_xgene_acs),
	Q(VID_AMPERE, 0xe00c, pci_quirk_xgene_acs),
	/* Broadcom multifunction NICs, then the iProc PAXB root port. */
	MF(VID_BROADCOM, 0x16d7),
	MF(VID_BROADCOM, 0x1750),
	MF(VID_BROADCOM, 0x1751),
	MF(VID_BROADCOM, 0x1752),
	MF(VID_BROADCOM, 0x1760),
	MF(VID_BROADCOM, 0x1761),
	MF(VID_BROADCOM, 0x1762),
	MF(VID_BROADCOM, 0x1763),
	Q(VID_BROADCOM, 0xd714, pci_quirk_brcm_acs),
	/* Loongson root ports (stable backport; see the file header). */
	Q(VID_LOONGSON, 0x3c09, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x3c19, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x3c29, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x7a09, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x7a19, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x7a29, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x7a39, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x7a49, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x7a59, pci_quirk_loongson_acs),
	Q(VID_LOONGSON, 0x7a69, pci_quirk_loongson_acs),
	/* Amazon Annapurna Labs root port */
	Q(VID_AMAZON_AL, 0x0031, pci_quirk_al_acs),
	/* Zhaoxin multifunction devices (before the Zhaoxin ANY row). */
	MF(VID_ZHAOXIN, 0x3038),
	MF(VID_ZHAOXIN, 0x3104),
	MF(VID_ZHAOXIN, 0x9083),
	/* NXP LX2xx0/LX2xx2 root ports, each its own segment. */
	Q(VID_NXP, 0x8d81, pci_quirk_nxp_rp_acs), /* LX2xx0A */
	Q(VID_NXP, 0x8da1, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d83, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d80, pci_quirk_nxp_rp_acs), /* LX2xx0C */
	Q(VID_NXP, 0x8da0, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d82, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d90, pci_quirk_nxp_rp_acs), /* LX2xx0E */
	Q(VID_NXP, 0x8db0, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d92, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d91, pci_quirk_nxp_rp_acs), /* LX2xx0N */
	Q(VID_NXP, 0x8db1, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d93, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d89, pci_quirk_nxp_rp_acs), /* LX2xx2A */
	Q(VID_NXP, 0x8da9, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d8b, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d88, pci_quirk_nxp_rp_acs), /* LX2xx2C */
	Q(VID_NXP, 0x8da8, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d8a, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d98, pci_quirk_nxp_rp_acs), /* LX2xx2E */
	Q(VID_NXP, 0x8db8, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d9a, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d99, pci_quirk_nxp_rp_acs), /* LX2xx2N */
	Q(VID_NXP, 0x8db9, pci_quirk_nxp_rp_acs),
	Q(VID_NXP, 0x8d9b, pci_quirk_nxp_rp_acs),
	/* Zhaoxin root/downstream ports: definite 0 outside the ID ranges. */
	Q(VID_ZHAOXIN, ANY_ID, pci_quirk_zhaoxin_pcie_ports_acs),
	/* Wangxun NICs: definite 0 for every unlisted Wangxun function. */
	Q(VID_WANGXUN, ANY_ID, pci_quirk_wangxun_nic_acs),
	/* linux-acs-override / older zen append the override here. */
	Q_OVERRIDE(IOG_OVERRIDE_APPENDED),
};

static bool acs_row_active(const struct acs_quirk *q, const struct iog_profile *p)
{
	if (!in_range(kernel_of(p), q->kmin, q->kmax))
		return false;
	if (q->override_pos == OVR_NONE)
		return true;
	return p && p->override_enabled && (int)p->override_pos == q->override_pos;
}

int iog_quirk_acs_enabled(const struct iog_device *dev, const struct iog_profile *p,
			  uint16_t flags, const char **function)
{
	size_t i;
	int ret;

	if (function)
		*function = NULL;
	for (i = 0; i < sizeof(acs_quirks) / sizeof(acs_quirks[0]); i++) {
		const struct acs_quirk *q = &acs_quirks[i];

		if (!id_match(q->vendor, q->device, dev) || !acs_row_active(q, p))
			continue;
		ret = q->fn(dev, p, flags);
		if (ret >= 0) {
			if (function)
				*function = q->name;
			return ret > 0;
		}
	}
	return -1;
}

/* ------------------------------------------------------------------------ */
/* Header fixups: DMA aliases (§4.5) and bridge flags (§4.6).                 */

static void add_dma_alias(struct iog_device *dev, unsigned int first, unsigned int nr)
{
	unsigned int f;

	for (f = first; f < first + nr && f < 256; f++)
		dev->dma_alias_mask[f / 8] |= (uint8_t)(1u << (f % 8));
	dev->has_dma_alias = true;
}

/* Ricoh/Glenfly functions issue DMA with function 0's requester ID. */
static void quirk_dma_func0_alias(struct iog_device *dev)
{
	if (PCI_FUNC(dev->devfn) != 0)
		add_dma_alias(dev, (unsigned int)(dev->devfn & ~7u), 1);
}

/* Marvell-style SATA: DMA appears from function 1, which may be a ghost. */
static void quirk_dma_func1_alias(struct iog_device *dev)
{
	if (PCI_FUNC(dev->devfn) != 1)
		add_dma_alias(dev, (unsigned int)(dev->devfn & ~7u) + 1, 1);
}

/* Adaptec 3405/3805: a hidden DMA engine at 01.0 behind the exposed ATU. */
static void quirk_fixed_dma_alias(struct iog_device *dev)
{
	if (dev->subsys_vendor == VID_ADAPTEC2 &&
	    (dev->subsys_device == 0x02bb || dev->subsys_device == 0x02bc))
		add_dma_alias(dev, 0x08, 1);
}

/* MIC x200 NTB forwards with the RIDs of its EEPROM RIT-LUT table. */
static void quirk_mic_x200_dma_alias(struct iog_device *dev)
{
	add_dma_alias(dev, 0x80, 1); /* 10.0 */
	add_dma_alias(dev, 0x88, 1); /* 11.0 */
	add_dma_alias(dev, 0x93, 1); /* 12.3 */
}

/* Intel VCA: any slot of the far side, functions 0-4; one group for the card. */
static void quirk_pex_vca_alias(struct iog_device *dev)
{
	unsigned int slot;

	for (slot = 0; slot < 32; slot++)
		add_dma_alias(dev, slot * 8, 5);
}

/* PLX NTB proxies may use any devfn: absorbs every device on its bus. */
static void quirk_plx_ntb_dma_alias(struct iog_device *dev)
{
	add_dma_alias(dev, 0, 256);
}

/*
 * PCIe-to-PCI bridges that hide their PCIe capability would otherwise alias
 * with their own RID instead of (secondary, 0). Only a non-root, type-1,
 * non-PCIe bridge below a PCIe bridge that is not itself PCIe-to-PCI is in
 * that situation.
 */
static void quirk_use_pcie_bridge_dma_alias(struct iog_device *dev)
{
	const struct iog_device *up;

	if (!dev->bus || iog_bus_is_root(dev->bus))
		return;
	if (dev->hdr_type != PCI_HEADER_TYPE_BRIDGE || iog_dev_is_pcie(dev))
		return;
	up = dev->bus->self;
	if (!up || !iog_dev_is_pcie(up) || up->pcie_type == PCI_EXP_TYPE_PCI_BRIDGE)
		return;
	dev->dev_flags |= PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS;
}

/* Vulcan/ThunderX2: the IOMMU sits below this bridge; aliases stop here. */
static void quirk_bridge_cavm_thrx2_pcie_root(struct iog_device *dev)
{
	dev->dev_flags |= PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT;
}

/*
 * ASPEED AST1150 forwards with the original RIDs: no (secondary, 0) alias,
 * which avoids SMMUv3 "Aliasing StreamID unsupported". The kernel function
 * name is not verified (patch by Nirmoy Das, Dec 2025, ≈7.0).
 */
static void quirk_pci_bridge_no_alias(struct iog_device *dev)
{
	dev->dev_flags |= PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS;
}

typedef void (*header_fixup_fn)(struct iog_device *dev);

struct header_fixup {
	uint16_t vendor, device;
	header_fixup_fn fn;
	const char *name;
	int kmin, kmax;
};

#define H(v, d, f) { v, d, f, #f, KV_ANY_MIN, KV_ANY_MAX }
#define H_FROM(v, d, f, min) { v, d, f, #f, min, KV_ANY_MAX }

/*
 * Not modelled: the Switchtec/EFAR NTB aliases (final fixup) come from
 * requester-ID tables in BAR0 MMIO, which no config dump contains; the source
 * layer must take them from the kernel log or from the user.
 */
static const struct header_fixup header_fixups[] = {
	H(VID_RICOH, 0xe832, quirk_dma_func0_alias),
	H(VID_RICOH, 0xe476, quirk_dma_func0_alias),
	H(VID_GLENFLY, 0x3d40, quirk_dma_func0_alias),
	H(VID_GLENFLY, 0x3d41, quirk_dma_func0_alias),
	H(VID_MARVELL_EXT, 0x9120, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9123, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9125, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9128, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9130, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9170, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9172, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x917a, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9182, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9183, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x91a0, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9215, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9220, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9230, quirk_dma_func1_alias),
	H(VID_MARVELL_EXT, 0x9235, quirk_dma_func1_alias),
	H(VID_TTI, 0x0642, quirk_dma_func1_alias),
	H(VID_TTI, 0x0645, quirk_dma_func1_alias),
	H(VID_JMICRON, 0x2392, quirk_dma_func1_alias), /* JMB388_ESD */
	H(VID_LITEON, 0x0122, quirk_dma_func1_alias),  /* Plextor M6E */
	H(VID_ADAPTEC2, 0x0285, quirk_fixed_dma_alias),
	H(VID_ASMEDIA, 0x1080, quirk_use_pcie_bridge_dma_alias),
	H(VID_TUNDRA, 0x8113, quirk_use_pcie_bridge_dma_alias),
	H(VID_ITE, 0x8892, quirk_use_pcie_bridge_dma_alias),
	H(VID_ITE, 0x8893, quirk_use_pcie_bridge_dma_alias),
	H(VID_INTEL, 0x244e, quirk_use_pcie_bridge_dma_alias),
	H(VID_INTEL, 0x2260, quirk_mic_x200_dma_alias),
	H(VID_INTEL, 0x2264, quirk_mic_x200_dma_alias),
	H(VID_INTEL, 0x2954, quirk_pex_vca_alias),
	H(VID_INTEL, 0x2955, quirk_pex_vca_alias),
	H(VID_INTEL, 0x2956, quirk_pex_vca_alias),
	H(VID_INTEL, 0x2958, quirk_pex_vca_alias),
	H(VID_INTEL, 0x2959, quirk_pex_vca_alias),
	H(VID_INTEL, 0x295a, quirk_pex_vca_alias),
	H(VID_BROADCOM, 0x9000, quirk_bridge_cavm_thrx2_pcie_root),
	H(VID_BROADCOM, 0x9084, quirk_bridge_cavm_thrx2_pcie_root),
	H(VID_PLX, 0x87b0, quirk_plx_ntb_dma_alias),
	H(VID_PLX, 0x87b1, quirk_plx_ntb_dma_alias),
	H_FROM(VID_ASPEED, 0x1150, quirk_pci_bridge_no_alias, KV(7, 0)),
};

void iog_quirk_header_fixups(struct iog_device *dev, int kernel)
{
	size_t i;

	for (i = 0; i < sizeof(header_fixups) / sizeof(header_fixups[0]); i++) {
		const struct header_fixup *h = &header_fixups[i];

		if (id_match(h->vendor, h->device, dev) &&
		    in_range(kernel, h->kmin, h->kmax))
			h->fn(dev);
	}
}

/* ------------------------------------------------------------------------ */
/* ACS capability bits the kernel ignores (§4.4).                             */

struct acs_cap_mask {
	uint16_t vendor, device;
	uint16_t clear;
	int kmin, kmax;
};

/*
 * IDT switch ports drop completions to devices that have not captured a bus
 * number yet when SV is on; from 7.0 the kernel neither enables nor requires
 * SV on them. Before 7.0 SV was required, so the masking must not leak there.
 */
static const struct acs_cap_mask acs_cap_masks[] = {
	{ VID_IDT, 0x80b5, PCI_ACS_SV, KV(7, 0), KV_ANY_MAX },
	{ VID_IDT, 0x8090, PCI_ACS_SV, KV(7, 0), KV_ANY_MAX },
};

void iog_quirk_acs_cap_mask(struct iog_device *dev, int kernel)
{
	size_t i;

	for (i = 0; i < sizeof(acs_cap_masks) / sizeof(acs_cap_masks[0]); i++) {
		const struct acs_cap_mask *m = &acs_cap_masks[i];

		if (id_match(m->vendor, m->device, dev) &&
		    in_range(kernel, m->kmin, m->kmax))
			dev->acs_cap &= (uint16_t)~m->clear;
	}
}

/* ------------------------------------------------------------------------ */
/* pci_dev_acs_ops[] (§4.3): enable and disable-redirect quirks.              */

/*
 * The PCH quirk needs RCBA enabled in the LPC bridge (31.0, same bus). When it
 * is off the kernel gives up but still claims the device, so the standard
 * enable is skipped and the port stays "not isolated". A missing LPC or an
 * unreadable register is treated the same way: never credit isolation we
 * cannot see. (The RCBA MMIO steps change no config-space state we model.)
 */
static bool pci_quirk_enable_intel_pch_acs(struct iog_device *dev,
					   const struct iog_profile *p)
{
	const struct iog_device *lpc;
	uint32_t rcba;

	if (!intel_pch_match(dev))
		return false;
	lpc = dev->bus ? iog_bus_find_device(dev->bus, INTEL_LPC_DEVFN) : NULL;
	if (!lpc || !iog_cfg_read32(lpc, INTEL_LPC_RCBA, &rcba))
		return true;
	if (!(rcba & INTEL_LPC_RCBA_ENABLE))
		return true;
	dev->dev_flags |= PCI_DEV_FLAGS_ACS_ENABLED_QUIRK;
	return true;
}

/*
 * SPT: the standard enable would write the wrong word; the quirk ORs the
 * advertised SV/RR/CR/UF (and TB with pci=noats) into the dword control.
 * Unreadable dwords leave ctrl32 alone; the SPT test then answers 0.
 */
static bool pci_quirk_enable_intel_spt_pch_acs(struct iog_device *dev,
					       const struct iog_profile *p)
{
	uint32_t want = ACS_PORT_SET;

	if (!intel_spt_match(dev) || !dev->acs_pos)
		return false;
	if (!spt_regs_readable(dev))
		return true;
	/* external_facing/untrusted also add TB; the model has no such facts. */
	if (p && p->noats)
		want |= PCI_ACS_TB;
	dev->acs_ctrl32 |= dev->acs_cap32 & want;
	return true;
}

/* disable_acs_redir / config_acs on SPT clear the redirect bits at cap + 8. */
static bool pci_quirk_disable_intel_spt_pch_acs_redir(struct iog_device *dev,
						      const struct iog_profile *p)
{
	if (!intel_spt_match(dev) || !dev->acs_pos)
		return false;
	dev->acs_ctrl32 &= ~(uint32_t)(PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC);
	return true;
}

typedef bool (*acs_op_fn)(struct iog_device *dev, const struct iog_profile *p);

struct acs_op {
	uint16_t vendor, device;
	acs_op_fn enable_acs, disable_acs_redir;
};

static const struct acs_op acs_ops[] = {
	{ VID_INTEL, ANY_ID, pci_quirk_enable_intel_pch_acs, NULL },
	{ VID_INTEL, ANY_ID, pci_quirk_enable_intel_spt_pch_acs,
	  pci_quirk_disable_intel_spt_pch_acs_redir },
};

bool iog_quirk_enable_acs(struct iog_device *dev, const struct iog_profile *p)
{
	size_t i;

	for (i = 0; i < sizeof(acs_ops) / sizeof(acs_ops[0]); i++)
		if (id_match(acs_ops[i].vendor, acs_ops[i].device, dev) &&
		    acs_ops[i].enable_acs && acs_ops[i].enable_acs(dev, p))
			return true;
	return false;
}

bool iog_quirk_disable_acs_redir(struct iog_device *dev, const struct iog_profile *p)
{
	size_t i;

	for (i = 0; i < sizeof(acs_ops) / sizeof(acs_ops[0]); i++)
		if (id_match(acs_ops[i].vendor, acs_ops[i].device, dev) &&
		    acs_ops[i].disable_acs_redir && acs_ops[i].disable_acs_redir(dev, p))
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */
/* Intel VMD endpoints (vmd driver id table); their children's DMA is       */
/* issued as the VMD endpoint (pci_real_dma_dev), so they share its group.  */

static const uint16_t vmd_device_ids[] = {
	0x201d, 0x28c0, 0x467f, 0x4c3d, 0xa77f, 0x7d0b, 0xad0b, 0x9a0b, 0xb60b,
	0xb06f, 0xb07f,
};

bool iog_quirk_is_vmd(uint16_t vendor, uint16_t device)
{
	size_t i;

	if (vendor != VID_INTEL)
		return false;
	for (i = 0; i < sizeof(vmd_device_ids) / sizeof(vmd_device_ids[0]); i++)
		if (vmd_device_ids[i] == device)
			return true;
	return false;
}
