/* stok-window-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window's live sessions: Start, Stop, End Turn, Apply and Copy
 * Transcript, and what screen readers are told of a session.
 *
 * Start is one press. The source is checked first, with no network, so
 * that a missing microphone or a file that is not audio costs no token.
 * Then the session uses the token shown, when it can still open one and
 * has opened none, else mints a new one with the durations chosen, which
 * joins the history and is shown, as Generate's does; the session is the
 * mint's, so the token panel and the inspector follow it.
 *
 * A session is billed while its socket is open: a window that closes
 * mid-session ends it with Terminate, and holds the application until it
 * has ended, a second at most. */

#define G_LOG_DOMAIN "stok-window"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-clipboard.h"
#include "stok-error.h"
#include "stok-window-private.h"

/* How long Termination may take once a closing window sent Terminate:
 * with the server's STOK_SESSION_CLOSE_WAIT_MS to answer the close, the
 * socket is gone a second after the window. */
#define CLOSE_GRACE_MS 500

void
_stok_window_sync_inspector (StokWindow *self)
{
  if (self->inspector == NULL)
    return;

  stok_inspector_set_exchange (self->inspector, self->exchange);

  /* The token's session belongs with the shown token's own exchange (a
   * pasted token has none, and its session is shown alone), not beside a
   * failed request that came after it. */
  if (self->mint != NULL && self->exchange == stok_mint_get_exchange (self->mint))
    {
      g_autoptr(StokSession) session = stok_mint_get_last_session (self->mint);

      stok_inspector_set_session (self->inspector, session);
    }
  else
    {
      stok_inspector_set_session (self->inspector, NULL);
    }
}

static StokSessionState
session_state (StokWindow *self)
{
  return self->session != NULL ? stok_session_get_state (self->session) : STOK_SESSION_STATE_IDLE;
}

static gboolean
session_running (StokWindow *self)
{
  StokSessionState state = session_state (self);

  return state == STOK_SESSION_STATE_CONNECTING || state == STOK_SESSION_STATE_STREAMING ||
         state == STOK_SESSION_STATE_ENDING;
}

/* A key, a server, and not while the server's Retry-After runs: see
 * _stok_window_wait_to_mint(). Generate's and Start's. */
gboolean
_stok_window_can_mint (StokWindow *self)
{
  return self->key_source != NULL && stok_key_source_get_key (self->key_source) != NULL &&
         self->server != NULL && self->mint_wait == 0;
}

static gboolean
can_start (StokWindow *self)
{
  return !self->session_starting && !session_running (self) && !self->busy_shown &&
         stok_session_setup_get_valid (stok_session_view_get_setup (self->session_view));
}

gboolean
_stok_window_can_start_session (StokWindow *self)
{
  return can_start (self) && (_stok_window_can_mint (self) || stok_session_view_get_uses_shown_token (self->session_view));
}

/* Start Again with a New Token mints, whatever token is shown. */
gboolean
_stok_window_can_start_session_new_token (StokWindow *self)
{
  return can_start (self) && _stok_window_can_mint (self);
}

gboolean
_stok_window_can_stop_session (StokWindow *self)
{
  StokSessionState state = session_state (self);

  /* While Termination is awaited too: a second Stop closes without it. */
  return self->session_starting ||
         state == STOK_SESSION_STATE_CONNECTING || state == STOK_SESSION_STATE_STREAMING ||
         state == STOK_SESSION_STATE_ENDING;
}

gboolean
_stok_window_can_end_turn (StokWindow *self)
{
  return session_state (self) == STOK_SESSION_STATE_STREAMING && stok_session_get_turn_open (self->session);
}

gboolean
_stok_window_can_apply_turn (StokWindow *self)
{
  g_autoptr(StokStreamParams) changes = NULL;

  if (session_state (self) != STOK_SESSION_STATE_STREAMING)
    return FALSE;

  changes = stok_session_setup_dup_turn_changes (stok_session_view_get_setup (self->session_view),
                                                 &self->applied_turn);
  return changes != NULL;
}

gboolean
_stok_window_can_copy_transcript (StokWindow *self)
{
  return self->session != NULL && stok_session_has_transcript (self->session);
}

static void
clear_pending (StokWindow *self)
{
  g_clear_object (&self->pending_params);
  g_clear_object (&self->pending_source);
  g_clear_object (&self->session_cancellable);
}

