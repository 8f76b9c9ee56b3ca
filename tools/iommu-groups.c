/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups -- which PCI devices the IOMMU can isolate, and why.
 * Option parsing, choosing the source and the profile, and dispatch.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "config.h"
#include "tool.h"

static const char *prog = "iommu-groups";

void warnx_(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void log_to_stderr(void *data, int priority, const char *msg)
{
	fprintf(stderr, "%s: %s%s\n", prog, priority <= 3 ? "" : "warning: ", msg);
}

static void __attribute__((noreturn)) usage(void)
{
	FILE *out = stdout;

	fputs("\nUsage:\n", out);
	fprintf(out, " %s [list] [options]\n", prog);
	fprintf(out, " %s explain [options] <device>...\n", prog);
	fprintf(out, " %s whatif [options] <change>...\n", prog);
	fprintf(out, " %s slots [options]\n", prog);
	fprintf(out, " %s verify [options]\n", prog);
	fprintf(out, " %s vfio [options] [<group>|<device>]\n", prog);
	fputs("\nShow which PCI devices the IOMMU can isolate from each other, as the\n"
	      "kernel groups them; predict the groups when the kernel has none.\n", out);
	fputs("\nCommands:\n", out);
	fputs(" list                   list devices by IOMMU group (the default)\n", out);
	fputs(" explain <device>...    why each device is grouped as it is, and what would\n"
	      "                          isolate it\n", out);
	fputs(" whatif <change>...     groups before and after a change: acs:DEV=on|off,\n"
	      "                          cmdline:'OPTS', kernel:V, iommu:P, move:DEV=PORT\n", out);
	fputs(" slots                  empty ports, and the group a card there would get\n", out);
	fputs(" verify                 compare the prediction with the kernel's groups\n", out);
	fputs(" vfio [<group>|<device>]\n"
	      "                        can VFIO use each group, and what to bind or\n"
	      "                          unbind (the commands are printed, never run)\n", out);
	fputs("\nInput:\n", out);
	fputs("     --sysroot <dir>    use a sysfs snapshot under <dir> (default: /)\n", out);
	fputs(" -F, --dump <file>      read an lspci -x, -xxx or -xxxx dump\n", out);
	fputs("     --acpi <dir>       firmware tables (DMAR, IVRS, VIOT) for a dump\n", out);
	fputs("     --expect <file>    compare with a saved listing of the kernel's groups\n", out);
	fputs("\nProfile:\n", out);
	fputs("     --kernel <version> Linux version to model (6.1, 6.12, 7.2)\n", out);
	fputs("     --iommu <platform> IOMMU platform (intel-vtd, amd-vi, virtio-iommu,\n"
	      "                          arm-smmu-v3, s390, generic, single)\n", out);
	fputs("     --cmdline <text>   kernel command line to model\n", out);
	fputs("     --acs <mode>       ACS control words: auto, as-read or simulate\n", out);
	fputs("     --override-position <where>\n"
	      "                        where pcie_acs_override= sits in the quirk table:\n"
	      "                          proxmox (default) or appended\n", out);
	fputs("     --predict          predict even when the kernel's groups are known\n", out);
	fputs("\nOutput:\n", out);
	fputs(" -J, --json             use JSON output format\n", out);
	fputs(" -T, --tree             show the PCI tree with each device's group\n", out);
	fputs("     --dot              write the PCI tree and its groups as Graphviz DOT\n", out);
	fputs(" -o, --output <list>    columns to show (+<list> adds to the defaults)\n", out);
	fputs("     --list-columns     list the available columns\n", out);
	fputs(" -n, --noheadings       don't print headings\n", out);
	fputs(" -r, --raw              use the raw output format\n", out);
	fputs(" -P, --pairs            use key=\"value\" output format\n", out);
	fputs(" -i, --ascii            use ASCII characters only\n", out);
	fputs("\n -h, --help             display this help\n", out);
	fputs(" -V, --version          display version\n", out);
	fprintf(out, "\nFor more details see %s(1).\n", prog);
	exit(EXIT_SUCCESS);
}

static void __attribute__((noreturn, format(printf, 1, 2))) bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	exit(EXIT_USAGE);
}

