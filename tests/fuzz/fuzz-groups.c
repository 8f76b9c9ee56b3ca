/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the saved group listing parser (iog_grouping_from_file in
 * lib/grouping.c) against the fixed topology.
 * Input: the listing's bytes. Seeds: the cases' groups.txt, plus listings of
 * the fixed topology's own addresses.
 */
#include "fixture.h"

static struct iog_ctx *ctx;
static struct iog_topology *topo;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_tmp_path("groups");
	struct iog_grouping *g = NULL;

	if (!ctx) {
		ctx = fuzz_ctx();
		topo = fx_topology(ctx, false);
	}
	fuzz_write_file(path, data, size);
	if (iog_grouping_from_file(topo, path, &g) == 0) {
		fuzz_consume_grouping(topo, g);
		iog_grouping_unref(g);
	}
	unlink(path);
	return 0;
}