/* A session that could not start: why, where Start is, and said once. */
static void
start_failed (StokWindow   *self,
              const GError *error)
{
  clear_pending (self);
  _stok_window_set_session_starting (self, FALSE);
  stok_session_view_show_problem (self->session_view, error);
  stok_session_view_present_ending (self->session_view);
  stok_announcer_announce (self->announcer, stok_error_get_title (error));
}

/* Stop before the session exists: the check or the mint is dropped. */
void
_stok_window_cancel_session_start (StokWindow *self)
{
  if (!self->session_starting)
    return;

  if (self->session_cancellable != NULL)
    g_cancellable_cancel (self->session_cancellable);
  if (_stok_window_is_busy (self))
    {
      g_cancellable_cancel (self->request_cancellable);
      _stok_window_set_busy (self, FALSE);
    }
  clear_pending (self);
  _stok_window_set_session_starting (self, FALSE);
}

static void
turn_ended_cb (StokWindow  *self,
               StokTurn    *turn,
               StokSession *session)
{
  g_autofree char *text = NULL;

  g_assert (STOK_IS_WINDOW (self));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* Each final turn once, as the session says it; never a partial. */
  text = stok_turn_dup_text (turn);
  if (*text != '\0')
    stok_announcer_announce (self->announcer, text);
}

static void
session_state_cb (StokWindow  *self,
                  GParamSpec  *pspec,
                  StokSession *session)
{
  g_assert (STOK_IS_WINDOW (self));

  if (session != self->session || g_cancellable_is_cancelled (self->cancellable))
    return;

  switch (stok_session_get_state (session))
    {
    case STOK_SESSION_STATE_STREAMING:
      stok_announcer_announce (self->announcer, _("Session started"));
      break;

    case STOK_SESSION_STATE_ENDED:
      {
        g_autofree char *title = stok_session_dup_ending_title (session);

        stok_session_view_present_ending (self->session_view);
        stok_announcer_announce (self->announcer, title);
      }
      break;

    case STOK_SESSION_STATE_IDLE:
    case STOK_SESSION_STATE_CONNECTING:
    case STOK_SESSION_STATE_ENDING:
    default:
      break;
    }

  _stok_window_update_actions (self);
  _stok_window_update_countdown (self);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  StokSession *session = STOK_SESSION (object);

  g_assert (STOK_IS_WINDOW (self));

  /* How it ended is the session's to say, in the view's card. */
  stok_session_run_finish (session, result, NULL);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  _stok_window_sync_inspector (self);
  _stok_window_update_actions (self);
  _stok_window_update_countdown (self);
}

static void
open_session (StokWindow *self,
              StokMint   *mint)
{
  g_autoptr(StokSession) session = NULL;

  session = stok_session_new (self->client, stok_mint_get_token (mint), self->pending_params);
  stok_session_set_source (session, self->pending_source);
  clear_pending (self);

  g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "turn-ended", G_CALLBACK (turn_ended_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (stok_session_get_turns (session), "items-changed",
                           G_CALLBACK (_stok_window_update_actions), self, G_CONNECT_SWAPPED);
  /* A turn turned final, which adds no turn to the list, and comes
   * before turn-ended, which waits for a formatted copy: End Turn has
   * nothing to end, and the transcript a turn to copy, from now on. */
  g_signal_connect_object (session, "figures-changed",
                           G_CALLBACK (_stok_window_update_actions), self, G_CONNECT_SWAPPED);

  /* The token panel shows the token's state, and the inspector the
   * session's frames, from the mint's last session. */
  stok_mint_add_session (mint, session);
  _stok_window_set_session (self, session);
  _stok_window_set_session_starting (self, FALSE);
  _stok_window_sync_inspector (self);

  /* The window's cancellable: a window that closes ends its session. */
  stok_session_run_async (session, self->cancellable, run_cb, g_object_ref (self));
  stok_session_view_present_live (self->session_view);
  _stok_window_update_actions (self);
}

static void
mint_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  g_autoptr(StokMint) mint = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (STOK_IS_WINDOW (self));

  mint = _stok_window_finish_mint (self, result, &error);

  /* Stopped, or cancelled with Escape: the window is idle already. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (mint == NULL)
    {
      /* As Generate's failure, and also where Start was pressed. */
      clear_pending (self);
      _stok_window_set_session_starting (self, FALSE);
      stok_session_view_show_problem (self->session_view, error);
      stok_session_view_present_ending (self->session_view);
      return;
    }

  open_session (self, mint);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  StokAudioSource *source = STOK_AUDIO_SOURCE (object);

  g_assert (STOK_IS_WINDOW (self));

  if (!stok_audio_source_check_finish (source, result, &error))
    {
      /* Stopped, or the window closed. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || source != self->pending_source)
        return;

      /* Found before a token is spent. */
      start_failed (self, error);
      return;
    }

  if (source != self->pending_source)
    return;

  /* The token shown, if it can still open a session and has opened
   * none: it may have run out, or been verified, during the check. */
  if (!self->pending_new_token && stok_session_view_get_uses_shown_token (self->session_view) &&
      stok_token_get_state (stok_mint_get_token (self->mint), stok_clock_get_time (self->clock)) == STOK_TOKEN_STATE_REDEEMABLE)
    {
      open_session (self, self->mint);
      return;
    }

  key = _stok_window_dup_current_key (self);
  if (key == NULL || self->server == NULL || _stok_window_is_busy (self))
    {
      g_autoptr(GError) no_token = g_error_new_literal (STOK_ERROR, STOK_ERROR_NO_KEY,
                                                         _("A session needs a token: enter an API key to mint one."));

      start_failed (self, no_token);
      return;
    }

  stok_durations_group_commit (self->durations_group);
  _stok_window_hide_error (self);
  _stok_window_set_busy (self, TRUE);
  stok_token_client_mint_async (self->client, self->server, key,
                                stok_durations_group_get_expires_in (self->durations_group),
                                stok_durations_group_get_max_session (self->durations_group),
                                self->request_cancellable,
                                mint_cb, g_object_ref (self));
}

