/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups vfio [GROUP|DEVICE]: can VFIO hand each group to userspace, which
 * members stand in the way, and the commands that would change that. The
 * commands are printed, never run (DESIGN §4).
 *
 * Rules: users-and-ecosystem.md §4.1. The profile's kernel selects the rule set;
 * every supported profile (6.1, 6.12, 7.2) uses the 5.19 rules, the older set is
 * kept as data so an older profile needs no new code.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tool.h"

#define KV(a, b) ((a) << 8 | (b))

struct vfio_rules {
	int since;		/* first kernel the set applies to */
	const char *name;
	const char *summary;	/* the rule in one sentence, for the header */
	bool bridges_pass;	/* any non-normal header passes, whatever its driver */
	const char *const *allowed; /* non-vfio drivers a member may have */
	const char *blocks;	/* why a member with another driver blocks */
};

static const char *const allowed_5_18[] = { "pci-stub", NULL };
/* drivers with .driver_managed_dma (besides the vfio ones) */
static const char *const allowed_5_19[] = { "pci-stub", "pcieport", NULL };

/* Oldest first; the last whose 'since' is not newer than the profile wins. */
static const struct vfio_rules rule_sets[] = {
	{ KV(0, 0), "up to 5.18",
	  "every member must be driver-less, bound to a vfio driver or pci-stub, or be a bridge (whatever its driver)",
	  true, allowed_5_18, "a host driver VFIO does not allow" },
	{ KV(5, 19), "since 5.19",
	  "every member must be driver-less or bound to vfio-pci (or a variant), pci-stub or pcieport; any other driver claims DMA ownership",
	  false, allowed_5_19, "the driver claims DMA ownership" },
};

enum verdict { V_FREE, V_VFIO, V_ALLOWED, V_BRIDGE, V_BLOCKS, V_UNKNOWN };

static const char *const verdict_names[] = {
	[V_FREE] = "no-driver", [V_VFIO] = "vfio",	 [V_ALLOWED] = "allowed",
	[V_BRIDGE] = "bridge",	[V_BLOCKS] = "blocks", [V_UNKNOWN] = "unknown",
};

/* What one run works on and has found. */
struct vfio_run {
	struct session *s;
	const struct vfio_rules *rules;
	bool drivers_known;	/* a dump records no drivers */
	int worst;		/* 0 viable, 1 not viable or unknown */
};

