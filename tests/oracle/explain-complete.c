/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * explain-complete SYSROOT KERNEL PLATFORM: for every device of a real-kernel
 * snapshot, the explanation must account for every co-member of its group, its
 * chain must end where a group is created, and each step must name the devices
 * it is about. Prints one line per problem and "N passed, N failed" (a device is
 * a test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iommu-groups.h"

static bool ends_chain(enum iog_reason_kind k)
{
	return k == IOG_REASON_FIRST || k == IOG_REASON_ALONE || k == IOG_REASON_PLATFORM ||
	       k == IOG_REASON_NO_GROUP;
}

static const char *check(struct iog_grouping *g, struct iog_device *dev)
{
	struct iog_group *grp = iog_grouping_get_device_group(g, dev);
	const struct iog_reason *r;
	int n = iog_grouping_explain(g, dev, &r), last = -1;

	if (n <= 0)
		return "no explanation";
	for (int i = 0; i < n; i++) {
		if (!r[i].dev)
			return "a step names no device";
		if (r[i].on_chain)
			last = i;
		if (r[i].kind == IOG_REASON_NOT_ISOLATED && !r[i].other)
			return "a climb step without the bridge it joined";
	}
	if (last < 0 || !ends_chain(r[last].kind))
		return "the chain does not end where a group is created";
	for (size_t m = 0; grp && m < iog_group_get_device_count(grp); m++) {
		const struct iog_device *member = iog_group_get_device(grp, m);
		bool seen = false;

		for (int i = 0; i < n && !seen; i++)
			seen = r[i].dev == member || (r[i].other == member && r[i].on_chain);
		if (!seen)
			return "a co-member is not accounted for";
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct iog_ctx *ctx;
	struct iog_topology *t;
	struct iog_profile *p;
	struct iog_grouping *g;
	size_t pass = 0, fail = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: explain-complete SYSROOT KERNEL PLATFORM\n");
		return 2;
	}
	if (iog_ctx_new(&ctx) < 0 || iog_topology_new_sysfs(ctx, argv[1], &t) < 0 ||
	    iog_profile_new(ctx, &p) < 0 || iog_profile_set_kernel(p, argv[2]) < 0 ||
	    iog_profile_set_platform(p, argv[3]) < 0) {
		fprintf(stderr, "explain-complete: %s: cannot read\n", argv[1]);
		return 2;
	}
	iog_profile_set_acs_mode(p, IOG_ACS_AS_READ);
	if (iog_grouping_predict(t, p, &g) < 0)
		return 2;
	for (size_t i = 0; i < iog_topology_get_device_count(t); i++) {
		struct iog_device *dev = iog_topology_get_device(t, i);
		const char *why = check(g, dev);

		if (why) {
			printf("%s: %s: %s\n", argv[1], iog_device_get_address(dev), why);
			fail++;
		} else {
			pass++;
		}
	}
	printf("%zu passed, %zu failed\n", pass, fail);
	iog_grouping_unref(g);
	iog_profile_unref(p);
	iog_topology_unref(t);
	iog_ctx_unref(ctx);
	return fail ? 1 : 0;
}
