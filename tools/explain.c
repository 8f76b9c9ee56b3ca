/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups explain DEVICE...: why each device is grouped as it is, in
 * plain sentences, and what would isolate it (with the risk of each remedy).
 * The reasons come from the library as data; this file only words them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tool.h"

#define ACS_SV 0x01
#define ACS_RR 0x04
#define ACS_CR 0x08
#define ACS_UF 0x10

/* ---- words ---- */

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

/* "0000:00:1c.0 (Intel ... Root Port)" */
static char *who(const struct iog_device *d)
{
	const char *name;

	if (!d)
		return strdup("?");
	name = iog_device_get_name(d);
	if (name)
		return fmt("%s (%s)", iog_device_get_address(d), name);
	return fmt("%s [%04x:%04x]", iog_device_get_address(d), iog_device_get_vendor(d),
		   iog_device_get_device(d));
}

static const char *kind_of(const struct iog_device *d)
{
	int t = iog_device_get_pcie_type(d);

	if (t == 4)
		return "root port";
	if (t == 6)
		return "downstream port";
	if (t == 5)
		return "upstream port";
	if (t == 7)
		return "PCIe-to-PCI bridge";
	if (t == -2)
		return iog_device_is_bridge(d) ? "bridge of a type that could not be read"
					       : "device of a type that could not be read";
	if (t < 0 && iog_device_is_bridge(d))
		return "PCI bridge";
	if (t < 0)
		return "conventional PCI device";
	return "device";
}

static char *acs_bits(uint16_t bits)
{
	static const char *const names[] = { "SV", "TB", "RR", "CR", "UF", "EC", "DT" };
	char buf[64] = "";

	for (int i = 0; i < 7; i++)
		if (bits & (1u << i)) {
			if (*buf)
				strcat(buf, " ");
			strcat(buf, names[i]);
		}
	return strdup(buf);
}

/* Why @subject (the blocker) does not isolate what is below it or beside it. */
static char *acs_sentence(const struct iog_reason *r, const char *subject)
{
	char *bits, *s;

	switch (r->acs) {
	case IOG_ACS_QUIRK:
		return fmt("the kernel's quirk %s declares %s not isolated", r->quirk, subject);
	case IOG_ACS_NOT_PCIE:
		return fmt("%s is conventional PCI, which has no ACS", subject);
	case IOG_ACS_BRIDGE_TYPE:
		return fmt("%s is a %s, which the kernel never counts as isolating", subject,
			   kind_of(r->blocker));
	case IOG_ACS_NO_CAP:
		return fmt("%s has no ACS capability", subject);
	case IOG_ACS_CTRL_MISSING:
		bits = acs_bits(r->acs_missing);
		s = fmt("%s advertises ACS but %s %s not enabled", subject, bits,
			strchr(bits, ' ') ? "are" : "is");
		free(bits);
		return s;
	case IOG_ACS_UNKNOWN:
		return fmt("the ACS state of %s could not be read, so isolation is not assumed",
			   subject);
	default:
		return fmt("%s does not pass the kernel's ACS test", subject);
	}
}

