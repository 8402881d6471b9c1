/* stok-test-window.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-window.h"

G_BEGIN_DECLS

void        stok_test_window_init (int             *argc,
                                   char          ***argv,
                                   StokTestSession  *session);

/* Reading the window as a user reads the screen: by its template names. */
GtkWidget  *stok_test_child       (StokWindow   *window,
                                   const char   *name);
gboolean    stok_test_is_idle     (gpointer      window);
const char *stok_test_label       (StokWindow   *window,
                                   const char   *name);
const char *stok_test_key_status  (StokWindow   *window);
GtkWindow  *stok_test_find_toplevel (GtkWindow  *transient_for,
                                     GType       type);
void        stok_test_set_key     (StokWindow   *window,
                                   const char   *key);
void        stok_test_collect_widgets (GtkWidget  *widget,
                                       GType       type,
                                       GPtrArray  *found);
GtkListBoxRow *stok_test_history_row (StokWindow *window,
                                      StokToken  *token);
const char *stok_test_history_state (StokWindow *window,
                                     StokToken  *token);

void        stok_test_close_window (gpointer     window);

/* What a window costs the display: its layouts and its frames. */
typedef struct
{
  guint layouts;
  guint paints;
  GdkSurface *surface;
  GdkFrameClock *frame_clock;
} StokTestFrames;

void        stok_test_frames_start          (StokTestFrames *frames,
                                             StokWindow     *window);
void        stok_test_frames_stop           (StokTestFrames *frames);
void        stok_test_frames_wait_for_quiet (StokTestFrames *frames);

G_END_DECLS
