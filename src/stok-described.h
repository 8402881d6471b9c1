/* stok-described.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STOK_TYPE_DESCRIBED (stok_described_get_type ())

G_DECLARE_INTERFACE (StokDescribed, stok_described, STOK, DESCRIBED, GtkWidget)

struct _StokDescribedInterface
{
  GTypeInterface parent_iface;

  char *(*dup_description) (StokDescribed *self);
};

char *stok_described_dup_description (StokDescribed *self);

G_END_DECLS
