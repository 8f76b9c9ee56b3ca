/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libiommu-groups -- which PCI devices the IOMMU can isolate, as a named Linux
 * kernel would group them.
 *
 * Conventions (as libkmod and libsmartcols):
 *  - every object is opaque and reference counted; x_ref() returns its argument,
 *    x_unref() returns NULL once the object is freed; both accept NULL;
 *  - a context (struct iog_ctx) is passed first and owns logging;
 *  - calls that can fail return 0 or a negative errno and hand objects back
 *    through out-parameters;
 *  - the library never prints and never exits: errors and warnings go to the
 *    context's log function, with the file (and line) they are about.
 *
 * Objects handed out by accessors (devices, groups) are borrowed: they stay valid
 * as long as the object they came from is referenced.
 */
#ifndef IOMMU_GROUPS_H
#define IOMMU_GROUPS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iog_ctx;
struct iog_topology;
struct iog_device;
struct iog_profile;
struct iog_grouping;
struct iog_group;

/* ---- context ---------------------------------------------------------- */

/* Log priorities are syslog's: 3 error, 4 warning, 6 info, 7 debug. */
typedef void (*iog_log_fn)(void *data, int priority, const char *msg);

/* Create a context; the default log function discards everything. */
int iog_ctx_new(struct iog_ctx **ctx);
struct iog_ctx *iog_ctx_ref(struct iog_ctx *ctx);
struct iog_ctx *iog_ctx_unref(struct iog_ctx *ctx);
void iog_ctx_set_log_fn(struct iog_ctx *ctx, iog_log_fn fn, void *data);
/* Messages above this priority are dropped (default 4, warnings). */
void iog_ctx_set_log_priority(struct iog_ctx *ctx, int priority);
/* pci.ids file for names (NULL: libpci's default). Used by iog_device_get_name(). */
int iog_ctx_set_ids_path(struct iog_ctx *ctx, const char *path);

/* ---- topology: the PCI model built from one source -------------------- */

/*
 * Live sysfs, or a snapshot of it under @sysroot (NULL or "/" for the live
 * system). Reads config space through libpci's sysfs method, plus the links and
 * attributes the kernel exports (driver, iommu_group, iommu, physfn, ...).
 * Returns -ENOENT when the root has no PCI devices, -EINVAL on malformed input.
 */
int iog_topology_new_sysfs(struct iog_ctx *ctx, const char *sysroot,
			   struct iog_topology **topo);
/* An "lspci -x/-xxx/-xxxx" dump (libpci's dump format). */
int iog_topology_new_dump(struct iog_ctx *ctx, const char *path,
			  struct iog_topology **topo);
/* Firmware tables for a source that lacks them (a dump): DMAR, IVRS and VIOT
 * from @dir, laid out as /sys/firmware/acpi/tables. -ENOENT if none is there. */
int iog_topology_load_acpi(struct iog_topology *topo, const char *dir);
struct iog_topology *iog_topology_ref(struct iog_topology *topo);
struct iog_topology *iog_topology_unref(struct iog_topology *topo);

/* "sysfs" or "dump", and the path given (the sysroot or the dump file). */
const char *iog_topology_get_source_kind(const struct iog_topology *topo);
const char *iog_topology_get_source_path(const struct iog_topology *topo);
/* Devices in the kernel's device-list (probe) order, reconstructed. */
size_t iog_topology_get_device_count(const struct iog_topology *topo);
struct iog_device *iog_topology_get_device(const struct iog_topology *topo, size_t i);
/* Look a device up by "SSSS:BB:DD.F" or "BB:DD.F" (segment 0). */
struct iog_device *iog_topology_find_device(const struct iog_topology *topo,
					    const char *address);
/* The kernel command line the source recorded (proc/cmdline), or NULL. */
const char *iog_topology_get_cmdline(const struct iog_topology *topo);
/* Kernel release the source recorded ("6.12.117+deb12-amd64"), or NULL. */
const char *iog_topology_get_release(const struct iog_topology *topo);
/* The IOMMU platform the source shows (e.g. "intel-vtd"), or NULL if none. */
const char *iog_topology_get_platform(const struct iog_topology *topo);

