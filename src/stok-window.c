/* stok-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stok-window"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-error.h"
#include "stok-key-store.h"
#include "stok-params.h"
#include "stok-resources.h"
#include "stok-window.h"

struct _StokWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  AdwPreferencesGroup  *key_group;
  AdwPasswordEntryRow  *key_row;
  GtkButton            *save_key_button;
  GtkButton            *forget_key_button;
  GtkAdjustment        *expires_adjustment;
  GtkAdjustment        *max_session_adjustment;
  GtkSpinButton        *expires_spin;
  GtkSpinButton        *max_session_spin;
  GtkLabel             *expires_human_label;
  GtkLabel             *max_session_human_label;
  GtkButton            *generate_button;
  GtkSpinner           *generate_spinner;
  GtkButton            *cancel_button;
  GtkLabel             *generate_hint_label;
  GtkWidget            *error_box;
  GtkLabel             *error_title_label;
  GtkLabel             *error_advice_label;
  GtkExpander          *error_expander;
  GtkLabel             *error_details_label;
  AdwPreferencesGroup  *token_group;
  GtkLabel             *countdown_label;
  GtkLabel             *countdown_caption_label;
  GtkLevelBar          *countdown_bar;
  GtkLabel             *deadline_label;
  GtkLabel             *session_cap_label;
  GtkLabel             *token_label;

  GSettings            *settings;
  StokTokenClient      *client;
  StokKeyStore         *key_store;
  StokClock            *clock;
  StokToken            *token;
  StokExchange         *exchange;
  GDateTime            *deadline_wall;

  /* Cancelled when the window closes: nothing that comes back after that
   * may touch a widget. */
  GCancellable         *cancellable;
  /* The token request in flight, if any. */
  GCancellable         *mint_cancellable;

  char                 *server;
  char                 *stored_key;
  char                 *env_key;
  char                 *keyring_problem;

  gulong                clock_changed_id;
  guint                 tick_id;

  guint                 looking_up_key : 1;
  guint                 saving_key : 1;
  guint                 trimming_key : 1;
  guint                 showed_expired : 1;
};

G_DEFINE_FINAL_TYPE (StokWindow, stok_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_CLOCK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_countdown (StokWindow *self);

static char *
dup_current_key (StokWindow *self)
{
  return stok_trim_api_key (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
}

static gboolean
is_busy (StokWindow *self)
{
  return self->mint_cancellable != NULL;
}

static void
toast (StokWindow *self,
       const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Recomputes everything that depends on the key and on whether a request
 * is out: the actions' sensitivity, the hint under Generate and the key
 * group's status line. */
static void
update_state (StokWindow *self)
{
  g_autofree char *key = dup_current_key (self);
  gboolean busy = is_busy (self);
  const char *status;
  const char *hint = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.generate", key != NULL && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-key",
                                 key != NULL && !self->saving_key &&
                                 g_strcmp0 (key, self->stored_key) != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forget-key",
                                 !self->saving_key && (key != NULL || self->stored_key != NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-token", self->token != NULL);

  /* Offer only what applies, so the row stays quiet. */
  gtk_widget_set_visible (GTK_WIDGET (self->save_key_button),
                          key != NULL && g_strcmp0 (key, self->stored_key) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->forget_key_button),
                          key != NULL || self->stored_key != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->generate_spinner), busy);
  gtk_spinner_set_spinning (self->generate_spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);

  if (key == NULL)
    hint = _("Enter an API key to generate a token.");
  else if (busy)
    hint = _("Waiting for the server…");
  gtk_label_set_label (self->generate_hint_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->generate_hint_label), hint != NULL);

  if (self->keyring_problem != NULL)
    status = self->keyring_problem;
  else if (self->looking_up_key && key == NULL)
    status = _("Looking for a saved key in the keyring…");
  else if (self->saving_key)
    status = _("Saving in the keyring…");
  else if (key == NULL)
    status = _("Copy the key from your AssemblyAI dashboard. Saved keys are kept in the login keyring.");
  else if (g_strcmp0 (key, self->stored_key) == 0)
    status = _("Saved in the keyring");
  else if (g_strcmp0 (key, self->env_key) == 0)
    status = _("From the ASSEMBLYAI_API_KEY environment variable, not saved");
  else
    status = _("Not saved: used for this session only");

  adw_preferences_group_set_description (self->key_group, status);
}

static void
set_keyring_problem (StokWindow   *self,
                     const char   *what,
                     const GError *error)
{
  g_free (self->keyring_problem);
  if (error == NULL)
    self->keyring_problem = NULL;
  else
    /* Translators: the first %s says what failed, the second why */
    self->keyring_problem = g_strdup_printf (_("%s: %s The key still works for this session."),
                                             what, error->message);
}

static void
key_row_changed_cb (StokWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  /* Keys pasted from a dashboard or a terminal often bring a space or a
   * line break along; a key never contains one. */
  if (!self->trimming_key && text[0] != '\0' &&
      (g_ascii_isspace (text[0]) || g_ascii_isspace (text[strlen (text) - 1])))
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (text));

      self->trimming_key = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->key_row), trimmed);
      gtk_editable_set_position (GTK_EDITABLE (self->key_row), -1);
      self->trimming_key = FALSE;
      return;
    }

  update_state (self);
}