enum {
	OPT_SYSROOT = 256,
	OPT_EXPECT,
	OPT_ACPI,
	OPT_KERNEL,
	OPT_IOMMU,
	OPT_CMDLINE,
	OPT_ACS,
	OPT_OVERRIDE_POS,
	OPT_PREDICT,
	OPT_LIST_COLUMNS,
	OPT_DOT,
};

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "sysroot", required_argument, NULL, OPT_SYSROOT },
		{ "dump", required_argument, NULL, 'F' },
		{ "expect", required_argument, NULL, OPT_EXPECT },
		{ "acpi", required_argument, NULL, OPT_ACPI },
		{ "kernel", required_argument, NULL, OPT_KERNEL },
		{ "iommu", required_argument, NULL, OPT_IOMMU },
		{ "cmdline", required_argument, NULL, OPT_CMDLINE },
		{ "acs", required_argument, NULL, OPT_ACS },
		{ "override-position", required_argument, NULL, OPT_OVERRIDE_POS },
		{ "predict", no_argument, NULL, OPT_PREDICT },
		{ "json", no_argument, NULL, 'J' },
		{ "tree", no_argument, NULL, 'T' },
		{ "output", required_argument, NULL, 'o' },
		{ "list-columns", no_argument, NULL, OPT_LIST_COLUMNS },
		{ "dot", no_argument, NULL, OPT_DOT },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "pairs", no_argument, NULL, 'P' },
		{ "ascii", no_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "F:JTo:nrPihV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SYSROOT:
			o->sysroot = optarg;
			break;
		case 'F':
			o->dump = optarg;
			break;
		case OPT_EXPECT:
			o->expect = optarg;
			break;
		case OPT_ACPI:
			o->acpi = optarg;
			break;
		case OPT_KERNEL:
			o->kernel = optarg;
			break;
		case OPT_IOMMU:
			o->iommu = optarg;
			break;
		case OPT_CMDLINE:
			o->cmdline = optarg;
			o->cmdline_set = true;
			break;
		case OPT_ACS:
			if (!strcmp(optarg, "auto"))
				o->acs_mode = IOG_ACS_AUTO;
			else if (!strcmp(optarg, "as-read"))
				o->acs_mode = IOG_ACS_AS_READ;
			else if (!strcmp(optarg, "simulate"))
				o->acs_mode = IOG_ACS_SIMULATE;
			else
				bad_usage("unknown --acs mode '%s' (auto, as-read, simulate)", optarg);
			break;
		case OPT_OVERRIDE_POS:
			if (!strcmp(optarg, "proxmox"))
				o->override_pos = IOG_OVERRIDE_PROXMOX;
			else if (!strcmp(optarg, "appended"))
				o->override_pos = IOG_OVERRIDE_APPENDED;
			else
				bad_usage("unknown --override-position '%s' (proxmox, appended)",
					  optarg);
			break;
		case OPT_PREDICT:
			o->predict = true;
			break;
		case 'J':
			o->format = OUT_JSON;
			break;
		case 'T':
			o->tree = true;
			break;
		case 'o':
			o->columns = optarg;
			break;
		case OPT_LIST_COLUMNS:
			list_columns(stdout);
			exit(EXIT_SUCCESS);
		case OPT_DOT:
			o->dot = true;
			break;
		case 'n':
			o->noheadings = true;
			break;
		case 'r':
			o->format = OUT_RAW;
			break;
		case 'P':
			o->format = OUT_PAIRS;
			break;
		case 'i':
			o->ascii = true;
			break;
		case 'h':
			usage();
		case 'V':
			printf("%s %s\n", prog, IOG_VERSION);
			exit(EXIT_SUCCESS);
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", prog);
			exit(EXIT_USAGE);
		}
	}
	if (o->sysroot && o->dump)
		bad_usage("--sysroot and --dump are mutually exclusive");
	o->args = argv + optind;
	o->nargs = argc - optind;
}

/* The running kernel's profile: the newest supported one not newer than it. */
static const char *kernel_for_release(const char *release, bool *exact)
{
	const char *const *names = iog_kernel_names();
	unsigned maj, min, rmaj, rmin;
	const char *best = NULL;

	*exact = false;
	if (!release || sscanf(release, "%u.%u", &rmaj, &rmin) != 2)
		return NULL;
	for (size_t i = 0; names[i]; i++) {
		sscanf(names[i], "%u.%u", &maj, &min);
		if (maj == rmaj && min == rmin)
			*exact = true;
		if (maj < rmaj || (maj == rmaj && min <= rmin))
			best = names[i];
	}
	return best ? best : names[0];
}

static const char *guess_platform(const struct iog_topology *t, bool live)
{
	const char *p = iog_topology_get_platform(t);
	char line[256];
	FILE *f;

	if (p)
		return p;
	for (size_t i = 0; i < iog_topology_get_device_count(t); i++) {
		struct iog_device *d = iog_topology_get_device(t, i);

		/* the AMD IOMMU is itself a PCI function */
		if (iog_device_get_vendor(d) == 0x1022 &&
		    iog_device_get_class(d) >> 8 == 0x0806)
			return "amd-vi";
	}
	if (!live)
		return "intel-vtd";
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "vendor_id", 9)) {
			fclose(f);
			return strstr(line, "AuthenticAMD") ? "amd-vi" : "intel-vtd";
		}
	if (f)
		fclose(f);
#if defined(__s390x__)
	return "s390";
#else
	return "intel-vtd";
#endif
}

/* Drop the words that switch the IOMMU off: a prediction asks what the
 * kernel would do with it on. */
