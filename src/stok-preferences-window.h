/* stok-preferences-window.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define STOK_TYPE_PREFERENCES_WINDOW (stok_preferences_window_get_type())

G_DECLARE_FINAL_TYPE (StokPreferencesWindow, stok_preferences_window, STOK, PREFERENCES_WINDOW, AdwPreferencesWindow)

StokPreferencesWindow *stok_preferences_window_new (GtkWindow  *parent,
                                                    const char *server_override);
char                  *stok_settings_dup_server    (GSettings  *settings,
                                                    GError    **error);

G_END_DECLS
