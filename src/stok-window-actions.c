/* stok-window-actions.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the window's actions do, and when each applies: save and forget
 * the key, generate, verify, cancel, copy, and open the inspector and the
 * preferences; and the toasts that say what they did. */

#define G_LOG_DOMAIN "stok-window"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-inspector.h"
#include "stok-params.h"
#include "stok-preferences-window.h"
#include "stok-reveal.h"
#include "stok-token.h"
#include "stok-token-dialog.h"
#include "stok-error.h"
#include "stok-window-private.h"

static void
toast_dismissed_cb (StokWindow *self,
                    AdwToast   *toast)
{
  g_assert (STOK_IS_WINDOW (self));

  if (self->toast == toast)
    self->toast = NULL;
}

/* One toast at a time, its text replaced when news comes while it shows:
 * libadwaita 1.2 reads freed memory when a toast is added while another
 * is leaving (valgrind shows it with two copies in a row). A replaced
 * toast loses the button the news before it had.
 *
 * Returns: (transfer none): the toast, to give it a button */
AdwToast *
_stok_window_toast (StokWindow *self,
                    const char *title)
{
  if (self->toast != NULL)
    {
      g_signal_handlers_disconnect_matched (self->toast, G_SIGNAL_MATCH_DATA,
                                            0, 0, NULL, NULL, self);
      g_signal_connect_object (self->toast, "dismissed", G_CALLBACK (toast_dismissed_cb),
                               self, G_CONNECT_SWAPPED);
      adw_toast_set_button_label (self->toast, NULL);
      adw_toast_set_title (self->toast, title);
      return self->toast;
    }

  self->toast = adw_toast_new (title);
  adw_toast_set_timeout (self->toast, 3);
  g_signal_connect_object (self->toast, "dismissed", G_CALLBACK (toast_dismissed_cb),
                           self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, self->toast);

  return self->toast;
}

/* Whether each action applies now, one small test an action: GTK 4.8
 * has no binding for an action's enabled state.
 *
 * A request shows as busy only once it has taken
 * STOK_WINDOW_BUSY_DELAY_MS: a token from a fast server then appears with
 * nothing flashing before it, and the frame that draws it does not wait
 * behind a frame of spinner. Generate stays enabled meanwhile, and checks
 * _stok_window_is_busy(); Cancel works from the start. */

static const char *
current_key (StokWindow *self)
{
  return self->key_source != NULL ? stok_key_source_get_key (self->key_source) : NULL;
}

/* While a session starts, its check of the source, then its mint: a
 * request of their own in between would leave the session no token. */
static gboolean
can_generate (StokWindow *self)
{
  return _stok_window_can_mint (self) && !self->busy_shown && !self->session_starting;
}

static gboolean
can_cancel (StokWindow *self)
{
  return _stok_window_is_busy (self);
}

static gboolean
can_save_key (StokWindow *self)
{
  return current_key (self) != NULL &&
         !stok_key_source_get_saving (self->key_source) &&
         !stok_key_source_get_saved (self->key_source);
}

static gboolean
can_forget_key (StokWindow *self)
{
  return self->key_source != NULL &&
         !stok_key_source_get_saving (self->key_source) &&
         (current_key (self) != NULL || stok_key_source_get_has_stored_key (self->key_source));
}

static gboolean
can_copy (StokWindow *self)
{
  return self->mint != NULL;
}

static gboolean
can_verify (StokWindow *self)
{
  return self->mint != NULL && !self->busy_shown && !self->session_starting &&
         stok_token_panel_get_redeemable (self->token_panel);
}

/* "Use a Token…" and the Copy As of what only a mint made here has. */

static gboolean
can_use_token (StokWindow *self)
{
  return self->server != NULL;
}

static gboolean
can_copy_exchange (StokWindow *self)
{
  return self->mint != NULL && stok_mint_get_exchange (self->mint) != NULL;
}

/* A token minted elsewhere becomes a mint with no exchange, shown and in
 * the history like any other; Verify and Start redeem it on the server
 * it was pasted for. */
