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
#include "stok-inspector.h"
#include "stok-params.h"
#include "stok-preferences-window.h"
#include "stok-window-private.h"

G_DEFINE_FINAL_TYPE (StokWindow, stok_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_SERVER_PROBLEM,
  PROP_CLOCK,
  PROP_BUSY,
  PROP_BUSY_SHOWN,
  PROP_VERIFYING,
  PROP_KEY_SOURCE,
  PROP_MINT,
  PROP_HISTORY,
  PROP_SESSION,
  PROP_SESSION_STARTING,
  PROP_AUDIO_FILE,
  PROP_MINT_WAIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* How long a request runs before the window shows it busy. */
#define STOK_WINDOW_BUSY_DELAY_MS 100

char *
_stok_window_dup_current_key (StokWindow *self)
{
  return g_strdup (stok_key_source_get_key (self->key_source));
}

gboolean
_stok_window_is_busy (StokWindow *self)
{
  return self->request_cancellable != NULL;
}

/* For the template's bindings. */

static gboolean
is_set (gpointer  this_object,
        GObject  *object)
{
  return object != NULL;
}

static gboolean
is_text (gpointer    this_object,
         const char *text)
{
  return text != NULL;
}

static gboolean
is_not_zero (gpointer this_object,
             guint    n)
{
  return n != 0;
}

static gboolean
can_mint (gpointer    this_object,
          const char *key,
          const char *server,
          guint       mint_wait)
{
  return key != NULL && server != NULL && mint_wait == 0;
}

static void
clock_changed_cb (StokWindow *self)
{
  g_assert (STOK_IS_WINDOW (self));

  _stok_window_update_countdown (self);
}

void
_stok_window_set_mint (StokWindow *self,
                       StokMint   *mint)
{
  if (!g_set_object (&self->mint, mint))
    return;

  /* A pasted token's has none: the last one was another token's. */
  if (mint != NULL)
    g_set_object (&self->exchange, stok_mint_get_exchange (mint));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINT]);
  _stok_window_sync_inspector (self);
  _stok_window_update_countdown (self);
}

/* The session the view shows: the one running, else the last one. */
void
_stok_window_set_session (StokWindow  *self,
                          StokSession *session)
{
  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
_stok_window_set_session_starting (StokWindow *self,
                                   gboolean    starting)
{
  if (self->session_starting == !!starting)
    return;

  self->session_starting = !!starting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_STARTING]);
}

void
_stok_window_set_mint_wait (StokWindow *self,
                            guint       mint_wait)
{
  if (self->mint_wait == mint_wait)
    return;

  self->mint_wait = mint_wait;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINT_WAIT]);
  _stok_window_update_actions (self);
}

static void
set_busy_shown (StokWindow *self,
                gboolean    busy_shown)
{
  if (self->busy_shown == !!busy_shown)
    return;

  self->busy_shown = !!busy_shown;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY_SHOWN]);
}

static gboolean
show_busy_cb (gpointer user_data)
{
  StokWindow *self = user_data;

  g_assert (STOK_IS_WINDOW (self));

  self->show_busy_id = 0;
  set_busy_shown (self, TRUE);

  return G_SOURCE_REMOVE;
}

void
_stok_window_set_busy (StokWindow *self,
                       gboolean    busy)
{
  gboolean was_busy = _stok_window_is_busy (self);

  if (busy && !was_busy)
    {
      self->request_cancellable = g_cancellable_new ();
      self->show_busy_id = g_timeout_add (STOK_WINDOW_BUSY_DELAY_MS, show_busy_cb, self);
    }
  else if (!busy)
    {
      g_clear_object (&self->request_cancellable);
      g_clear_handle_id (&self->show_busy_id, g_source_remove);
      set_busy_shown (self, FALSE);
      _stok_window_set_verifying (self, FALSE);
    }

  if (busy != was_busy)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Whether the request out is a verify, which the hint under Generate
 * says. */
void
_stok_window_set_verifying (StokWindow *self,
                            gboolean    verifying)
{
  if (self->verifying == !!verifying)
    return;

  self->verifying = !!verifying;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERIFYING]);
}

/* The server is --server when given, else the region of the preferences;
 * the header bar names it whenever it is not AssemblyAI's default. A
 * custom server there that cannot be used leaves none, and the window
 * says why and offers the preferences. */