/* One sentence for one reason record. */
static char *sentence(const struct iog_reason *r)
{
	char *a = who(r->dev), *b = r->other ? who(r->other) : NULL, *c = NULL, *s;

	switch (r->kind) {
	case IOG_REASON_FIRST:
		s = fmt("%s was the first of its group to be probed.", a);
		break;
	case IOG_REASON_ALONE:
		s = fmt("%s is alone: nothing on its path to the root lets another device's DMA pass unchecked.", a);
		break;
	case IOG_REASON_BRIDGE_ALIAS:
		s = fmt("%s sits behind %s, a %s: its DMA reaches the IOMMU with the bridge's requester ID, so the IOMMU cannot tell it from the bridge and the devices beside it.",
			a, b, kind_of(r->other));
		break;
	case IOG_REASON_VMD:
		s = fmt("%s is behind the Intel VMD %s, whose requester ID all its devices use.", a, b);
		break;
	case IOG_REASON_NOT_ISOLATED:
		if (!r->blocker) {
			s = fmt("%s joins %s above it: its path to the root is not isolated.", a, b);
		} else if (r->blocker != r->other) {
			c = acs_sentence(r, iog_device_get_address(r->blocker));
			s = fmt("%s joins %s above it: on the way to the root, %s.", a, b, c);
		} else {
			char *subject = fmt("this %s", kind_of(r->blocker));

			c = acs_sentence(r, subject);
			free(subject);
			s = fmt("%s joins %s above it: %s, so devices below it can reach each other without the IOMMU.",
				a, b, c);
		}
		break;
	case IOG_REASON_DMA_ALIAS:
		s = fmt("%s shares requester IDs with %s (a DMA alias the kernel knows from a quirk), so the IOMMU cannot tell them apart.",
			a, b);
		break;
	case IOG_REASON_MULTIFUNCTION:
		c = acs_sentence(r, iog_device_get_address(r->blocker));
		s = fmt("%s and %s are functions of one multifunction device, and %s: functions without ACS may talk to each other directly.",
			a, b, c);
		break;
	case IOG_REASON_PLATFORM:
		s = fmt("%s gets a group of its own: this IOMMU (e.g. s390 zPCI) gives every function its own translation table, whatever the topology.",
			a);
		break;
	case IOG_REASON_NO_GROUP:
		s = fmt("%s has no group: %s.", a, r->text);
		break;
	case IOG_REASON_UNCERTAIN:
	default:
		s = fmt("Uncertain: %s.", r->text ? r->text : "a fact could not be read");
		break;
	}
	free(a);
	free(b);
	free(c);
	return s;
}

static const char *kind_name(enum iog_reason_kind k)
{
	static const char *const names[] = {
		[IOG_REASON_FIRST] = "first",
		[IOG_REASON_ALONE] = "alone",
		[IOG_REASON_BRIDGE_ALIAS] = "bridge-alias",
		[IOG_REASON_VMD] = "vmd",
		[IOG_REASON_NOT_ISOLATED] = "not-isolated",
		[IOG_REASON_DMA_ALIAS] = "dma-alias",
		[IOG_REASON_MULTIFUNCTION] = "multifunction",
		[IOG_REASON_PLATFORM] = "platform",
		[IOG_REASON_NO_GROUP] = "no-group",
		[IOG_REASON_UNCERTAIN] = "uncertain",
	};
	return names[k];
}

static const char *acs_name(enum iog_acs_reason a)
{
	static const char *const names[] = {
		[IOG_ACS_QUIRK] = "quirk",
		[IOG_ACS_NOT_PCIE] = "not-pcie",
		[IOG_ACS_BRIDGE_TYPE] = "bridge-type",
		[IOG_ACS_NO_CAP] = "no-capability",
		[IOG_ACS_CTRL_MISSING] = "not-enabled",
		[IOG_ACS_CTRL_OK] = "enabled",
		[IOG_ACS_SINGLE_FUNCTION] = "single-function",
		[IOG_ACS_OTHER_TYPE] = "other-type",
		[IOG_ACS_UNKNOWN] = "unknown",
	};
	return names[a];
}

/* ---- remedies: what would isolate the device, and at what risk ---- */

struct remedy {
	char *action, *risk;
};

static void remedy(struct remedy *list, size_t *n, char *action, const char *risk)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(list[i].action, action)) {
			free(action);
			return;
		}
	if (*n >= 16) {
		free(action);
		return;
	}
	list[*n].action = action;
	list[(*n)++].risk = strdup(risk);
}

static const char *OVERRIDE_RISK =
	"the kernel then believes in isolation the hardware does not provide: the devices can still "
	"reach each other by peer-to-peer DMA, so a guest's device may read or corrupt host memory "
	"through its neighbours; out of tree (Proxmox, zen, CachyOS), never in mainline";

