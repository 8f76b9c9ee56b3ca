/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libiommu-groups internals: the model, the profile and the engine's state. */
#ifndef IOG_INTERNAL_H
#define IOG_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iommu-groups.h"
#include "pci-regs.h"

#define IOG_EXPORT __attribute__((visibility("default")))
#define IOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Kernel versions as one comparable number: KV(6, 12) > KV(6, 1). */
#define KV(major, minor) ((major) * 1000 + (minor))
#define KV_ANY_MIN 0
#define KV_ANY_MAX 999999

/* ---- context and logging ---- */

struct iog_ctx {
	int refcount;
	iog_log_fn log_fn;
	void *log_data;
	int log_priority;
	char *ids_path;
	struct pci_access *names; /* lazily created, for pci.ids look-ups */
};

void iog_log(struct iog_ctx *ctx, int priority, const char *fmt, ...) IOG_PRINTF(3, 4);
#define iog_err(ctx, ...) iog_log(ctx, 3, __VA_ARGS__)
#define iog_warn(ctx, ...) iog_log(ctx, 4, __VA_ARGS__)
#define iog_info(ctx, ...) iog_log(ctx, 6, __VA_ARGS__)
#define iog_dbg(ctx, ...) iog_log(ctx, 7, __VA_ARGS__)

/* ---- the model ---- */

/* dev_flags of the kernel's struct pci_dev that matter for grouping. */
#define PCI_DEV_FLAGS_ACS_ENABLED_QUIRK (1u << 3)
#define PCI_DEV_FLAGS_PCIE_BRIDGE_ALIAS (1u << 5)
#define PCI_DEV_FLAGS_BRIDGE_XLATE_ROOT (1u << 9)
#define PCI_DEV_FLAGS_PCI_BRIDGE_NO_ALIAS (1u << 14)

struct iog_bus {
	uint32_t segment;
	uint8_t number;
	bool is_virtual;	 /* SR-IOV VF bus no bridge decodes */
	struct iog_device *self; /* bridge leading here; NULL for root and virtual buses */
	struct iog_bus *parent;	 /* NULL for a root bus */
	struct iog_device *vmd;	 /* the VMD endpoint owning this root bus, if any */
	struct iog_device **devs; /* in probe order */
	size_t ndevs, capdevs;
	struct iog_bus *hash_next;
	bool visited; /* probe-order walk */
	/* Root bus: where firmware lists its host bridge (ACPI namespace order,
	 * from the companion's instance number); -1 when not known. */
	int firmware_rank;
};

struct iog_device {
	struct iog_topology *topo;
	char address[24];
	uint32_t segment;
	uint8_t busnr, devfn;
	struct iog_bus *bus;
	struct iog_bus *subordinate; /* bus behind a bridge */
	size_t order;		     /* index in the probe order */

	/* Config space as read; cfg_len is how much of it the source had. */
	uint8_t *cfg;
	uint32_t cfg_len;
	/* Extended config space exists for the kernel (cfg_size 4096), is known to be
	 * absent (cfg_size 256), or we could not tell (truncated read, -xxx dump). */
	enum iog_fact ext_fact;
	bool has_ext;

	uint16_t vendor, device, subsys_vendor, subsys_device;
	uint32_t class;
	uint8_t revision, hdr_type;
	bool multifunction;
	bool hdr_mfd;	/* header type bit 7, as read */
	uint8_t secondary, subordinate_nr;

	uint8_t pcie_pos;	/* offset of the PCIe capability, 0 if none */
	enum iog_fact pcie_fact; /* unknown: capability list beyond what was read */
	int pcie_type_raw;	/* as read, -1 for conventional PCI */
	int pcie_type;		/* after set_pcie_port_type() correction */
	bool ari;		/* ARI forwarding on the bridge above (function numbers) */

