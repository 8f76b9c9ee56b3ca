/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The profile: which kernel, which IOMMU platform, which command line. The
 * command-line knobs that change grouping are parsed here once (spec §3.4).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const kernel_names[] = { "6.1", "6.12", "7.2", NULL };
static const int kernel_versions[] = { KV(6, 1), KV(6, 12), KV(7, 2) };

static const char *const platform_names[IOG_PLAT_COUNT + 1] = {
	[IOG_PLAT_INTEL_VTD] = "intel-vtd",	[IOG_PLAT_AMD_VI] = "amd-vi",
	[IOG_PLAT_VIRTIO_IOMMU] = "virtio-iommu", [IOG_PLAT_ARM_SMMU_V3] = "arm-smmu-v3",
	[IOG_PLAT_S390] = "s390",		[IOG_PLAT_GENERIC] = "generic",
	[IOG_PLAT_SINGLE] = "single",		[IOG_PLAT_COUNT] = NULL,
};

/* A process-wide counter, so that a new profile at a freed one's address is
 * never taken for it (the topology caches the ACS state per profile). */
static void bump(struct iog_profile *p)
{
	static unsigned counter;

	p->generation = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
}

IOG_EXPORT const char *const *iog_kernel_names(void)
{
	return kernel_names;
}

IOG_EXPORT const char *const *iog_platform_names(void)
{
	return platform_names;
}

IOG_EXPORT int iog_profile_new(struct iog_ctx *ctx, struct iog_profile **out)
{
	struct iog_profile *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->refcount = 1;
	p->ctx = iog_ctx_ref(ctx);
	bump(p);
	p->kernel = KV(7, 2);
	p->sublevel = -1;
	strcpy(p->kernel_name, "7.2");
	*out = p;
	return 0;
}

IOG_EXPORT struct iog_profile *iog_profile_ref(struct iog_profile *p)
{
	if (p)
		p->refcount++;
	return p;
}

static void clear_cmdline(struct iog_profile *p)
{
	free(p->cmdline);
	free(p->disable_acs_redir);
	free(p->config_acs);
	p->cmdline = NULL;
	p->disable_acs_redir = p->config_acs = NULL;
	p->ndisable_acs_redir = p->nconfig_acs = 0;
	p->iommu_off = p->intel_off = p->amd_off = p->igfx_off = p->noats = false;
	p->strict = p->passthrough = p->strict_set = p->passthrough_set = false;
	p->override_enabled = p->override_downstream = p->override_multifunction = false;
	p->noverride_ids = 0;
}

IOG_EXPORT struct iog_profile *iog_profile_unref(struct iog_profile *p)
{
	if (!p || --p->refcount > 0)
		return p;
	clear_cmdline(p);
	iog_ctx_unref(p->ctx);
	free(p);
	return NULL;
}

/* "6.12", "6.12.117+deb12-amd64", "7.2.13": the profile covering that series. */
IOG_EXPORT int iog_profile_set_kernel(struct iog_profile *p, const char *version)
{
	unsigned major, minor, sub;
	size_t i;

	bump(p);
	if (!version || sscanf(version, "%u.%u", &major, &minor) != 2)
		return -EINVAL;
	p->sublevel = sscanf(version, "%u.%u.%u", &major, &minor, &sub) == 3 ? (int)sub : -1;
	for (i = 0; kernel_names[i]; i++)
		if (kernel_versions[i] == (int)KV(major, minor)) {
			p->kernel = kernel_versions[i];
			snprintf(p->kernel_name, sizeof(p->kernel_name), "%s", kernel_names[i]);
			p->kernel_set = true;
			return 0;
		}
	return -EINVAL;
}

IOG_EXPORT const char *iog_profile_get_kernel(const struct iog_profile *p)
{
	return p->kernel_name;
}

IOG_EXPORT int iog_profile_set_platform(struct iog_profile *p, const char *name)
{
	bump(p);
	for (int i = 0; i < IOG_PLAT_COUNT; i++)
		if (name && !strcmp(name, platform_names[i])) {
			p->platform = i;
			p->platform_set = true;
			return 0;
		}
	return -EINVAL;
}

IOG_EXPORT const char *iog_profile_get_platform(const struct iog_profile *p)
{
	return platform_names[p->platform];
}

IOG_EXPORT void iog_profile_set_acs_mode(struct iog_profile *p, enum iog_acs_mode mode)
{
	bump(p);
	p->acs_mode = mode;
}

IOG_EXPORT void iog_profile_set_override_position(struct iog_profile *p,
						  enum iog_override_position pos)
{
	bump(p);
	p->override_pos = pos;
}

IOG_EXPORT int iog_profile_set_cmdline(struct iog_profile *p, const char *cmdline)
{
	bump(p);
	clear_cmdline(p);
	if (!cmdline)
		return 0;
	return iog_parse_cmdline(p, cmdline);
}

