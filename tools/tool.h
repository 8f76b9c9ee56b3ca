/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iommu-groups(1): what the subcommands share. */
#ifndef IOG_TOOL_H
#define IOG_TOOL_H

#include <stdbool.h>
#include <stdio.h>

#include "iommu-groups.h"

enum { EXIT_DIFFERS = 1, EXIT_USAGE = 2 };

enum out_format { OUT_TABLE, OUT_RAW, OUT_PAIRS, OUT_JSON };

struct options {
	const char *sysroot, *dump, *expect, *acpi;
	const char *kernel, *iommu, *cmdline;
	bool cmdline_set, predict, tree, noheadings, ascii;
	bool dot; /* --dot */
	enum out_format format;
	const char *columns; /* -o LIST */
	enum iog_acs_mode acs_mode;
	enum iog_override_position override_pos;
	char **args;
	int nargs;
};

/* What a subcommand works on: the source, the profile chosen for it, and the
 * groups to show (the kernel's, or a prediction). */
struct session {
	struct iog_ctx *ctx;
	struct iog_topology *topo;
	struct iog_profile *profile;
	struct iog_grouping *shown;
	struct iog_grouping *why; /* the prediction reasons come from */
	const struct options *opts;
	bool profile_inferred_kernel, profile_inferred_iommu;
};

/* iommu-groups.c */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct iog_grouping *session_predict(struct session *s);
/* s->shown := the kernel's groups, or a prediction when there are none or
 * --predict was given; -1 on failure. */
int session_groups(struct session *s);

/* list.c */
int cmd_list(struct session *s);
void list_columns(FILE *out);

/* json.c */
struct json_object;
int print_json(struct session *s);
/* A new JSON document with schema, source and profile (DESIGN §5). */
struct json_object *json_document(struct session *s);
void json_print(struct json_object *root);

/* explain.c */
int cmd_explain(struct session *s);
/* One-line reason of @dev's grouping (REASON column); NULL if none. */
char *reason_short(struct iog_grouping *g, const struct iog_device *dev);

/* whatif.c, slots.c */
int cmd_whatif(struct session *s);
int cmd_slots(struct session *s);

/* verify.c */
int cmd_verify(struct session *s);
size_t compare_groupings(struct session *s, struct iog_grouping *kernel,
			 struct iog_grouping *pred);

/* vfio.c */
int cmd_vfio(struct session *s);

/* dot.c */
int print_dot(struct session *s);

#endif
