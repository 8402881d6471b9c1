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
#include "stok-session.h"
#include "stok-window.h"

G_BEGIN_DECLS

/* Puts a text on the clipboard, as the user does. */
typedef void (*StokTestCopyFunc) (gpointer data);

typedef enum
{
  STOK_TEST_WINDOW_NO_KEYRING = 0,
  /* A real, unlocked gnome-keyring-daemon on the private bus. */
  STOK_TEST_WINDOW_KEYRING    = 1 << 0,
} StokTestWindowFlags;

void        stok_test_window_init (int                 *argc,
                                   char              ***argv,
                                   StokTestSession     *session,
                                   StokTestWindowFlags  flags);

/* What a window test works with: the fake server on loopback, a clock
 * for the window and one for the server, each moved by hand, and the
 * window, talking to the server. The window is closed and every setting
 * reset at the end, for the next test starts from the defaults. */
typedef struct
{
  StokFakeServer *server;
  StokClock      *clock;
  StokClock      *server_clock;
  StokWindow     *window;
} StokTestWindowFixture;

void        stok_test_window_fixture_set_up    (StokTestWindowFixture *fixture,
                                                gconstpointer          data);
void        stok_test_window_fixture_tear_down (StokTestWindowFixture *fixture,
                                                gconstpointer          data);
void        stok_test_window_fixture_open      (StokTestWindowFixture *fixture,
                                                const char            *server);
void        stok_test_window_fixture_close     (StokTestWindowFixture *fixture);

StokToken  *stok_test_generate    (StokWindow   *window);
void        stok_test_start_verify (StokWindow  *window);

/* Conditions for stok_test_wait_until(), on a window. */
gboolean    stok_test_has_token   (gpointer      window);
gboolean    stok_test_has_error   (gpointer      window);
gboolean    stok_test_is_streaming  (gpointer    window);
gboolean    stok_test_session_ended (gpointer    window);

/* The session the window shows, or NULL; the window holds it. */
StokSession *stok_test_window_session (StokWindow *window);

/* Reading the window as a user reads the screen: by its template names. */
GtkWidget  *stok_test_child       (StokWindow   *window,
                                   const char   *name);
gboolean    stok_test_is_idle     (gpointer      window);
const char *stok_test_label       (StokWindow   *window,
                                   const char   *name);
const char *stok_test_key_status  (StokWindow   *window);
const char *stok_test_toast_title (StokWindow   *window);
GtkShortcut *stok_test_find_shortcut (GtkWidget           *widget,
                                      guint                keyval,
                                      GdkModifierType      modifiers,
                                      GtkPropagationPhase *phase);
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
                                             GtkWindow      *window);
void        stok_test_frames_stop           (StokTestFrames *frames);
void        stok_test_frames_wait_for_quiet (StokTestFrames *frames);
void        stok_test_window_settle         (StokWindow     *window);
char       *stok_test_read_clipboard        (GtkWidget      *widget);
gboolean    stok_test_paste_elsewhere       (const char     *target,
                                             char          **text);
void        stok_test_assert_pasted_elsewhere (GtkWidget        *widget,
                                               StokTestCopyFunc  copy,
                                               gpointer          data,
                                               const char       *marker);
void        stok_test_assert_wheel_goes_on  (GtkWidget      *inner,
                                             GtkAdjustment  *page);
void        stok_test_use_translations      (const char     *language);

G_END_DECLS
