/* stok-row-title.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STOK_TYPE_ROW_TITLE (stok_row_title_get_type())

G_DECLARE_FINAL_TYPE (StokRowTitle, stok_row_title, STOK, ROW_TITLE, GtkWidget)

void stok_row_title_adopt_labels (GtkWidget *row);

G_END_DECLS
