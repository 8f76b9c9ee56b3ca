/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups slots: every root or downstream port with nothing behind it,
 * and the group a plain single-function card placed there would get (alone or
 * with whom, and why), best first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libsmartcols/libsmartcols.h>

#include "tool.h"

struct slot {
	struct iog_device *port;
	int slot_number;
	size_t mates;  /* other members of the card's group */
	char *with, *why, *port_name;
	int group;
};

static bool empty_port(struct iog_topology *t, const struct iog_device *d)
{
	int type = iog_device_get_pcie_type(d);
	size_t n = iog_topology_get_device_count(t);

	if (type != 4 && type != 6)
		return false;
	/* nothing has this port as its parent */
	for (size_t i = iog_device_get_index(d) + 1; i < n; i++)
		if (iog_device_get_parent(iog_topology_get_device(t, i)) == d)
			return false;
	return true;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->mates != y->mates)
		return x->mates < y->mates ? -1 : 1;
	return strcmp(iog_device_get_address(x->port), iog_device_get_address(y->port));
}

/* Plug a card in, predict, note its group, pull it out again. */
static int try_slot(struct session *s, struct slot *sl)
{
	struct iog_device *card;
	struct iog_grouping *g;
	struct iog_group *grp;
	size_t m, len = 1;

	if (iog_topology_add_card(s->topo, sl->port, &card) < 0)
		return -1;
	g = session_predict(s);
	if (!g)
		return -1;
	grp = iog_grouping_get_device_group(g, card);
	sl->group = grp ? iog_group_get_id(grp) : -1;
	m = grp ? iog_group_get_device_count(grp) : 0;
	sl->mates = m ? m - 1 : (size_t)-1;
	for (size_t i = 0; i < m; i++)
		len += strlen(iog_device_get_address(iog_group_get_device(grp, i))) + 1;
	sl->with = calloc(1, len + 8);
	for (size_t i = 0; i < m; i++) {
		const struct iog_device *d = iog_group_get_device(grp, i);

		if (d == card)
			continue;
		if (*sl->with)
			strcat(sl->with, " ");
		strcat(sl->with, iog_device_get_address(d));
	}
	if (!grp)
		strcpy(sl->with, "no group");
	else if (!*sl->with)
		strcpy(sl->with, "alone");
	sl->why = reason_short(g, card);
	iog_grouping_unref(g);
	return iog_topology_remove_device(s->topo, card);
}

int cmd_slots(struct session *s)
{
	const struct options *o = s->opts;
	size_t n = iog_topology_get_device_count(s->topo), ns = 0;
	struct slot *slots = calloc(n ? n : 1, sizeof(*slots));
	struct libscols_table *tb;

	if (!slots)
		abort();
	for (size_t i = 0; i < n; i++) {
		struct iog_device *d = iog_topology_get_device(s->topo, i);

		if (empty_port(s->topo, d))
			slots[ns++].port = d;
	}
	for (size_t i = 0; i < ns; i++) {
		const char *name = iog_device_get_name(slots[i].port);

		slots[i].slot_number = iog_device_get_slot_number(slots[i].port);
		slots[i].port_name = name ? strdup(name) : NULL;
		if (try_slot(s, &slots[i]) < 0) {
			/* e.g. a port the firmware gave no bus number */
			warnx_("%s: cannot place a card there; skipped",
			       iog_device_get_address(slots[i].port));
			free(slots[i].port_name);
			slots[i--] = slots[--ns];
		}
	}
	qsort(slots, ns, sizeof(*slots), cmp_slot);

	tb = scols_new_table();
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_raw(tb, o->format == OUT_RAW);
	scols_table_enable_export(tb, o->format == OUT_PAIRS);
	scols_table_enable_json(tb, o->format == OUT_JSON);
	scols_table_set_name(tb, "slots");
	scols_table_new_column(tb, "PORT", 12, 0);
	scols_table_new_column(tb, "SLOT", 4, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "GROUP", 5, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "WITH", 0.3, SCOLS_FL_WRAP);
	scols_table_new_column(tb, "WHY", 0.4, SCOLS_FL_WRAP);
	scols_table_new_column(tb, "NAME", 0.2, SCOLS_FL_TRUNC);
	for (size_t i = 0; i < ns; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char *num = NULL, *grp = NULL;

		if (slots[i].slot_number >= 0 && asprintf(&num, "%d", slots[i].slot_number) < 0)
			abort();
		if (asprintf(&grp, "%d", slots[i].group) < 0)
			abort();
		scols_line_set_data(ln, 0, iog_device_get_address(slots[i].port));
		scols_line_refer_data(ln, 1, num ? num : strdup("-"));
		scols_line_refer_data(ln, 2, slots[i].group < 0 ? strdup("-") : grp);
		if (slots[i].group < 0)
			free(grp);
		scols_line_set_data(ln, 3, slots[i].with);
		scols_line_set_data(ln, 4, slots[i].why);
		scols_line_set_data(ln, 5, slots[i].port_name);
	}
	if (ns)
		scols_print_table(tb);
	else if (o->format != OUT_JSON)
		printf("no empty root or downstream ports\n");
	scols_unref_table(tb);
	for (size_t i = 0; i < ns; i++) {
		free(slots[i].with);
		free(slots[i].why);
		free(slots[i].port_name);
	}
	free(slots);
	return 0;
}