static void remedies_for(const struct iog_reason *r, struct remedy *list, size_t *n)
{
	const struct iog_device *b = r->blocker;
	int type = b ? iog_device_get_pcie_type(b) : -1;

	switch (r->kind) {
	case IOG_REASON_BRIDGE_ALIAS:
		remedy(list, n, fmt("Use a PCIe slot that is not behind %s: no kernel option can separate devices that share a requester ID.",
				    iog_device_get_address(r->other)),
		       "none");
		return;
	case IOG_REASON_DMA_ALIAS:
		remedy(list, n, strdup("None in software: the hardware really uses the other function's requester ID."),
		       "none");
		return;
	case IOG_REASON_NOT_ISOLATED:
	case IOG_REASON_MULTIFUNCTION:
		break;
	default:
		return;
	}
	if (!b)
		return;
	switch (r->acs) {
	case IOG_ACS_CTRL_MISSING:
		remedy(list, n, fmt("Enable ACS on %s: the kernel sets the advertised bits itself when the IOMMU is on, so look for pci=disable_acs_redir= or pci=config_acs= on the command line, or a firmware setting.",
				    iog_device_get_address(b)),
		       "none: this is real isolation");
		break;
	case IOG_ACS_UNKNOWN:
		remedy(list, n, strdup("Run as root, or give an lspci -xxxx dump taken as root: the ACS state then becomes known."),
		       "none");
		break;
	case IOG_ACS_NOT_PCIE:
	case IOG_ACS_BRIDGE_TYPE:
		if (r->kind == IOG_REASON_MULTIFUNCTION)
			remedy(list, n, strdup("None: these functions are one conventional PCI device, which has no ACS; pass the whole group or none of it."),
			       "none");
		else
			remedy(list, n, fmt("Use a slot that is not behind %s: conventional PCI cannot be isolated.",
					    iog_device_get_address(b)),
			       "none");
		break;
	case IOG_ACS_NO_CAP:
	case IOG_ACS_QUIRK:
		if (r->kind == IOG_REASON_NOT_ISOLATED && (type == 4 || type == 6))
			remedy(list, n, strdup("Move the card to a slot whose ports have ACS (iommu-groups slots lists the empty ones)."),
			       "none: this is real isolation");
		if (r->acs == IOG_ACS_QUIRK) {
			remedy(list, n, fmt("None by command line: the kernel's quirk %s decides, and pcie_acs_override= only wins where it sits before that quirk (Proxmox's position; see --override-position).",
					    r->quirk),
			       OVERRIDE_RISK);
			break;
		}
		/* the override's "downstream" covers ports, "multifunction"
		 * endpoints and upstream ports */
		if (type != 4 && type != 6)
			remedy(list, n, fmt("Boot with pcie_acs_override=multifunction or pcie_acs_override=id:%04x:%04x.",
					    iog_device_get_vendor(b), iog_device_get_device(b)),
			       OVERRIDE_RISK);
		else
			remedy(list, n, fmt("Boot with pcie_acs_override=downstream or pcie_acs_override=id:%04x:%04x.",
					    iog_device_get_vendor(b), iog_device_get_device(b)),
			       OVERRIDE_RISK);
		break;
	default:
		break;
	}
}

/* ---- output ---- */

static struct iog_device *lookup(struct session *s, const char *arg)
{
	struct iog_device *d = iog_topology_find_device(s->topo, arg);

	if (!d)
		warnx_("%s: no such device in %s", arg, iog_topology_get_source_path(s->topo));
	return d;
}

static void print_members(const struct iog_group *g, const struct iog_device *dev)
{
	size_t n = iog_group_get_device_count(g), shown = 0;

	for (size_t i = 0; i < n; i++) {
		const struct iog_device *m = iog_group_get_device(g, i);

		if (m == dev)
			continue;
		printf("%s%s", shown++ ? ", " : " with ", iog_device_get_address(m));
	}
}

/* The number to show for @dev's group: the kernel's when it grouped the device
 * as predicted (it is the number on this machine), else the prediction's.
 * *@known says whether the kernel would use that number. */
static int group_number(struct iog_grouping *g, struct iog_grouping *kernel,
			struct iog_device *dev, bool *known)
{
	struct iog_group *pg = iog_grouping_get_device_group(g, dev);
	struct iog_group *kg = kernel ? iog_grouping_get_device_group(kernel, dev) : NULL;

	if (kg && pg && iog_group_get_device_count(kg) == iog_group_get_device_count(pg)) {
		*known = true;
		return iog_group_get_id(kg);
	}
	*known = iog_grouping_numbers_known(g);
	return pg ? iog_group_get_id(pg) : -1;
}

