/* stok-test-live.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stok-session.h"
#include "stok-test-util.h"

G_BEGIN_DECLS

/* The spoken fixture is fed in frames of this length. */
#define STOK_TEST_LIVE_FRAME_MS 50

/* A live session for the widgets' tests: a token minted by the fake
 * server, and tests/data/two-turns.wav fed to the engine frame by frame
 * in real time, each frame with its level, as StokAudioSource feeds it. */
typedef struct
{
  StokSession *session;
  GBytes *audio;
  gsize offset;
  guint source_id;
  gint64 started_us;
  guint n_frames;
  /* Stop feeding after this many frames, 0 for the whole file. */
  guint stop_after;
  GAsyncResult *result;
} StokTestLive;

StokSession *stok_test_live_start         (StokTestLive      *live,
                                           StokClientFixture *fixture,
                                           StokStreamParams  *params);
gboolean     stok_test_live_is_over       (gpointer           live);
void         stok_test_live_wait          (StokTestLive      *live);
void         stok_test_live_clear         (StokTestLive      *live);

/* Windows as the user sees them. */
typedef struct
{
  GtkWindow *window;
  guint paints;
  guint layouts;
} StokTestShown;

void         stok_test_shown_present      (StokTestShown     *shown,
                                           GtkWidget         *child,
                                           int                width,
                                           int                height);
void         stok_test_shown_wait_frame   (StokTestShown     *shown);
void         stok_test_shown_close        (StokTestShown     *shown);
GdkTexture  *stok_test_render             (GtkWidget         *widget);
guint32      stok_test_pixel              (GdkTexture        *texture,
                                           int                x,
                                           int                y);
void         stok_test_set_dark           (StokTestShown     *shown,
                                           gboolean           dark);
void         stok_test_load_app_style     (void);
void         stok_test_save_screenshot    (StokTestShown     *shown,
                                           const char        *name);

G_END_DECLS
