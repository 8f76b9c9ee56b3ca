/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scaling benchmark: synthetic topologies of 10^3 .. 10^6 PCI functions built
 * in memory through the internal model API (as a source does), then grouped
 * with the intel-vtd / 7.2 profile. Reports ns per device for the build
 * (iog_topology_add_device + config space + iog_topology_finish) and for the
 * prediction (iog_grouping_predict), and each as a ratio to the 10^4 figure
 * of the same shape, so the numbers compare within one run (DESIGN.md §6).
 *
 *   scale [--max N] [--shape wide|deep|roots] [--write-dump N FILE]
 *
 * Shapes:
 *   wide   SR-IOV: per segment up to 127 root ports (ACS on), each with a PF
 *          behind it and 256 VFs on the virtual bus after the PF's bus
 *          (physfn_name set as the sysfs source sets it).
 *   deep   switch trees: per segment one root port and switches nested 4
 *          levels deep with fan-out 3 (downstream ports alternate ACS on and
 *          off), each leaf port with an 8-function endpoint.
 *   roots  many root buses: one segment per 5 functions (host bridge, two
 *          endpoints, a root port and the endpoint behind it).
 * Bridges and PFs have 4096 bytes of config space, other endpoints 256.
 *
 * --write-dump N FILE writes the deep shape with N functions as an lspci
 * -xxx/-xxxx dump, for the peer comparison with lspci (bench/run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* ---- synthesized config space ---- */

enum kind { K_HOST, K_RP, K_UP, K_DOWN, K_EP, K_PF, K_VF };

struct spec {
	enum kind kind;
	bool mf, acs;
	uint8_t sec, sub;
};

static void put16(uint8_t *c, unsigned pos, uint16_t v)
{
	c[pos] = v & 0xff;
	c[pos + 1] = v >> 8;
}

static void put32(uint8_t *c, unsigned pos, uint32_t v)
{
	put16(c, pos, v & 0xffff);
	put16(c, pos + 2, v >> 16);
}

/* Fills @c (zeroed, @len bytes) for one function; returns the length used. */
static uint32_t synth(uint8_t *c, const struct spec *s, uint8_t bus, uint16_t *vendor,
		      uint16_t *device)
{
	static const struct {
		uint16_t vendor, device;
		uint32_t class;
		int pcie_type; /* -1 conventional */
	} ids[] = {
		[K_HOST] = { 0x8086, 0x29c0, 0x060000, -1 },
		[K_RP] = { 0x8086, 0x7ab8, 0x060400, PCI_EXP_TYPE_ROOT_PORT },
		[K_UP] = { 0x10b5, 0x8796, 0x060400, PCI_EXP_TYPE_UPSTREAM },
		[K_DOWN] = { 0x10b5, 0x8796, 0x060400, PCI_EXP_TYPE_DOWNSTREAM },
		[K_EP] = { 0x15b3, 0x1017, 0x020000, PCI_EXP_TYPE_ENDPOINT },
		[K_PF] = { 0x15b3, 0x101d, 0x020000, PCI_EXP_TYPE_ENDPOINT },
		[K_VF] = { 0x15b3, 0x101e, 0x020000, PCI_EXP_TYPE_ENDPOINT },
	};
	bool bridge = s->kind == K_RP || s->kind == K_UP || s->kind == K_DOWN;
	bool ext = bridge || s->kind == K_PF;
	uint32_t len = ext ? 4096 : 256;

	*vendor = ids[s->kind].vendor;
	*device = ids[s->kind].device;
	put16(c, 0x00, s->kind == K_VF ? 0xffff : ids[s->kind].vendor);
	put16(c, 0x02, s->kind == K_VF ? 0xffff : ids[s->kind].device);
	c[0x09] = ids[s->kind].class & 0xff;
	c[0x0a] = ids[s->kind].class >> 8;
	c[0x0b] = ids[s->kind].class >> 16;
	c[0x0e] = (bridge ? 1 : 0) | (s->mf ? 0x80 : 0);
	if (bridge) {
		c[0x18] = bus;
		c[0x19] = s->sec;
		c[0x1a] = s->sub;
	}
	if (ids[s->kind].pcie_type < 0)
		return len;
	c[0x06] = PCI_STATUS_CAP_LIST;
	c[0x34] = 0x40;
	c[0x40] = PCI_CAP_ID_EXP;
	put16(c, 0x42, 2 | ids[s->kind].pcie_type << 4);
	if (ext && s->acs) {
		put32(c, 0x100, PCI_EXT_CAP_ID_ACS | 1u << 16);
		put16(c, 0x104, 0x5f);
		put16(c, 0x106, 0x1d);
	}
	return len;
}

/* ---- generators: call @emit for each function, stop at @n ---- */

struct gen {
	size_t n, count;
	void (*emit)(struct gen *g, uint32_t seg, uint8_t bus, uint8_t devfn,
		     const struct spec *s, const char *physfn);
	void *data;
};

static bool emit(struct gen *g, uint32_t seg, uint8_t bus, uint8_t devfn, enum kind kind,
		 bool mf, bool acs, uint8_t sec, uint8_t sub, const char *physfn)
{
	struct spec s = { kind, mf, acs, sec, sub };

	if (g->count >= g->n)
		return false;
	g->emit(g, seg, bus, devfn, &s, physfn);
	g->count++;
	return true;
}

static void gen_wide(struct gen *g)
{
	char pf[24];

	for (uint32_t seg = 0; g->count < g->n; seg++)
		for (unsigned rp = 0; rp < 127 && g->count < g->n; rp++) {
			uint8_t b = 1 + 2 * rp;

			emit(g, seg, 0, rp, K_RP, true, true, b, b + 1, NULL);
			emit(g, seg, b, 0, K_PF, false, false, 0, 0, NULL);
			iog_format_address(pf, sizeof(pf), seg, b, 0);
			for (unsigned vf = 0; vf < 256; vf++)
				if (!emit(g, seg, b + 1, vf, K_VF, false, false, 0, 0, pf))
					break;
		}
}

/* One switch below a port whose secondary bus is *next - 1 (the bus the
 * upstream port sits on). Returns false when @n is reached. */
static bool deep_switch(struct gen *g, uint32_t seg, unsigned *next, unsigned level)
{
	unsigned up_bus = *next - 1, internal = (*next)++;

	/* subordinate is patched below: the model only needs secondary */
	if (!emit(g, seg, up_bus, 0, K_UP, false, false, internal, 255, NULL))
		return false;
	for (unsigned d = 0; d < 3; d++) {
		unsigned sec = (*next)++;

		if (!emit(g, seg, internal, d << 3, K_DOWN, false, d != 1, sec, 255, NULL))
			return false;
		if (level < 4) {
			if (!deep_switch(g, seg, next, level + 1))
				return false;
		} else {
			for (unsigned f = 0; f < 8; f++)
				if (!emit(g, seg, sec, f, K_EP, true, false, 0, 0, NULL))
					return false;
		}
	}
	return true;
}

static void gen_deep(struct gen *g)
{
	for (uint32_t seg = 0; g->count < g->n; seg++) {
		unsigned next = 2;

		if (!emit(g, seg, 0, 0, K_RP, false, true, 1, 255, NULL))
			break;
		deep_switch(g, seg, &next, 1);
	}
}

static void gen_roots(struct gen *g)
{
	for (uint32_t seg = 0; g->count < g->n; seg++) {
		emit(g, seg, 0, 0, K_HOST, false, false, 0, 0, NULL);
		emit(g, seg, 0, 0x08, K_EP, false, false, 0, 0, NULL);
		emit(g, seg, 0, 0x10, K_EP, false, false, 0, 0, NULL);
		emit(g, seg, 0, 0x18, K_RP, false, true, 1, 1, NULL);
		emit(g, seg, 1, 0, K_EP, false, false, 0, 0, NULL);
	}
}

static const struct shape {
	const char *name;
	void (*gen)(struct gen *g);
} shapes[] = {
	{ "wide", gen_wide },
	{ "deep", gen_deep },
	{ "roots", gen_roots },
};

/* ---- building a topology ---- */

static void emit_model(struct gen *g, uint32_t seg, uint8_t bus, uint8_t devfn,
		       const struct spec *s, const char *physfn)
{
	struct iog_topology *t = g->data;
	struct iog_device *d = iog_topology_add_device(t, seg, bus, devfn);
	uint8_t buf[4096] = { 0 };
	uint16_t vendor, device;

	d->cfg_len = synth(buf, s, bus, &vendor, &device);
	d->cfg = malloc(d->cfg_len);
	if (!d->cfg)
		abort();
	memcpy(d->cfg, buf, d->cfg_len);
	d->ext_fact = IOG_FACT_READ;
	d->has_ext = d->cfg_len > 256;
	if (s->kind == K_VF) { /* sysfs gives VFs their IDs; config reads 0xffff */
		d->vendor = vendor;
		d->device = device;
		d->physfn_name = iog_strdup(physfn);
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct result {
	double build, predict; /* ns per device, best of the repetitions */
	size_t groups;
};

static struct result measure(struct iog_ctx *ctx, struct iog_profile *p,
			     const struct shape *sh, size_t n, int reps)
{
	struct result best = { 1e30, 1e30, 0 };

	for (int r = 0; r < reps; r++) {
		struct iog_topology *t = iog_topology_alloc(ctx, "bench", sh->name);
		struct gen g = { .n = n, .emit = emit_model, .data = t };
		struct iog_grouping *grp = NULL;
		double t0, t1, t2;

		t0 = now_ns();
		sh->gen(&g);
		if (iog_topology_finish(t) < 0) {
			fprintf(stderr, "%s %zu: iog_topology_finish failed\n", sh->name, n);
			exit(2);
		}
		t1 = now_ns();
		if (iog_grouping_predict(t, p, &grp) < 0) {
			fprintf(stderr, "%s %zu: iog_grouping_predict failed\n", sh->name, n);
			exit(2);
		}
		t2 = now_ns();
		if ((t1 - t0) / n < best.build)
			best.build = (t1 - t0) / n;
		if ((t2 - t1) / n < best.predict)
			best.predict = (t2 - t1) / n;
		best.groups = iog_grouping_get_group_count(grp);
		iog_grouping_unref(grp);
		iog_topology_unref(t);
	}
	return best;
}

/* ---- dump writer (peer comparison) ---- */

static void emit_dump(struct gen *g, uint32_t seg, uint8_t bus, uint8_t devfn,
		      const struct spec *s, const char *physfn)
{
	FILE *f = g->data;
	uint8_t c[4096] = { 0 };
	uint16_t vendor, device;
	uint32_t len = synth(c, s, bus, &vendor, &device);

	(void)physfn;
	fprintf(f, "%04x:%02x:%02x.%d Device %04x:%04x\n", seg, bus, PCI_SLOT(devfn),
		PCI_FUNC(devfn), vendor, device);
	for (uint32_t off = 0; off < len; off += 16) {
		fprintf(f, "%03x:", off);
		for (int i = 0; i < 16; i++)
			fprintf(f, " %02x", c[off + i]);
		fputc('\n', f);
	}
	fputc('\n', f);
}

static int write_dump(size_t n, const char *path)
{
	FILE *f = fopen(path, "w");
	struct gen g = { .n = n, .emit = emit_dump, .data = f };

	if (!f) {
		perror(path);
		return 2;
	}
	gen_deep(&g);
	return fclose(f) ? 2 : 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 1000, 10000, 100000, 1000000 };
	static const int reps[] = { 20, 5, 3, 2 }; /* best of: the first pass at a size also pays for first-touch page faults */
	size_t max = 1000000;
	const char *only = NULL;
	struct iog_ctx *ctx;
	struct iog_profile *p;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max") && i + 1 < argc)
			max = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--shape") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--write-dump") && i + 2 < argc)
			return write_dump(strtoul(argv[i + 1], NULL, 10), argv[i + 2]);
		else {
			fprintf(stderr, "usage: %s [--max N] [--shape wide|deep|roots] [--write-dump N FILE]\n",
				argv[0]);
			return 2;
		}
	}
	if (iog_ctx_new(&ctx) < 0 || iog_profile_new(ctx, &p) < 0 ||
	    iog_profile_set_kernel(p, "7.2") < 0 || iog_profile_set_platform(p, "intel-vtd") < 0)
		return 2;

	printf("%-6s %9s %8s %13s %15s %11s %13s\n", "shape", "devices", "groups",
	       "build ns/dev", "predict ns/dev", "build/1e4", "predict/1e4");
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct result base = { 0 };

		if (only && strcmp(only, shapes[s].name))
			continue;
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]) && sizes[k] <= max; k++) {
			struct result r = measure(ctx, p, &shapes[s], sizes[k], reps[k]);

			if (sizes[k] == 10000)
				base = r;
			printf("%-6s %9zu %8zu %13.0f %15.0f", shapes[s].name, sizes[k], r.groups,
			       r.build, r.predict);
			if (base.build > 0)
				printf(" %11.2f %13.2f\n", r.build / base.build, r.predict / base.predict);
			else
				printf(" %11s %13s\n", "-", "-");
			fflush(stdout);
		}
	}
	iog_profile_unref(p);
	iog_ctx_unref(ctx);
	return 0;
}
