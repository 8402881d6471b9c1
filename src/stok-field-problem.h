/* stok-field-problem.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void stok_field_problem_show (GtkWidget  *field,
                              const char *problem);

G_END_DECLS
