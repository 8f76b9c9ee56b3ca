/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef IOG_LIBPCI_H
#define IOG_LIBPCI_H
#include <stddef.h>
#include <stdint.h>

struct pci_access;
struct pci_dev;
struct iog_ctx;

/* Open a libpci access method and scan; on failure returns -1 with libpci's
 * message in @err. */
int iog_pci_scan(struct iog_ctx *ctx, int method, const char *param, const char *value,
		 struct pci_access **out, char *err, size_t errlen);
void iog_pci_close(struct pci_access *a);
/* Config space of @p into a new 4096-byte buffer; returns the bytes available. */
uint32_t iog_pci_read_config(struct pci_dev *p, uint8_t **cfg);
/* Vendor, device and 24-bit class as the source reports them (sysfs files for
 * the sysfs method, so SR-IOV VFs get their real IDs). */
int iog_pci_fill_ident(struct pci_dev *p, uint16_t *vendor, uint16_t *device,
		       uint32_t *class, char *err, size_t errlen);
#endif
