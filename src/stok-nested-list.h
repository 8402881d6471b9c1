/* stok-nested-list.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STOK_TYPE_NESTED_LIST (stok_nested_list_get_type())

G_DECLARE_FINAL_TYPE (StokNestedList, stok_nested_list, STOK, NESTED_LIST, AdwBin)

GtkWidget *stok_nested_list_new (void);

G_END_DECLS
