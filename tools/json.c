/* SPDX-License-Identifier: GPL-2.0-or-later */
/* JSON output (DESIGN §5): an interface; extend it, never change a field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tool.h"

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *hex(unsigned v, int width)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", width, v);
	return json_object_new_string(buf);
}

static json_object *device_json(struct session *s, const struct iog_device *d)
{
	struct iog_group *g = iog_grouping_get_device_group(s->shown, d);
	const char *note = iog_grouping_get_device_note(s->shown, d);
	json_object *o = json_object_new_object();

	json_object_object_add(o, "address", json_object_new_string(iog_device_get_address(d)));
	json_object_object_add(o, "vendor", hex(iog_device_get_vendor(d), 4));
	json_object_object_add(o, "device", hex(iog_device_get_device(d), 4));
	json_object_object_add(o, "class", hex(iog_device_get_class(d), 6));
	json_object_object_add(o, "name", str_or_null(iog_device_get_name(d)));
	json_object_object_add(o, "driver", str_or_null(iog_device_get_driver(d)));
	json_object_object_add(o, "group", g ? json_object_new_int(iog_group_get_id(g)) : NULL);
	if (note)
		json_object_object_add(o, "note", json_object_new_string(note));
	return o;
}

/* The top of every JSON document: schema, source and profile (DESIGN §5). */
json_object *json_document(struct session *s)
{
	json_object *root = json_object_new_object(), *src = json_object_new_object();
	json_object *prof = json_object_new_object(), *assume = json_object_new_array();
	const char *a;

	json_object_object_add(root, "schema", json_object_new_int(1));
	json_object_object_add(src, "kind",
			       json_object_new_string(iog_topology_get_source_kind(s->topo)));
	json_object_object_add(src, "path",
			       json_object_new_string(iog_topology_get_source_path(s->topo)));
	json_object_object_add(root, "source", src);

	json_object_object_add(prof, "kernel",
			       json_object_new_string(iog_profile_get_kernel(s->profile)));
	json_object_object_add(prof, "iommu",
			       json_object_new_string(iog_profile_get_platform(s->profile)));
	json_object_object_add(prof, "origin",
			       json_object_new_string(iog_grouping_is_predicted(s->shown) ?
							      "predicted" : "kernel"));
	json_object_object_add(prof, "numbers_known",
			       json_object_new_boolean(iog_grouping_numbers_known(s->shown)));
	for (size_t i = 0; (a = iog_grouping_get_assumption(s->shown, i)); i++)
		json_object_array_add(assume, json_object_new_string(a));
	json_object_object_add(prof, "assumptions", assume);
	json_object_object_add(root, "profile", prof);
	return root;
}

int print_json(struct session *s)
{
	json_object *root = json_document(s), *groups = json_object_new_array();
	json_object *ungrouped = json_object_new_array(), *devices = json_object_new_array();
	size_t n = iog_topology_get_device_count(s->topo);

	for (size_t i = 0; i < iog_grouping_get_group_count(s->shown); i++) {
		struct iog_group *g = iog_grouping_get_group(s->shown, i);
		json_object *jg = json_object_new_object(), *members = json_object_new_array();

		json_object_object_add(jg, "id", json_object_new_int(iog_group_get_id(g)));
		for (size_t k = 0; k < iog_group_get_device_count(g); k++)
			json_object_array_add(members, json_object_new_string(iog_device_get_address(
							       iog_group_get_device(g, k))));
		json_object_object_add(jg, "devices", members);
		json_object_object_add(jg, "type", str_or_null(iog_group_get_type(g)));
		json_object_object_add(jg, "uncertain",
				       json_object_new_boolean(iog_group_is_uncertain(g)));
		if (iog_group_get_reserved_regions(g)) {
			json_object *rr = json_object_new_array();
			char *copy = strdup(iog_group_get_reserved_regions(g)), *save = NULL;

			for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
				json_object_array_add(rr, json_object_new_string(l));
			free(copy);
			json_object_object_add(jg, "reserved_regions", rr);
		}
		json_object_array_add(groups, jg);
	}
	json_object_object_add(root, "groups", groups);
	for (size_t i = 0; i < n; i++) {
		struct iog_device *d = iog_topology_get_device(s->topo, i);

		if (!iog_grouping_get_device_group(s->shown, d))
			json_object_array_add(ungrouped,
					      json_object_new_string(iog_device_get_address(d)));
		json_object_array_add(devices, device_json(s, d));
	}
	json_object_object_add(root, "ungrouped", ungrouped);
	json_object_object_add(root, "devices", devices);
	json_print(root);
	return 0;
}

/* Print a JSON document the way every command does, and free it. */
void json_print(json_object *root)
{
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}
