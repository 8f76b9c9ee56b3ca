/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the ACPI DMAR parser (lib/source-acpi.c): the input is the DMAR table
 * of the fixed topology. Three predictions per input: without sysfs iommu
 * links (membership from the table alone), with intel_iommu=igfx_off (the
 * graphics-only unit path), and with links to two units (the link-based
 * membership, which consults the table for the registration order).
 * Input: the raw table. Seeds: sys/firmware/acpi/tables/DMAR of the VT-d
 * cases, plus tables built for the fixed topology.
 */
#include "fixture.h"

static struct iog_ctx *ctx;
static struct iog_topology *topo, *linked;
static struct iog_profile *plain, *igfx_off;

static void predict(struct iog_topology *t, struct iog_profile *p, const uint8_t *data,
		    size_t size)
{
	struct iog_grouping *g = NULL;

	t->dmar = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
	if (!t->dmar)
		abort();
	memcpy(t->dmar, data, size);
	t->dmar_len = size;
	if (iog_grouping_predict(t, p, &g) == 0) {
		fuzz_consume_grouping(t, g);
		iog_grouping_unref(g);
	}
	free(t->dmar);
	t->dmar = NULL;
	t->dmar_len = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx) {
		ctx = fuzz_ctx();
		topo = fx_topology(ctx, false);
		linked = fx_topology(ctx, true);
		if (iog_profile_new(ctx, &plain) < 0 || iog_profile_new(ctx, &igfx_off) < 0 ||
		    iog_profile_set_cmdline(igfx_off, "intel_iommu=on,igfx_off") < 0)
			abort();
	}
	predict(topo, plain, data, size);
	predict(topo, igfx_off, data, size);
	predict(linked, plain, data, size);
	return 0;
}