static void
update_server (StokWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;

  g_assert (STOK_IS_WINDOW (self));

  if (self->server_override != NULL)
    server = g_strdup (self->server_override);
  else
    server = stok_settings_dup_server (self->settings, &error);

  /* Told only of a change: with --server, the settings change nothing. */
  if (g_strcmp0 (self->server, server) != 0)
    {
      g_free (self->server);
      self->server = g_steal_pointer (&server);
      adw_window_title_set_subtitle (self->window_title,
                                     g_strcmp0 (self->server, STOK_DEFAULT_SERVER) != 0 ? self->server : NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER]);
      /* The wait was the other server's. */
      if (self->mint_allowed_us != 0)
        _stok_window_wait_to_mint (self, 0);
    }
  if (g_strcmp0 (self->server_problem, error != NULL ? error->message : NULL) != 0)
    {
      g_free (self->server_problem);
      self->server_problem = error != NULL ? g_strdup (error->message) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_PROBLEM]);
    }
}

static void
audio_file_changed_cb (StokWindow *self)
{
  g_assert (STOK_IS_WINDOW (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_FILE]);
}

/* An error about the key is answered by another key: once the key has
 * changed, it no longer speaks of the key in the row. A wait the server
 * asked for was the account's, which another key may not share. */
static void
key_changed_cb (StokWindow *self)
{
  const GError *shown;

  g_assert (STOK_IS_WINDOW (self));

  shown = stok_error_card_get_error (self->error_card);
  if (shown != NULL && stok_error_blames_key (shown))
    _stok_window_hide_error (self);
  if (self->mint_allowed_us != 0)
    _stok_window_wait_to_mint (self, 0);
}

static void
stok_window_constructed (GObject *object)
{
  StokWindow *self = (StokWindow *)object;
  GtkApplication *app;
  const char *key_properties[] = { "key", "saved", "has-stored-key", "saving" };

  G_OBJECT_CLASS (stok_window_parent_class)->constructed (object);

  g_signal_connect_object (self->settings, "changed::region",
                           G_CALLBACK (update_server), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::custom-server",
                           G_CALLBACK (update_server), self, G_CONNECT_SWAPPED);
  update_server (self);

  /* The application's key is every window's key. A window of its own,
   * as in the tests, loads one: the environment's, else the keyring's. */
  app = gtk_window_get_application (GTK_WINDOW (self));
  if (self->key_source == NULL && STOK_IS_APPLICATION (app))
    self->key_source = g_object_ref (stok_application_get_key_source (STOK_APPLICATION (app)));
  if (self->key_source == NULL)
    {
      g_autoptr(StokKeyStore) store = stok_key_store_new ();

      /* A locked keyring asks for its password in a prompt: give the
       * user time to type it. A keyring that cannot prompt fails at once
       * anyway. */
      stok_key_store_set_timeout (store, 120);
      self->key_source = stok_key_source_new (store);
      stok_key_source_load_async (self->key_source, TRUE, NULL, NULL, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_SOURCE]);
  stok_key_group_set_key_source (self->key_group, self->key_source);
  for (guint i = 0; i < G_N_ELEMENTS (key_properties); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", key_properties[i], NULL);

      g_signal_connect_object (self->key_source, signal, G_CALLBACK (_stok_window_update_actions),
                               self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->key_source, "notify::key",
                           G_CALLBACK (key_changed_cb), self, G_CONNECT_SWAPPED);
  /* The file of the next session is the window's audio file: one thing,
   * whether chosen in the view or opened from the desktop. */
  g_signal_connect_object (stok_session_view_get_setup (self->session_view), "notify::file",
                           G_CALLBACK (audio_file_changed_cb), self, G_CONNECT_SWAPPED);
  /* Start follows what the next session would be. */
  g_signal_connect_object (stok_session_view_get_setup (self->session_view), "notify",
                           G_CALLBACK (_stok_window_update_actions), self, G_CONNECT_SWAPPED);
  _stok_window_update_actions (self);
  _stok_window_layout_init (self);

  /* Start where the user will act: the key when there is none yet. */
  if (stok_key_source_get_key (self->key_source) == NULL)
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->key_group));
  else
    gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->generate_button));
}

/* gtk_window_destroy() only drops GTK's own reference, and a request in
 * flight holds one too: cancelling in dispose would wait for the request
 * to end, and a verify would spend the token after the window closed. */
static void
stok_window_unrealize (GtkWidget *widget)
{
  StokWindow *self = STOK_WINDOW (widget);

  /* A session is billed while its socket is open: end it, however the
   * window goes away. */
  _stok_window_close_session (self);
  g_cancellable_cancel (self->cancellable);
  if (self->request_cancellable != NULL)
    g_cancellable_cancel (self->request_cancellable);

  GTK_WIDGET_CLASS (stok_window_parent_class)->unrealize (widget);
}