static int explain_text(struct iog_grouping *g, struct iog_grouping *kernel,
			struct iog_device *dev)
{
	struct iog_group *grp = iog_grouping_get_device_group(g, dev);
	const struct iog_reason *r;
	struct remedy rem[16];
	size_t nrem = 0;
	int n = iog_grouping_explain(g, dev, &r);
	char *name = who(dev);

	if (n < 0)
		return -1;
	if (grp) {
		bool known;
		int id = group_number(g, kernel, dev, &known);

		printf("%s is in group %d", name, id);
		print_members(grp, dev);
		printf(".\n");
		if (!known)
			printf("The number is this prediction's own: the kernel's cannot be known from this source (-J lists why).\n");
	} else {
		printf("%s is in no IOMMU group.\n", name);
	}
	free(name);
	/* users ask why VFs are (or are not) grouped with their PF */
	if (iog_device_get_physfn(dev)) {
		const struct iog_device *pf = iog_device_get_physfn(dev);
		struct iog_group *pg = iog_grouping_get_device_group(g, pf);

		printf("It is an SR-IOV virtual function of %s%s: the kernel groups a VF by its own requester ID and path, not by its PF.\n",
		       iog_device_get_address(pf),
		       pg == grp ? ", in the same group" : ", which is in another group");
	}
	printf("Why:\n");
	for (int i = 0; i < n; i++) {
		char *line = sentence(&r[i]);

		printf("  %s %s\n", r[i].on_chain ? "-" : "*", line);
		free(line);
		if (r[i].on_chain)
			remedies_for(&r[i], rem, &nrem);
	}
	if (grp && iog_group_get_device_count(grp) == 1 && !nrem)
		printf("It is isolated already.\n");
	else if (nrem) {
		printf("What would isolate it:\n");
		for (size_t i = 0; i < nrem; i++) {
			printf("  - %s\n    Risk: %s.\n", rem[i].action, rem[i].risk);
			free(rem[i].action);
			free(rem[i].risk);
		}
	}
	return 0;
}

static json_object *dev_or_null(const struct iog_device *d)
{
	return d ? json_object_new_string(iog_device_get_address(d)) : NULL;
}

static json_object *explain_json(struct iog_grouping *g, struct iog_grouping *kernel,
				 struct iog_device *dev)
{
	struct iog_group *grp = iog_grouping_get_device_group(g, dev);
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	json_object *rems = json_object_new_array(), *members = json_object_new_array();
	const struct iog_reason *r;
	struct remedy rem[16];
	size_t nrem = 0;
	int n = iog_grouping_explain(g, dev, &r);
	bool known;
	int id = group_number(g, kernel, dev, &known);

	json_object_object_add(o, "device", dev_or_null(dev));
	json_object_object_add(o, "group", grp ? json_object_new_int(id) : NULL);
	json_object_object_add(o, "group_number_known", json_object_new_boolean(grp && known));
	for (size_t i = 0; grp && i < iog_group_get_device_count(grp); i++)
		json_object_array_add(members, dev_or_null(iog_group_get_device(grp, i)));
	json_object_object_add(o, "members", members);
	for (int i = 0; i < n; i++) {
		json_object *j = json_object_new_object();
		char *line = sentence(&r[i]);

		json_object_object_add(j, "kind", json_object_new_string(kind_name(r[i].kind)));
		json_object_object_add(j, "device", dev_or_null(r[i].dev));
		json_object_object_add(j, "other", dev_or_null(r[i].other));
		json_object_object_add(j, "on_chain", json_object_new_boolean(r[i].on_chain));
		if (r[i].blocker) {
			char *bits = acs_bits(r[i].acs_missing);

			json_object_object_add(j, "blocker", dev_or_null(r[i].blocker));
			json_object_object_add(j, "acs", json_object_new_string(acs_name(r[i].acs)));
			json_object_object_add(j, "acs_missing", json_object_new_string(bits));
			free(bits);
		}
		if (r[i].quirk)
			json_object_object_add(j, "quirk", json_object_new_string(r[i].quirk));
		if (r[i].text)
			json_object_object_add(j, "text", json_object_new_string(r[i].text));
		json_object_object_add(j, "sentence", json_object_new_string(line));
		free(line);
		json_object_array_add(arr, j);
		if (r[i].on_chain)
			remedies_for(&r[i], rem, &nrem);
	}
	json_object_object_add(o, "reasons", arr);
	for (size_t i = 0; i < nrem; i++) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "action", json_object_new_string(rem[i].action));
		json_object_object_add(j, "risk", json_object_new_string(rem[i].risk));
		json_object_array_add(rems, j);
		free(rem[i].action);
		free(rem[i].risk);
	}
	json_object_object_add(o, "remedies", rems);
	return o;
}