static void
start_session (StokWindow *self,
               gboolean    new_token)
{
  g_autoptr(StokStreamParams) params = NULL;
  g_autoptr(StokAudioSource) source = NULL;
  g_autoptr(GError) error = NULL;
  StokSessionSetup *setup = stok_session_view_get_setup (self->session_view);

  /* The action is disabled meanwhile; this guards against a second
   * activation queued before the state was updated. */
  if (self->session_starting || session_running (self) || _stok_window_is_busy (self))
    return;

  params = stok_session_setup_build_params (setup, &error);
  if (params != NULL)
    source = stok_session_setup_create_source (setup, params, &error);
  if (source == NULL)
    {
      start_failed (self, error);
      return;
    }

  stok_session_view_show_problem (self->session_view, NULL);
  /* The turn settings the session connects with: one changed while the
   * token comes is Apply's to send once the session runs. */
  stok_session_setup_get_turn_settings (setup, &self->applied_turn);
  self->pending_params = g_steal_pointer (&params);
  self->pending_source = g_object_ref (source);
  self->pending_new_token = !!new_token;
  self->session_cancellable = g_cancellable_new ();
  _stok_window_set_session_starting (self, TRUE);

  stok_audio_source_check_async (source, self->session_cancellable, check_cb, g_object_ref (self));
}

static void
start_session_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  start_session (self, FALSE);
}

static void
start_session_new_token_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  start_session (self, TRUE);
}

static void
stop_session_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  if (self->session_starting)
    {
      _stok_window_cancel_session_start (self);
      _stok_window_toast (self, _("Session not started"));
      return;
    }

  /* Terminate, after which the server sends its last turns and
   * Termination; before Begin, the connection is dropped. Pressed again
   * while Termination is awaited, the connection closes now: the session
   * is billed while it is open, and a server that does not answer would
   * hold it for the whole wait. */
  if (self->session != NULL && stok_session_get_state (self->session) == STOK_SESSION_STATE_ENDING)
    {
      /* A double click, or Escape held down, is one press: the last
       * turns and Termination get their moment first. */
      if (g_get_monotonic_time () - self->stop_pressed_us >= STOK_WINDOW_STOP_AGAIN_US)
        stok_session_close (self->session, 0);
    }
  else if (self->session != NULL)
    {
      stok_session_terminate (self->session);
      self->stop_pressed_us = g_get_monotonic_time ();
    }
  _stok_window_update_actions (self);
}

static void
end_turn_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  if (self->session != NULL)
    stok_session_force_endpoint (self->session);
}

static void
apply_turn_settings_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  StokSessionSetup *setup;
  g_autoptr(StokStreamParams) changes = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (STOK_IS_WINDOW (self));

  if (self->session == NULL)
    return;

  setup = stok_session_view_get_setup (self->session_view);
  changes = stok_session_setup_dup_turn_changes (setup, &self->applied_turn);
  if (changes == NULL)
    return;

  if (!stok_session_update_configuration (self->session, changes, &error))
    {
      _stok_window_toast (self, error->message);
      return;
    }

  stok_session_setup_get_turn_settings (setup, &self->applied_turn);
  _stok_window_toast (self, _("Turn settings sent"));
  _stok_window_update_actions (self);
}