static void
token_pasted_cb (StokWindow *self,
                 StokToken  *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(StokMint) mint = NULL;

  g_assert (STOK_IS_WINDOW (self));

  /* When it was pasted, which the history shows: its redemption window
   * is not known, so nothing counts from this. */
  stok_token_set_sent_at (token, stok_clock_get_time (self->clock), now);
  mint = stok_mint_new (token, NULL);
  _stok_window_hide_error (self);
  stok_history_add (self->history, mint);
  _stok_window_set_mint (self, mint);

  stok_announcer_announce (self->announcer, _("Token ready"));
  stok_token_panel_present (self->token_panel);
}

static void
use_token_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  GtkWidget *dialog;

  g_assert (STOK_IS_WINDOW (self));

  if (self->server == NULL)
    return;

  dialog = stok_token_dialog_new (GTK_WINDOW (self), self->server);
  g_signal_connect_object (dialog, "pasted", G_CALLBACK (token_pasted_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* curl and JSON come from the exchange of a mint made here. */
static void
copy_exchange_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_assert (STOK_IS_WINDOW (widget));

  if (can_copy_exchange (STOK_WINDOW (widget)))
    gtk_widget_activate_action_variant (widget, "win.copy-as", parameter);
}

static const struct
{
  const char *name;
  gboolean  (*applies) (StokWindow *self);
} action_states[] = {
  { "win.generate", can_generate },
  { "win.cancel", can_cancel },
  { "win.save-key", can_save_key },
  { "win.forget-key", can_forget_key },
  { "win.copy-token", can_copy },
  { "win.copy-as", can_copy },
  { "win.verify", can_verify },
  { "win.start-session", _stok_window_can_start_session },
  { "win.start-session-new-token", _stok_window_can_start_session_new_token },
  { "win.stop-session", _stok_window_can_stop_session },
  { "win.end-turn", _stok_window_can_end_turn },
  { "win.apply-turn-settings", _stok_window_can_apply_turn },
  { "win.copy-transcript", _stok_window_can_copy_transcript },
  { "win.use-token", can_use_token },
  { "win.copy-exchange", can_copy_exchange },
};

void
_stok_window_update_actions (StokWindow *self)
{
  g_assert (STOK_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (action_states); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), action_states[i].name,
                                   action_states[i].applies (self));
}

/* The line under Generate: why it cannot, or what it waits for. */
char *
_stok_window_generate_hint (gpointer    this_object,
                            const char *key,
                            guint       mint_wait,
                            gboolean    busy_shown,
                            gboolean    verifying)
{
  if (key == NULL)
    return g_strdup (_("Enter an API key to generate a token."));
  if (busy_shown && verifying)
    return g_strdup (_("Redeeming the token on the streaming server…"));
  if (busy_shown)
    return g_strdup (_("Waiting for the server…"));
  if (mint_wait > 0)
    {
      g_autofree char *wait = stok_format_duration (mint_wait);

      /* Translators: %s is a duration such as "7 s", counting down */
      return g_strdup_printf (_("The server asked to wait: Generate again in %s."), wait);
    }

  return NULL;
}

gboolean
_stok_window_has_generate_hint (gpointer    this_object,
                                const char *key,
                                guint       mint_wait,
                                gboolean    busy_shown,
                                gboolean    verifying)
{
  g_autofree char *hint = _stok_window_generate_hint (this_object, key, mint_wait, busy_shown, verifying);

  return hint != NULL;
}

static void
save_key_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;

  g_assert (STOK_IS_WINDOW (self));

  /* A failure is the key source's problem, which the key group shows. */
  if (stok_key_source_save_finish (STOK_KEY_SOURCE (object), result, NULL))
    _stok_window_toast (self, _("Saved in keyring"));
}

static void
save_key_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  if (stok_key_source_get_key (self->key_source) == NULL ||
      stok_key_source_get_saving (self->key_source))
    return;

  stok_key_source_save_async (self->key_source, self->cancellable,
                              save_key_cb, g_object_ref (self));
}

static void
undo_forget_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;

  g_assert (STOK_IS_WINDOW (self));

  if (stok_key_source_undo_forget_finish (STOK_KEY_SOURCE (object), result, NULL) &&
      stok_key_source_get_saved (self->key_source))
    _stok_window_toast (self, _("Key restored in keyring"));
}

static void
undo_forget_clicked_cb (StokWindow *self)
{
  g_assert (STOK_IS_WINDOW (self));

  if (stok_key_source_get_can_undo_forget (self->key_source))
    stok_key_source_undo_forget_async (self->key_source, self->cancellable,
                                       undo_forget_cb, g_object_ref (self));
}

