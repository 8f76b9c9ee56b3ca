/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Source: an "lspci -x/-xxx/-xxxx" dump, read with libpci's dump method.
 *
 * libpci accepts the format but reports errors without a line number and
 * silently takes odd input (gaps, duplicates, a bare address). So the file is
 * checked first, line by line, with the same grammar; only a file that passes
 * is handed to libpci.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "internal.h"
#include "libpci.h"

#define DUMP_LINE_MAX 254 /* libpci reads lines into a 256-byte buffer */

struct dump_dev {
	uint32_t seg;
	uint8_t bus, devfn;
	unsigned line;
	uint8_t seen[4096 / 8];
	unsigned end;
	uint16_t text_vendor, text_device; /* "vvvv:dddd" in the header text */
	bool has_text_id;
};

struct dump_check {
	const char *path;
	struct iog_ctx *ctx;
	struct dump_dev *devs;
	size_t ndevs, capdevs;
};

static bool hexn(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* A device header: [DDDD[D[D]]:]BB:DD.F followed by a space. */
static bool parse_header(const char *s, struct dump_dev *d, bool *bare)
{
	int dom;
	unsigned seg = 0, bus, slot, fn;
	const char *p = s;

	*bare = false;
	for (dom = 0; dom <= 6 && isxdigit((unsigned char)p[dom]); dom++)
		;
	if (p[dom] == ':' && dom >= 4 && dom <= 6) {
		sscanf(p, "%x", &seg);
		p += dom + 1;
	} else if (!(dom == 2 && p[2] == ':')) {
		return false;
	}
	if (!hexn(p, 2) || p[2] != ':' || !hexn(p + 3, 2) || p[5] != '.' || p[6] < '0' ||
	    p[6] > '7')
		return false;
	if (p[7] != ' ') {
		*bare = p[7] == '\0';
		return false;
	}
	sscanf(p, "%x:%x.%u", &bus, &slot, &fn);
	if (slot > 0x1f)
		return false;
	d->seg = seg;
	d->bus = bus;
	d->devfn = slot << 3 | fn;
	/* Our own captures put "vvvv:dddd" first: VFs read 0xffff in config space. */
	if (hexn(p + 8, 4) && p[12] == ':' && hexn(p + 13, 4) &&
	    (p[17] == ' ' || p[17] == '\0')) {
		unsigned v, i;

		sscanf(p + 8, "%x:%x", &v, &i);
		d->text_vendor = v;
		d->text_device = i;
		d->has_text_id = true;
	}
	return true;
}

/* A data line: 2-8 hex digits, ": ", then bytes. Returns -1 if not one,
 * 0 if malformed, 1 if good. */
static int parse_data(struct dump_check *c, struct dump_dev *d, const char *s, unsigned lineno)
{
	int n;
	unsigned off;
	const char *z;

	for (n = 0; n < 9 && isxdigit((unsigned char)s[n]); n++)
		;
	if (n < 2 || n > 8 || s[n] != ':' || s[n + 1] != ' ')
		return -1;
	sscanf(s, "%x", &off);
	for (z = s + n + 2; hexn(z, 2) && (z[2] == '\0' || z[2] == ' ');) {
		if (off >= 4096) {
			iog_err(c->ctx, "%s:%u: offset 0x%x beyond 4096 bytes of config space",
				c->path, lineno, off);
			return 0;
		}
		d->seen[off / 8] |= 1u << (off % 8);
		if (off + 1 > d->end)
			d->end = off + 1;
		off++;
		z += 2;
		if (*z)
			z++;
	}
	if (*z) {
		iog_err(c->ctx, "%s:%u: malformed line", c->path, lineno);
		return 0;
	}
	return 1;
}

static bool complete(const struct dump_dev *d)
{
	for (unsigned i = 0; i < d->end; i++)
		if (!(d->seen[i / 8] & (1u << (i % 8))))
			return false;
	return true;
}

static int finish_dev(struct dump_check *c, struct dump_dev *d)
{
	char addr[24];

	iog_format_address(addr, sizeof(addr), d->seg, d->bus, d->devfn);
	if (d->end != 64 && d->end != 128 && d->end != 256 && d->end != 4096) {
		iog_err(c->ctx, "%s:%u: %s: config space is truncated (%u bytes; a dump has 64, 256 or 4096)",
			c->path, d->line, addr, d->end);
		return -EINVAL;
	}
	if (!complete(d)) {
		iog_err(c->ctx, "%s:%u: %s: config space has gaps", c->path, d->line, addr);
		return -EINVAL;
	}
	return 0;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct dump_dev *x = a, *y = b;

	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	if (x->devfn != y->devfn)
		return x->devfn < y->devfn ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort by address (for look-ups) and reject a device listed twice. */
static int sort_devs(struct dump_check *c)
{
	char addr[24];

	qsort(c->devs, c->ndevs, sizeof(*c->devs), cmp_dev);
	for (size_t i = 1; i < c->ndevs; i++) {
		const struct dump_dev *a = &c->devs[i - 1], *b = &c->devs[i];

		if (a->seg == b->seg && a->bus == b->bus && a->devfn == b->devfn) {
			iog_format_address(addr, sizeof(addr), b->seg, b->bus, b->devfn);
			iog_err(c->ctx, "%s:%u: %s listed twice (first at line %u)", c->path,
				b->line, addr, a->line);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_dump(struct dump_check *c)
{
	char buf[4096];
	unsigned lineno = 0;
	struct dump_dev *cur = NULL;
	FILE *f = fopen(c->path, "r");
	int r = 0;

	if (!f) {
		iog_err(c->ctx, "%s: %s", c->path, strerror(errno));
		return -errno;
	}
	while (fgets(buf, sizeof(buf), f)) {
		struct dump_dev tmp = { 0 };
		size_t len = strlen(buf);
		bool bare;

		lineno++;
		if (len && buf[len - 1] == '\n')
			buf[--len] = '\0';
		else if (!feof(f) || len > DUMP_LINE_MAX) {
			iog_err(c->ctx, "%s:%u: line too long", c->path, lineno);
			r = -EINVAL;
			break;
		}
		if (len && buf[len - 1] == '\r')
			buf[--len] = '\0';
		if (len > DUMP_LINE_MAX) {
			iog_err(c->ctx, "%s:%u: line too long", c->path, lineno);
			r = -EINVAL;
			break;
		}
		if (parse_header(buf, &tmp, &bare)) {
			if (cur && (r = finish_dev(c, cur)) < 0)
				break;
			tmp.line = lineno;
			IOG_GROW(c->devs, c->ndevs, c->capdevs);
			c->devs[c->ndevs] = tmp;
			cur = &c->devs[c->ndevs++];
			continue;
		}
		if (bare) {
			iog_err(c->ctx, "%s:%u: device address without a description after it (lspci would skip this device)",
				c->path, lineno);
			r = -EINVAL;
			break;
		}
		if (!len) {
			if (cur && (r = finish_dev(c, cur)) < 0)
				break;
			cur = NULL;
			continue;
		}
		if (cur) {
			int k = parse_data(c, cur, buf, lineno);

			if (k == 0) {
				r = -EINVAL;
				break;
			}
		}
	}
	if (!r && ferror(f)) {
		iog_err(c->ctx, "%s: read error", c->path);
		r = -EIO;
	}
	if (!r && cur)
		r = finish_dev(c, cur);
	if (!r && !c->ndevs) {
		iog_err(c->ctx, "%s: no devices (not an lspci -x dump?)", c->path);
		r = -ENOENT;
	}
	fclose(f);
	return r ? r : sort_devs(c);
}

static const struct dump_dev *find_checked(const struct dump_check *c, const struct iog_device *d)
{
	struct dump_dev key = { .seg = d->segment, .bus = d->busnr, .devfn = d->devfn };
	size_t lo = 0, hi = c->ndevs;

	while (lo < hi) { /* the line number breaks no tie here: addresses are unique */
		size_t mid = (lo + hi) / 2;
		int k = cmp_dev(&key, &c->devs[mid]);

		if (k == 0 || (c->devs[mid].seg == key.seg && c->devs[mid].bus == key.bus &&
			       c->devs[mid].devfn == key.devfn))
			return &c->devs[mid];
		if (k < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

IOG_EXPORT int iog_topology_new_dump(struct iog_ctx *ctx, const char *path,
				     struct iog_topology **out)
{
	struct dump_check c = { .path = path, .ctx = ctx };
	struct pci_access *a = NULL;
	struct iog_topology *t;
	struct pci_dev *p;
	char err[512];
	int r;

	r = check_dump(&c);
	if (r < 0)
		goto out;
	if (iog_pci_scan(ctx, PCI_ACCESS_DUMP, "dump.name", path, &a, err, sizeof(err)) < 0) {
		iog_err(ctx, "%s: %s", path, err);
		r = -EINVAL;
		goto out;
	}
	t = iog_topology_alloc(ctx, "dump", path);
	for (p = a->devices; p; p = p->next) {
		struct iog_device *d = iog_topology_add_device(t, p->domain, p->bus,
							       p->dev << 3 | p->func);
		const struct dump_dev *cd;

		d->cfg_len = iog_pci_read_config(p, &d->cfg);
		/* A dump cannot tell "no extended space" from "not dumped". */
		d->has_ext = d->cfg_len > 256;
		d->ext_fact = d->has_ext ? IOG_FACT_READ : IOG_FACT_UNKNOWN;
		cd = find_checked(&c, d);
		if (cd && cd->has_text_id && d->cfg_len >= 4 && d->cfg[0] == 0xff &&
		    d->cfg[1] == 0xff) {
			d->vendor = cd->text_vendor;
			d->device = cd->text_device;
		}
	}
	iog_pci_close(a);
	r = iog_topology_finish(t);
	if (r < 0) {
		iog_topology_unref(t);
		goto out;
	}
	*out = t;
out:
	free(c.devs);
	return r;
}