/* Whether the window is wide enough for two panes is known only once it
 * is allocated: the layout follows it, from an idle. */
static void
stok_window_size_allocate (GtkWidget *widget,
                           int        width,
                           int        height,
                           int        baseline)
{
  GTK_WIDGET_CLASS (stok_window_parent_class)->size_allocate (widget, width, height, baseline);

  _stok_window_layout_allocated (STOK_WINDOW (widget), width);
}

static void
stok_window_dispose (GObject *object)
{
  StokWindow *self = (StokWindow *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->request_cancellable != NULL)
    g_cancellable_cancel (self->request_cancellable);

  _stok_window_close_session (self);
  _stok_window_stop_ticking (self);
  _stok_window_layout_dispose (self);
  g_clear_handle_id (&self->show_busy_id, g_source_remove);
  g_clear_object (&self->focus_keeper);
  g_clear_signal_handler (&self->clock_changed_id, self->clock);

  /* Whatever still holds the inspector must not write into this window
   * once it is gone. */
  if (self->inspector != NULL)
    gtk_window_destroy (GTK_WINDOW (self->inspector));
  g_clear_weak_pointer (&self->inspector);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->key_source);
  g_clear_object (&self->clock);
  g_clear_object (&self->mint);
  g_clear_object (&self->exchange);
  g_clear_object (&self->history);
  g_clear_object (&self->request_cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->verify_session);
  g_clear_object (&self->pending_params);
  g_clear_object (&self->pending_source);
  g_clear_object (&self->session_cancellable);

  G_OBJECT_CLASS (stok_window_parent_class)->dispose (object);
}