static void
key_row_activated_cb (StokWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.generate", NULL);
}

static void
lookup_key_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(StokWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  stored = stok_key_store_lookup_finish (STOK_KEY_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->looking_up_key = FALSE;

  if (error != NULL)
    {
      g_debug ("Key lookup failed: %s", error->message);
      set_keyring_problem (self, _("The keyring could not be read"), error);
    }
  else
    {
      g_autofree char *current = dup_current_key (self);

      self->stored_key = stok_trim_api_key (stored);

      /* Whatever the user typed in the meantime wins. */
      if (current == NULL && self->stored_key != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->key_row), self->stored_key);
    }

  update_state (self);
}

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
      set_keyring_problem (self, _("The key could not be saved"), error);
    }
  else
    {
      set_keyring_problem (self, NULL, NULL);
      g_free (self->stored_key);
      self->stored_key = g_steal_pointer (&key);
      toast (self, _("Saved in keyring"));
    }

  update_state (self);
}

static void
save_key_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  g_autofree char *key = dup_current_key (self);

  if (key == NULL || self->saving_key)
    return;

  self->saving_key = TRUE;
  stok_key_store_store_async (self->key_store, key, self->cancellable,
                              store_key_cb, g_object_ref (self));
  g_object_set_data_full (G_OBJECT (self), "stok-saving-key", g_steal_pointer (&key), g_free);
  update_state (self);
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
      set_keyring_problem (self, _("The key could not be removed from the keyring"), error);
    }
  else
    {
      set_keyring_problem (self, NULL, NULL);
      g_clear_pointer (&self->stored_key, g_free);
      toast (self, _("Key forgotten"));
    }

  update_state (self);
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
  update_state (self);
}

static void
update_duration_labels (StokWindow *self)
{
  g_autofree char *expires = NULL;
  g_autofree char *max_session = NULL;

  expires = stok_format_duration ((gint64) gtk_adjustment_get_value (self->expires_adjustment));
  max_session = stok_format_duration ((gint64) gtk_adjustment_get_value (self->max_session_adjustment));

  gtk_label_set_label (self->expires_human_label, expires);
  gtk_label_set_label (self->max_session_human_label, max_session);
}

static void
hide_error (StokWindow *self)
{
  gtk_widget_set_visible (self->error_box, FALSE);
  gtk_expander_set_expanded (self->error_expander, FALSE);
}

static void
show_error (StokWindow   *self,
            const GError *error,
            StokExchange *exchange)
{
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *advice = NULL;

  if (g_error_matches (error, STOK_ERROR, STOK_ERROR_RATE_LIMITED) &&
      exchange != NULL && stok_exchange_get_retry_after (exchange) >= 0)
    {
      g_autofree char *wait = stok_format_duration (stok_exchange_get_retry_after (exchange));

      /* Translators: %s is a duration such as "30 s" */
      advice = g_strdup_printf (_("The server asks to wait %s before the next request."), wait);
    }
  else if (error->domain == STOK_ERROR &&
           (error->code == STOK_ERROR_BAD_REQUEST ||
            error->code == STOK_ERROR_INVALID_PARAMETER) &&
           exchange != NULL && stok_exchange_get_server_error (exchange) != NULL)
    {
      /* The server's words name the parameter it refused. */
      advice = g_strdup_printf (_("The server said: “%s”. %s"),
                                stok_exchange_get_server_error (exchange),
                                stok_error_get_advice (error));
    }
  else if (g_error_matches (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER))
    {
      advice = g_strdup (error->message);
    }
  else
    {
      advice = g_strdup (stok_error_get_advice (error));
    }

  g_string_append_printf (details, "%s\n", error->message);
  g_string_append_printf (details, _("Server: %s"), self->server);
  g_string_append_c (details, '\n');

  if (exchange != NULL && stok_exchange_get_status (exchange) != 0)
    {
      const char *value;

      g_string_append_printf (details, "HTTP %u %s\n",
                              stok_exchange_get_status (exchange),
                              stok_exchange_get_reason (exchange) ? stok_exchange_get_reason (exchange) : "");
      if ((value = stok_exchange_get_server_error (exchange)))
        g_string_append_printf (details, "error: %s\n", value);
      if ((value = stok_exchange_get_server_code (exchange)))
        g_string_append_printf (details, "code: %s\n", value);
      if ((value = stok_exchange_get_server_details (exchange)))
        g_string_append_printf (details, "details: %s\n", value);
      if (stok_exchange_get_retry_after (exchange) >= 0)
        g_string_append_printf (details, "Retry-After: %d s\n", (int) stok_exchange_get_retry_after (exchange));
      g_string_append_printf (details, _("Latency: %.0f ms"), stok_exchange_get_latency (exchange) / 1000.0);
    }

  g_strchomp (details->str);

  gtk_label_set_label (self->error_title_label, stok_error_get_title (error));
  gtk_label_set_label (self->error_advice_label, advice);
  gtk_label_set_label (self->error_details_label, details->str);
  gtk_widget_set_visible (self->error_box, TRUE);
}