/* ---- device strings: [<seg>:]<bus>:<dev>.<fn>[/<dev>.<fn>]* or pci:v:d[:sv:sd] ---- */

static int parse_devspec(const char *s, size_t len, struct iog_pci_devspec *spec)
{
	char buf[128], *tok, *save;
	unsigned a, b, c, d;
	int n;

	memset(spec, 0, sizeof(*spec));
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!strncmp(buf, "pci:", 4)) {
		a = b = c = d = 0;
		n = sscanf(buf + 4, "%x:%x:%x:%x", &a, &b, &c, &d);
		if (n != 2 && n != 4)
			return -EINVAL;
		spec->by_id = true;
		spec->vendor = a;
		spec->device = b;
		spec->subsys_vendor = c;
		spec->subsys_device = d;
		return 0;
	}
	tok = strtok_r(buf, "/", &save);
	if (!tok)
		return -EINVAL;
	if (sscanf(tok, "%x:%x:%x.%x%n", &a, &b, &c, &d, &n) == 4 && !tok[n]) {
		spec->segment = a;
	} else if (sscanf(tok, "%x:%x.%x%n", &b, &c, &d, &n) == 3 && !tok[n]) {
		spec->segment = 0;
	} else {
		return -EINVAL;
	}
	if (b > 0xff || c > 0x1f || d > 7)
		return -EINVAL;
	spec->bus = b;
	spec->path[spec->npath++] = c << 3 | d;
	while ((tok = strtok_r(NULL, "/", &save))) {
		if (sscanf(tok, "%x.%x%n", &c, &d, &n) != 2 || tok[n] || c > 0x1f || d > 7 ||
		    spec->npath >= sizeof(spec->path))
			return -EINVAL;
		spec->path[spec->npath++] = c << 3 | d;
	}
	return 0;
}

/* pci_dev_str_match(): by IDs, or by the path of devfns from a root-bus device. */
bool iog_devspec_match(const struct iog_pci_devspec *spec, const struct iog_device *dev)
{
	const struct iog_device *d = dev;
	size_t i;

	if (spec->by_id)
		return (!spec->vendor || spec->vendor == dev->vendor) &&
		       (!spec->device || spec->device == dev->device) &&
		       (!spec->subsys_vendor || spec->subsys_vendor == dev->subsys_vendor) &&
		       (!spec->subsys_device || spec->subsys_device == dev->subsys_device);
	/* walk up: the last path element is the device itself */
	for (i = spec->npath; i-- > 0;) {
		if (!d || d->devfn != spec->path[i])
			return false;
		if (i == 0)
			break;
		d = d->bus->self;
	}
	return d && d->segment == spec->segment && d->busnr == spec->bus;
}

/* A list separated by ';' or ','. config_acs entries are "<flags>@<dev>". */
static int parse_devlist(struct iog_profile *p, const char *val, bool config_acs)
{
	const char *s = val;

	while (*s) {
		size_t len = strcspn(s, ";,");
		struct iog_pci_devspec spec;
		const char *dev = s;
		size_t devlen = len;
		uint16_t mask = 0, flags = 0;

		if (config_acs) {
			const char *at = memchr(s, '@', len);
			size_t nflags, i;

			if (!at)
				goto bad;
			nflags = at - s;
			if (nflags == 0 || nflags > 7)
				goto bad;
			/* rightmost character is bit 0 (SV) */
			for (i = 0; i < nflags; i++) {
				char ch = s[nflags - 1 - i];

				if (ch == '1') {
					mask |= 1u << i;
					flags |= 1u << i;
				} else if (ch == '0') {
					mask |= 1u << i;
				} else if (ch != 'x' && ch != 'X') {
					goto bad;
				}
			}
			dev = at + 1;
			devlen = len - nflags - 1;
		}
		if (parse_devspec(dev, devlen, &spec) < 0)
			goto bad;
		spec.mask = mask;
		spec.flags = flags;
		if (config_acs) {
			p->config_acs = iog_xrealloc(p->config_acs,
						     (p->nconfig_acs + 1) * sizeof(spec));
			p->config_acs[p->nconfig_acs++] = spec;
		} else {
			p->disable_acs_redir = iog_xrealloc(
				p->disable_acs_redir, (p->ndisable_acs_redir + 1) * sizeof(spec));
			p->disable_acs_redir[p->ndisable_acs_redir++] = spec;
		}
		s += len;
		if (*s)
			s++;
		continue;
bad:
		iog_err(p->ctx, "cmdline: pci=%s=: cannot parse '%.*s'",
			config_acs ? "config_acs" : "disable_acs_redir", (int)len, s);
		return -EINVAL;
	}
	return 0;
}

