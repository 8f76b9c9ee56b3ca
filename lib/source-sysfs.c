/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Source: live sysfs, or a snapshot of it under a sysroot. Config space and IDs
 * come through libpci's sysfs method (sysfs.path points into the sysroot); the
 * kernel's own view (links to driver, iommu_group, iommu, physfn; the groups
 * and IOMMU units; proc/cmdline; ACPI DMAR/IVRS) is read here directly.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pci/pci.h>

#include "internal.h"
#include "libpci.h"

struct sysfs {
	struct iog_ctx *ctx;
	char root[PATH_MAX]; /* "" for the live system */
};

static char *path_of(const struct sysfs *s, const char *fmt, ...) IOG_PRINTF(2, 3);
static char *path_of(const struct sysfs *s, const char *fmt, ...)
{
	va_list ap;
	char *rel, *p;

	va_start(ap, fmt);
	if (vasprintf(&rel, fmt, ap) < 0)
		abort();
	va_end(ap);
	p = iog_asprintf("%s%s", s->root, rel);
	free(rel);
	return p;
}

/* Last component of a symlink's target, or NULL if @path is no link. */
static char *link_base(const char *path)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	char *slash;

	if (n < 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	return iog_strdup(slash ? slash + 1 : buf);
}

/* Whole small file, trailing newline removed; NULL if unreadable. */
static char *read_text(const char *path)
{
	size_t n;
	char *buf = (char *)iog_read_file(path, &n);

	if (!buf)
		return NULL;
	buf = iog_xrealloc(buf, n + 1);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return buf;
}

static int64_t read_number(const char *path)
{
	char *t = read_text(path);
	int64_t v = -1;

	if (t && *t)
		v = strtoll(t, NULL, 0);
	free(t);
	return v;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory entries (not . and ..), sorted; NULL if the directory is absent. */
static char **list_dir(const char *path, size_t *count)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	*count = 0;
	if (!dir)
		return NULL;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		IOG_GROW(names, n + 1, cap);
		names[n++] = iog_strdup(e->d_name);
	}
	closedir(dir);
	if (n > 1) /* an empty directory leaves names NULL, which qsort may not get */
		qsort(names, n, sizeof(*names), cmp_str);
	names = iog_xrealloc(names, (n + 1) * sizeof(*names));
	names[n] = NULL;
	*count = n;
	return names;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The PCI device directly above in the sysfs tree (a bridge, or a VMD endpoint
 * above its root bus), from the resolved path of the device's directory. */