static void
stop_ticking (StokWindow *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static gboolean
tick_cb (gpointer user_data)
{
  StokWindow *self = user_data;

  self->tick_id = 0;
  update_countdown (self);

  return G_SOURCE_REMOVE;
}

/* Arms one timer for the moment the displayed second changes, read off
 * the deadline each time: ticks never drift, and nothing runs between
 * them. */
static void
schedule_tick (StokWindow *self,
               gint64      remaining_us)
{
  gint64 until_change_us;

  stop_ticking (self);

  if (remaining_us <= 0)
    return;

  until_change_us = remaining_us - ((remaining_us - 1) / G_USEC_PER_SEC) * G_USEC_PER_SEC;
  self->tick_id = g_timeout_add_full (G_PRIORITY_HIGH_IDLE,
                                      (guint) ((until_change_us + 999) / 1000),
                                      tick_cb, self, NULL);
}

static void
update_deadline_wall (StokWindow *self,
                      gint64      remaining_us)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) deadline = g_date_time_add (now, remaining_us);

  /* Recomputed from the clock each time, so that the end time stays true
   * when the system clock is changed; kept when it only moved by
   * rounding, so that the label does not flicker between two seconds. */
  if (self->deadline_wall != NULL &&
      ABS (g_date_time_difference (deadline, self->deadline_wall)) < G_USEC_PER_SEC)
    return;

  g_clear_pointer (&self->deadline_wall, g_date_time_unref);
  self->deadline_wall = g_date_time_ref (deadline);
}

static void
update_countdown (StokWindow *self)
{
  g_autofree char *countdown = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *deadline_text = NULL;
  gint64 now;
  gint64 remaining;
  gint64 window_us;
  StokTokenState state;

  if (self->token == NULL)
    {
      stop_ticking (self);
      return;
    }

  now = stok_clock_get_time (self->clock);
  remaining = stok_token_get_remaining (self->token, now);
  state = stok_token_get_state (self->token, now);
  window_us = stok_token_get_expires_in_seconds (self->token) * G_USEC_PER_SEC;

  if (state == STOK_TOKEN_STATE_REDEEMABLE)
    update_deadline_wall (self, remaining);

  time_text = g_date_time_format (self->deadline_wall, "%X");

  if (state == STOK_TOKEN_STATE_REDEEMABLE)
    {
      countdown = stok_format_countdown (remaining);
      gtk_label_set_label (self->countdown_label, countdown);
      gtk_label_set_label (self->countdown_caption_label, _("left to open a session with this token"));
      /* Translators: %s is a time of day */
      deadline_text = g_strdup_printf (_("Redeemable until %s"), time_text);
      gtk_level_bar_set_value (self->countdown_bar, (double) remaining / (double) window_us);
      gtk_widget_remove_css_class (GTK_WIDGET (self->countdown_label), "expired");
      gtk_widget_remove_css_class (GTK_WIDGET (self->token_label), "expired");
      schedule_tick (self, remaining);
    }
  else
    {
      gtk_label_set_label (self->countdown_label, _("Expired"));
      gtk_label_set_label (self->countdown_caption_label,
                           _("The redemption window has closed: this token can no longer open a session. Generate a new one."));
      /* Translators: %s is a time of day */
      deadline_text = g_strdup_printf (_("Expired at %s"), time_text);
      gtk_level_bar_set_value (self->countdown_bar, 0.0);
      gtk_widget_add_css_class (GTK_WIDGET (self->countdown_label), "expired");
      gtk_widget_add_css_class (GTK_WIDGET (self->token_label), "expired");
      stop_ticking (self);
    }

  gtk_label_set_label (self->deadline_label, deadline_text);
}