static void
copy_transcript_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  g_autofree char *transcript = NULL;

  g_assert (STOK_IS_WINDOW (self));

  if (self->session == NULL)
    return;

  transcript = stok_session_dup_transcript (self->session);
  if (stok_clipboard_set_text (widget, transcript))
    _stok_window_toast (self, _("Transcript copied"));
  else
    _stok_window_toast (self, _("Copied the transcript’s last 240 KiB"));
}

/* Escape stops a session when one runs or is on its way, and cancels a
 * request otherwise. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  if (_stok_window_can_stop_session (self))
    gtk_widget_activate_action (widget, "win.stop-session", NULL);
  else
    gtk_widget_activate_action (widget, "win.cancel", NULL);

  return TRUE;
}

static void
closing_session_state_cb (StokSession  *session,
                          GParamSpec   *pspec,
                          GApplication *app)
{
  g_assert (STOK_IS_SESSION (session));

  if (stok_session_get_state (session) != STOK_SESSION_STATE_ENDED)
    return;

  g_signal_handlers_disconnect_by_func (session, closing_session_state_cb, app);
  g_application_release (app);
  g_object_unref (app);
}

/**
 * _stok_window_hold_until_ended:
 * @session: a session that is ending
 *
 * Keeps the application, even with no window left, until @session has
 * ended: it is billed while its socket is open.
 */
void
_stok_window_hold_until_ended (StokSession *session)
{
  GApplication *app = g_application_get_default ();

  if (app == NULL ||
      stok_session_get_state (session) == STOK_SESSION_STATE_IDLE ||
      stok_session_get_state (session) == STOK_SESSION_STATE_ENDED)
    return;

  g_application_hold (app);
  g_signal_connect (session, "notify::state", G_CALLBACK (closing_session_state_cb),
                    g_object_ref (app));
}

static void
close_holding_app (StokSession *session)
{
  _stok_window_hold_until_ended (session);
  stok_session_close (session, CLOSE_GRACE_MS);
}

/**
 * _stok_window_close_session:
 * @self: a #StokWindow that is closing
 *
 * Ends the window's session however far it got: before Begin the
 * connection is dropped, after it Terminate goes and the socket closes a
 * second later at most. The application stays until then, even with no
 * window left: the session is billed while its socket is open. A verify
 * still out ends the same way.
 */
void
_stok_window_close_session (StokWindow *self)
{
  _stok_window_cancel_session_start (self);

  if (session_running (self))
    close_holding_app (self->session);

  /* A verify is a session too, open between Begin and Termination. */
  if (self->verify_session != NULL &&
      stok_session_get_state (self->verify_session) != STOK_SESSION_STATE_IDLE &&
      stok_session_get_state (self->verify_session) != STOK_SESSION_STATE_ENDED)
    close_holding_app (self->verify_session);
  g_clear_object (&self->verify_session);
}

void
_stok_window_class_session_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.start-session", NULL, start_session_action);
  gtk_widget_class_install_action (widget_class, "win.start-session-new-token", NULL, start_session_new_token_action);
  gtk_widget_class_install_action (widget_class, "win.stop-session", NULL, stop_session_action);
  gtk_widget_class_install_action (widget_class, "win.end-turn", NULL, end_turn_action);
  gtk_widget_class_install_action (widget_class, "win.apply-turn-settings", NULL, apply_turn_settings_action);
  gtk_widget_class_install_action (widget_class, "win.copy-transcript", NULL, copy_transcript_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.start-session", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

/**
 * stok_window_get_audio_file:
 * @self: a #StokWindow
 *
 * Returns: (transfer none) (nullable): the audio file chosen as the source
 *   of the next session
 */
GFile *
stok_window_get_audio_file (StokWindow *self)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), NULL);

  return stok_session_setup_get_file (stok_session_view_get_setup (self->session_view));
}

/**
 * stok_window_open_audio_file:
 * @self: a #StokWindow
 * @file: an audio file
 *
 * Makes @file the source of the next session, ready to Start: from the
 * command line or "Open With". Whether it can be read is found when
 * Start is pressed, before a token is spent.
 *
 * Returns: whether the window took @file: a window whose session starts
 *   or runs keeps its source
 */
gboolean
stok_window_open_audio_file (StokWindow *self,
                             GFile      *file)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  return stok_session_view_open_file (self->session_view, file);
}
