/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iommu-groups list: devices by IOMMU group, or the PCI tree (-T). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libsmartcols/libsmartcols.h>

#include "tool.h"

enum {
	COL_GROUP,
	COL_DEVICE,
	COL_CLASS,
	COL_CLASSID,
	COL_ID,
	COL_NAME,
	COL_DRIVER,
	COL_TYPE,
	COL_PORT,
	COL_ACS,
	COL_IOMMU,
	COL_NOTE,
	COL_REASON,
	NCOLS
};

static const struct colinfo {
	const char *name;
	double whint;
	int flags;
	const char *help;
} infos[NCOLS] = {
	[COL_GROUP] = { "GROUP", 5, SCOLS_FL_RIGHT, "IOMMU group number (- when none)" },
	[COL_DEVICE] = { "DEVICE", 12, 0, "PCI address, SSSS:BB:DD.F" },
	[COL_CLASS] = { "CLASS", 0.2, SCOLS_FL_TRUNC, "device class name" },
	[COL_CLASSID] = { "CLASSID", 6, 0, "device class code (hex)" },
	[COL_ID] = { "VENDOR:DEVICE", 9, 0, "vendor and device ID (hex)" },
	[COL_NAME] = { "NAME", 0.3, SCOLS_FL_TRUNC, "vendor and device name from pci.ids" },
	[COL_DRIVER] = { "DRIVER", 0.1, 0, "bound kernel driver" },
	[COL_TYPE] = { "TYPE", 6, 0, "group's default domain type (DMA, DMA-FQ, identity...)" },
	[COL_PORT] = { "PORT", 0.1, 0, "PCIe port type, after the kernel's correction" },
	[COL_ACS] = { "ACS", 0.1, 0, "ACS capability and control as read" },
	[COL_IOMMU] = { "IOMMU", 0.1, 0, "IOMMU unit translating the device" },
	[COL_NOTE] = { "NOTE", 0.3, SCOLS_FL_WRAP, "why the device has no group, or what is uncertain" },
	[COL_REASON] = { "REASON", 0.4, SCOLS_FL_WRAP, "one-line reason for the device's group (from a prediction)" },
};

static const int default_cols[] = { COL_GROUP, COL_DEVICE, COL_CLASS, COL_ID, COL_NAME,
				    COL_DRIVER };
static const int tree_cols[] = { COL_DEVICE, COL_GROUP, COL_CLASS, COL_ID, COL_NAME,
				 COL_DRIVER };

void list_columns(FILE *out)
{
	fputs("Available output columns:\n", out);
	for (int i = 0; i < NCOLS; i++)
		fprintf(out, " %13s  %s\n", infos[i].name, infos[i].help);
}

static int column_id(const char *name, size_t len)
{
	for (int i = 0; i < NCOLS; i++)
		if (strlen(infos[i].name) == len && !strncasecmp(infos[i].name, name, len))
			return i;
	if (len == 2 && !strncasecmp(name, "ID", 2))
		return COL_ID;
	return -1;
}

/* -o LIST or -o +LIST; returns the number of columns or -1. */
static int parse_columns(const char *list, const int *defaults, int ndefaults, int *cols)
{
	int n = 0;

	if (!list || *list == '+') {
		memcpy(cols, defaults, ndefaults * sizeof(int));
		n = ndefaults;
		if (!list)
			return n;
		list++;
	}
	while (*list) {
		size_t len = strcspn(list, ",");
		int id = column_id(list, len);

		if (id < 0) {
			warnx_("unknown column: %.*s", (int)len, list);
			return -1;
		}
		if (n >= 2 * NCOLS)
			return -1;
		cols[n++] = id;
		list += len;
		if (*list)
			list++;
	}
	return n;
}

static char *acs_text(const struct iog_device *d)
{
	int cap, ctrl;
	enum iog_fact f = iog_device_get_acs(d, &cap, &ctrl);
	char *s;

	if (f == IOG_FACT_UNKNOWN)
		return strdup("unknown");
	if (iog_device_get_pcie_type(d) < 0)
		return strdup("-");
	if (cap < 0)
		return strdup("none");
	if (asprintf(&s, "cap=%04x,ctl=%04x", cap, ctrl) < 0)
		abort();
	return s;
}

