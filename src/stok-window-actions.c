/* stok-window-actions.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the window's actions do: save and forget the key, generate, verify,
 * cancel, copy, and open the inspector and the preferences. */

#define G_LOG_DOMAIN "stok-window"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-inspector.h"
#include "stok-params.h"
#include "stok-preferences-window.h"
#include "stok-window-private.h"

static void
store_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_object_steal_data (G_OBJECT (self), "stok-saving-key");

  if (!stok_key_store_store_finish (STOK_KEY_STORE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->saving_key = FALSE;

  if (error != NULL)
    {
      _stok_window_set_keyring_problem (self, _("The key could not be saved"), error);
    }
  else
    {
      _stok_window_set_keyring_problem (self, NULL, NULL);
      g_free (self->stored_key);
      self->stored_key = g_steal_pointer (&key);
      _stok_window_toast (self, _("Saved in keyring"));
    }

  _stok_window_update_state (self);
}

static void
save_key_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  g_autofree char *key = _stok_window_dup_current_key (self);

  if (key == NULL || self->saving_key)
    return;

  self->saving_key = TRUE;
  stok_key_store_store_async (self->key_store, key, self->cancellable,
                              store_key_cb, g_object_ref (self));
  g_object_set_data_full (G_OBJECT (self), "stok-saving-key", g_steal_pointer (&key), g_free);
  _stok_window_update_state (self);
}

static void
clear_key_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!stok_key_store_clear_finish (STOK_KEY_STORE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      _stok_window_set_keyring_problem (self, _("The key could not be removed from the keyring"), error);
    }
  else
    {
      _stok_window_set_keyring_problem (self, NULL, NULL);
      g_clear_pointer (&self->stored_key, g_free);
      _stok_window_toast (self, _("Key forgotten"));
    }

  _stok_window_update_state (self);
}

static void
forget_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  g_clear_pointer (&self->env_key, g_free);
  stok_key_store_clear_async (self->key_store, self->cancellable,
                              clear_key_cb, g_object_ref (self));
  _stok_window_update_state (self);
}

static void
mint_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  token = stok_token_client_mint_finish (STOK_TOKEN_CLIENT (object), result, &exchange, &error);

  /* Cancelled by the Cancel action, which already made the window idle,
   * or by closing the window, which left nothing to update. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  _stok_window_set_busy (self, FALSE);
  g_set_object (&self->exchange, exchange);

  if (token == NULL)
    {
      g_debug ("Token request failed: %s", error->message);
      _stok_window_show_error (self, error, exchange);
      _stok_window_sync_inspector (self);
      return;
    }

  if (exchange != NULL)
    g_object_set_data_full (G_OBJECT (token), EXCHANGE_KEY,
                             g_object_ref (exchange), g_object_unref);

  _stok_window_hide_error (self);
  g_list_store_insert (self->history, 0, token);
  gtk_widget_set_visible (GTK_WIDGET (self->history_group), TRUE);
  _stok_window_set_token (self, token);

  /* Said where the focus is, before it moves: a screen reader says it
   * once, then the Copy button. The viewport scrolls to the focus, which
   * brings the new token into view, and Enter then copies it. */
  _stok_window_announce (self, _("Token ready"));
  gtk_widget_grab_focus (GTK_WIDGET (self->copy_button));
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  g_autofree char *key = NULL;

  /* The action is disabled while a request is out; this guards against a
   * second activation queued before the state was updated. */
  if (_stok_window_is_busy (self))
    return;

  key = _stok_window_dup_current_key (self);
  if (key == NULL)
    return;

  /* Commit half-typed values; the spin buttons clamp them to the range. */
  gtk_spin_button_update (self->expires_spin);
  gtk_spin_button_update (self->max_session_spin);

  _stok_window_hide_error (self);
  _stok_window_set_busy (self, TRUE);

  stok_token_client_mint_async (self->client, self->server, key,
                                (gint64) gtk_adjustment_get_value (self->expires_adjustment),
                                (gint64) gtk_adjustment_get_value (self->max_session_adjustment),
                                self->request_cancellable,
                                mint_cb, g_object_ref (self));
}

typedef struct
{
  StokWindow *self;
  StokToken *token;
} Verify;