/*
 * What-if changes. Each edits the model and re-links it: groupings computed
 * before a change must not be used afterwards (take a new one).
 */
/* ACS at @dev: on = a capability advertising and enabling SV, RR, CR and UF;
 * off = no ACS capability. -EINVAL for conventional PCI. */
int iog_topology_set_acs(struct iog_topology *topo, struct iog_device *dev, bool on);
/* Move the functions of @dev's slot to the empty bus behind bridge @port
 * (functions keep their numbers). -EBUSY if the bus is not empty. */
int iog_topology_move_slot(struct iog_topology *topo, struct iog_device *dev,
			   struct iog_device *port);
/* Put a plain single-function PCIe endpoint (no ACS, vendor 0000) behind the
 * empty port @port: the card a user might plug in there. */
int iog_topology_add_card(struct iog_topology *topo, struct iog_device *port,
			  struct iog_device **card);
int iog_topology_remove_device(struct iog_topology *topo, struct iog_device *dev);

/* ---- devices ---------------------------------------------------------- */

/* Provenance of a fact. */
enum iog_fact {
	IOG_FACT_UNKNOWN = 0, /* could not be read: never used as evidence of isolation */
	IOG_FACT_READ,	      /* read from the source as is */
	IOG_FACT_DERIVED,     /* computed from read facts by a kernel rule */
	IOG_FACT_INFERRED,    /* assumed from a default or heuristic */
};

const char *iog_device_get_address(const struct iog_device *dev); /* "0000:00:1f.2" */
/* Position in the topology's probe order (iog_topology_get_device(topo, i)). */
size_t iog_device_get_index(const struct iog_device *dev);
uint32_t iog_device_get_segment(const struct iog_device *dev);
uint8_t iog_device_get_bus(const struct iog_device *dev);
uint8_t iog_device_get_devfn(const struct iog_device *dev);
uint16_t iog_device_get_vendor(const struct iog_device *dev);
uint16_t iog_device_get_device(const struct iog_device *dev);
uint32_t iog_device_get_class(const struct iog_device *dev); /* 24 bits */
/* Name from pci.ids ("Vendor Device"); NULL if the IDs are unknown. */
const char *iog_device_get_name(const struct iog_device *dev);
const char *iog_device_get_class_name(const struct iog_device *dev);
/* Bound driver, or NULL (none, or the source does not say). */
const char *iog_device_get_driver(const struct iog_device *dev);
/* The bridge above (bus->self), or NULL on a root or virtual bus. */
struct iog_device *iog_device_get_parent(const struct iog_device *dev);
/* SR-IOV: the PF of a VF, or NULL. */
struct iog_device *iog_device_get_physfn(const struct iog_device *dev);
bool iog_device_is_bridge(const struct iog_device *dev);
/* PCIe port type after the kernel's correction; -1 for conventional PCI, -2
 * when the capability list could not be read (e.g. 64 bytes without root). */
int iog_device_get_pcie_type(const struct iog_device *dev);
const char *iog_pcie_type_name(int type);
bool iog_device_is_multifunction(const struct iog_device *dev);
/* ACS capability and control words as read (-1 without ACS capability). */
enum iog_fact iog_device_get_acs(const struct iog_device *dev, int *cap, int *ctrl);
/* Slot Implemented and the physical slot number of a port's PCIe capability;
 * -1 if the port has no slot. */
int iog_device_get_slot_number(const struct iog_device *dev);
/* The kernel's group of the device (-1 if it has none or the source does not say). */
int iog_device_get_kernel_group(const struct iog_device *dev);
/* IOMMU unit translating the device (/sys/class/iommu name), or NULL. */
const char *iog_device_get_iommu_unit(const struct iog_device *dev);

/* ---- profile: kernel version x IOMMU platform x command line ---------- */

enum iog_acs_mode {
	IOG_ACS_AUTO = 0,	/* simulate enabling unless the source shows an active IOMMU */
	IOG_ACS_AS_READ,	/* use the ACS control words exactly as read */
	IOG_ACS_SIMULATE,	/* simulate pci_enable_acs() before grouping */
};

