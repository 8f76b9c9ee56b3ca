/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups whatif CHANGE...: the groups before and after hypothetical
 * changes, as a diff. Changes:
 *   acs:DEVICE=on|off        ACS capability (enabled) at DEVICE, or none
 *   cmdline:'OPTIONS'        kernel options added to the command line
 *   kernel:VERSION           another kernel profile
 *   iommu:PLATFORM           another IOMMU platform
 *   move:DEVICE=PORT         DEVICE's slot moved behind the empty PORT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

/* A grouping reduced to text, so it survives changes to the topology. */
struct snap_group {
	int id;
	char *members; /* sorted addresses, space-separated */
};

struct snap {
	struct snap_group *g;
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void take_snapshot(struct iog_grouping *gr, struct snap *s)
{
	s->n = iog_grouping_get_group_count(gr);
	s->g = calloc(s->n ? s->n : 1, sizeof(*s->g));
	for (size_t i = 0; i < s->n; i++) {
		struct iog_group *g = iog_grouping_get_group(gr, i);
		size_t m = iog_group_get_device_count(g), len = 0;
		const char **addr = calloc(m ? m : 1, sizeof(*addr));

		for (size_t k = 0; k < m; k++) {
			addr[k] = iog_device_get_address(iog_group_get_device(g, k));
			len += strlen(addr[k]) + 1;
		}
		qsort(addr, m, sizeof(*addr), cmp_str);
		s->g[i].id = iog_group_get_id(g);
		s->g[i].members = calloc(1, len + 1);
		for (size_t k = 0; k < m; k++) {
			if (k)
				strcat(s->g[i].members, " ");
			strcat(s->g[i].members, addr[k]);
		}
		free(addr);
	}
}

static void free_snapshot(struct snap *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->g[i].members);
	free(s->g);
}

static const struct snap_group *find_members(const struct snap *s, const char *members)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->g[i].members, members))
			return &s->g[i];
	return NULL;
}

/* ---- applying changes ---- */

static struct iog_device *device_arg(struct session *s, const char *change, const char *addr)
{
	struct iog_device *d = iog_topology_find_device(s->topo, addr);

	if (!d)
		warnx_("%s: no device %s in %s", change, addr, iog_topology_get_source_path(s->topo));
	return d;
}

static int apply(struct session *s, const char *change, char **cmdline)
{
	char *copy = strdup(change), *val = strchr(copy, ':'), *eq;
	int r = -1;

	if (!val)
		goto bad;
	*val++ = '\0';
	if (!strcmp(copy, "cmdline")) {
		char *n;

		if (asprintf(&n, "%s%s%s", *cmdline ? *cmdline : "", *cmdline ? " " : "", val) < 0)
			abort();
		free(*cmdline);
		*cmdline = n;
		r = iog_profile_set_cmdline(s->profile, n) < 0 ? -1 : 0;
	} else if (!strcmp(copy, "kernel")) {
		r = iog_profile_set_kernel(s->profile, val);
		if (r < 0)
			warnx_("%s: unsupported kernel (6.1, 6.12, 7.2)", change);
	} else if (!strcmp(copy, "iommu")) {
		r = iog_profile_set_platform(s->profile, val);
		if (r < 0)
			warnx_("%s: unknown IOMMU platform", change);
	} else if (!strcmp(copy, "acs") && (eq = strchr(val, '='))) {
		struct iog_device *d;

		*eq++ = '\0';
		if (strcmp(eq, "on") && strcmp(eq, "off"))
			goto bad;
		d = device_arg(s, change, val);
		r = d ? iog_topology_set_acs(s->topo, d, !strcmp(eq, "on")) : -1;
	} else if (!strcmp(copy, "move") && (eq = strchr(val, '='))) {
		struct iog_device *d, *port;

		*eq++ = '\0';
		d = device_arg(s, change, val);
		port = d ? device_arg(s, change, eq) : NULL;
		if (port) {
			char before[32];

			snprintf(before, sizeof(before), "%s", iog_device_get_address(d));
			r = iog_topology_move_slot(s->topo, d, port);
			if (r == 0)
				printf("moved: %s -> %s\n", before, iog_device_get_address(d));
		}
	} else {
		goto bad;
	}
	free(copy);
	return r;
bad:
	warnx_("%s: not a change (acs:DEV=on|off, cmdline:'OPTS', kernel:V, iommu:P, move:DEV=PORT)",
	       change);
	free(copy);
	return -1;
}