static char *cell(struct session *s, const struct iog_device *d, int col)
{
	struct iog_group *g = s->shown ? iog_grouping_get_device_group(s->shown, d) : NULL;
	const char *str = NULL;
	char *out = NULL;

	switch (col) {
	case COL_GROUP:
		if (!g)
			return strdup("-");
		if (asprintf(&out, "%d", iog_group_get_id(g)) < 0)
			abort();
		return out;
	case COL_DEVICE:
		str = iog_device_get_address(d);
		break;
	case COL_CLASS:
		str = iog_device_get_class_name(d);
		break;
	case COL_CLASSID:
		if (asprintf(&out, "%06x", iog_device_get_class(d)) < 0)
			abort();
		return out;
	case COL_ID:
		if (asprintf(&out, "%04x:%04x", iog_device_get_vendor(d),
			     iog_device_get_device(d)) < 0)
			abort();
		return out;
	case COL_NAME:
		str = iog_device_get_name(d);
		break;
	case COL_DRIVER:
		str = iog_device_get_driver(d);
		break;
	case COL_TYPE:
		str = g ? iog_group_get_type(g) : NULL;
		break;
	case COL_PORT:
		str = iog_pcie_type_name(iog_device_get_pcie_type(d));
		break;
	case COL_ACS:
		return acs_text(d);
	case COL_IOMMU:
		str = iog_device_get_iommu_unit(d);
		break;
	case COL_REASON:
		return reason_short(s->why, d);
	case COL_NOTE:
		str = s->shown ? iog_grouping_get_device_note(s->shown, d) : NULL;
		if (!str && g && iog_group_is_uncertain(g))
			str = "group rests on facts that could not be read";
		break;
	}
	return str ? strdup(str) : NULL;
}

static int cmp_by_group(const void *a, const void *b, void *data)
{
	struct iog_grouping *gr = data;
	const struct iog_device *x = *(struct iog_device *const *)a;
	const struct iog_device *y = *(struct iog_device *const *)b;
	struct iog_group *gx = iog_grouping_get_device_group(gr, x);
	struct iog_group *gy = iog_grouping_get_device_group(gr, y);
	int ix = gx ? iog_group_get_id(gx) : -1, iy = gy ? iog_group_get_id(gy) : -1;

	if (ix != iy) {
		if (ix < 0 || iy < 0)
			return ix < 0 ? 1 : -1; /* ungrouped last */
		return ix < iy ? -1 : 1;
	}
	return strcmp(iog_device_get_address(x), iog_device_get_address(y)) < 0 ? -1 : 1;
}

static struct libscols_line *add_line(struct session *s, struct libscols_table *tb,
				      struct libscols_line *parent,
				      const struct iog_device *d, const int *cols, int ncols)
{
	struct libscols_line *ln = scols_table_new_line(tb, parent);

	if (!ln)
		abort();
	for (int i = 0; i < ncols; i++) {
		char *v = cell(s, d, cols[i]);

		if (v && scols_line_refer_data(ln, i, v) < 0)
			abort();
	}
	return ln;
}

/* The PCI tree: each bridge's children under it (a VF under its PF). The probe
 * order puts every bridge before the devices behind it. */
static void fill_tree(struct session *s, struct libscols_table *tb, const int *cols, int ncols)
{
	size_t n = iog_topology_get_device_count(s->topo);
	struct libscols_line **lines = calloc(n ? n : 1, sizeof(*lines));

	if (!lines)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct iog_device *d = iog_topology_get_device(s->topo, i);
		struct iog_device *up = iog_device_get_physfn(d);

		if (!up)
			up = iog_device_get_parent(d);
		lines[i] = add_line(s, tb, up ? lines[iog_device_get_index(up)] : NULL, d, cols,
				    ncols);
	}
	free(lines);
}

static void fill_list(struct session *s, struct libscols_table *tb, const int *cols, int ncols)
{
	size_t n = iog_topology_get_device_count(s->topo);
	struct iog_device **devs = calloc(n ? n : 1, sizeof(*devs));

	if (!devs)
		abort();
	for (size_t i = 0; i < n; i++)
		devs[i] = iog_topology_get_device(s->topo, i);
	qsort_r(devs, n, sizeof(*devs), cmp_by_group, s->shown);
	for (size_t i = 0; i < n; i++)
		add_line(s, tb, NULL, devs[i], cols, ncols);
	free(devs);
}