enum iog_override_position {
	IOG_OVERRIDE_PROXMOX = 0, /* after the APM X-Gene entry (pve-kernel) */
	IOG_OVERRIDE_APPENDED,	  /* last entry (linux-acs-override, zen) */
};

int iog_profile_new(struct iog_ctx *ctx, struct iog_profile **profile);
struct iog_profile *iog_profile_ref(struct iog_profile *profile);
struct iog_profile *iog_profile_unref(struct iog_profile *profile);
/* "6.1", "6.12", "7.2", or a release string such as "6.12.117+deb12-amd64";
 * -EINVAL for a version no profile covers. */
int iog_profile_set_kernel(struct iog_profile *profile, const char *version);
const char *iog_profile_get_kernel(const struct iog_profile *profile);
/* "intel-vtd", "amd-vi", "virtio-iommu", "arm-smmu-v3", "s390", "generic", "single". */
int iog_profile_set_platform(struct iog_profile *profile, const char *platform);
const char *iog_profile_get_platform(const struct iog_profile *profile);
/* Kernel command line: pci=disable_acs_redir=, pci=config_acs=, iommu=off, ... */
int iog_profile_set_cmdline(struct iog_profile *profile, const char *cmdline);
void iog_profile_set_acs_mode(struct iog_profile *profile, enum iog_acs_mode mode);
void iog_profile_set_override_position(struct iog_profile *profile,
				       enum iog_override_position pos);
/* Names of the supported kernels and platforms, NULL-terminated. */
const char *const *iog_kernel_names(void);
const char *const *iog_platform_names(void);

/* ---- grouping: the result -------------------------------------------- */

/* Predict the groups @profile's kernel would form on @topo. */
int iog_grouping_predict(struct iog_topology *topo, struct iog_profile *profile,
			 struct iog_grouping **grouping);
/* The groups the kernel formed, as the source recorded them; -ENOENT if none. */
int iog_grouping_from_kernel(struct iog_topology *topo, struct iog_grouping **grouping);
/* A saved listing, one line per group: "group N type=T devices: BDF BDF ...";
 * other lines are ignored. Errors name the file and line (-EINVAL). */
int iog_grouping_from_file(struct iog_topology *topo, const char *path,
			   struct iog_grouping **grouping);
struct iog_grouping *iog_grouping_ref(struct iog_grouping *grouping);
struct iog_grouping *iog_grouping_unref(struct iog_grouping *grouping);

bool iog_grouping_is_predicted(const struct iog_grouping *grouping);
/* False when group numbers could not be known (only the partition is exact). */
bool iog_grouping_numbers_known(const struct iog_grouping *grouping);
/* Groups in ascending id order. */
size_t iog_grouping_get_group_count(const struct iog_grouping *grouping);
struct iog_group *iog_grouping_get_group(const struct iog_grouping *grouping, size_t i);
/* The device's group, or NULL if the device gets none. */
struct iog_group *iog_grouping_get_device_group(const struct iog_grouping *grouping,
						const struct iog_device *dev);
/* Why a device has no group / its group is uncertain; NULL if neither applies. */
const char *iog_grouping_get_device_note(const struct iog_grouping *grouping,
					 const struct iog_device *dev);
/* Assumptions the prediction rests on, one sentence each; NULL after the last. */
const char *iog_grouping_get_assumption(const struct iog_grouping *grouping, size_t i);

int iog_group_get_id(const struct iog_group *group);
/* Default domain type: "DMA-FQ", "DMA", "identity", "unknown", ...; or NULL. */
const char *iog_group_get_type(const struct iog_group *group);
/* The kernel's reserved_regions file of the group ("start end type" lines), or
 * NULL (predicted groups, or a source without it). */
const char *iog_group_get_reserved_regions(const struct iog_group *group);
size_t iog_group_get_device_count(const struct iog_group *group);
/* Members in the order they joined. */
struct iog_device *iog_group_get_device(const struct iog_group *group, size_t i);
/* True if the group rests on an unknown fact (it may really be smaller or
 * larger); such a group is never reported as isolating its members. */
