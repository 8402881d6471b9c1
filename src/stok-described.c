/* stok-described.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A widget that gives itself an accessible description, for the
 * announcer to give it back after it lent the description to a message:
 * GTK 4.8 has no call to read an accessible property. */

#include "config.h"

#include "stok-described.h"

G_DEFINE_INTERFACE (StokDescribed, stok_described, GTK_TYPE_WIDGET)

static void
stok_described_default_init (StokDescribedInterface *iface)
{
}

/**
 * stok_described_dup_description:
 * @self: a #StokDescribed
 *
 * Returns: (transfer full) (nullable): the accessible description the
 *   widget gives itself now, or %NULL for none
 */
char *
stok_described_dup_description (StokDescribed *self)
{
  g_return_val_if_fail (STOK_IS_DESCRIBED (self), NULL);

  return STOK_DESCRIBED_GET_IFACE (self)->dup_description (self);
}