static void
verify_free (Verify *verify)
{
  g_clear_object (&verify->self);
  g_clear_object (&verify->token);
  g_free (verify);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Verify, verify_free)

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Verify) verify = user_data;
  g_autoptr(StokVerification) verification = NULL;
  g_autoptr(GError) error = NULL;
  StokWindow *self = verify->self;
  StokToken *token = verify->token;

  verification = stok_token_client_verify_finish (STOK_TOKEN_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  _stok_window_set_busy (self, FALSE);

  if (verification == NULL)
    {
      _stok_window_show_error (self, error, NULL);
      _stok_window_update_countdown (self);
      return;
    }

  g_object_set_data_full (G_OBJECT (token), VERIFICATION_KEY,
                           g_object_ref (verification), g_object_unref);

  if (token == self->token)
    {
      _stok_window_show_verification (self, verification);
      _stok_window_sync_inspector (self);
      _stok_window_announce (self, gtk_label_get_label (self->verification_title_label));
    }

  _stok_window_update_countdown (self);
}

static void
start_verify (StokWindow *self)
{
  Verify *verify;

  if (_stok_window_is_busy (self) || self->token == NULL)
    return;

  /* The window may have closed while the question was open. */
  if (stok_token_get_state (self->token, stok_clock_get_time (self->clock)) != STOK_TOKEN_STATE_REDEEMABLE)
    {
      _stok_window_toast (self, _("The token can no longer be redeemed: generate a new one to verify"));
      _stok_window_update_countdown (self);
      return;
    }

  _stok_window_hide_error (self);
  _stok_window_set_busy (self, TRUE);
  self->verifying = TRUE;
  _stok_window_update_state (self);

  verify = g_new0 (Verify, 1);
  verify->self = g_object_ref (self);
  verify->token = g_object_ref (self->token);
  stok_token_client_verify_async (self->client, self->token, self->request_cancellable,
                                  verify_cb, verify);
}

static void
verify_response_cb (StokWindow *self,
                    const char *response)
{
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

  if (_stok_window_is_busy (self) || self->token == NULL)
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

  if (!_stok_window_is_busy (self))
    return;

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

static void
copy_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  StokExchange *exchange;

  if (self->token == NULL)
    return;

  exchange = _stok_window_token_get_exchange (self->token);

  if (g_str_equal (format, "token"))
    {
      gboolean redeemable;

      redeemable = stok_token_get_state (self->token, stok_clock_get_time (self->clock)) == STOK_TOKEN_STATE_REDEEMABLE;
      copy_text (self, stok_token_get_token (self->token),
                 redeemable ? _("Token copied") : _("Copied, but this token can no longer be redeemed"));
    }
  else if (g_str_equal (format, "websocket-url"))
    {
      g_autoptr(GUri) server = stok_params_parse_server (stok_token_get_server (self->token), NULL);
      g_autofree char *uri = NULL;

      g_return_if_fail (server != NULL);
      uri = stok_params_build_websocket_uri (server, stok_token_get_token (self->token));
      copy_text (self, uri, _("WebSocket URL copied"));
    }
  else if (g_str_equal (format, "curl") && exchange != NULL)
    {
      g_autofree char *command = stok_exchange_dup_curl_command (exchange);

      copy_text (self, command, _("curl command copied; it reads the key from $ASSEMBLYAI_API_KEY"));
    }
  else if (g_str_equal (format, "json") && exchange != NULL)
    {
      g_autofree char *json = stok_exchange_dup_body_text (exchange);

      copy_text (self, json, _("JSON reply copied"));
    }
}

static void
copy_token_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* Ctrl+C copies a selection where there is one, as everywhere else. */
  if ((GTK_IS_EDITABLE (focus) &&
       gtk_editable_get_selection_bounds (GTK_EDITABLE (focus), NULL, NULL)) ||
      (GTK_IS_LABEL (focus) &&
       gtk_label_get_selection_bounds (GTK_LABEL (focus), NULL, NULL)))
    {
      gtk_widget_activate_action (focus, "clipboard.copy", NULL);
      return;
    }

  gtk_widget_activate_action (widget, "win.copy-as", "s", "token");
}

static void
inspector_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

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

  preferences = stok_preferences_window_new (GTK_WINDOW (self), self->server_override);
  gtk_window_present (GTK_WINDOW (preferences));
}

void
_stok_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.copy-token", NULL, copy_token_action);
  gtk_widget_class_install_action (widget_class, "win.copy-as", "s", copy_as_action);
  gtk_widget_class_install_action (widget_class, "win.verify", NULL, verify_action);
  gtk_widget_class_install_action (widget_class, "win.inspector", NULL, inspector_action);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.save-key", NULL, save_key_action);
  gtk_widget_class_install_action (widget_class, "win.forget-key", NULL, forget_key_action);
}