static void
forget_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  AdwToast *toast;

  g_assert (STOK_IS_WINDOW (self));

  /* A failure is the key source's problem, which the key group shows. */
  if (!stok_key_source_forget_finish (STOK_KEY_SOURCE (object), result, NULL))
    return;

  /* GNOME's pattern for a deletion: done at once, with a way back. */
  toast = _stok_window_toast (self, _("Key forgotten"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_timeout (toast, 10);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_forget_clicked_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
forget_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  stok_key_source_forget_async (self->key_source, self->cancellable,
                                forget_key_cb, g_object_ref (self));
}

/* The end of a mint, Generate's or Start's: the window idle again, the
 * exchange kept for the inspector, a failure shown with its details by
 * the token, a new token joining the history and shown. Returns the new
 * mint, or %NULL with @error set; a cancelled request (Cancel, Stop, a
 * closing window) leaves the window as it is, idle already or gone. */
StokMint *
_stok_window_finish_mint (StokWindow    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokExchange) exchange = NULL;
  StokMint *mint;

  token = stok_token_client_mint_finish (self->client, result, &exchange, error);
  if (token == NULL && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;

  _stok_window_set_busy (self, FALSE);
  g_set_object (&self->exchange, exchange);

  if (token == NULL)
    {
      g_debug ("Token request failed: %s", (*error)->message);
      if (exchange != NULL)
        _stok_window_wait_to_mint (self, stok_exchange_get_retry_after (exchange));
      _stok_window_show_error (self, *error, exchange);
      _stok_window_sync_inspector (self);
      return NULL;
    }

  mint = stok_mint_new (token, exchange);
  _stok_window_hide_error (self);
  stok_history_add (self->history, mint);
  _stok_window_set_mint (self, mint);

  return mint;
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
  if (mint == NULL)
    return;

  /* Said where the focus is, before it moves: a screen reader says it
   * once, then the Copy button, where Enter copies the token. */
  stok_announcer_announce (self->announcer, _("Token ready"));
  stok_token_panel_present (self->token_panel);
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  g_autofree char *key = NULL;

  g_assert (STOK_IS_WINDOW (self));

  /* The action is disabled while a request is out; this guards against a
   * second activation queued before the state was updated. */
  if (_stok_window_is_busy (self))
    return;

  key = _stok_window_dup_current_key (self);
  if (key == NULL || self->server == NULL)
    return;

  /* Half-typed values count, clamped to their range. */
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
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  StokSession *session = STOK_SESSION (object);

  g_assert (STOK_IS_WINDOW (self));

  stok_session_run_finish (session, result, &error);
  /* Cancelled, the verify may still complete, once Termination comes:
   * by then the window may be busy with a request of its own. */
  if (session != self->verify_session)
    return;
  g_clear_object (&self->verify_session);
  if (stok_session_get_outcome (session) == STOK_SESSION_OUTCOME_CANCELLED)
    return;

  _stok_window_set_busy (self, FALSE);

  /* What the server said goes in the token panel, from the mint's last
   * session; a server that could not be reached is an error like a
   * failed request. */
  if (!stok_session_get_began (session) && stok_session_get_error (session) != NULL)
    _stok_window_show_error (self, stok_session_get_error (session), NULL);

  _stok_window_sync_inspector (self);
  _stok_window_update_countdown (self);
  /* The verdict is under the token: the whole panel in view, as a new
   * token's is. */
  stok_reveal (GTK_WIDGET (self->token_panel), STOK_REVEAL_TOAST_CLEARANCE);
}

static void
start_verify (StokWindow *self)
{
  g_autoptr(StokSession) session = NULL;
  StokToken *token;

  if (_stok_window_is_busy (self) || self->mint == NULL)
    return;

  /* The token may have run out while the question was open. */
  token = stok_mint_get_token (self->mint);
  if (stok_token_get_state (token, stok_clock_get_time (self->clock)) != STOK_TOKEN_STATE_REDEEMABLE)
    {
      _stok_window_toast (self, _("The token can no longer be redeemed: generate a new one to verify"));
      _stok_window_update_countdown (self);
      return;
    }

  _stok_window_hide_error (self);
  _stok_window_set_busy (self, TRUE);
  _stok_window_set_verifying (self, TRUE);

  /* A verify is a session without audio, ended as soon as it begins. */
  session = stok_session_new (self->client, token, NULL);
  stok_session_set_verify (session, TRUE);
  g_set_object (&self->verify_session, session);
  stok_mint_add_session (self->mint, session);
  _stok_window_sync_inspector (self);
  stok_session_run_async (session, self->request_cancellable, verify_cb, g_object_ref (self));
}

static void
verify_response_cb (StokWindow *self,
                    const char *response)
{
  g_assert (STOK_IS_WINDOW (self));

  if (g_strcmp0 (response, "verify") == 0)
    start_verify (self);
}

static void
verify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  GtkWidget *dialog;

  g_assert (STOK_IS_WINDOW (self));

  if (_stok_window_is_busy (self) || self->mint == NULL)
    return;

  /* Tokens are single-use: say so before using this one up. */
  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("Verify Token?"),
                                   _("Verifying opens a streaming session with this token and ends it at once. A token opens only one session, so it cannot be used again afterwards."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "verify", _("_Verify"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "verify", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "verify");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (verify_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  if (!_stok_window_is_busy (self))
    return;

  /* A token minted for a session: the session is not started either. */
  if (self->session_starting)
    {
      _stok_window_cancel_session_start (self);
      _stok_window_toast (self, _("Session not started"));
      return;
    }

  /* A verify past Begin ends with its Terminate, the window closed or
   * not. */
  if (self->verify_session != NULL)
    _stok_window_hold_until_ended (self->verify_session);
  g_clear_object (&self->verify_session);
  g_cancellable_cancel (self->request_cancellable);
  _stok_window_set_busy (self, FALSE);
  _stok_window_toast (self, _("Request cancelled"));
}

static void
copy_text (StokWindow *self,
           const char *text,
           const char *what)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  _stok_window_toast (self, what);
}

/* A token that can no longer open a session is still worth copying, for
 * a bug report say, but whoever pastes it should know why it will fail. */
static const char *
copied_token_says (StokTokenState state)
{
  switch (state)
    {
    case STOK_TOKEN_STATE_REDEEMABLE:
      return _("Token copied");

    case STOK_TOKEN_STATE_EXPIRED:
      return _("Copied, but this token has expired");

    case STOK_TOKEN_STATE_REDEEMED:
      return _("Copied, but this token is already used");

    case STOK_TOKEN_STATE_REJECTED:
      return _("Copied, but the streaming server refused this token");

    default:
      g_return_val_if_reached (NULL);
    }
}

static void
copy_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  StokExchange *exchange;
  StokToken *token;

  g_assert (STOK_IS_WINDOW (self));

  if (self->mint == NULL)
    return;

  token = stok_mint_get_token (self->mint);
  exchange = stok_mint_get_exchange (self->mint);

  if (g_str_equal (format, "token"))
    {
      copy_text (self, stok_token_get_token (token),
                 copied_token_says (stok_token_get_state (token, stok_clock_get_time (self->clock))));
    }
  else if (g_str_equal (format, "websocket-url"))
    {
      g_autoptr(GUri) server = stok_params_parse_server (stok_token_get_server (token), NULL);
      g_autoptr(StokStreamParams) params = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = NULL;

      g_return_if_fail (server != NULL);

      /* The URL Start would connect with, built as the session builds
       * it: one that leaves out the session's parameters redeems the
       * token into a different session. */
      params = stok_session_setup_build_params (stok_session_view_get_setup (self->session_view), &error);
      if (params == NULL)
        {
          g_autofree char *message = NULL;

          /* Translators: %s says what is wrong with the session's
           * parameters, such as "Choose a speech model: …" */
          message = g_strdup_printf (_("No WebSocket URL to copy: %s"), error->message);
          _stok_window_toast (self, message);
          return;
        }

      uri = stok_stream_params_build_uri (params, server, stok_token_get_token (token));
      copy_text (self, uri, _("WebSocket URL copied"));
    }
  else if (g_str_equal (format, "curl") && exchange != NULL)
    {
      g_autofree char *command = stok_exchange_dup_curl_command (exchange);

      copy_text (self, command, _("curl command copied"));
    }
  else if (g_str_equal (format, "json") && exchange != NULL)
    {
      g_autofree char *json = stok_exchange_dup_body_text (exchange);

      copy_text (self, json, _("JSON reply copied"));
    }
}