/* ---- the diff ---- */

static size_t print_diff(const struct snap *before, const struct snap *after)
{
	size_t changed = 0;

	for (size_t i = 0; i < before->n; i++)
		if (!find_members(after, before->g[i].members)) {
			printf("-group %d: %s\n", before->g[i].id, before->g[i].members);
			changed++;
		}
	for (size_t i = 0; i < after->n; i++) {
		const struct snap_group *was = find_members(before, after->g[i].members);

		if (!was) {
			printf("+group %d: %s\n", after->g[i].id, after->g[i].members);
			changed++;
		} else if (was->id != after->g[i].id) {
			printf(" group %d (was %d): %s\n", after->g[i].id, was->id,
			       after->g[i].members);
		}
	}
	return changed;
}

/* --expect: the "after" side against what a real kernel did with the change. */
static int check_after(struct session *s, struct iog_grouping *after)
{
	struct iog_grouping *kernel;
	size_t diffs;

	if (iog_grouping_from_file(s->topo, s->opts->expect, &kernel) < 0)
		return EXIT_USAGE;
	diffs = compare_groupings(s, kernel, after);
	iog_grouping_unref(kernel);
	if (diffs) {
		printf("after: %zu difference%s from %s\n", diffs, diffs == 1 ? "" : "s",
		       s->opts->expect);
		return EXIT_DIFFERS;
	}
	printf("after: matches %s\n", s->opts->expect);
	return 0;
}

int cmd_whatif(struct session *s)
{
	const struct options *o = s->opts;
	struct iog_grouping *g;
	struct snap before, after;
	char *cmdline = NULL;
	const char *k0 = iog_profile_get_kernel(s->profile);
	char kernel[16], platform[32];
	size_t changed;
	int rc = 0;

	if (!o->nargs) {
		warnx_("whatif: which change? (e.g. iommu-groups whatif acs:0000:00:1c.0=on)");
		return EXIT_USAGE;
	}
	snprintf(kernel, sizeof(kernel), "%s", k0);
	snprintf(platform, sizeof(platform), "%s", iog_profile_get_platform(s->profile));
	if (o->cmdline_set)
		cmdline = strdup(o->cmdline);
	else if (iog_topology_get_cmdline(s->topo))
		cmdline = strdup(iog_topology_get_cmdline(s->topo));
	g = session_predict(s);
	if (!g)
		return EXIT_USAGE;
	take_snapshot(g, &before);
	iog_grouping_unref(g);

	for (int i = 0; i < o->nargs; i++)
		if (apply(s, o->args[i], &cmdline) < 0) {
			free(cmdline);
			free_snapshot(&before);
			return EXIT_USAGE;
		}
	free(cmdline);
	g = session_predict(s);
	if (!g) {
		free_snapshot(&before);
		return EXIT_USAGE;
	}
	take_snapshot(g, &after);

	printf("--- before: Linux %s, %s\n", kernel, platform);
	printf("+++ after:");
	for (int i = 0; i < o->nargs; i++)
		printf(" %s", o->args[i]);
	printf(" (Linux %s, %s)\n", iog_profile_get_kernel(s->profile),
	       iog_profile_get_platform(s->profile));
	changed = print_diff(&before, &after);
	printf("%zu group%s before, %zu after; %s\n", before.n, before.n == 1 ? "" : "s", after.n,
	       changed ? "the partition changes" : "the partition stays the same");
	free_snapshot(&before);
	free_snapshot(&after);
	if (o->expect)
		rc = check_after(s, g);
	iog_grouping_unref(g);
	return rc;
}