	uint16_t acs_pos;	/* extended capability offset, 0 if none */
	uint16_t acs_pos_read;	/* as decoded (acs_pos may be a what-if) */
	enum iog_fact acs_fact_read;
	enum iog_fact acs_fact; /* whether acs_pos/cap/ctrl are known */
	uint16_t acs_cap_read, acs_ctrl_read; /* as read */
	uint16_t acs_cap;	/* cached capabilities, minus masked bits (§4.4) */
	uint16_t acs_ctrl;	/* the control word the engine uses */
	uint16_t acs_ctrl_fw;	/* "firmware" value config_acs starts from */
	bool acs_simulated;	/* acs_ctrl computed by simulating pci_enable_acs */
	uint32_t acs_cap32, acs_ctrl32; /* Intel SPT layout (§4.2b) */

	uint8_t dma_alias_mask[32];
	bool has_dma_alias;
	uint32_t dev_flags;

	bool is_virtfn;
	struct iog_device *physfn;
	char *physfn_name; /* until links are resolved */

	char *driver;
	int kernel_group;
	char *iommu_unit;   /* /sys/class/iommu/<unit> the device links to */
	bool vmd_owner;	    /* this device is an Intel VMD endpoint */
	char *sysfs_parent; /* address of the sysfs parent device, if a PCI device */

	/* zPCI attributes (s390), -1 when absent */
	int64_t zpci_fid, zpci_fh, zpci_uid;

	char *name, *class_name; /* lazily looked up */

	int acs_forced;	   /* what-if: -1 as read, 0 no ACS, 1 full ACS */
	bool hypothetical; /* what-if: a card that is not really there */
};

struct iog_kernel_group {
	int id;
	char *type;
	char *reserved_regions; /* the file's text, or NULL */
	char **devices; /* member names as the kernel listed them */
	size_t ndevices;
};

struct iog_iommu_unit {
	char *name;
	char **devices;
	size_t ndevices;
};

struct iog_topology {
	int refcount;
	struct iog_ctx *ctx;
	char *kind, *path;
	struct iog_device **devs; /* probe order */
	size_t ndevs, capdevs;
	struct iog_bus **bus_hash; /* 2^bus_hash_bits buckets, grown with the buses */
	unsigned bus_hash_bits;
	struct iog_bus **buses;
	size_t nbuses, capbuses;
	char *cmdline, *release;
	const char *platform; /* from /sys/class/iommu, static string */
	struct iog_kernel_group *kgroups;
	size_t nkgroups;
	bool groups_dir_seen; /* /sys/kernel/iommu_groups exists */
	struct iog_iommu_unit *units;
	size_t nunits;
	uint8_t *dmar; /* ACPI tables, raw */
	size_t dmar_len;
	uint8_t *ivrs;
	size_t ivrs_len;
	uint8_t *viot;
	size_t viot_len;
	bool any_iommu_link;
	/* Host bridges and their firmware companions ("PNP0A08:01"), from
	 * /sys/devices/pciSSSS:BB/firmware_node. */
	struct iog_root_bridge {
		uint32_t segment;
		uint8_t bus;
		char *companion;
	} *root_bridges;
	size_t nroot_bridges;
	/* false when several root buses are probed in an order the source does
	 * not record (iog_topology_link) */
	bool root_order_known;
	/* which profile the ACS state was last prepared for (iog_acs_prepare) */
	const struct iog_profile *acs_profile;
	unsigned acs_generation;
	bool acs_simulated;
};

/* model.c: building the topology (shared by all sources) */
struct iog_topology *iog_topology_alloc(struct iog_ctx *ctx, const char *kind,
					const char *path);
struct iog_device *iog_topology_add_device(struct iog_topology *topo, uint32_t segment,
					   uint8_t bus, uint8_t devfn);
/* Decode header, capabilities, ACS, bridges; link buses; compute probe order.
 * Returns 0 or -EINVAL (logged) for a topology that cannot be built. */
