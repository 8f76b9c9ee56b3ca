/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Test topology builder: synthesizes real config space for each function
 * (header, capability list with a PCIe capability, an ACS extended capability,
 * bridge bus numbers) so that iog_topology_finish() decodes it exactly as it
 * decodes a sysfs snapshot or an lspci dump.
 *
 * Layout written for every function (4096 bytes):
 *   0x00 vendor, 0x02 device, 0x06 status (cap-list bit when a capability
 *   exists), 0x09..0x0b class, 0x0e header type (bit 7 multifunction),
 *   0x18..0x1a primary/secondary/subordinate (bridges), 0x34 -> 0x40,
 *   0x40 PCIe capability (ID 0x10; flags at +2, port type in bits 7:4;
 *   DEVCTL2 at +0x28), 0x100 ACS (ID 0x000d; cap word +4, ctrl word +6).
 */
#ifndef IOG_TEST_BUILDER_H
#define IOG_TEST_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

/* Where the builder puts things. */
#define TB_PCIE_POS 0x40
#define TB_ACS_POS 0x100
/* SV | RR | CR | UF: what the grouping code requires (REQ_ACS_FLAGS). */
#define TB_ACS_REQ 0x001d
/* Convenience for the bool/cap/ctrl triplet of the port constructors. */
#define TB_ACS_FULL true, TB_ACS_REQ, TB_ACS_REQ
#define TB_NO_ACS false, 0, 0

struct tb {
	struct iog_ctx *ctx;
	struct iog_topology *topo;
};

struct tb *tb_new(void);
/* Every message logged through a builder's context since the last tb_new(),
 * one per line ("<priority> <message>"). */
const char *tb_log(void);
/* Free a builder whose topology was not finished (or failed to finish). */
void tb_free(struct tb *tb);

/* A bare function with header type @hdr_type; no capabilities. */
struct iog_device *tb_device(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
			     uint8_t hdr_type);

/* PCIe ports (type-1 header, PCIe capability with the given port type). @acs
 * adds an ACS capability with the given capability and control words. */
struct iog_device *tb_port(struct tb *tb, int pcie_type, uint32_t seg, uint8_t bus,
			   uint8_t devfn, uint8_t secondary, uint8_t subordinate, bool acs,
			   uint16_t acs_cap, uint16_t acs_ctrl);
struct iog_device *tb_root_port(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				uint8_t secondary, uint8_t subordinate, bool acs,
				uint16_t acs_cap, uint16_t acs_ctrl);
struct iog_device *tb_switch_up(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				uint8_t secondary, uint8_t subordinate, bool acs,
				uint16_t acs_cap, uint16_t acs_ctrl);
struct iog_device *tb_switch_down(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				  uint8_t secondary, uint8_t subordinate, bool acs,
				  uint16_t acs_cap, uint16_t acs_ctrl);
/* PCIe-to-PCI bridge (PCIe type 7), no ACS. */
struct iog_device *tb_pcie_to_pci_bridge(struct tb *tb, uint32_t seg, uint8_t bus,
					 uint8_t devfn, uint8_t secondary,
					 uint8_t subordinate);
/* Conventional PCI-to-PCI bridge: type-1 header, no PCIe capability. */
struct iog_device *tb_pci_bridge(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				 uint8_t secondary, uint8_t subordinate);
/* Endpoint: PCIe (type 0) or conventional; @mf sets header bit 7. */
struct iog_device *tb_endpoint(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
			       bool pcie, bool mf);
/* Endpoint with a given PCIe type (legacy endpoint, RCiEP, ...). */
struct iog_device *tb_endpoint_type(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
				    int pcie_type, bool mf);
/* SR-IOV VF of @pf (PCIe endpoint; IDs set as sysfs gives them, config
 * space vendor/device read 0xffff as on real VFs). */
struct iog_device *tb_virtfn(struct tb *tb, uint32_t seg, uint8_t bus, uint8_t devfn,
			     struct iog_device *pf);

