/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the kernel command-line parser (lib/profile.c: pci=config_acs=,
 * pci=disable_acs_redir=, pcie_acs_override=, iommu options) and the ACS
 * set-up that consumes the parsed device strings, on the fixed topology.
 * Input: the command line (cut at the first NUL byte). Seeds: the cases'
 * proc/cmdline plus hand-written ACS knobs.
 */
#include "fixture.h"

static struct iog_ctx *ctx;
static struct iog_topology *topo;

static void predict(struct iog_profile *p)
{
	struct iog_grouping *g = NULL;

	if (iog_grouping_predict(topo, p, &g) == 0) {
		fuzz_consume_grouping(topo, g);
		iog_grouping_unref(g);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iog_profile *p = NULL;
	char *s;

	if (!ctx) {
		ctx = fuzz_ctx();
		topo = fx_topology(ctx, false);
	}
	s = malloc(size + 1); /* exact size: ASan sees any over-read */
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	if (iog_profile_new(ctx, &p) < 0)
		abort();
	if (iog_profile_set_cmdline(p, s) == 0) {
		iog_profile_set_acs_mode(p, IOG_ACS_SIMULATE);
		predict(p);
		iog_profile_set_acs_mode(p, IOG_ACS_AS_READ);
		iog_profile_set_override_position(p, IOG_OVERRIDE_APPENDED);
		if (iog_profile_set_platform(p, "amd-vi") < 0 || iog_profile_set_kernel(p, "6.1") < 0)
			abort();
		predict(p);
	}
	/* setting it again must free the first parse */
	iog_profile_set_cmdline(p, s);
	iog_profile_unref(p);
	free(s);
	return 0;
}