int iog_topology_finish(struct iog_topology *topo);
/* Decode one device's config space (part of iog_topology_finish()). */
int iog_topology_finish_device(struct iog_device *dev);
void iog_device_free(struct iog_device *dev);
/* whatif.c: a forced ACS state over the one read (iog_acs_prepare). */
void iog_whatif_apply_acs(struct iog_device *dev);
/* (Re)link buses and recompute the probe order after a change. */
int iog_topology_link(struct iog_topology *topo);
struct iog_bus *iog_topology_find_bus(const struct iog_topology *topo, uint32_t segment,
				      uint8_t number);
struct iog_device *iog_bus_find_device(const struct iog_bus *bus, uint8_t devfn);
void iog_format_address(char *buf, size_t len, uint32_t seg, uint8_t bus, uint8_t devfn);
int iog_parse_address(const char *s, uint32_t *seg, uint8_t *bus, uint8_t *devfn);

/* Config space reads within what the source had; false if unavailable. */
bool iog_cfg_read8(const struct iog_device *dev, unsigned pos, uint8_t *val);
bool iog_cfg_read16(const struct iog_device *dev, unsigned pos, uint16_t *val);
bool iog_cfg_read32(const struct iog_device *dev, unsigned pos, uint32_t *val);

/* caps.c: the kernel's capability walks (§2.15). */
/* Offset of standard capability @id, 0 if absent; -1 if the walk needs bytes
 * the source does not have. Loops and long chains end the walk (logged once). */
int iog_find_capability(const struct iog_device *dev, uint8_t id);
int iog_find_ext_capability(const struct iog_device *dev, uint16_t id);

static inline bool iog_dev_is_pcie(const struct iog_device *dev)
{
	return dev->pcie_type_raw >= 0;
}
static inline bool iog_dev_is_bridge(const struct iog_device *dev)
{
	return dev->hdr_type == PCI_HEADER_TYPE_BRIDGE ||
	       dev->hdr_type == PCI_HEADER_TYPE_CARDBUS;
}
static inline bool iog_bus_is_root(const struct iog_bus *bus)
{
	return bus->parent == NULL;
}
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 0x07)

/* ---- profile ---- */

enum iog_platform_id {
	IOG_PLAT_INTEL_VTD,
	IOG_PLAT_AMD_VI,
	IOG_PLAT_VIRTIO_IOMMU,
	IOG_PLAT_ARM_SMMU_V3,
	IOG_PLAT_S390,
	IOG_PLAT_GENERIC,
	IOG_PLAT_SINGLE,
	IOG_PLAT_COUNT
};

/* One device string of pci=disable_acs_redir= / config_acs= (§3.2). */
struct iog_pci_devspec {
	bool by_id;
	uint16_t vendor, device, subsys_vendor, subsys_device; /* 0 = any */
	uint32_t segment;
	uint8_t bus;
	uint8_t path[16]; /* devfns from the bus down */
	size_t npath;
	/* config_acs only */
	uint16_t mask, flags;
};

struct iog_profile {
	int refcount;
	struct iog_ctx *ctx;
	unsigned generation; /* bumped by every setter */
	int kernel; /* KV() */
	int sublevel; /* from a release string, -1 if not given */
	char kernel_name[16];
	bool kernel_set;
	enum iog_platform_id platform;
	bool platform_set;
	enum iog_acs_mode acs_mode;
	enum iog_override_position override_pos;
	char *cmdline;
	/* parsed command line */
	bool iommu_off, intel_off, amd_off, igfx_off, noats, strict, passthrough, strict_set, passthrough_set;
	struct iog_pci_devspec *disable_acs_redir;
	size_t ndisable_acs_redir;
	struct iog_pci_devspec *config_acs;
	size_t nconfig_acs;
	bool override_downstream, override_multifunction;
	uint16_t override_ids[16][2];
	size_t noverride_ids;
	bool override_enabled;
};

/* profile.c */
int iog_parse_cmdline(struct iog_profile *profile, const char *cmdline);
bool iog_devspec_match(const struct iog_pci_devspec *spec, const struct iog_device *dev);

/* ---- engine ---- */

