/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Everything that touches libpci: opening an access method without letting
 * libpci exit the process, reading config space, and pci.ids names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "internal.h"
#include "libpci.h"

/* libpci's error callback must not return and has no user pointer: jump back
 * to the call that set iog_pci_jmp. One libpci call at a time per thread. */
static __thread jmp_buf *iog_pci_jmp;
static __thread char iog_pci_msg[512];
static __thread struct iog_ctx *iog_pci_ctx;

static void __attribute__((noreturn, format(printf, 1, 2))) on_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(iog_pci_msg, sizeof(iog_pci_msg), msg, ap);
	va_end(ap);
	if (iog_pci_jmp)
		longjmp(*iog_pci_jmp, 1);
	abort(); /* a libpci call outside iog_pci_*: a bug in this library */
}

static void __attribute__((format(printf, 1, 2))) on_warning(char *msg, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, msg);
	vsnprintf(buf, sizeof(buf), msg, ap);
	va_end(ap);
	iog_warn(iog_pci_ctx, "libpci: %s", buf);
}

static void __attribute__((format(printf, 1, 2))) on_debug(char *msg, ...)
{
}

int iog_pci_scan(struct iog_ctx *ctx, int method, const char *param, const char *value,
		 struct pci_access **out, char *err, size_t errlen)
{
	struct pci_access *a = pci_alloc();
	jmp_buf jb;

	a->error = on_error;
	a->warning = on_warning;
	a->debug = on_debug;
	a->method = method;
	iog_pci_ctx = ctx;
	iog_pci_jmp = &jb;
	if (setjmp(jb)) {
		iog_pci_jmp = NULL;
		snprintf(err, errlen, "%s", iog_pci_msg);
		/* libpci failed part-way (its own error path already closed
		 * what it opened); release what it allocated. */
		iog_pci_close(a);
		return -1;
	}
	if (param)
		pci_set_param(a, (char *)param, (char *)value);
	pci_init(a);
	pci_scan_bus(a);
	iog_pci_jmp = NULL;
	*out = a;
	return 0;
}

void iog_pci_close(struct pci_access *a)
{
	jmp_buf jb;

	if (!a)
		return;
	iog_pci_jmp = &jb;
	if (!setjmp(jb))
		pci_cleanup(a);
	iog_pci_jmp = NULL;
}

/* Read as much config space as the source has: 4096, 256, 128 or 64 bytes. */
uint32_t iog_pci_read_config(struct pci_dev *p, uint8_t **cfg)
{
	static const int sizes[] = { 4096, 256, 128, 64 };
	uint8_t *buf = calloc(1, 4096);
	jmp_buf jb;
	size_t i;

	if (!buf)
		abort();
	*cfg = buf;
	iog_pci_jmp = &jb;
	if (setjmp(jb)) {
		iog_pci_jmp = NULL;
		return 0;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (pci_read_block(p, 0, buf, sizes[i])) {
			iog_pci_jmp = NULL;
			return sizes[i];
		}
	iog_pci_jmp = NULL;
	return 0;
}

int iog_pci_fill_ident(struct pci_dev *p, uint16_t *vendor, uint16_t *device,
		       uint32_t *class, char *err, size_t errlen)
{
	jmp_buf jb;

	iog_pci_jmp = &jb;
	if (setjmp(jb)) {
		iog_pci_jmp = NULL;
		snprintf(err, errlen, "%s", iog_pci_msg);
		return -1;
	}
	pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT);
	iog_pci_jmp = NULL;
	*vendor = p->vendor_id;
	*device = p->device_id;
	*class = (uint32_t)p->device_class << 8 | p->prog_if;
	return 0;
}

static struct pci_access *names_access(struct iog_ctx *ctx)
{
	jmp_buf jb;

	if (ctx->names)
		return ctx->names;
	ctx->names = pci_alloc();
	ctx->names->error = on_error;
	ctx->names->warning = on_warning;
	ctx->names->debug = on_debug;
	iog_pci_jmp = &jb;
	if (setjmp(jb)) {
		iog_pci_jmp = NULL;
		return ctx->names;
	}
	if (ctx->ids_path)
		pci_set_name_list_path(ctx->names, ctx->ids_path, 0);
	iog_pci_jmp = NULL;
	return ctx->names;
}

static char *lookup(struct iog_ctx *ctx, int flags, unsigned a, unsigned b, unsigned c)
{
	char buf[256];
	char *volatile s = NULL;
	jmp_buf jb;

	iog_pci_ctx = ctx;
	names_access(ctx);
	iog_pci_jmp = &jb;
	if (!setjmp(jb))
		s = pci_lookup_name(ctx->names, buf, sizeof(buf),
				    flags | PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB, a, b, c);
	iog_pci_jmp = NULL;
	return s ? iog_strdup(s) : NULL;
}

IOG_EXPORT const char *iog_device_get_name(const struct iog_device *cd)
{
	struct iog_device *d = (struct iog_device *)cd;

	if (!d->name)
		d->name = lookup(d->topo->ctx, PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
				 d->vendor, d->device, 0);
	return d->name;
}

IOG_EXPORT const char *iog_device_get_class_name(const struct iog_device *cd)
{
	struct iog_device *d = (struct iog_device *)cd;

	if (!d->class_name)
		d->class_name = lookup(d->topo->ctx, PCI_LOOKUP_CLASS, d->class >> 8, 0, 0);
	return d->class_name;
}
