/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the lspci dump source (lib/source-dump.c's line checker, libpci's dump
 * method behind it, and the model decoding of whatever config space comes
 * out), then the engine on the result.
 * Input: the dump file's bytes. Seeds: tests/oracle/cases/<*>/config.lspci.gz.
 */
#include "fixture.h"

static struct iog_ctx *ctx;
static struct iog_profile *profiles[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_tmp_path("dump");
	struct iog_topology *t = NULL;

	if (!ctx) {
		ctx = fuzz_ctx();
		if (iog_profile_new(ctx, &profiles[0]) < 0 || iog_profile_new(ctx, &profiles[1]) < 0 ||
		    iog_profile_set_platform(profiles[1], "amd-vi") < 0 ||
		    iog_profile_set_kernel(profiles[1], "6.1") < 0)
			abort();
	}
	fuzz_write_file(path, data, size);
	if (iog_topology_new_dump(ctx, path, &t) == 0) {
		fuzz_consume_topology(t);
		for (int i = 0; i < 2; i++) {
			struct iog_grouping *g = NULL;

			if (iog_grouping_predict(t, profiles[i], &g) == 0) {
				fuzz_consume_grouping(t, g);
				iog_grouping_unref(g);
			}
		}
		iog_topology_unref(t);
	}
	unlink(path);
	return 0;
}