static gboolean
focus_has_selection (StokWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return (GTK_IS_EDITABLE (focus) &&
          gtk_editable_get_selection_bounds (GTK_EDITABLE (focus), NULL, NULL)) ||
         (GTK_IS_LABEL (focus) &&
          gtk_label_get_selection_bounds (GTK_LABEL (focus), NULL, NULL));
}

static void
copy_token_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  /* Ctrl+C copies a selection where there is one, as everywhere else. */
  if (focus_has_selection (self))
    {
      gtk_widget_activate_action (gtk_root_get_focus (GTK_ROOT (self)), "clipboard.copy", NULL);
      return;
    }

  gtk_widget_activate_action (widget, "win.copy-as", "s", "token");
}

static gboolean
copy_token_shortcut_cb (GtkWidget *widget,
                        GVariant  *args,
                        gpointer   user_data)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  /* A selection is the focused widget's to copy. */
  if (self->mint == NULL || focus_has_selection (self))
    return FALSE;

  gtk_widget_activate_action (widget, "win.copy-token", NULL);
  return TRUE;
}

/* Ctrl+C copies the token when no text is selected, even from a text
 * field: seen before the focused widget sees it, since a field takes
 * Ctrl+C with nothing selected and copies nothing. */
void
_stok_window_add_copy_shortcut (StokWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_c, GDK_CONTROL_MASK),
                                                          gtk_callback_action_new (copy_token_shortcut_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
inspector_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  g_assert (STOK_IS_WINDOW (self));

  if (self->inspector == NULL)
    {
      self->inspector = stok_inspector_new (GTK_WINDOW (self));
      g_object_add_weak_pointer (G_OBJECT (self->inspector), (gpointer *) &self->inspector);
      _stok_window_sync_inspector (self);
    }

  gtk_window_present (GTK_WINDOW (self->inspector));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  StokPreferencesWindow *preferences;

  g_assert (STOK_IS_WINDOW (self));

  preferences = stok_preferences_window_new (GTK_WINDOW (self), self->server_override);
  gtk_window_present (GTK_WINDOW (preferences));
}