static const char *enable_hint(const char *platform)
{
	if (!strcmp(platform, "intel-vtd"))
		return "enable VT-d in the firmware setup and boot with intel_iommu=on";
	if (!strcmp(platform, "amd-vi"))
		return "enable the IOMMU (AMD-Vi) in the firmware setup; Linux turns it on by default unless amd_iommu=off or iommu=off is given";
	return "enable the IOMMU in the firmware and on the kernel command line";
}

/* Pick the kernel's groups, or predict (saying so on stderr). */
static int choose_groups(struct session *s)
{
	const struct options *o = s->opts;
	const char *plat = iog_profile_get_platform(s->profile);
	bool dump = !strcmp(iog_topology_get_source_kind(s->topo), "dump");

	if (session_groups(s) < 0)
		return -1;
	if (!iog_grouping_is_predicted(s->shown))
		return 0;
	if (!iog_grouping_numbers_known(s->shown) && o->format != OUT_JSON)
		warnx_("group numbers cannot be known from this source: only the partition is exact (see -J for why)");
	if (o->predict || o->format == OUT_JSON)
		return 0;
	if (dump)
		warnx_("a dump carries no groups: predicted for Linux %s with %s",
		       iog_profile_get_kernel(s->profile), plat);
	else
		warnx_("the kernel has no IOMMU groups (the IOMMU is off or absent): predicted for Linux %s with %s; to turn it on, %s",
		       iog_profile_get_kernel(s->profile), plat, enable_hint(plat));
	return 0;
}

static void warn_uncertain(struct session *s)
{
	size_t n = iog_grouping_get_group_count(s->shown), bad = 0;

	for (size_t i = 0; i < n; i++)
		bad += iog_group_is_uncertain(iog_grouping_get_group(s->shown, i));
	if (bad)
		warnx_("warning: %zu group%s rest%s on facts that could not be read (run as root, or use an lspci -xxxx dump); they are shown as the kernel would group them if those devices lacked isolation",
		       bad, bad == 1 ? "" : "s", bad == 1 ? "s" : "");
}

int cmd_list(struct session *s)
{
	const struct options *o = s->opts;
	int cols[2 * NCOLS], ncols;
	struct libscols_table *tb;

	if (choose_groups(s) < 0)
		return EXIT_USAGE;
	if (o->format == OUT_JSON && !o->tree && !o->columns)
		return print_json(s);
	ncols = o->tree ? parse_columns(o->columns, tree_cols, 6, cols)
			: parse_columns(o->columns, default_cols, 6, cols);
	if (ncols < 0)
		return EXIT_USAGE;

	scols_init_debug(0);
	tb = scols_new_table();
	if (!tb)
		abort();
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_raw(tb, o->format == OUT_RAW);
	scols_table_enable_export(tb, o->format == OUT_PAIRS);
	scols_table_enable_json(tb, o->format == OUT_JSON);
	scols_table_enable_ascii(tb, o->ascii);
	scols_table_set_name(tb, "devices");
	for (int i = 0; i < ncols; i++) {
		const struct colinfo *ci = &infos[cols[i]];
		int flags = ci->flags;
		struct libscols_column *cl;

		if (o->tree && i == 0)
			flags |= SCOLS_FL_TREE;
		cl = scols_table_new_column(tb, ci->name, ci->whint, flags);
		if (!cl)
			abort();
		if (cols[i] == COL_GROUP)
			scols_column_set_json_type(cl, SCOLS_JSON_STRING);
	}
	for (int i = 0; i < ncols; i++)
		if (cols[i] == COL_REASON && !s->why)
			s->why = iog_grouping_is_predicted(s->shown) ? iog_grouping_ref(s->shown)
								   : session_predict(s);
	if (o->tree)
		fill_tree(s, tb, cols, ncols);
	else
		fill_list(s, tb, cols, ncols);
	scols_print_table(tb);
	scols_unref_table(tb);
	warn_uncertain(s);
	return 0;
}