/* Edits (before tb_finish). */
void tb_set_ids(struct iog_device *dev, uint16_t vendor, uint16_t device);
void tb_set_subsys(struct iog_device *dev, uint16_t vendor, uint16_t device);
void tb_set_class(struct iog_device *dev, uint32_t class24);
void tb_set_mf(struct iog_device *dev, bool mf);
/* Add (or rewrite) the ACS capability at 0x100. */
void tb_set_acs(struct iog_device *dev, uint16_t cap, uint16_t ctrl);
/* ARI Forwarding Enable in the bridge's DEVCTL2. */
void tb_set_ari(struct iog_device *bridge);
/* Pretend the source had only @len bytes (64: unprivileged sysfs read). The
 * extended space becomes unknown when @len <= 256. */
void tb_set_cfg_len(struct iog_device *dev, uint32_t len);
void tb_put8(struct iog_device *dev, unsigned pos, uint8_t v);
void tb_put16(struct iog_device *dev, unsigned pos, uint16_t v);
void tb_put32(struct iog_device *dev, unsigned pos, uint32_t v);
/* sysfs facts */
void tb_set_iommu_unit(struct iog_device *dev, const char *unit);
void tb_set_driver(struct iog_device *dev, const char *driver);
/* The firmware companion of the host bridge of root bus @seg:@bus, as
 * /sys/devices/pciSSSS:BB/firmware_node names it ("PNP0A08:01"). */
void tb_root_bridge(struct tb *tb, uint32_t seg, uint8_t bus, const char *companion);

/* iog_topology_finish(); on success the builder is freed and the topology
 * returned (caller unrefs it). tb_finish fails the test on error. */
int tb_try_finish(struct tb *tb, struct iog_topology **out);
struct iog_topology *tb_finish(struct tb *tb);

/* Whether one of @g's assumptions contains @needle. */
bool tb_has_assumption(const struct iog_grouping *g, const char *needle);

/* Look a device up after finishing ("SSSS:BB:DD.F" or "BB:DD.F"). */
struct iog_device *tb_dev(struct iog_topology *t, const char *address);

/* Predict with a profile. @kernel "7.2" etc, @platform "intel-vtd" etc,
 * @cmdline may be NULL. tb_predict uses the ACS control words as written
 * (IOG_ACS_AS_READ); tb_predict_sim simulates pci_enable_acs first. */
struct iog_grouping *tb_predict(struct iog_topology *t, const char *kernel,
				const char *platform, const char *cmdline);
struct iog_grouping *tb_predict_sim(struct iog_topology *t, const char *kernel,
				    const char *platform, const char *cmdline);
struct iog_grouping *tb_predict_ex(struct iog_topology *t, const char *kernel,
				   const char *platform, const char *cmdline,
				   enum iog_acs_mode mode, enum iog_override_position pos);

/*
 * Compare a grouping with "ID:ADDR ADDR | ID:ADDR ...". Addresses with or
 * without segment; member order and group order do not matter. A group whose
 * ID is followed by '?' ("3?:00:1f.0") must be uncertain, every other group
 * must not be. Devices that are not listed must have no group.
 * assert_partition() is the same without IDs ("ADDR ADDR | ADDR").
 */
void tb_assert_groups(const struct iog_grouping *g, const char *expected, bool ids,
		      const char *file, int line);
#define assert_groups(g, s) tb_assert_groups((g), (s), true, __FILE__, __LINE__)
#define assert_partition(g, s) tb_assert_groups((g), (s), false, __FILE__, __LINE__)
/* The canonical string of a grouping (malloc'd), for messages. */
char *tb_groups_string(const struct iog_grouping *g, bool ids);

/* The group id of a device, -1 if none. */
int tb_group_id(const struct iog_grouping *g, const struct iog_topology *t,
		const char *address);

#endif