/* A key came from elsewhere while the user was in the key's row: Generate
 * is where the user acts now. */
static void
key_arrived_cb (StokWindow *self)
{
  g_assert (STOK_IS_WINDOW (self));

  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->generate_button));
}

void
_stok_window_hide_error (StokWindow *self)
{
  stok_error_card_hide (self->error_card);
}

void
_stok_window_show_error (StokWindow   *self,
                         const GError *error,
                         StokExchange *exchange)
{
  stok_error_card_show (self->error_card, error, exchange, self->server);
  stok_announcer_announce (self->announcer, stok_error_get_title (error));
}

static void
token_expired_cb (StokWindow *self)
{
  g_assert (STOK_IS_WINDOW (self));

  _stok_window_toast (self, _("The token has expired"));
}

/* A token picked in the history shows again, and is brought before the
 * user: a click far down the list changed a panel out of view, with no
 * word of it. */
static void
history_mint_activated_cb (StokWindow *self,
                           StokMint   *mint)
{
  g_assert (STOK_IS_WINDOW (self));

  if (mint != self->mint)
    {
      _stok_window_hide_error (self);
      _stok_window_set_mint (self, mint);
    }

  /* In a narrow window the panel is far above the history: it comes into
   * view, with the focus on Copy, as after Generate. */
  stok_token_panel_present (self->token_panel);
}

void
_stok_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, key_arrived_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_mint_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_expired_cb);

  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.copy-token", NULL, copy_token_action);
  gtk_widget_class_install_action (widget_class, "win.copy-as", "s", copy_as_action);
  gtk_widget_class_install_action (widget_class, "win.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "win.inspector", NULL, inspector_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.save-key", NULL, save_key_action);
  gtk_widget_class_install_action (widget_class, "win.forget-key", NULL, forget_key_action);
  gtk_widget_class_install_action (widget_class, "win.use-token", NULL, use_token_action);
  gtk_widget_class_install_action (widget_class, "win.copy-exchange", "s", copy_exchange_action);
}