/* Short form for the REASON column of list. */
char *reason_short(struct iog_grouping *g, const struct iog_device *dev)
{
	const struct iog_reason *r;
	int n = iog_grouping_explain(g, dev, &r);
	char *c, *s;

	if (n <= 0)
		return NULL;
	switch (r[0].kind) {
	case IOG_REASON_ALONE:
		return strdup("isolated");
	case IOG_REASON_FIRST:
		return strdup("first of its group");
	case IOG_REASON_BRIDGE_ALIAS:
		return fmt("behind %s %s (requester ID alias)", kind_of(r[0].other),
			   iog_device_get_address(r[0].other));
	case IOG_REASON_VMD:
		return fmt("behind VMD %s", iog_device_get_address(r[0].other));
	case IOG_REASON_NOT_ISOLATED:
		if (!r[0].blocker)
			return fmt("joins %s above", iog_device_get_address(r[0].other));
		c = acs_sentence(&r[0], iog_device_get_address(r[0].blocker));
		s = fmt("joins %s above: %s", iog_device_get_address(r[0].other), c);
		free(c);
		return s;
	case IOG_REASON_DMA_ALIAS:
		return fmt("DMA alias of %s", iog_device_get_address(r[0].other));
	case IOG_REASON_MULTIFUNCTION:
		return fmt("multifunction without ACS, with %s", iog_device_get_address(r[0].other));
	case IOG_REASON_PLATFORM:
		return strdup("own group (platform)");
	case IOG_REASON_NO_GROUP:
		return strdup(r[0].text);
	default:
		return NULL;
	}
}

int cmd_explain(struct session *s)
{
	const struct options *o = s->opts;
	struct iog_grouping *kernel = NULL;
	json_object *arr = NULL;
	int rc = 0;

	if (!o->nargs) {
		warnx_("explain: which device? (e.g. iommu-groups explain 0000:01:00.0)");
		return EXIT_USAGE;
	}
	if (s->opts->acs_mode == IOG_ACS_AUTO &&
	    iog_grouping_from_kernel(s->topo, &kernel) == 0)
		iog_profile_set_acs_mode(s->profile, IOG_ACS_AS_READ);
	s->shown = session_predict(s);
	if (!s->shown) {
		iog_grouping_unref(kernel);
		return EXIT_USAGE;
	}
	if (o->format == OUT_JSON)
		arr = json_object_new_array();
	for (int i = 0; i < o->nargs; i++) {
		struct iog_device *dev = lookup(s, o->args[i]);

		if (!dev) {
			rc = EXIT_USAGE;
			continue;
		}
		if (kernel) {
			struct iog_group *kg = iog_grouping_get_device_group(kernel, dev);
			struct iog_group *pg = iog_grouping_get_device_group(s->shown, dev);

			if ((kg == NULL) != (pg == NULL) ||
			    (kg && iog_group_get_device_count(kg) != iog_group_get_device_count(pg)))
				warnx_("warning: %s: the kernel grouped it differently from this prediction (see iommu-groups verify)",
				       iog_device_get_address(dev));
		}
		if (arr) {
			json_object_array_add(arr, explain_json(s->shown, kernel, dev));
			continue;
		}
		if (i)
			putchar('\n');
		explain_text(s->shown, kernel, dev);
	}
	if (arr) {
		json_object *root = json_document(s);

		json_object_object_add(root, "explanations", arr);
		json_print(root);
	}
	iog_grouping_unref(kernel);
	return rc;
}
