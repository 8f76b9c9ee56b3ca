/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups verify: the prediction against the kernel's groups (from the
 * source, or a saved listing given with --expect), device by device.
 * Exit 0 when partition, numbers and types agree, 1 when they do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

static void members(FILE *out, const struct iog_group *g, const struct iog_device *self)
{
	size_t n = iog_group_get_device_count(g), shown = 0;

	for (size_t i = 0; i < n; i++) {
		const struct iog_device *d = iog_group_get_device(g, i);

		if (d == self)
			continue;
		fprintf(out, "%s%s", shown++ ? " " : " with ", iog_device_get_address(d));
	}
	if (!shown)
		fputs(" alone", out);
}

static void describe(FILE *out, const char *who, const struct iog_group *g,
		     const struct iog_device *d)
{
	if (!g) {
		fprintf(out, "%s: no group", who);
		return;
	}
	fprintf(out, "%s: group %d", who, iog_group_get_id(g));
	members(out, g, d);
}

/* Same partition: every kernel group maps to exactly one predicted group. */
static bool same_members(const struct iog_group *a, const struct iog_group *b)
{
	size_t n = iog_group_get_device_count(a);

	if (n != iog_group_get_device_count(b))
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct iog_device *d = iog_group_get_device(a, i);
		size_t k;

		for (k = 0; k < n && iog_group_get_device(b, k) != d; k++)
			;
		if (k == n)
			return false;
	}
	return true;
}

/* Print how @pred differs from @kernel device by device, then the group types;
 * returns the number of differences. */
size_t compare_groupings(struct session *s, struct iog_grouping *kernel,
			 struct iog_grouping *pred)
{
	size_t n = iog_topology_get_device_count(s->topo), diffs = 0;
	bool numbers = iog_grouping_numbers_known(pred);

	for (size_t i = 0; i < n; i++) {
		const struct iog_device *d = iog_topology_get_device(s->topo, i);
		struct iog_group *kg = iog_grouping_get_device_group(kernel, d);
		struct iog_group *pg = iog_grouping_get_device_group(pred, d);
		bool differs;

		if (!kg || !pg)
			differs = kg != pg;
		else
			differs = !same_members(kg, pg) ||
				  (numbers && iog_group_get_id(kg) != iog_group_get_id(pg));
		if (differs) {
			printf("%s: ", iog_device_get_address(d));
			describe(stdout, "kernel", kg, d);
			fputs("; ", stdout);
			describe(stdout, "predicted", pg, d);
			putchar('\n');
			diffs++;
		}
	}
	for (size_t i = 0; i < iog_grouping_get_group_count(kernel); i++) {
		const struct iog_group *kg = iog_grouping_get_group(kernel, i);
		const struct iog_device *d = iog_group_get_device(kg, 0);
		const struct iog_group *pg = d ? iog_grouping_get_device_group(pred, d) : NULL;
		const char *kt = iog_group_get_type(kg), *pt = pg ? iog_group_get_type(pg) : NULL;

		if (pg && kt && pt && strcmp(kt, pt)) {
			printf("group %d: kernel type %s; predicted %s\n", iog_group_get_id(kg), kt,
			       pt);
			diffs++;
		}
	}
	return diffs;
}

int cmd_verify(struct session *s)
{
	struct iog_grouping *kernel = NULL, *pred;
	size_t diffs;
	const char *a;
	int r;

	r = s->opts->expect ? iog_grouping_from_file(s->topo, s->opts->expect, &kernel)
			    : iog_grouping_from_kernel(s->topo, &kernel);
	if (r < 0) {
		if (!s->opts->expect)
			warnx_("%s: the kernel formed no IOMMU groups here: nothing to verify against (give --expect FILE)",
			       iog_topology_get_source_path(s->topo));
		return EXIT_USAGE;
	}
	/* The kernel's groups exist, so the source was taken with the IOMMU on:
	 * its ACS control words are the ones the kernel used. */
	if (s->opts->acs_mode == IOG_ACS_AUTO)
		iog_profile_set_acs_mode(s->profile, IOG_ACS_AS_READ);
	pred = session_predict(s);
	if (!pred) {
		iog_grouping_unref(kernel);
		return EXIT_USAGE;
	}
	s->shown = pred;
	diffs = compare_groupings(s, kernel, pred);
	for (size_t i = 0; (a = iog_grouping_get_assumption(pred, i)); i++)
		printf("assumed: %s\n", a);
	if (diffs) {
		printf("verify: %zu difference%s (Linux %s, %s)\n", diffs, diffs == 1 ? "" : "s",
		       iog_profile_get_kernel(s->profile), iog_profile_get_platform(s->profile));
		r = EXIT_DIFFERS;
	} else {
		printf("verify: %zu devices, %zu groups: the prediction matches the kernel (%s) for Linux %s, %s\n",
		       iog_topology_get_device_count(s->topo), iog_grouping_get_group_count(kernel),
		       iog_grouping_numbers_known(pred) ? "partition, numbers and types"
							: "partition and types; numbers not modelled here",
		       iog_profile_get_kernel(s->profile), iog_profile_get_platform(s->profile));
		r = 0;
	}
	iog_grouping_unref(kernel);
	return r;
}
