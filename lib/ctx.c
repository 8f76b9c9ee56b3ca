/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The library context: logging and the pci.ids name database. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <pci/pci.h>

#include "internal.h"

IOG_EXPORT int iog_ctx_new(struct iog_ctx **ctx)
{
	struct iog_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->refcount = 1;
	c->log_priority = 4;
	*ctx = c;
	return 0;
}

IOG_EXPORT struct iog_ctx *iog_ctx_ref(struct iog_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

IOG_EXPORT struct iog_ctx *iog_ctx_unref(struct iog_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return ctx;
	if (ctx->names)
		pci_cleanup(ctx->names);
	free(ctx->ids_path);
	free(ctx);
	return NULL;
}

IOG_EXPORT void iog_ctx_set_log_fn(struct iog_ctx *ctx, iog_log_fn fn, void *data)
{
	ctx->log_fn = fn;
	ctx->log_data = data;
}

IOG_EXPORT void iog_ctx_set_log_priority(struct iog_ctx *ctx, int priority)
{
	ctx->log_priority = priority;
}

IOG_EXPORT int iog_ctx_set_ids_path(struct iog_ctx *ctx, const char *path)
{
	free(ctx->ids_path);
	ctx->ids_path = iog_strdup(path);
	return 0;
}

void iog_log(struct iog_ctx *ctx, int priority, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (!ctx || !ctx->log_fn || priority > ctx->log_priority)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg)
		ctx->log_fn(ctx->log_data, priority, msg);
	free(msg);
}