/* REQ_ACS_FLAGS of drivers/iommu/iommu.c. */
#define REQ_ACS_FLAGS (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/* Why acs_enabled() answered as it did (reason records for explain). */
struct iog_acs_verdict {
	bool enabled;
	enum iog_acs_reason reason;
	const char *quirk;   /* kernel function name when reason == IOG_ACS_QUIRK */
	uint16_t missing;    /* required bits not enabled */
};

/* acs.c */
bool iog_acs_enabled(const struct iog_device *dev, const struct iog_profile *p,
		     uint16_t flags, struct iog_acs_verdict *why);
bool iog_acs_path_enabled(const struct iog_device *start, const struct iog_profile *p,
			  uint16_t flags, const struct iog_device **blocker);
bool iog_acs_enabled_after_grouping(const struct iog_profile *p);
/* Simulate pci_enable_acs() and the command-line overrides on every device. */
void iog_acs_prepare(struct iog_topology *topo, const struct iog_profile *p, bool simulate);

/* quirks.c */
/* pci_dev_specific_acs_enabled(): -1 no opinion, 0 not isolated, 1 isolated. */
int iog_quirk_acs_enabled(const struct iog_device *dev, const struct iog_profile *p,
			  uint16_t flags, const char **function);
/* Header fixups: DMA aliases (§4.5) and bridge flags (§4.6) for the kernel. */
void iog_quirk_header_fixups(struct iog_device *dev, int kernel);
/* Mask ACS capability bits the kernel ignores (§4.4). */
void iog_quirk_acs_cap_mask(struct iog_device *dev, int kernel);
/* pci_dev_specific_enable_acs(): true if a quirk handled the device. */
bool iog_quirk_enable_acs(struct iog_device *dev, const struct iog_profile *p);
/* pci_dev_specific_disable_acs_redir(): true if a quirk handled the device. */
bool iog_quirk_disable_acs_redir(struct iog_device *dev, const struct iog_profile *p);
/* Intel VMD endpoint IDs (pci_real_dma_dev). */
bool iog_quirk_is_vmd(uint16_t vendor, uint16_t device);

/* How a device came to its group (reason records). */
enum iog_join {
	IOG_JOIN_NONE = 0,
	IOG_JOIN_NEW,	     /* allocated a new group */
	IOG_JOIN_ALIAS_WALK, /* pci_for_each_dma_alias met a grouped device (via) */
	IOG_JOIN_CLIMB,	     /* joined the non-isolated bridge above (via) */
	IOG_JOIN_DMA_ALIAS,  /* get_pci_alias_group found an alias's group (via) */
	IOG_JOIN_FUNCTION,   /* get_pci_function_alias_group: non-ACS sibling (via) */
	IOG_JOIN_PLATFORM,   /* generic/single device group */
};

struct iog_group {
	int id;
	const char *type; /* static, or owned by the grouping's strings */
	const char *reserved_regions; /* the kernel's groups only; owned likewise */
	struct iog_device **devs; /* first_devs until a third member joins */
	size_t ndevs, capdevs;
	bool uncertain;
	struct iog_device *first_devs[2];
};

/* Groups are allocated in slabs: a prediction makes up to one per device. */
#define IOG_GROUP_SLAB 1024
struct iog_group_slab {
	struct iog_group groups[IOG_GROUP_SLAB];
	size_t used;
	struct iog_group_slab *next;
};

struct iog_dev_result {
	struct iog_group *group;
	enum iog_join join;
	const struct iog_device *via;
	const struct iog_device *start; /* where the climb stopped (A) */
	char *note;
};

struct iog_grouping {
	int refcount;
	struct iog_topology *topo;
	struct iog_profile *profile; /* the profile of a prediction, else NULL */
	struct iog_reason *reasons;  /* scratch of the last iog_grouping_explain() */
	size_t nreasons, capreasons;
	bool predicted, numbers_known, simulated;
	struct iog_group **groups; /* by ascending id */
	size_t ngroups, capgroups;
	struct iog_dev_result *res; /* indexed by device order */
	char **assumptions;
	size_t nassumptions;
	struct iog_group_slab *slabs;
	char **strings; /* owned strings the groups point to */
	size_t nstrings;
};

