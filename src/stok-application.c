/* stok-application.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "stok-application"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-application.h"
#include "stok-params.h"
#include "stok-window.h"

struct _StokApplication
{
  AdwApplication parent_instance;

  char *server;
  StokKeySource *key_source;
};

G_DEFINE_FINAL_TYPE (StokApplication, stok_application, ADW_TYPE_APPLICATION)

StokApplication *
stok_application_new (void)
{
  return g_object_new (STOK_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/streamingtoken/StreamingToken",
                       NULL);
}

/**
 * stok_application_get_server:
 * @self: a #StokApplication
 *
 * Returns: (nullable): the server given with --server, which wins over the
 *   one chosen in the preferences
 */
const char *
stok_application_get_server (StokApplication *self)
{
  g_return_val_if_fail (STOK_IS_APPLICATION (self), NULL);

  return self->server;
}

/**
 * stok_application_get_key_source:
 * @self: a #StokApplication
 *
 * Returns: (transfer none): the API key of every window: the one typed in
 *   any of them, else the environment's or the keyring's
 */
StokKeySource *
stok_application_get_key_source (StokApplication *self)
{
  g_return_val_if_fail (STOK_IS_APPLICATION (self), NULL);

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

  return self->key_source;
}

static void
stok_application_finalize (GObject *object)
{
  StokApplication *self = (StokApplication *)object;

  g_clear_object (&self->key_source);
  g_clear_pointer (&self->server, g_free);

  G_OBJECT_CLASS (stok_application_parent_class)->finalize (object);
}

/* The window the user last used, not the inspector or the preferences. */
static StokWindow *
find_main_window (StokApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (STOK_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static void
stok_application_activate (GApplication *app)
{
  StokApplication *self = STOK_APPLICATION (app);
  GtkWindow *window;

  window = GTK_WINDOW (find_main_window (self));
  if (window == NULL)
    window = GTK_WINDOW (stok_window_new (self, self->server));

  gtk_window_present (window);
}

/* Audio files to stream: the first in @window, else in the window last
 * used, each further one in a window of its own, since a window streams
 * one source at a time. A window mid-session keeps its source: the file
 * gets a new window. */
static void
open_files (StokApplication  *self,
            GFile           **files,
            int               n_files,
            StokWindow       *window)
{
  if (window == NULL)
    window = find_main_window (self);

  for (int i = 0; i < n_files; i++)
    {
      if (window == NULL || i > 0)
        window = stok_window_new (self, self->server);

      if (!stok_window_open_audio_file (window, files[i]))
        {
          window = stok_window_new (self, self->server);
          stok_window_open_audio_file (window, files[i]);
        }
      gtk_window_present (GTK_WINDOW (window));
    }
}

/* "Open With" in Files, through D-Bus: the desktop file is
 * DBusActivatable. */
static void
stok_application_open (GApplication  *app,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  open_files (STOK_APPLICATION (app), files, n_files, NULL);
}

static int
stok_application_command_line (GApplication            *app,
                               GApplicationCommandLine *command_line)
{
  StokApplication *self = STOK_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) arguments = NULL;
  StokWindow *window = NULL;
  const char *server = NULL;
  gboolean after_dashes = FALSE;
  int argc;

  /* The files are the command line's, relative to its own directory:
   * a second `streaming-token FILE` runs elsewhere than the first. */
  arguments = g_application_command_line_get_arguments (command_line, &argc);
  for (int i = 1; i < argc; i++)
    {
      /* GOption leaves the "--" before names that start with a dash. */
      if (g_str_equal (arguments[i], "--") && !after_dashes)
        {
          after_dashes = TRUE;
          continue;
        }

      /* Checked before any window opens, as the launcher checks the
       * rest (stok_cli_wants_command_line()). */
      if (g_str_equal (arguments[i], "-"))
        {
          g_application_command_line_printerr (command_line, "streaming-token: %s\n",
                                               _("The window cannot stream standard input: give it an audio file."));
          return 2;
        }
      g_ptr_array_add (files, g_application_command_line_create_file_for_arg (command_line, arguments[i]));
    }

  if (g_variant_dict_lookup (options, "server", "&s", &server))
    {
      g_autoptr(GUri) uri = NULL;
      g_autoptr(GError) error = NULL;

      uri = stok_params_parse_server (server, &error);
      if (uri == NULL)
        {
          g_application_command_line_printerr (command_line, "streaming-token: %s\n", error->message);
          return 2;
        }

      g_free (self->server);
      self->server = stok_params_server_to_string (uri);

      /* A window for another server is a new window, so that two servers
       * can be compared side by side. */
      window = stok_window_new (self, self->server);
      gtk_window_present (GTK_WINDOW (window));
    }

  if (files->len > 0)
    open_files (self, (GFile **) files->pdata, (int) files->len, window);
  else if (window == NULL)
    g_application_activate (app);

  return 0;
}

static void
stok_application_quit_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  GList *windows;

  g_assert (STOK_IS_APPLICATION (user_data));

  /* Each window closed ends its session with Terminate and holds the
   * application until the session has ended, a second at most: a session
   * is billed while its socket is open. The application quits when the
   * last window and the last session are gone; quitting at once would
   * drop the sockets without their Terminate. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (user_data))) != NULL)
    gtk_window_destroy (windows->data);
}

static void
stok_application_about_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  static const char *developers[] = { "The Streaming Token developers", NULL };
  GtkApplication *app = user_data;

  g_assert (STOK_IS_APPLICATION (app));

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Streaming Token"),
                         "application-icon", APPLICATION_ID,
                         "developer-name", "The Streaming Token developers",
                         "version", PACKAGE_VERSION,
                         "website", PACKAGE_WEBSITE,
                         "issue-url", PACKAGE_BUGREPORT,
                         "developers", developers,
                         "copyright", "© 2026 The Streaming Token developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: replace with your names, one a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", stok_application_quit_action },
  { "about", stok_application_about_action },
};

static void
stok_application_startup (GApplication *app)
{
  GtkApplication *gtk_app = GTK_APPLICATION (app);

  G_APPLICATION_CLASS (stok_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);

  gtk_application_set_accels_for_action (gtk_app, "app.quit", (const char *[]) { "<primary>q", NULL });
  gtk_application_set_accels_for_action (gtk_app, "window.close", (const char *[]) { "<primary>w", NULL });
}

static void
stok_application_shutdown (GApplication *app)
{
  GList *windows;

  /* GtkApplication leaves its windows alive when it quits. Closing them
   * is what cancels a request or a verify still in flight: otherwise a
   * session opened by Verify would be left without its close, and an
   * answer could still call back into a window of an application that
   * is gone. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);

  G_APPLICATION_CLASS (stok_application_parent_class)->shutdown (app);
}

static void
stok_application_class_init (StokApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = stok_application_finalize;

  app_class->activate = stok_application_activate;
  app_class->open = stok_application_open;
  app_class->command_line = stok_application_command_line;
  app_class->startup = stok_application_startup;
  app_class->shutdown = stok_application_shutdown;
}

static void
stok_application_init (StokApplication *self)
{
  static const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Token server (default https://streaming.assemblyai.com; plain http only to loopback)"), N_("URL") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}
