/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --dot: the PCI tree as a Graphviz digraph. Each IOMMU group is a cluster,
 * bridges that do not isolate what is behind them are red. The output depends
 * on the input only (no dates), so it can be compared with a saved copy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* PCI_EXP_TYPE_* (pci_regs.h) and the bits the kernel requires (REQ_ACS_FLAGS) */
enum { TYPE_ROOT_PORT = 4, TYPE_DOWNSTREAM = 6, TYPE_PCI_BRIDGE = 7 };
enum { ACS_SV = 0x01, ACS_RR = 0x04, ACS_CR = 0x08, ACS_UF = 0x10 };

/* Light fills, none red: red marks a bridge. Cycled over the groups. */
static const char *const palette[] = {
	"#cfe2f3", "#d9ead3", "#fff2cc", "#e6d7f2",
	"#d0f0ef", "#fce5cd", "#ead1dc", "#e3e8c8",
};

#define NAME_WIDTH 30	/* wrap device names to keep the boxes narrow */

/* Append @s to @out escaped for a DOT quoted string. */
static void put_esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
}

/* The device part of "Vendor Device": pci.ids vendor names end in one of these. */
static const char *device_part(const char *name)
{
	static const char *const ends[] = { "Corporation ", "Inc. ", "Ltd. ", "Co. ",
					    "Instruments ", "[AMD] ", "[AMD/ATI] ", NULL };
	const char *p;

	for (size_t i = 0; ends[i]; i++) {
		p = strstr(name, ends[i]);
		if (p && p[strlen(ends[i])])
			return p + strlen(ends[i]);
	}
	return name;
}

/* Write @name wrapped at word boundaries, lines joined by DOT's \n. */
static void put_wrapped(FILE *out, const char *name)
{
	size_t col = 0;

	while (*name) {
		size_t w = strcspn(name, " ");

		if (col && col + 1 + w > NAME_WIDTH) {
			fputs("\\n", out);
			col = 0;
		} else if (col) {
			fputc(' ', out);
			col++;
		}
		for (size_t i = 0; i < w; i++) {
			if (name[i] == '"' || name[i] == '\\')
				fputc('\\', out);
			fputc(name[i], out);
		}
		col += w;
		name += w;
		name += strspn(name, " ");
	}
}

/*
 * Why a bridge does not isolate the devices below it (ACS as read), written to
 * @buf; false if it isolates or is no bridge. Root and downstream ports need
 * SV, RR, CR and UF enabled where the capability has them (the kernel takes a
 * bit missing from the capability as hard-wired on); PCIe-to-PCI and
 * conventional bridges never isolate.
 */
static bool non_isolating(const struct iog_device *d, char *buf, size_t len)
{
	static const struct { int bit; const char *name; } bits[] = {
		{ ACS_SV, "SV" }, { ACS_RR, "RR" }, { ACS_CR, "CR" }, { ACS_UF, "UF" },
	};
	int type = iog_device_get_pcie_type(d), cap, ctrl, off;
	size_t n;

	if (!iog_device_is_bridge(d))
		return false;
	/* without extended config space even the port type may be unread */
	if (iog_device_get_acs(d, &cap, &ctrl) == IOG_FACT_UNKNOWN) {
		snprintf(buf, len, "ACS unknown");
		return true;
	}
	if (type == -1 || type == TYPE_PCI_BRIDGE) {
		snprintf(buf, len, "no ACS (%s)", type < 0 ? "conventional PCI" : "PCIe-to-PCI");
		return true;
	}
	if (type != TYPE_ROOT_PORT && type != TYPE_DOWNSTREAM)
		return false;
	if (cap < 0) {
		snprintf(buf, len, "no ACS");
		return true;
	}
	off = cap & ~ctrl & (ACS_SV | ACS_RR | ACS_CR | ACS_UF);
	if (!off)
		return false;
	n = snprintf(buf, len, "ACS off:");
	for (size_t i = 0; i < 4 && n < len; i++)
		if (off & bits[i].bit)
			n += snprintf(buf + n, len - n, " %s", bits[i].name);
	return true;
}

static void put_node(FILE *out, struct session *s, const struct iog_device *d,
		     const char *indent)
{
	const char *name = iog_device_get_name(d), *drv = iog_device_get_driver(d);
	bool grouped = iog_grouping_get_device_group(s->shown, d) != NULL;
	bool dump = !strcmp(iog_topology_get_source_kind(s->topo), "dump");
	char acs[64];
	bool red = non_isolating(d, acs, sizeof(acs));

	if (!name)
		name = iog_device_get_class_name(d);
	fprintf(out, "%s\"%s\" [label=\"%s  %04x:%04x\\n", indent, iog_device_get_address(d),
		iog_device_get_address(d), iog_device_get_vendor(d), iog_device_get_device(d));
	put_wrapped(out, name ? device_part(name) : "unknown device");
	if (!dump) {	/* a dump records no drivers: say nothing rather than "none" */
		fputs("\\n", out);
		put_esc(out, drv ? drv : "no driver");
	}
	if (red)
		fprintf(out, "\\n%s", acs);
	if (!grouped)
		fputs("\\nno IOMMU group", out);
	fputc('"', out);
	if (red)
		fputs(", color=red, fontcolor=red, penwidth=2", out);
	if (!grouped)
		fputs(", style=\"filled,dashed\"", out);
	fputs("];\n", out);
}

