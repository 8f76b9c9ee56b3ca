/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Config-space registers, named as in <linux/pci_regs.h>. libpci's header.h
 * defines most of them too (with the same values); these fill the gaps. */
#ifndef IOG_PCI_REGS_H
#define IOG_PCI_REGS_H

#include <pci/header.h>

#ifndef PCI_VENDOR_ID
#define PCI_VENDOR_ID 0x00
#endif
#ifndef PCI_DEVICE_ID
#define PCI_DEVICE_ID 0x02
#endif
#ifndef PCI_COMMAND
#define PCI_COMMAND 0x04
#endif
#ifndef PCI_STATUS
#define PCI_STATUS 0x06
#endif
#ifndef PCI_STATUS_CAP_LIST
#define PCI_STATUS_CAP_LIST 0x10
#endif
#ifndef PCI_REVISION_ID
#define PCI_REVISION_ID 0x08
#endif
#ifndef PCI_CLASS_PROG
#define PCI_CLASS_PROG 0x09
#endif
#ifndef PCI_HEADER_TYPE
#define PCI_HEADER_TYPE 0x0e
#endif
#ifndef PCI_HEADER_TYPE_MASK
#define PCI_HEADER_TYPE_MASK 0x7f
#endif
#ifndef PCI_HEADER_TYPE_MFD
#define PCI_HEADER_TYPE_MFD 0x80
#endif
#ifndef PCI_HEADER_TYPE_NORMAL
#define PCI_HEADER_TYPE_NORMAL 0
#endif
#ifndef PCI_HEADER_TYPE_BRIDGE
#define PCI_HEADER_TYPE_BRIDGE 1
#endif
#ifndef PCI_HEADER_TYPE_CARDBUS
#define PCI_HEADER_TYPE_CARDBUS 2
#endif
#ifndef PCI_SUBSYSTEM_VENDOR_ID
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#endif
#ifndef PCI_SUBSYSTEM_ID
#define PCI_SUBSYSTEM_ID 0x2e
#endif
#ifndef PCI_CAPABILITY_LIST
#define PCI_CAPABILITY_LIST 0x34
#endif
#ifndef PCI_CB_CAPABILITY_LIST
#define PCI_CB_CAPABILITY_LIST 0x14
#endif
#ifndef PCI_PRIMARY_BUS
#define PCI_PRIMARY_BUS 0x18
#endif
#ifndef PCI_SECONDARY_BUS
#define PCI_SECONDARY_BUS 0x19
#endif
#ifndef PCI_SUBORDINATE_BUS
#define PCI_SUBORDINATE_BUS 0x1a
#endif

#ifndef PCI_CFG_SPACE_SIZE
#define PCI_CFG_SPACE_SIZE 256
#endif
#ifndef PCI_CFG_SPACE_EXP_SIZE
#define PCI_CFG_SPACE_EXP_SIZE 4096
#endif

#ifndef PCI_CAP_ID_EXP
#define PCI_CAP_ID_EXP 0x10
#endif
#ifndef PCI_CAP_LIST_ID
#define PCI_CAP_LIST_ID 0
#endif
#ifndef PCI_CAP_LIST_NEXT
#define PCI_CAP_LIST_NEXT 1
#endif
#ifndef PCI_EXP_FLAGS
#define PCI_EXP_FLAGS 2
#endif
#ifndef PCI_EXP_FLAGS_TYPE
#define PCI_EXP_FLAGS_TYPE 0x00f0
#endif
#ifndef PCI_EXP_DEVCAP2
#define PCI_EXP_DEVCAP2 0x24
#endif
#ifndef PCI_EXP_DEVCTL2
#define PCI_EXP_DEVCTL2 0x28
#endif
#ifndef PCI_EXP_DEVCTL2_ARI
#define PCI_EXP_DEVCTL2_ARI 0x0020
#endif

#ifndef PCI_EXP_TYPE_ENDPOINT
#define PCI_EXP_TYPE_ENDPOINT 0x0
#endif
#ifndef PCI_EXP_TYPE_LEG_END
#define PCI_EXP_TYPE_LEG_END 0x1
#endif
#ifndef PCI_EXP_TYPE_ROOT_PORT
#define PCI_EXP_TYPE_ROOT_PORT 0x4
#endif
#ifndef PCI_EXP_TYPE_UPSTREAM
#define PCI_EXP_TYPE_UPSTREAM 0x5
#endif
#ifndef PCI_EXP_TYPE_DOWNSTREAM
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#endif
#ifndef PCI_EXP_TYPE_PCI_BRIDGE
#define PCI_EXP_TYPE_PCI_BRIDGE 0x7
#endif
#ifndef PCI_EXP_TYPE_PCIE_BRIDGE
#define PCI_EXP_TYPE_PCIE_BRIDGE 0x8
#endif
#ifndef PCI_EXP_TYPE_RC_END
#define PCI_EXP_TYPE_RC_END 0x9
#endif
#ifndef PCI_EXP_TYPE_RC_EC
#define PCI_EXP_TYPE_RC_EC 0xa
#endif

#ifndef PCI_EXT_CAP_ID_ACS
#define PCI_EXT_CAP_ID_ACS 0x0d
#endif
#ifndef PCI_EXT_CAP_ID_ARI
#define PCI_EXT_CAP_ID_ARI 0x0e
#endif
#ifndef PCI_EXT_CAP_ID_SRIOV
#define PCI_EXT_CAP_ID_SRIOV 0x10
#endif
#ifndef PCI_ACS_CAP
#define PCI_ACS_CAP 0x04
#endif
#ifndef PCI_ACS_CTRL
#define PCI_ACS_CTRL 0x06
#endif
#ifndef PCI_ACS_SV
#define PCI_ACS_SV 0x0001
#endif
#ifndef PCI_ACS_TB
#define PCI_ACS_TB 0x0002
#endif
#ifndef PCI_ACS_RR
#define PCI_ACS_RR 0x0004
#endif
#ifndef PCI_ACS_CR
#define PCI_ACS_CR 0x0008
#endif
#ifndef PCI_ACS_UF
#define PCI_ACS_UF 0x0010
#endif
#ifndef PCI_ACS_EC
#define PCI_ACS_EC 0x0020
#endif
#ifndef PCI_ACS_DT
#define PCI_ACS_DT 0x0040
#endif

#ifndef PCI_CLASS_BRIDGE_PCI
#define PCI_CLASS_BRIDGE_PCI 0x0604
#endif
#ifndef PCI_CLASS_SYSTEM_IOMMU
#define PCI_CLASS_SYSTEM_IOMMU 0x0806
#endif

#endif