static void
stok_window_finalize (GObject *object)
{
  StokWindow *self = (StokWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->server_problem, g_free);
  g_clear_pointer (&self->server_override, g_free);

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

    case PROP_SERVER_PROBLEM:
      g_value_set_string (value, self->server_problem);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, stok_window_get_busy (self));
      break;

    case PROP_BUSY_SHOWN:
      g_value_set_boolean (value, self->busy_shown);
      break;

    case PROP_VERIFYING:
      g_value_set_boolean (value, self->verifying);
      break;

    case PROP_KEY_SOURCE:
      g_value_set_object (value, self->key_source);
      break;

    case PROP_MINT:
      g_value_set_object (value, self->mint);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SESSION_STARTING:
      g_value_set_boolean (value, self->session_starting);
      break;

    case PROP_AUDIO_FILE:
      g_value_set_object (value, stok_window_get_audio_file (self));
      break;

    case PROP_MINT_WAIT:
      g_value_set_uint (value, self->mint_wait);
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
      self->server_override = g_value_dup_string (value);
      break;

    case PROP_CLOCK:
      stok_window_set_clock (self, g_value_get_object (value));
      break;

    case PROP_KEY_SOURCE:
      self->key_source = g_value_dup_object (value);
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

  widget_class->unrealize = stok_window_unrealize;
  widget_class->size_allocate = stok_window_size_allocate;

  /**
   * StokWindow:server:
   *
   * The token server this window talks to. Set at construction, it is
   * the --server of the command line, already checked, and wins over the
   * region of the preferences; read, it is the server in use.
   */
  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:server-problem:
   *
   * Why the server chosen in the preferences cannot be used, or %NULL.
   */
  properties[PROP_SERVER_PROBLEM] =
    g_param_spec_string ("server-problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:busy:
   *
   * Whether a request (a Generate or a verify) is out, from the moment
   * it is sent, whether or not the window shows it yet.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:busy-shown:
   *
   * Whether the window shows a request as out: once it has taken
   * STOK_WINDOW_BUSY_DELAY_MS.
   */
  properties[PROP_BUSY_SHOWN] =
    g_param_spec_boolean ("busy-shown", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:verifying:
   *
   * Whether the request out is a verify.
   */
  properties[PROP_VERIFYING] =
    g_param_spec_boolean ("verifying", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:key-source:
   *
   * Where the API key comes from. Set at construction; by default the
   * application's, which all its windows share.
   */
  properties[PROP_KEY_SOURCE] =
    g_param_spec_object ("key-source", NULL, NULL,
                         STOK_TYPE_KEY_SOURCE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:mint:
   *
   * The mint of the token shown, or %NULL.
   */
  properties[PROP_MINT] =
    g_param_spec_object ("mint", NULL, NULL,
                         STOK_TYPE_MINT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:history:
   *
   * The tokens minted in this window.
   */
  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         STOK_TYPE_HISTORY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:session:
   *
   * The session the session view shows: the one running, else the last
   * one started in this window.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         STOK_TYPE_SESSION,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:session-starting:
   *
   * Whether a session is on its way: its source being checked, or its
   * token minted.
   */
  properties[PROP_SESSION_STARTING] =
    g_param_spec_boolean ("session-starting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:audio-file:
   *
   * The audio file chosen as the source of the next session, or %NULL:
   * the session view's file, opened from the desktop or chosen there.
   * stok_window_open_audio_file() sets it.
   */
  properties[PROP_AUDIO_FILE] =
    g_param_spec_object ("audio-file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokWindow:mint-wait:
   *
   * The seconds left of the wait a server asked for with the Retry-After
   * of a 429 or a 503, rounded up; 0 when the next mint may go.
   */
  properties[PROP_MINT_WAIT] =
    g_param_spec_uint ("mint-wait", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STOK_TYPE_ANNOUNCER);
  g_type_ensure (STOK_TYPE_DURATIONS_GROUP);
  g_type_ensure (STOK_TYPE_ERROR_CARD);
  g_type_ensure (STOK_TYPE_HISTORY_GROUP);
  g_type_ensure (STOK_TYPE_KEY_GROUP);
  g_type_ensure (STOK_TYPE_TOKEN_PANEL);
  g_type_ensure (STOK_TYPE_SESSION_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-window.ui");
  gtk_widget_class_bind_template_child (widget_class, StokWindow, announcer);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, window_title);
  gtk_widget_class_bind_template_child_full (widget_class, "scrolled_window", FALSE, G_STRUCT_OFFSET (StokWindow, token_scroller));
  gtk_widget_class_bind_template_child (widget_class, StokWindow, token_column);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, pane_separator);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, session_scroller);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, session_column);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, session_view);
  gtk_widget_class_bind_template_child_full (widget_class, "panes_box", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "server_problem_box", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "server_problem_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "server_preferences_button", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, key_group);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, durations_group);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, generate_button);
  gtk_widget_class_bind_template_child_full (widget_class, "generate_spinner", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "generate_label", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, cancel_button);
  gtk_widget_class_bind_template_child_full (widget_class, "generate_hint_label", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, error_card);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, token_panel);
  gtk_widget_class_bind_template_child (widget_class, StokWindow, history_group);
  gtk_widget_class_bind_template_callback_full (widget_class, "update_actions", G_CALLBACK (_stok_window_update_actions));
  gtk_widget_class_bind_template_callback_full (widget_class, "generate_hint", G_CALLBACK (_stok_window_generate_hint));
  gtk_widget_class_bind_template_callback_full (widget_class, "has_generate_hint", G_CALLBACK (_stok_window_has_generate_hint));
  gtk_widget_class_bind_template_callback (widget_class, is_set);
  gtk_widget_class_bind_template_callback (widget_class, is_text);
  gtk_widget_class_bind_template_callback (widget_class, is_not_zero);
  gtk_widget_class_bind_template_callback (widget_class, can_mint);

  _stok_window_class_actions_init (widget_class);
  _stok_window_class_session_init (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.inspector", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences", NULL);
}

/* GTK 4.8 lays the window out again for any new size inside it (a new
 * turn in the transcript). Under a window manager, each of those layouts
 * brings a motion of the pointer that did not move (GDK repeating where
 * it is, time 0, one a layout under mutter), so that what is under a
 * pointer at rest is known again. Scrolled windows take it for the user
 * moving the pointer: resting on the session pane through a live
 * session, it brought the pane's overlay scroll bar up at every turn, to
 * fade out again at 60 frames a second (bench-session under mutter: 168
 * frames in 5 s of streaming, 32 without). What is under the pointer is
 * still known (GTK works it out, and sends the crossings, before any
 * widget sees the motion); a motion that did not move goes no further. */
static gboolean
pointer_event_cb (StokWindow *self,
                  GdkEvent   *event)
{
  double x, y;

  g_assert (STOK_IS_WINDOW (self));

  if (gdk_event_get_event_type (event) != GDK_MOTION_NOTIFY)
    {
      self->pointer_known = FALSE;
      return GDK_EVENT_PROPAGATE;
    }

  if (!gdk_event_get_position (event, &x, &y))
    return GDK_EVENT_PROPAGATE;

  if (self->pointer_known && x == self->pointer_x && y == self->pointer_y)
    return GDK_EVENT_STOP;

  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_known = TRUE;

  return GDK_EVENT_PROPAGATE;
}

/* GTK 4.8 drops the focus when Generate or Verify goes insensitive as a
 * request goes out, and Cancel when it is hidden after: nowhere a user
 * acts from, and the next Tab went to the main menu. The focus goes to
 * Cancel while a request is out, where Space or Enter cancels; then back
 * to where the request was made. */
static void
refocus_cb (GtkWidget *last_focus,
            gpointer   user_data)
{
  StokWindow *self = user_data;

  g_assert (STOK_IS_WINDOW (self));

  if (self->request_focus == STOK_WINDOW_FOCUS_ELSEWHERE)
    return;

  if (gtk_widget_get_visible (self->cancel_button) && gtk_widget_grab_focus (self->cancel_button))
    return;

  if (self->request_focus == STOK_WINDOW_FOCUS_TOKEN && gtk_widget_get_visible (GTK_WIDGET (self->token_panel)))
    stok_token_panel_focus (self->token_panel);
  else if (gtk_widget_is_sensitive (GTK_WIDGET (self->generate_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->generate_button));
  /* Generate waits for the server's Retry-After: the card beside it
   * says why. */
  else if (stok_error_card_get_error (self->error_card) != NULL)
    stok_error_card_focus (self->error_card);
}

/* Where a request is made from, as the focus moves. */
static void
last_focus_cb (StokWindow *self)
{
  GtkWidget *focus;

  g_assert (STOK_IS_WINDOW (self));

  focus = stok_focus_keeper_get_last_focus (self->focus_keeper);

  /* Cancel leads back to where the request was made. */
  if (focus == NULL || focus == self->cancel_button)
    return;

  if (focus == GTK_WIDGET (self->generate_button) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->error_card)))
    self->request_focus = STOK_WINDOW_FOCUS_GENERATE;
  else if (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->token_panel)))
    self->request_focus = STOK_WINDOW_FOCUS_TOKEN;
  else
    self->request_focus = STOK_WINDOW_FOCUS_ELSEWHERE;
}