static char *sysfs_parent(const char *devlink)
{
	char real[PATH_MAX], *slash, *prev;
	uint32_t seg;
	uint8_t bus, devfn;

	if (!realpath(devlink, real))
		return NULL;
	slash = strrchr(real, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (int up = 0; up < 2; up++) {
		prev = strrchr(real, '/');
		if (!prev)
			return NULL;
		if (iog_parse_address(prev + 1, &seg, &bus, &devfn) == 0 && strchr(prev + 1, '.'))
			return iog_strdup(prev + 1);
		/* "pci10000:e0" (a root bus) sits under the VMD endpoint */
		if (strncmp(prev + 1, "pci", 3))
			return NULL;
		*prev = '\0';
	}
	return NULL;
}

static void read_device_links(const struct sysfs *s, struct iog_device *d)
{
	char *base = path_of(s, "/sys/bus/pci/devices/%s", d->address);
	char *p, *g;
	struct stat st;

	p = iog_asprintf("%s/driver", base);
	d->driver = link_base(p);
	free(p);
	p = iog_asprintf("%s/iommu_group", base);
	g = link_base(p);
	if (g)
		d->kernel_group = atoi(g);
	free(g);
	free(p);
	p = iog_asprintf("%s/iommu", base);
	d->iommu_unit = link_base(p);
	if (d->iommu_unit)
		d->topo->any_iommu_link = true;
	free(p);
	p = iog_asprintf("%s/physfn", base);
	d->physfn_name = link_base(p);
	free(p);
	d->sysfs_parent = sysfs_parent(base);

	/* sysfs sizes "config" as the kernel's cfg_size; a shorter read means
	 * we lacked the privilege (non-root reads stop at 64 bytes). */
	p = iog_asprintf("%s/config", base);
	if (stat(p, &st) == 0 && st.st_size >= 0) {
		if ((off_t)d->cfg_len >= st.st_size) {
			d->has_ext = d->cfg_len > PCI_CFG_SPACE_SIZE;
			d->ext_fact = IOG_FACT_READ;
		} else {
			d->ext_fact = IOG_FACT_UNKNOWN;
			d->has_ext = st.st_size > PCI_CFG_SPACE_SIZE;
		}
	}
	free(p);

	p = iog_asprintf("%s/function_handle", base);
	d->zpci_fh = read_number(p);
	free(p);
	p = iog_asprintf("%s/function_id", base);
	d->zpci_fid = read_number(p);
	free(p);
	p = iog_asprintf("%s/uid", base);
	d->zpci_uid = read_number(p);
	free(p);
	free(base);
}

static void read_kernel_groups(const struct sysfs *s, struct iog_topology *t)
{
	char *dir = path_of(s, "/sys/kernel/iommu_groups");
	size_t n, i;
	char **ids = list_dir(dir, &n);

	t->groups_dir_seen = ids != NULL;
	for (i = 0; i < n; i++) {
		struct iog_kernel_group *g;
		char *end, *p;
		long id = strtol(ids[i], &end, 10);

		if (*end || id < 0) {
			iog_warn(s->ctx, "%s/%s: not a group directory; ignored", dir, ids[i]);
			continue;
		}
		t->kgroups = iog_xrealloc(t->kgroups, (t->nkgroups + 1) * sizeof(*t->kgroups));
		g = &t->kgroups[t->nkgroups++];
		memset(g, 0, sizeof(*g));
		g->id = id;
		p = iog_asprintf("%s/%s/type", dir, ids[i]);
		g->type = read_text(p);
		free(p);
		p = iog_asprintf("%s/%s/reserved_regions", dir, ids[i]);
		g->reserved_regions = read_text(p);
		free(p);
		p = iog_asprintf("%s/%s/devices", dir, ids[i]);
		g->devices = list_dir(p, &g->ndevices);
		free(p);
	}
	free_list(ids, n);
	free(dir);
}

static void read_iommu_units(const struct sysfs *s, struct iog_topology *t)
{
	char *dir = path_of(s, "/sys/class/iommu");
	size_t n, i;
	char **units = list_dir(dir, &n);

	for (i = 0; i < n; i++) {
		struct iog_iommu_unit *u;
		char *p = iog_asprintf("%s/%s/devices", dir, units[i]);
		uint32_t seg;
		uint8_t bus, devfn;

		t->units = iog_xrealloc(t->units, (t->nunits + 1) * sizeof(*t->units));
		u = &t->units[t->nunits++];
		u->name = iog_strdup(units[i]);
		u->devices = list_dir(p, &u->ndevices);
		free(p);
		if (!t->platform) {
			if (!strncmp(units[i], "dmar", 4))
				t->platform = "intel-vtd";
			else if (!strncmp(units[i], "ivhd", 4))
				t->platform = "amd-vi";
			else if (!strncmp(units[i], "s390-iommu.", 11))
				t->platform = "s390";
			else if (!strncmp(units[i], "smmu3.", 6))
				t->platform = "arm-smmu-v3";
			else if (iog_parse_address(units[i], &seg, &bus, &devfn) == 0)
				/* virtio-iommu names its unit after its PCI function */
				t->platform = "virtio-iommu";
		}
	}
	free_list(units, n);
	free(dir);
}

/* Host bridges ("pciSSSS:BB") and their firmware companions: the companions'
 * instance numbers give the order firmware lists the root buses in. */
static void read_root_bridges(const struct sysfs *s, struct iog_topology *t)
{
	char *dir = path_of(s, "/sys/devices");
	size_t n, cap = 0;
	char **names = list_dir(dir, &n);

	for (size_t i = 0; i < n; i++) {
		unsigned seg, bus;
		int end = 0;
		char *p, *companion;

		if (sscanf(names[i], "pci%x:%x%n", &seg, &bus, &end) != 2 || names[i][end] ||
		    bus > 0xff)
			continue;
		p = iog_asprintf("%s/%s/firmware_node", dir, names[i]);
		companion = link_base(p);
		free(p);
		if (!companion)
			continue;
		IOG_GROW(t->root_bridges, t->nroot_bridges + 1, cap);
		t->root_bridges[t->nroot_bridges++] = (struct iog_root_bridge){
			.segment = seg, .bus = (uint8_t)bus, .companion = companion,
		};
	}
	free_list(names, n);
	free(dir);
}

static void read_system(const struct sysfs *s, struct iog_topology *t)
{
	char *p;

	p = path_of(s, "/proc/cmdline");
	t->cmdline = read_text(p);
	free(p);
	p = path_of(s, "/proc/sys/kernel/osrelease");
	t->release = read_text(p);
	free(p);
	p = path_of(s, "/sys/firmware/acpi/tables");
	iog_topology_read_acpi(t, p);
	free(p);
	read_kernel_groups(s, t);
	read_iommu_units(s, t);
	read_root_bridges(s, t);
	for (size_t i = 0; i < t->ndevs && !t->platform; i++)
		if (t->devs[i]->zpci_fid >= 0)
			t->platform = "s390";
}

/* libpci's sysfs scan gives up on an entry name it cannot parse by jumping
 * out of the scan, and what it had allocated (with the directory it had open)
 * is lost: one file descriptor per call. Check the names first, as libpci
 * parses them (it skips names starting with '.'). */
static int check_device_names(struct iog_ctx *ctx, const char *dir)
{
	size_t n;
	char **names = list_dir(dir, &n);
	int r = 0;

	for (size_t i = 0; i < n && !r; i++) {
		unsigned seg, bus, slot;
		int fn;

		if (names[i][0] != '.' &&
		    sscanf(names[i], "%x:%x:%x.%d", &seg, &bus, &slot, &fn) < 4) {
			iog_err(ctx, "%s/%s: not a PCI device address", dir, names[i]);
			r = -EINVAL;
		}
	}
	free_list(names, n);
	return r;
}

IOG_EXPORT int iog_topology_new_sysfs(struct iog_ctx *ctx, const char *sysroot,
				      struct iog_topology **out)
{
	struct sysfs s = { .ctx = ctx };
	struct pci_access *a = NULL;
	struct iog_topology *t;
	struct pci_dev *p;
	char err[512], *bus_dir, *devs_dir;
	struct stat st;
	int r;

	if (sysroot && strcmp(sysroot, "/")) {
		if (!realpath(sysroot, s.root)) {
			iog_err(ctx, "%s: %s", sysroot, strerror(errno));
			return -errno;
		}
	}
	bus_dir = path_of(&s, "/sys/bus/pci");
	devs_dir = path_of(&s, "/sys/bus/pci/devices");
	if (stat(devs_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		/* name the directory as the user gave it */
		iog_err(ctx, "%s: no PCI devices (sys/bus/pci/devices: %s)",
			sysroot ? sysroot : "/", errno ? strerror(errno) : "not a directory");
		r = -ENOENT;
		goto out;
	}
	r = check_device_names(ctx, devs_dir);
	if (r < 0)
		goto out;
	if (iog_pci_scan(ctx, PCI_ACCESS_SYS_BUS_PCI, "sysfs.path", bus_dir, &a, err,
			 sizeof(err)) < 0) {
		iog_err(ctx, "%s: %s", devs_dir, err);
		r = -EINVAL;
		goto out;
	}
	t = iog_topology_alloc(ctx, "sysfs", sysroot && *sysroot ? sysroot : "/");
	for (p = a->devices; p; p = p->next) {
		struct iog_device *d = iog_topology_add_device(t, p->domain, p->bus,
							       p->dev << 3 | p->func);
		char msg[512];

		if (iog_pci_fill_ident(p, &d->vendor, &d->device, &d->class, msg,
				       sizeof(msg)) < 0) {
			iog_err(ctx, "%s/%s: %s", devs_dir, d->address, msg);
			iog_pci_close(a);
			iog_topology_unref(t);
			r = -EINVAL;
			goto out;
		}
		d->cfg_len = iog_pci_read_config(p, &d->cfg);
		read_device_links(&s, d);
	}
	iog_pci_close(a);
	read_system(&s, t);
	r = iog_topology_finish(t);
	if (r < 0) {
		iog_topology_unref(t);
		goto out;
	}
	*out = t;
out:
	free(bus_dir);
	free(devs_dir);
	return r;
}
