/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Capability walks done the way the kernel does them (spec §2.15), so that a
 * broken chain finds exactly what the kernel finds. A loop is logged once and
 * ends the walk: the kernel's hop limit gives the same answer.
 */
#include "internal.h"

#define STD_CAP_TTL 48
#define EXT_CAP_TTL ((PCI_CFG_SPACE_EXP_SIZE - PCI_CFG_SPACE_SIZE) / 8)

static void loop_warning(const struct iog_device *dev, const char *what, unsigned pos)
{
	iog_warn(dev->topo->ctx, "%s: %s: %s capability list loops at 0x%03x",
		 dev->topo->path, dev->address, what, pos);
}

int iog_find_capability(const struct iog_device *dev, uint8_t id)
{
	uint8_t seen[256 / 8] = { 0 };
	uint16_t status, ent;
	uint8_t pos;
	int ttl = STD_CAP_TTL;

	if (!iog_cfg_read16(dev, PCI_STATUS, &status))
		return -1;
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	if (!iog_cfg_read8(dev, dev->hdr_type == PCI_HEADER_TYPE_CARDBUS ?
				       PCI_CB_CAPABILITY_LIST : PCI_CAPABILITY_LIST,
			   &pos))
		return -1;
	while (ttl--) {
		if (pos < 0x40)
			break;
		pos &= ~3;
		if (seen[pos / 8] & (1u << (pos % 8))) {
			loop_warning(dev, "standard", pos);
			break;
		}
		seen[pos / 8] |= 1u << (pos % 8);
		if (!iog_cfg_read16(dev, pos, &ent))
			return -1;
		if ((ent & 0xff) == 0xff)
			break;
		if ((ent & 0xff) == id)
			return pos;
		pos = ent >> 8;
	}
	return 0;
}

int iog_find_ext_capability(const struct iog_device *dev, uint16_t id)
{
	uint8_t seen[PCI_CFG_SPACE_EXP_SIZE / 4 / 8] = { 0 };
	unsigned pos = PCI_CFG_SPACE_SIZE;
	int ttl = EXT_CAP_TTL;
	uint32_t header;

	if (dev->ext_fact == IOG_FACT_UNKNOWN)
		return -1;
	if (!dev->has_ext)
		return 0;
	if (!iog_cfg_read32(dev, pos, &header))
		return -1;
	if (header == 0)
		return 0;
	seen[pos / 32] |= 1u << (pos / 4 % 8);
	while (ttl-- > 0) {
		if ((header & 0xffff) == id)
			return pos;
		pos = (header >> 20) & 0xffc;
		if (pos < PCI_CFG_SPACE_SIZE)
			break;
		if (seen[pos / 32] & (1u << (pos / 4 % 8))) {
			loop_warning(dev, "extended", pos);
			break;
		}
		seen[pos / 32] |= 1u << (pos / 4 % 8);
		if (!iog_cfg_read32(dev, pos, &header))
			return -1;
	}
	return 0;
}