static char *cmdline_with_iommu_on(const char *cmdline)
{
	char *out = calloc(1, strlen(cmdline) + 1), *copy = strdup(cmdline), *w, *save;

	if (!out || !copy)
		abort();
	for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		if (!strcmp(w, "iommu=off") || !strcmp(w, "intel_iommu=off") ||
		    !strcmp(w, "amd_iommu=off"))
			continue;
		if (*out)
			strcat(out, " ");
		strcat(out, w);
	}
	free(copy);
	return out;
}

static int setup_profile(struct session *s, const struct options *o)
{
	struct iog_topology *t = s->topo;
	bool live = !o->sysroot && !o->dump, exact;
	const char *k = o->kernel;
	char *cmdline = NULL;
	int r;

	if (iog_profile_new(s->ctx, &s->profile) < 0)
		return -ENOMEM;
	if (!k) {
		const char *rel = iog_topology_get_release(t);
		struct utsname u;

		if (!rel && live && uname(&u) == 0)
			rel = u.release;
		k = kernel_for_release(rel, &exact);
		if (k && !exact)
			warnx_("warning: no profile for Linux %s; modelling %s", rel, k);
		if (!k)
			k = "7.2";
		s->profile_inferred_kernel = true;
	}
	if (iog_profile_set_kernel(s->profile, k) < 0) {
		bad_usage("unsupported kernel version '%s' (supported: 6.1, 6.12, 7.2)", k);
	}
	if (iog_profile_set_platform(s->profile, o->iommu ? o->iommu : guess_platform(t, live)) < 0)
		bad_usage("unknown IOMMU platform '%s'", o->iommu);
	s->profile_inferred_iommu = !o->iommu;
	iog_profile_set_acs_mode(s->profile, o->acs_mode);
	iog_profile_set_override_position(s->profile, o->override_pos);
	if (o->cmdline_set)
		cmdline = strdup(o->cmdline);
	else if (iog_topology_get_cmdline(t))
		cmdline = cmdline_with_iommu_on(iog_topology_get_cmdline(t));
	r = iog_profile_set_cmdline(s->profile, cmdline);
	free(cmdline);
	return r < 0 ? EXIT_USAGE : 0;
}

struct iog_grouping *session_predict(struct session *s)
{
	struct iog_grouping *g = NULL;

	if (iog_grouping_predict(s->topo, s->profile, &g) < 0)
		return NULL;
	return g;
}

static int run_list(struct session *s)
{
	return s->opts->dot ? print_dot(s) : cmd_list(s);
}

static const struct command {
	const char *name;
	int (*run)(struct session *s);
	bool takes_args;
} commands[] = {
	{ "list", run_list, false },
	{ "explain", cmd_explain, true },
	{ "verify", cmd_verify, false },
	{ "whatif", cmd_whatif, true },
	{ "slots", cmd_slots, false },
	{ "vfio", cmd_vfio, true },
	{ NULL, NULL, false },
};

int session_groups(struct session *s)
{
	if (!s->opts->predict && iog_grouping_from_kernel(s->topo, &s->shown) == 0)
		return 0;
	s->shown = session_predict(s);
	return s->shown ? 0 : -1;
}

int main(int argc, char **argv)
{
	const struct command *c;
	struct options o = { 0 };
	struct session s = { .opts = &o };
	const char *cmd = "list";
	int r;

	parse_options(argc, argv, &o);
	if (o.nargs > 0) {
		cmd = o.args[0];
		o.args++;
		o.nargs--;
	}
	for (c = commands; c->name && strcmp(c->name, cmd); c++)
		;
	if (!c->name)
		bad_usage("unknown command '%s'", cmd);
	if (o.nargs > 0 && !c->takes_args)
		bad_usage("unexpected argument '%s'", o.args[0]);
	if (o.expect && strcmp(cmd, "verify") && strcmp(cmd, "whatif"))
		bad_usage("--expect is only for verify and whatif");
	if (o.dot && strcmp(cmd, "list"))
		bad_usage("--dot is only for list");

	if (iog_ctx_new(&s.ctx) < 0)
		return EXIT_FAILURE;
	iog_ctx_set_log_fn(s.ctx, log_to_stderr, NULL);
	if (getenv("IOMMU_GROUPS_IDS"))
		iog_ctx_set_ids_path(s.ctx, getenv("IOMMU_GROUPS_IDS"));
	r = o.dump ? iog_topology_new_dump(s.ctx, o.dump, &s.topo)
		   : iog_topology_new_sysfs(s.ctx, o.sysroot, &s.topo);
	if (r < 0 || (o.acpi && iog_topology_load_acpi(s.topo, o.acpi) < 0)) {
		r = EXIT_USAGE;
		goto out;
	}
	r = setup_profile(&s, &o);
	if (r)
		goto out;
	r = c->run(&s);
out:
	iog_grouping_unref(s.why);
	iog_grouping_unref(s.shown);
	iog_profile_unref(s.profile);
	iog_topology_unref(s.topo);
	iog_ctx_unref(s.ctx);
	return r;
}
