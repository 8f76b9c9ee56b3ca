/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fuzz the ACPI table parsers (lib/source-acpi.c) on the fixed topology. The
 * input is handed to each parser as its table; each checks its own signature,
 * so a DMAR seed exercises the DMAR parser, an IVRS seed the IVRS one, ...
 *  - DMAR (intel-vtd), three predictions: without sysfs iommu links
 *    (membership from the table alone), with intel_iommu=igfx_off (the
 *    graphics-only unit path), and with links to two units (the link-based
 *    membership, which consults the table for the registration order);
 *  - IVRS (amd-vi, kernel 6.1);
 *  - VIOT (virtio-iommu, kernel 7.2: probed at boot, so the table decides).
 * Input: the raw table. Seeds: sys/firmware/acpi/tables/{DMAR,IVRS,VIOT} of
 * the cases, plus a DMAR table built for the fixed topology.
 */
#include "fixture.h"

static struct iog_ctx *ctx;
static struct iog_topology *topo, *linked;
static struct iog_profile *plain, *igfx_off, *amd, *virtio;

static void predict(struct iog_topology *t, struct iog_profile *p, uint8_t **table,
		    size_t *table_len, const uint8_t *data, size_t size)
{
	struct iog_grouping *g = NULL;

	*table = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
	if (!*table)
		abort();
	memcpy(*table, data, size);
	*table_len = size;
	if (iog_grouping_predict(t, p, &g) == 0) {
		fuzz_consume_grouping(t, g);
		iog_grouping_unref(g);
	}
	free(*table);
	*table = NULL;
	*table_len = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx) {
		ctx = fuzz_ctx();
		topo = fx_topology(ctx, false);
		linked = fx_topology(ctx, true);
		if (iog_profile_new(ctx, &plain) < 0 || iog_profile_new(ctx, &igfx_off) < 0 ||
		    iog_profile_set_cmdline(igfx_off, "intel_iommu=on,igfx_off") < 0 ||
		    iog_profile_new(ctx, &amd) < 0 || iog_profile_set_platform(amd, "amd-vi") < 0 ||
		    iog_profile_set_kernel(amd, "6.1") < 0 || iog_profile_new(ctx, &virtio) < 0 ||
		    iog_profile_set_platform(virtio, "virtio-iommu") < 0)
			abort();
	}
	predict(topo, plain, &topo->dmar, &topo->dmar_len, data, size);
	predict(topo, igfx_off, &topo->dmar, &topo->dmar_len, data, size);
	predict(linked, plain, &linked->dmar, &linked->dmar_len, data, size);
	predict(topo, amd, &topo->ivrs, &topo->ivrs_len, data, size);
	predict(topo, virtio, &topo->viot, &topo->viot_len, data, size);
	return 0;
}