static void
clock_changed_cb (StokWindow *self)
{
  update_countdown (self);
}

static void
set_token (StokWindow *self,
           StokToken  *token)
{
  g_autofree char *cap = NULL;
  g_autofree char *cap_text = NULL;

  g_set_object (&self->token, token);
  g_clear_pointer (&self->deadline_wall, g_date_time_unref);

  gtk_widget_set_visible (GTK_WIDGET (self->token_group), token != NULL);
  if (token == NULL)
    {
      stop_ticking (self);
      return;
    }

  gtk_label_set_label (self->token_label, stok_token_get_token (token));
  cap = stok_format_duration (stok_token_get_max_session_seconds (token));
  /* Translators: %s is a duration such as "3 h" */
  cap_text = g_strdup_printf (_("Sessions last up to %s"), cap);
  gtk_label_set_label (self->session_cap_label, cap_text);

  update_countdown (self);
}

static void
set_busy (StokWindow *self,
          gboolean    busy)
{
  if (busy)
    {
      if (self->mint_cancellable == NULL)
        self->mint_cancellable = g_cancellable_new ();
    }
  else
    {
      g_clear_object (&self->mint_cancellable);
    }

  update_state (self);
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

  set_busy (self, FALSE);
  g_set_object (&self->exchange, exchange);

  if (token == NULL)
    {
      g_debug ("Token request failed: %s", error->message);
      show_error (self, error, exchange);
      return;
    }

  hide_error (self);
  set_token (self, token);
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
  if (is_busy (self))
    return;

  key = dup_current_key (self);
  if (key == NULL)
    return;

  /* Commit half-typed values; the spin buttons clamp them to the range. */
  gtk_spin_button_update (self->expires_spin);
  gtk_spin_button_update (self->max_session_spin);

  hide_error (self);
  set_busy (self, TRUE);

  stok_token_client_mint_async (self->client, self->server, key,
                                (gint64) gtk_adjustment_get_value (self->expires_adjustment),
                                (gint64) gtk_adjustment_get_value (self->max_session_adjustment),
                                self->mint_cancellable,
                                mint_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);

  if (!is_busy (self))
    return;

  g_cancellable_cancel (self->mint_cancellable);
  set_busy (self, FALSE);
  toast (self, _("Request cancelled"));
}

static void
copy_token_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  StokWindow *self = STOK_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  StokTokenState state;

  /* Ctrl+C copies a selection where there is one, as everywhere else. */
  if ((GTK_IS_EDITABLE (focus) &&
       gtk_editable_get_selection_bounds (GTK_EDITABLE (focus), NULL, NULL)) ||
      (GTK_IS_LABEL (focus) &&
       gtk_label_get_selection_bounds (GTK_LABEL (focus), NULL, NULL)))
    {
      gtk_widget_activate_action (focus, "clipboard.copy", NULL);
      return;
    }

  if (self->token == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          stok_token_get_token (self->token));

  state = stok_token_get_state (self->token, stok_clock_get_time (self->clock));
  if (state == STOK_TOKEN_STATE_REDEEMABLE)
    toast (self, _("Token copied"));
  else
    toast (self, _("Copied, but this token has expired"));
}

static void
stok_window_constructed (GObject *object)
{
  StokWindow *self = (StokWindow *)object;
  g_autofree char *env_key = NULL;

  G_OBJECT_CLASS (stok_window_parent_class)->constructed (object);

  if (self->server == NULL)
    self->server = g_strdup (STOK_DEFAULT_SERVER);

  /* Nobody should mistake a test server for the real one. */
  if (g_strcmp0 (self->server, STOK_DEFAULT_SERVER) != 0)
    adw_window_title_set_subtitle (self->window_title, self->server);

  /* A key in the environment is used as is, and offered for saving. */
  env_key = stok_trim_api_key (g_getenv ("ASSEMBLYAI_API_KEY"));
  if (env_key != NULL)
    {
      self->env_key = g_strdup (env_key);
      gtk_editable_set_text (GTK_EDITABLE (self->key_row), env_key);
    }

  self->looking_up_key = TRUE;
  stok_key_store_lookup_async (self->key_store, self->cancellable,
                               lookup_key_cb, g_object_ref (self));

  update_state (self);
}