/* pcie_acs_override=downstream,multifunction,id:vvvv:dddd (out of tree, §3.5). */
static int parse_override(struct iog_profile *p, const char *val)
{
	const char *s = val;

	p->override_enabled = true;
	while (*s) {
		size_t len = strcspn(s, ",");

		if (len == 10 && !strncmp(s, "downstream", len)) {
			p->override_downstream = true;
		} else if (len == 13 && !strncmp(s, "multifunction", len)) {
			p->override_multifunction = true;
		} else if (len > 3 && !strncmp(s, "id:", 3)) {
			unsigned v, d;
			int n;

			/* each field at most 4 hex digits; at most 15 ids are used */
			if (sscanf(s + 3, "%4x:%4x%n", &v, &d, &n) != 2 || (size_t)n + 3 != len) {
				iog_err(p->ctx, "cmdline: pcie_acs_override: bad id '%.*s'",
					(int)len, s);
				return -EINVAL;
			}
			if (p->noverride_ids < 15) {
				p->override_ids[p->noverride_ids][0] = v;
				p->override_ids[p->noverride_ids][1] = d;
				p->noverride_ids++;
			}
		} else if (len) {
			iog_err(p->ctx, "cmdline: pcie_acs_override: unknown option '%.*s'",
				(int)len, s);
			return -EINVAL;
		}
		s += len;
		if (*s)
			s++;
	}
	return 0;
}

static bool is_true(const char *v)
{
	return !strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "y") || !strcmp(v, "Y");
}

/* One "name=value" word; unknown words are ignored, as the kernel does. */
static int parse_word(struct iog_profile *p, const char *name, const char *val)
{
	if (!strcmp(name, "pci") && val) {
		/* pci_setup() splits its options on ','; device lists inside
		 * them are separated by ';'. */
		char *copy = iog_strdup(val), *opt, *save = NULL;
		int r = 0;

		for (opt = strtok_r(copy, ",", &save); opt && !r; opt = strtok_r(NULL, ",", &save)) {
			if (!strncmp(opt, "disable_acs_redir=", 18))
				r = parse_devlist(p, opt + 18, false);
			else if (!strncmp(opt, "config_acs=", 11))
				r = parse_devlist(p, opt + 11, true);
			else if (!strcmp(opt, "noats"))
				p->noats = true;
		}
		free(copy);
		return r;
	}
	if (!strcmp(name, "iommu") && val) {
		if (!strcmp(val, "off"))
			p->iommu_off = true;
		else if (!strcmp(val, "pt"))
			p->passthrough = p->passthrough_set = true;
		else if (!strcmp(val, "nopt"))
			p->passthrough_set = true, p->passthrough = false;
		return 0;
	}
	if (!strcmp(name, "intel_iommu") || !strcmp(name, "amd_iommu")) {
		bool intel = name[0] == 'i';
		char *copy = iog_strdup(val ? val : ""), *opt, *save = NULL;

		for (opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
			if (!strcmp(opt, "off"))
				*(intel ? &p->intel_off : &p->amd_off) = true;
			else if (!strcmp(opt, "on"))
				*(intel ? &p->intel_off : &p->amd_off) = false;
			else if (intel && !strcmp(opt, "igfx_off"))
				p->igfx_off = true;
		}
		free(copy);
		return 0;
	}
	if (!strcmp(name, "iommu.strict") && val) {
		p->strict = is_true(val);
		p->strict_set = true;
		return 0;
	}
	if (!strcmp(name, "iommu.passthrough") && val) {
		p->passthrough = is_true(val);
		p->passthrough_set = true;
		return 0;
	}
	if (!strcmp(name, "pcie_acs_override") && val)
		return parse_override(p, val);
	return 0;
}

int iog_parse_cmdline(struct iog_profile *p, const char *cmdline)
{
	const char *s = cmdline;
	int r = 0;

	p->cmdline = iog_strdup(cmdline);
	while (*s && !r) {
		char name[64], *eq, *word;
		size_t len;

		while (isspace((unsigned char)*s))
			s++;
		len = strcspn(s, " \t\n");
		if (!len)
			break;
		word = iog_xrealloc(NULL, len + 1);
		memcpy(word, s, len);
		word[len] = '\0';
		/* quoted values: param="a b" */
		eq = strchr(word, '=');
		if (eq) {
			size_t nlen = eq - word;

			snprintf(name, sizeof(name), "%.*s", (int)nlen, word);
			if (eq[1] == '"') {
				size_t vlen = strlen(eq + 2);

				memmove(eq + 1, eq + 2, vlen + 1);
				if (vlen && eq[vlen] == '"')
					eq[vlen] = '\0';
			}
			r = parse_word(p, name, eq + 1);
		} else {
			snprintf(name, sizeof(name), "%s", word);
			r = parse_word(p, name, NULL);
		}
		free(word);
		s += len;
	}
	return r;
}