/* grouping.c */
struct iog_group *iog_grouping_new_group(struct iog_grouping *g, int id);
void iog_group_add(struct iog_group *group, struct iog_device *dev);
void iog_grouping_assume(struct iog_grouping *g, const char *fmt, ...) IOG_PRINTF(2, 3);
void iog_grouping_note(struct iog_grouping *g, const struct iog_device *dev,
		       const char *fmt, ...) IOG_PRINTF(3, 4);
void iog_grouping_sort(struct iog_grouping *g);

/* The engine's state while one grouping is computed. */
struct iog_engine {
	struct iog_topology *t;
	const struct iog_profile *p;
	struct iog_grouping *g;
	int next_id;
	bool uncertain;	      /* the current decision used an unknown fact */
	int *pass_of;	      /* per device order: registration pass, -1 = not translated */
	int npasses;
	struct iog_device **probe; /* devices in the order the platform probes them */
	uint32_t *sid_owner;  /* arm-smmu-v3: stream ID -> device order + 1 */
};

/* platform.c: the platform's iommu_ops, as data and small functions */
enum iog_device_group_fn { IOG_DG_PCI, IOG_DG_GENERIC, IOG_DG_SINGLE };
enum iog_device_group_fn iog_platform_device_group(const struct iog_profile *p);
/* probe_device(): which devices each IOMMU pass translates (pass_of, npasses,
 * probe order) and the assumptions behind it. */
void iog_platform_membership(struct iog_engine *e);
/* def_domain_type() and the kernel's default: the groups' "type" (a static
 * string; the same for every group of a prediction). */
const char *iog_platform_group_type(const struct iog_engine *e);
/* Extra probe failures (arm-smmu-v3 aliasing stream IDs): true if @dev fails. */
bool iog_platform_probe_fails(struct iog_engine *e, struct iog_device *dev);
/* pci_for_each_dma_alias() final requester ID of @dev (for stream IDs). */
uint16_t iog_dma_alias_rid(const struct iog_device *dev);

/* source-acpi.c: DMAR (Intel) device scopes and DRHD registration order.
 * Fills pass_of for every device; returns the number of units, or -1 if the
 * table is absent or unusable (logged). */
int iog_dmar_membership(struct iog_engine *e);
/* AMD IVRS: the IVHD device entries of the selected IVHD type, one pass per
 * IVHD; the IOMMU's own function is left out. Same return convention. */
int iog_ivrs_membership(struct iog_engine *e);
/* Same-bus DMA aliases from the IVRS alias entries (the AMD driver). */
void iog_ivrs_aliases(struct iog_topology *t);
/* ACPI (non-PCI) devices the DMAR (@dmar) or IVRS table puts in an IOMMU's
 * scope. */
unsigned iog_acpi_platform_devices(const struct iog_topology *t, bool dmar);
/* ACPI VIOT (virtio-iommu): the PCI ranges routed to a virtio-iommu. */
int iog_viot_membership(struct iog_engine *e);
/* Read DMAR, IVRS and VIOT from a directory (as /sys/firmware/acpi/tables). */
void iog_topology_read_acpi(struct iog_topology *t, const char *dir);
uint8_t *iog_read_file(const char *path, size_t *len);

/* util */
void *iog_xrealloc(void *p, size_t n);
char *iog_strdup(const char *s);
char *iog_asprintf(const char *fmt, ...) IOG_PRINTF(1, 2);
char *iog_vasprintf(const char *fmt, va_list ap) IOG_PRINTF(1, 0);
#define IOG_GROW(arr, n, cap)                                                   \
	do {                                                                    \
		if ((n) >= (cap)) {                                             \
			(cap) = (cap) ? (cap) * 2 : 8;                          \
			(arr) = iog_xrealloc((arr), (cap) * sizeof(*(arr)));    \
		}                                                               \
	} while (0)

#endif