bool iog_group_is_uncertain(const struct iog_group *group);

/* ---- explanations: why a device is grouped as it is ------------------ */

/* Why pci_acs_enabled() answered as it did for a device. */
enum iog_acs_reason {
	IOG_ACS_QUIRK,		 /* a pci_dev_acs_enabled[] quirk decided (see quirk) */
	IOG_ACS_NOT_PCIE,	 /* conventional PCI / PCI-X: never isolated */
	IOG_ACS_BRIDGE_TYPE,	 /* PCIe-to-PCI, PCI-to-PCIe bridge, event collector */
	IOG_ACS_NO_CAP,		 /* port or multifunction device without ACS capability */
	IOG_ACS_CTRL_MISSING,	 /* ACS advertised, required bits not enabled (missing) */
	IOG_ACS_CTRL_OK,	 /* ACS advertised and enabled */
	IOG_ACS_SINGLE_FUNCTION, /* single-function endpoint or upstream port */
	IOG_ACS_OTHER_TYPE,	 /* other PCIe types pass */
	IOG_ACS_UNKNOWN,	 /* facts could not be read: taken as not isolated */
};

enum iog_reason_kind {
	IOG_REASON_FIRST,	   /* created its group: nothing grouped joined it before */
	IOG_REASON_ALONE,	   /* its path to the root is isolated (ACS or a root bus) */
	IOG_REASON_BRIDGE_ALIAS,   /* its DMA carries bridge `other`'s requester ID */
	IOG_REASON_VMD,		   /* behind Intel VMD `other`: uses its requester ID */
	IOG_REASON_NOT_ISOLATED,   /* joined bridge `other` above it: `blocker` on the way
				      to the root is not ACS-isolated (acs, missing, quirk) */
	IOG_REASON_DMA_ALIAS,	   /* a quirk makes it share requester IDs with `other` */
	IOG_REASON_MULTIFUNCTION,  /* `dev` and `other` are functions of one slot and
				      `blocker` (dev or an upstream bridge) lacks ACS */
	IOG_REASON_PLATFORM,	   /* the platform groups without topology (s390, ...) */
	IOG_REASON_NO_GROUP,	   /* it gets no group: see text */
	IOG_REASON_UNCERTAIN,	   /* a fact could not be read: see text */
};

/* One step of an explanation. Pointers are borrowed from the grouping. */
struct iog_reason {
	enum iog_reason_kind kind;
	const struct iog_device *dev;	  /* the device this step is about */
	const struct iog_device *other;	  /* the device it joined or that caused it */
	const struct iog_device *blocker; /* the device whose ACS test failed, or NULL */
	enum iog_acs_reason acs;	  /* why blocker failed */
	uint16_t acs_missing;		  /* required ACS bits advertised but not enabled */
	const char *quirk;		  /* kernel function that decided, or NULL */
	const char *text;		  /* a note for NO_GROUP / UNCERTAIN, or NULL */
	bool on_chain;			  /* part of the chain from the device asked about
					     to its group's creator (else a co-member's step) */
};

/*
 * Why @dev is grouped as it is in a prediction: the chain of steps from @dev to
 * the device that created its group, then one step for every other member (how
 * it joined), so that every co-member is accounted for. Returns the number of
 * records in *reasons (valid until the next call on @grouping), or -EINVAL for a
 * grouping that is not a prediction.
 */
int iog_grouping_explain(struct iog_grouping *grouping, const struct iog_device *dev,
			 const struct iog_reason **reasons);
/* pci_acs_enabled() for the grouping request (SV|RR|CR|UF) under the grouping's
 * profile: true if isolated; *why and *missing say why. */
bool iog_grouping_acs_enabled(const struct iog_grouping *grouping,
			      const struct iog_device *dev, enum iog_acs_reason *why,
			      uint16_t *missing, const char **quirk);

#ifdef __cplusplus
}
#endif
#endif
