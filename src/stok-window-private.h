/* stok-window-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window spans two files, as GNOME Text Editor's does:
 * stok-window.c builds it and shows its state, stok-window-actions.c holds
 * what its actions do. This is what they share. */

#pragma once

#include <adwaita.h>

#include "stok-announcer.h"
#include "stok-durations-group.h"
#include "stok-error-card.h"
#include "stok-exchange.h"
#include "stok-focus-keeper.h"
#include "stok-history.h"
#include "stok-history-group.h"
#include "stok-inspector.h"
#include "stok-key-group.h"
#include "stok-key-source.h"
#include "stok-mint.h"
#include "stok-session-view.h"
#include "stok-token-client.h"
#include "stok-token-panel.h"
#include "stok-window.h"

G_BEGIN_DECLS

/* A second Stop closes without Termination from this long after the
 * first on: sooner, it is the same press. */
#define STOK_WINDOW_STOP_AGAIN_US (G_USEC_PER_SEC)

/* The longest wait a server's Retry-After holds Generate for, in
 * seconds: see _stok_window_wait_to_mint(). */
#define STOK_WINDOW_MINT_WAIT_MAX 300

/* Where the keyboard focus was among the controls of a request, for it
 * to come back there when GTK drops it. Not the keeper's last focus:
 * Cancel, where the focus waits while a request is out, leads back to
 * where the request was made. */
typedef enum
{
  STOK_WINDOW_FOCUS_ELSEWHERE,
  STOK_WINDOW_FOCUS_GENERATE,
  STOK_WINDOW_FOCUS_TOKEN,
} StokWindowFocus;

struct _StokWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  StokAnnouncer        *announcer;
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  StokKeyGroup         *key_group;
  StokDurationsGroup   *durations_group;
  GtkButton            *generate_button;
  GtkWidget            *cancel_button;
  StokErrorCard        *error_card;
  StokTokenPanel       *token_panel;
  StokHistoryGroup     *history_group;
  GtkWidget            *token_scroller;
  GtkWidget            *token_column;
  GtkWidget            *pane_separator;
  GtkWidget            *session_scroller;
  GtkWidget            *session_column;
  StokSessionView      *session_view;

  /* The toast on screen, owned by the overlay. */
  AdwToast             *toast;

  GSettings            *settings;
  StokTokenClient      *client;
  StokKeySource        *key_source;
  StokClock            *clock;
  /* The mint shown, and the last exchange, which may be a failed one. */
  StokMint             *mint;
  StokExchange         *exchange;
  StokHistory          *history;
  StokInspector        *inspector;

  /* Cancelled when the window closes: nothing that comes back after that
   * may touch a widget. */
  GCancellable         *cancellable;
  /* The request in flight, a mint or a verify, if any. */
  GCancellable         *request_cancellable;

  /* The session shown in the session view, running or ended; and while
   * one is on its way, what it will connect with and stream, and what
   * cancels its preflight. */
  StokSession          *session;
  StokStreamParams     *pending_params;
  StokAudioSource      *pending_source;
  GCancellable         *session_cancellable;
  /* The turn settings the running session has: Apply sends what
   * differs. */
  StokTurnSettings      applied_turn;

  /* --server for this window, which wins over the preferences */
  char                 *server_override;
  char                 *server;
  /* Why the preferences' server cannot be used, when it cannot. */
  char                 *server_problem;

  /* Where the last motion of the pointer left it, in the window. */
  double                pointer_x;
  double                pointer_y;

  gulong                clock_changed_id;
  guint                 tick_id;
  guint                 show_busy_id;
  guint                 layout_id;
  StokFocusKeeper      *focus_keeper;
  StokWindowFocus       request_focus;
  /* When Stop sent Terminate, on the monotonic clock. */
  gint64                stop_pressed_us;
  /* When the server that answered 429 or 503 with a Retry-After takes
   * the next mint, on the window's clock (0 when nothing waits), and the
   * whole seconds left, as shown: Generate and a Start that mints wait. */
  gint64                mint_allowed_us;
  guint                 mint_wait;


  /* The verify out, if one is: once cancelled, its end is no longer the
   * window's to show. */
  StokSession          *verify_session;

  guint                 verifying : 1;
  guint                 busy_shown : 1;
  guint                 session_starting : 1;
  guint                 pending_new_token : 1;
  /* Two panes side by side, rather than one column. */
  guint                 wide : 1;
  guint                 pointer_known : 1;
};

char         *_stok_window_dup_current_key     (StokWindow *self);
void          _stok_window_hide_error          (StokWindow *self);
gboolean      _stok_window_is_busy             (StokWindow *self);
void          _stok_window_set_busy            (StokWindow *self,
                                                gboolean    busy);
void          _stok_window_set_verifying       (StokWindow *self,
                                                gboolean    verifying);
void          _stok_window_set_mint            (StokWindow *self,
                                                StokMint   *mint);
void          _stok_window_show_error          (StokWindow   *self,
                                                const GError *error,
                                                StokExchange *exchange);
void          _stok_window_sync_inspector      (StokWindow *self);
AdwToast     *_stok_window_toast               (StokWindow *self,
                                                const char *title);
void          _stok_window_update_actions      (StokWindow *self);
char         *_stok_window_generate_hint       (gpointer    this_object,
                                                const char *key,
                                                guint       mint_wait,
                                                gboolean    busy_shown,
                                                gboolean    verifying);
gboolean      _stok_window_has_generate_hint   (gpointer    this_object,
                                                const char *key,
                                                guint       mint_wait,
                                                gboolean    busy_shown,
                                                gboolean    verifying);
void          _stok_window_stop_ticking        (StokWindow *self);
void          _stok_window_update_countdown    (StokWindow *self);
void          _stok_window_wait_to_mint        (StokWindow *self,
                                                gint64      seconds);
void          _stok_window_set_mint_wait       (StokWindow *self,
                                                guint       mint_wait);

StokMint     *_stok_window_finish_mint     (StokWindow    *self,
                                            GAsyncResult  *result,
                                            GError       **error);
void          _stok_window_class_actions_init (GtkWidgetClass *widget_class);
void          _stok_window_add_copy_shortcut  (StokWindow     *self);

void          _stok_window_set_session        (StokWindow  *self,
                                               StokSession *session);
void          _stok_window_hold_until_ended    (StokSession *session);
void          _stok_window_set_session_starting (StokWindow *self,
                                                 gboolean    starting);

/* stok-window-session.c */
gboolean      _stok_window_can_mint           (StokWindow *self);
gboolean      _stok_window_can_start_session  (StokWindow *self);
gboolean      _stok_window_can_start_session_new_token (StokWindow *self);
gboolean      _stok_window_can_stop_session   (StokWindow *self);
gboolean      _stok_window_can_end_turn       (StokWindow *self);
gboolean      _stok_window_can_apply_turn     (StokWindow *self);
gboolean      _stok_window_can_copy_transcript (StokWindow *self);
void          _stok_window_cancel_session_start (StokWindow *self);
void          _stok_window_close_session      (StokWindow *self);
void          _stok_window_class_session_init (GtkWidgetClass *widget_class);

/* stok-window-layout.c */
void          _stok_window_layout_init        (StokWindow *self);
void          _stok_window_layout_allocated   (StokWindow *self,
                                               int         width);
void          _stok_window_layout_dispose     (StokWindow *self);

G_END_DECLS