static void
stok_window_init (StokWindow *self)
{
  GtkEventController *pointer;

  /* Before the template, whose bindings read them. */
  self->clock = g_object_ref (stok_clock_get_default ());
  self->history = stok_history_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  pointer = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (pointer, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (pointer, "event", G_CALLBACK (pointer_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), pointer);
  _stok_window_add_copy_shortcut (self);

  self->cancellable = g_cancellable_new ();
  self->client = stok_token_client_new ();

  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_swapped (self, "notify::busy", G_CALLBACK (_stok_window_update_actions), self);
  g_signal_connect_swapped (self, "notify::busy-shown", G_CALLBACK (_stok_window_update_actions), self);
  g_signal_connect_swapped (self, "notify::mint", G_CALLBACK (_stok_window_update_actions), self);
  g_signal_connect_swapped (self, "notify::server", G_CALLBACK (_stok_window_update_actions), self);
  g_signal_connect_swapped (self, "notify::session-starting", G_CALLBACK (_stok_window_update_actions), self);

  self->focus_keeper = stok_focus_keeper_new (refocus_cb, self);
  g_signal_connect_swapped (self->focus_keeper, "notify::last-focus", G_CALLBACK (last_focus_cb), self);
  stok_focus_keeper_set_root (self->focus_keeper, GTK_ROOT (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

StokWindow *
stok_window_new (StokApplication *application,
                 const char      *server)
{
  g_return_val_if_fail (STOK_IS_APPLICATION (application), NULL);

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
  stok_token_panel_set_clock (self->token_panel, clock);
  _stok_window_update_countdown (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

/**
 * stok_window_get_busy:
 * @self: a #StokWindow
 *
 * Returns: whether a request is out
 */
gboolean
stok_window_get_busy (StokWindow *self)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), FALSE);

  return _stok_window_is_busy (self);
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

  return self->mint != NULL ? stok_mint_get_token (self->mint) : NULL;
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

/**
 * stok_window_get_key_source:
 * @self: a #StokWindow
 *
 * Returns: (transfer none): where the window's API key comes from
 */
StokKeySource *
stok_window_get_key_source (StokWindow *self)
{
  g_return_val_if_fail (STOK_IS_WINDOW (self), NULL);

  return self->key_source;
}