static void put_cluster(FILE *out, struct session *s, const struct iog_group *g, size_t i)
{
	bool uncertain = iog_group_is_uncertain(g);
	int id = iog_group_get_id(g);

	fprintf(out, "\tsubgraph cluster_g%d {\n", id);
	/* edges enter from the left: a label on the right stays readable */
	fprintf(out, "\t\tlabel=\"group %d%s\"; labeljust=r;\n", id,
		uncertain ? " (uncertain)" : "");
	fprintf(out, "\t\tstyle=\"%s\"; fillcolor=\"%s\"; color=\"%s\";\n",
		uncertain ? "filled,dashed" : "filled", palette[i % 8],
		uncertain ? "black" : "gray40");
	for (size_t k = 0; k < iog_group_get_device_count(g); k++)
		put_node(out, s, iog_group_get_device(g, k), "\t\t");
	fputs("\t}\n", out);
}

static void put_header(FILE *out, struct session *s)
{
	const char *k = iog_profile_get_kernel(s->profile);
	const char *p = iog_profile_get_platform(s->profile);

	fputs("digraph iommu_groups {\n", out);
	fputs("\tgraph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, labeljust=l,\n"
	      "\t       nodesep=0.15, ranksep=0.4, ordering=out, label=\"IOMMU groups of ", out);
	put_esc(out, iog_topology_get_source_path(s->topo));
	if (iog_grouping_is_predicted(s->shown))
		fprintf(out, ": predicted for Linux %s with %s", k, p);
	else
		fprintf(out, ": the kernel's (modelled as Linux %s, %s)", k, p);
	fputs("\\lred: a bridge that does not isolate the devices below it (ACS as read)"
	      "\\ldashed: no IOMMU group, or a group resting on facts that could not be read\\l\"];\n",
	      out);
	fputs("\tnode [shape=box, fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=white];\n"
	      "\tedge [arrowsize=0.6];\n", out);
}

/* One node per root bus, so each tree has a top; in reverse, as put_edges(). */
static void put_root_buses(FILE *out, struct session *s)
{
	for (size_t i = iog_topology_get_device_count(s->topo); i-- > 0;) {
		struct iog_device *d = iog_topology_get_device(s->topo, i), *o;
		bool first = true;

		if (iog_device_get_parent(d) || iog_device_get_physfn(d))
			continue;
		for (size_t j = 0; j < i && first; j++) {
			o = iog_topology_get_device(s->topo, j);
			first = iog_device_get_parent(o) || iog_device_get_physfn(o) ||
				iog_device_get_segment(o) != iog_device_get_segment(d) ||
				iog_device_get_bus(o) != iog_device_get_bus(d);
		}
		if (first)
			fprintf(out, "\t\"pci%04x:%02x\" [label=\"root bus %04x:%02x\", shape=ellipse, style=solid];\n",
				iog_device_get_segment(d), iog_device_get_bus(d),
				iog_device_get_segment(d), iog_device_get_bus(d));
	}
}

/* Edges in reverse probe order: with rankdir=LR and ordering=out, dot stacks a
 * node's children from the bottom up, so this lists them top-down by address. */
static void put_edges(FILE *out, struct session *s)
{
	for (size_t i = iog_topology_get_device_count(s->topo); i-- > 0;) {
		struct iog_device *d = iog_topology_get_device(s->topo, i);
		struct iog_device *pf = iog_device_get_physfn(d), *up = iog_device_get_parent(d);
		const char *a = iog_device_get_address(d);

		if (pf)
			fprintf(out, "\t\"%s\" -> \"%s\" [label=\"VF\", style=dotted];\n",
				iog_device_get_address(pf), a);
		else if (up)
			fprintf(out, "\t\"%s\" -> \"%s\";\n", iog_device_get_address(up), a);
		else
			fprintf(out, "\t\"pci%04x:%02x\" -> \"%s\";\n", iog_device_get_segment(d),
				iog_device_get_bus(d), a);
	}
}

int print_dot(struct session *s)
{
	FILE *out = stdout;
	size_t n;

	if (session_groups(s) < 0)
		return EXIT_USAGE;
	put_header(out, s);
	put_root_buses(out, s);
	n = iog_grouping_get_group_count(s->shown);
	for (size_t i = 0; i < n; i++)
		put_cluster(out, s, iog_grouping_get_group(s->shown, i), i);
	for (size_t i = 0; i < iog_topology_get_device_count(s->topo); i++) {
		struct iog_device *d = iog_topology_get_device(s->topo, i);

		if (!iog_grouping_get_device_group(s->shown, d))
			put_node(out, s, d, "\t");
	}
	put_edges(out, s);
	fputs("}\n", out);
	return 0;
}