static const struct vfio_rules *rules_for(const char *kernel)
{
	const struct vfio_rules *r = &rule_sets[0];
	unsigned maj = 0, min = 0;

	if (kernel)
		sscanf(kernel, "%u.%u", &maj, &min);
	for (size_t i = 0; i < sizeof(rule_sets) / sizeof(rule_sets[0]); i++)
		if (rule_sets[i].since <= (int)KV(maj, min))
			r = &rule_sets[i];
	return r;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

/* vfio-pci and its variants (mlx5_vfio_pci, xe-vfio-pci, ...) */
static bool is_vfio_driver(const char *drv)
{
	return !strncmp(drv, "vfio-", 5) || !strncmp(drv, "vfio_", 5) ||
	       ends_with(drv, "-vfio-pci") || ends_with(drv, "_vfio_pci");
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static enum verdict judge(const struct vfio_run *run, const struct iog_device *d)
{
	const char *drv = iog_device_get_driver(d);

	if (!run->drivers_known)
		return V_UNKNOWN;
	if (!drv)
		return V_FREE;
	if (is_vfio_driver(drv))
		return V_VFIO;
	if (in_list(run->rules->allowed, drv))
		return V_ALLOWED;
	if (run->rules->bridges_pass && iog_device_is_bridge(d))
		return V_BRIDGE;
	return V_BLOCKS;
}

/* Why the verdict, in words; @buf holds the result when it needs formatting. */
static const char *reason(const struct vfio_run *run, const struct iog_device *d,
			  enum verdict v, char *buf, size_t len)
{
	const char *drv = iog_device_get_driver(d);

	switch (v) {
	case V_FREE:
		return "no driver: fine";
	case V_UNKNOWN:
		return "driver unknown (the source does not record drivers)";
	case V_VFIO:
		snprintf(buf, len, "%s: fine (a VFIO driver)", drv);
		break;
	case V_ALLOWED:
		if (!strcmp(drv, "pcieport"))
			snprintf(buf, len,
				 "%s: fine (the port driver leaves DMA ownership to VFIO)", drv);
		else
			snprintf(buf, len, "%s: fine (holds the device without using DMA)", drv);
		break;
	case V_BRIDGE:
		snprintf(buf, len, "%s: fine (a bridge: VFIO ignores interconnect devices)", drv);
		break;
	case V_BLOCKS:
		snprintf(buf, len, "%s: BLOCKS (%s)", drv, run->rules->blocks);
		break;
	}
	return buf;
}

struct host_role {
	const char *kind, *risk;
};

/* N5: what a bound device likely is to the host; NULL if nothing applies.
 * A warning, not a blocker. */
static const struct host_role *host_role(const struct iog_device *d, enum verdict v)
{
	static const struct host_role storage = {
		"a storage controller", "it may hold the host's root filesystem" };
	static const struct host_role display = {
		"a display controller", "it may be the host's console" };
	static const struct host_role network = {
		"a network controller", "it may carry the host's network" };
	uint32_t cls = iog_device_get_class(d);

	if (v != V_BLOCKS && v != V_BRIDGE)
		return NULL;
	if (cls >> 16 == 0x01)
		return &storage;
	if (cls >> 8 == 0x0300)
		return &display;
	if (cls >> 16 == 0x02)
		return &network;
	return NULL;
}

/* vfio-pci binds only normal headers; pci-stub holds a bridge without DMA. */
static const char *target_driver(const struct iog_device *d)
{
	return iog_device_is_bridge(d) ? "pci-stub" : "vfio-pci";
}

static void add_string(json_object *arr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_string(json_object *arr, const char *fmt, ...)
{
	va_list ap;
	char *str;

	va_start(ap, fmt);
	if (vasprintf(&str, fmt, ap) < 0)
		abort();
	va_end(ap);
	json_object_array_add(arr, json_object_new_string(str));
	free(str);
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* The commands that would free @d for VFIO: driverctl (persistent) and the
 * sysfs way (until the next boot). */
static void fix_commands(const struct iog_device *d, json_object *cmds)
{
	const char *a = iog_device_get_address(d), *t = target_driver(d);
	json_object *driverctl = jget(cmds, "driverctl"), *sysfs = jget(cmds, "sysfs");

	if (iog_device_is_bridge(d))
		add_string(jget(cmds, "notes"),
			   "%s is a bridge: vfio-pci does not bind bridges; pci-stub holds it without claiming DMA ownership",
			   a);
	add_string(driverctl, "driverctl set-override %s %s", a, t);
	add_string(sysfs, "echo %s > /sys/bus/pci/devices/%s/driver_override", t, a);
	add_string(sysfs, "echo %s > /sys/bus/pci/devices/%s/driver/unbind", a, a);
	add_string(sysfs, "echo %s > /sys/bus/pci/drivers_probe", a);
}

static json_object *member_json(const struct vfio_run *run, const struct iog_device *d,
				enum verdict v)
{
	json_object *o = json_object_new_object();
	const char *drv = iog_device_get_driver(d);
	char buf[256], cls[8];

	snprintf(cls, sizeof(cls), "%06x", iog_device_get_class(d));
	json_object_object_add(o, "address", json_object_new_string(iog_device_get_address(d)));
	json_object_object_add(o, "class", json_object_new_string(cls));
	json_object_object_add(o, "driver", drv ? json_object_new_string(drv) : NULL);
	json_object_object_add(o, "bridge", json_object_new_boolean(iog_device_is_bridge(d)));
	json_object_object_add(o, "verdict", json_object_new_string(verdict_names[v]));
	json_object_object_add(o, "reason",
			       json_object_new_string(reason(run, d, v, buf, sizeof(buf))));
	return o;
}

/* Judge each member into @o's "devices"; sets *blocked and *unknown. */
static void judge_members(const struct vfio_run *run, const struct iog_group *g,
			  json_object *o, bool *blocked, bool *unknown)
{
	json_object *devs = jget(o, "devices"), *cmds = jget(o, "commands");

	for (size_t i = 0; i < iog_group_get_device_count(g); i++) {
		const struct iog_device *d = iog_group_get_device(g, i);
		enum verdict v = judge(run, d);
		const struct host_role *role = host_role(d, v);

		json_object_array_add(devs, member_json(run, d, v));
		if (role)
			add_string(jget(o, "warnings"), "%s is %s bound to %s: %s",
				   iog_device_get_address(d), role->kind,
				   iog_device_get_driver(d), role->risk);
		*unknown |= v == V_UNKNOWN;
		if (v != V_BLOCKS)
			continue;
		*blocked = true;
		add_string(jget(o, "blockers"), "%s", iog_device_get_address(d));
		fix_commands(d, cmds);
	}
}

/* Judge one group into a JSON object; the text output is printed from it too,
 * so both formats say the same. */
static json_object *group_json(struct vfio_run *run, const struct iog_group *g)
{
	json_object *o = json_object_new_object(), *cmds = json_object_new_object();
	bool blocked = false, unknown = false;

	json_object_object_add(o, "id", json_object_new_int(iog_group_get_id(g)));
	json_object_object_add(o, "viable", NULL);
	json_object_object_add(o, "uncertain", json_object_new_boolean(iog_group_is_uncertain(g)));
	json_object_object_add(o, "devices", json_object_new_array());
	json_object_object_add(o, "blockers", json_object_new_array());
	json_object_object_add(o, "warnings", json_object_new_array());
	json_object_object_add(cmds, "notes", json_object_new_array());
	json_object_object_add(cmds, "driverctl", json_object_new_array());
	json_object_object_add(cmds, "sysfs", json_object_new_array());
	json_object_object_add(o, "commands", cmds);
	judge_members(run, g, o, &blocked, &unknown);
	/* viable: true, false, or null when drivers are unknown */
	if (blocked || !unknown)
		json_object_object_add(o, "viable", json_object_new_boolean(!blocked));
	if (blocked || unknown)
		run->worst = 1;
	return o;
}

static void print_strings(json_object *arr, const char *indent)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		printf("%s%s\n", indent, json_object_get_string(json_object_array_get_idx(arr, i)));
}

static void print_group(struct vfio_run *run, json_object *jg)
{
	json_object *devs = jget(jg, "devices"), *viable = jget(jg, "viable");
	json_object *cmds = jget(jg, "commands");
	int id = json_object_get_int(jget(jg, "id"));

	printf("\ngroup %d: %s\n", id, !viable ? "unknown" :
		json_object_get_boolean(viable) ? "viable" : "NOT VIABLE");
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *m = json_object_array_get_idx(devs, i);
		const char *a = jstr(m, "address");
		const struct iog_device *d = iog_topology_find_device(run->s->topo, a);
		const char *cls = iog_device_get_class_name(d);

		printf("  %s (%s) %s\n", a, cls ? cls : "unknown class", jstr(m, "reason"));
	}
	if (json_object_get_boolean(jget(jg, "uncertain")))
		puts("  note: the group rests on facts that could not be read: it may hold more devices than shown");
	print_strings(jget(jg, "warnings"), "  warning: ");
	if (!json_object_array_length(jget(cmds, "driverctl")))
		return;
	printf("  to make group %d viable (printed, not run; as root):\n", id);
	print_strings(jget(cmds, "notes"), "    ");
	print_strings(jget(cmds, "driverctl"), "    ");
	puts("  or, until the next boot:");
	print_strings(jget(cmds, "sysfs"), "    ");
}

static const char *no_group_text =
	"not in an IOMMU group: VFIO cannot use it (no iommu_group found)";

static json_object *ungrouped_json(struct session *s, const struct iog_device *d)
{
	json_object *o = json_object_new_object();
	const char *note = iog_grouping_get_device_note(s->shown, d);

	json_object_object_add(o, "address", json_object_new_string(iog_device_get_address(d)));
	json_object_object_add(o, "reason", json_object_new_string(no_group_text));
	json_object_object_add(o, "note", note ? json_object_new_string(note) : NULL);
	return o;
}

/* One asked device gets the whole sentence; a listing gets one line each. */
static void print_ungrouped(json_object *arr, bool asked)
{
	size_t n = json_object_array_length(arr);

	if (n && !asked)
		puts("\nNot in an IOMMU group, so VFIO cannot use them (no iommu_group found):");
	for (size_t i = 0; i < n; i++) {
		json_object *u = json_object_array_get_idx(arr, i);
		const char *note = jstr(u, "note");

		if (asked)
			printf("\n%s: %s\n", jstr(u, "address"), jstr(u, "reason"));
		else
			printf("  %s\n", jstr(u, "address"));
		if (note)
			printf("    why: %s\n", note);
	}
}

/* The kernel's groups, or a prediction when it has none (or --predict). */
static void print_header(const struct vfio_run *run)
{
	struct session *s = run->s;
	const char *k = iog_profile_get_kernel(s->profile);

	if (iog_grouping_is_predicted(s->shown))
		printf("Groups predicted for Linux %s with %s (%s): viability after enabling the IOMMU%s.\n",
		       k, iog_profile_get_platform(s->profile),
		       s->opts->predict ? "--predict" :
		       run->drivers_known ? "the kernel has no IOMMU groups" :
					    "a dump carries no groups",
		       iog_grouping_numbers_known(s->shown) ? "" :
		       "; group numbers may differ from the kernel's");
	if (!run->drivers_known)
		puts("The source records no drivers (a dump): viability cannot be decided here; run this command on the machine itself.");
	printf("VFIO rules of Linux %s (the rules %s): %s.\n", k, run->rules->name,
	       run->rules->summary);
}

static json_object *header_json(const struct vfio_run *run)
{
	json_object *o = json_document(run->s), *rules = json_object_new_object();
	json_object *allowed = json_object_new_array();

	json_object_object_add(rules, "name", json_object_new_string(run->rules->name));
	json_object_object_add(rules, "summary", json_object_new_string(run->rules->summary));
	add_string(allowed, "vfio-pci and variants");
	for (const char *const *a = run->rules->allowed; *a; a++)
		add_string(allowed, "%s", *a);
	json_object_object_add(rules, "allowed", allowed);
	json_object_object_add(rules, "bridges_pass",
			       json_object_new_boolean(run->rules->bridges_pass));
	json_object_object_add(o, "rules", rules);
	json_object_object_add(o, "drivers_known", json_object_new_boolean(run->drivers_known));
	return o;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Resolve the argument: a group id, or a device (which may have no group).
 * Returns 0, or EXIT_USAGE after saying what is unknown. */
static int resolve(struct session *s, const char *arg, struct iog_group **g,
		   struct iog_device **dev)
{
	*g = NULL;
	*dev = NULL;
	if (all_digits(arg)) {
		int id = atoi(arg);

		for (size_t i = 0; i < iog_grouping_get_group_count(s->shown); i++)
			if (iog_group_get_id(iog_grouping_get_group(s->shown, i)) == id)
				*g = iog_grouping_get_group(s->shown, i);
		if (!*g)
			warnx_("no IOMMU group %s", arg);
		return *g ? 0 : EXIT_USAGE;
	}
	*dev = iog_topology_find_device(s->topo, arg);
	if (!*dev) {
		warnx_("no PCI device %s", arg);
		return EXIT_USAGE;
	}
	*g = iog_grouping_get_device_group(s->shown, *dev);
	return 0;
}

static void emit(struct vfio_run *run, json_object *root, json_object *groups,
		 json_object *ungrouped, const struct iog_device *dev)
{
	if (run->s->opts->format == OUT_JSON) {
		json_object_object_add(root, "groups", groups);
		json_object_object_add(root, "ungrouped", ungrouped);
		json_print(root);
		return;
	}
	print_header(run);
	if (dev && json_object_array_length(groups))
		printf("\n%s is in group %d.\n", iog_device_get_address(dev),
		       json_object_get_int(jget(json_object_array_get_idx(groups, 0), "id")));
	for (size_t i = 0; i < json_object_array_length(groups); i++)
		print_group(run, json_object_array_get_idx(groups, i));
	print_ungrouped(ungrouped, dev != NULL);
	json_object_put(root);
	json_object_put(groups);
	json_object_put(ungrouped);
}

/* Every group; devices in none are listed apart (they do not count for the
 * exit status: there is no group to be viable). */
static void judge_all(struct vfio_run *run, json_object *groups, json_object *ungrouped)
{
	struct session *s = run->s;

	for (size_t i = 0; i < iog_grouping_get_group_count(s->shown); i++)
		json_object_array_add(groups, group_json(run, iog_grouping_get_group(s->shown, i)));
	for (size_t i = 0; i < iog_topology_get_device_count(s->topo); i++) {
		struct iog_device *d = iog_topology_get_device(s->topo, i);

		if (!iog_grouping_get_device_group(s->shown, d))
			json_object_array_add(ungrouped, ungrouped_json(s, d));
	}
}

int cmd_vfio(struct session *s)
{
	struct vfio_run run = { .s = s };
	json_object *root, *groups, *ungrouped;
	struct iog_device *dev = NULL;
	struct iog_group *one = NULL;
	int r;

	if (s->opts->nargs > 1) {
		warnx_("vfio takes one GROUP or DEVICE, not %d arguments", s->opts->nargs);
		return EXIT_USAGE;
	}
	if (session_groups(s) < 0)
		return EXIT_USAGE;
	if (s->opts->nargs == 1 && (r = resolve(s, s->opts->args[0], &one, &dev)))
		return r;
	run.rules = rules_for(iog_profile_get_kernel(s->profile));
	run.drivers_known = strcmp(iog_topology_get_source_kind(s->topo), "dump") != 0;
	root = header_json(&run);
	groups = json_object_new_array();
	ungrouped = json_object_new_array();
	if (dev && !one) {
		json_object_array_add(ungrouped, ungrouped_json(s, dev));
		run.worst = 1;
	} else if (one) {
		json_object_array_add(groups, group_json(&run, one));
	} else {
		judge_all(&run, groups, ungrouped);
	}
	if (dev)
		json_object_object_add(root, "device",
				       json_object_new_string(iog_device_get_address(dev)));
	emit(&run, root, groups, ungrouped, dev);
	return run.worst;
}