static void
stok_window_dispose (GObject *object)
{
  StokWindow *self = (StokWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->mint_cancellable != NULL)
    g_cancellable_cancel (self->mint_cancellable);

  stop_ticking (self);
  g_clear_signal_handler (&self->clock_changed_id, self->clock);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->key_store);
  g_clear_object (&self->clock);
  g_clear_object (&self->token);
  g_clear_object (&self->exchange);
  g_clear_object (&self->mint_cancellable);
  g_clear_pointer (&self->deadline_wall, g_date_time_unref);

  G_OBJECT_CLASS (stok_window_parent_class)->dispose (object);
}

static void
stok_window_finalize (GObject *object)
{
  StokWindow *self = (StokWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->stored_key, g_free);
  g_clear_pointer (&self->env_key, g_free);
  g_clear_pointer (&self->keyring_problem, g_free);

  G_OBJECT_CLASS (stok_window_parent_class)->finalize (object);
}

static void
stok_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  StokWindow *self = STOK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_window_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  StokWindow *self = STOK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      self->server = g_value_dup_string (value);
      break;

    case PROP_CLOCK:
      stok_window_set_clock (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_window_class_init (StokWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = stok_window_constructed;
  object_class->dispose = stok_window_dispose;
  object_class->finalize = stok_window_finalize;
  object_class->get_property = stok_window_get_property;
  object_class->set_property = stok_window_set_property;

  /**
   * StokWindow:server:
   *
   * The token server this window talks to, already checked with
   * stok_params_parse_server().
   */
  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Registered here rather than by a constructor, which a static library
   * would let the linker drop. */
  stok_register_resource ();

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StokWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, key_group);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, save_key_button);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, forget_key_button);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, expires_adjustment);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, max_session_adjustment);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, expires_spin);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, max_session_spin);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, expires_human_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, max_session_human_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, generate_button);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, generate_spinner);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, generate_hint_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, error_box);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, error_title_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, error_advice_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, error_expander);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, error_details_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, token_group);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, countdown_caption_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, countdown_bar);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, session_cap_label);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, token_label);
  gtk_widget_class_bind_template_callback (widget_class, key_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "win.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.copy-token", NULL, copy_token_action);
  gtk_widget_class_install_action (widget_class, "win.save-key", NULL, save_key_action);
  gtk_widget_class_install_action (widget_class, "win.forget-key", NULL, forget_key_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "win.copy-token", NULL);
}

static void
stok_window_init (StokWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->client = stok_token_client_new ();
  self->key_store = stok_key_store_new ();
  self->clock = g_object_ref (stok_clock_get_default ());

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "expires-in-seconds",
                   self->expires_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-session-duration-seconds",
                   self->max_session_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->expires_adjustment, "value-changed",
                           G_CALLBACK (update_duration_labels), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->max_session_adjustment, "value-changed",
                           G_CALLBACK (update_duration_labels), self, G_CONNECT_SWAPPED);
  update_duration_labels (self);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

StokWindow *
stok_window_new (StokApplication *application,
                 const char      *server)
{
  return g_object_new (STOK_TYPE_WINDOW,
                       "application", application,
                       "server", server,
                       NULL);
}

const char *
stok_window_get_server (StokWindow *self)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), NULL);

  return self->server;
}

/**
 * stok_window_get_clock:
 * @self: a #StokWindow
 *
 * Returns: (transfer none): the clock the countdown reads
 */
StokClock *
stok_window_get_clock (StokWindow *self)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), NULL);

  return self->clock;
}

/**
 * stok_window_set_clock:
 * @self: a #StokWindow
 * @clock: (nullable): the clock for the countdown and for stamping
 *   requests, or %NULL for the system's
 */
void
stok_window_set_clock (StokWindow *self,
                       StokClock  *clock)
{
  g_return_if_fail (STOK_IS_WINDOW (self));
  g_return_if_fail (!clock || STOK_IS_CLOCK (clock));

  if (clock == NULL)
    clock = stok_clock_get_default ();

  if (self->clock == clock)
    return;

  g_clear_signal_handler (&self->clock_changed_id, self->clock);
  g_set_object (&self->clock, clock);
  self->clock_changed_id = g_signal_connect_swapped (clock, "changed",
                                                     G_CALLBACK (clock_changed_cb), self);
  stok_token_client_set_clock (self->client, clock);
  update_countdown (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

/**
 * stok_window_get_token:
 * @self: a #StokWindow
 *
 * Returns: (transfer none) (nullable): the token shown
 */
StokToken *
stok_window_get_token (StokWindow *self)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), NULL);

  return self->token;
}

/**
 * stok_window_get_token_client:
 * @self: a #StokWindow
 *
 * Returns: (transfer none): the client the window mints tokens with
 */
StokTokenClient *
stok_window_get_token_client (StokWindow *self)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), NULL);

  return self->client;
}
