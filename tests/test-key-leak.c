/* test-key-leak.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The API key must go to the token server and to the keyring, and nowhere
 * else. With every debug message on (G_MESSAGES_DEBUG=all; the app has no
 * other debug switch, and Debian's GTK honours only GTK_DEBUG's
 * interactive and invert-text-dir, of which the second is set), the
 * command line and the window go through a full exchange, a refusal and
 * more, and then the key must appear in none of:
 *
 *  - stdout and stderr of the command line and of the window's process;
 *  - the command line of either process, read from /proc while it runs;
 *  - GSettings, every key of the app's schema, and its keyfile on disk;
 *  - any file under the test's HOME, XDG directories and TMPDIR, all of
 *    them in one fresh directory, except the keyring's own store;
 *  - the window's widgets (the key row aside), the Inspector's, the
 *    error's, and the clipboard after every Copy as format.
 *
 * The window runs in a subprocess so that its real stdout and stderr can
 * be searched. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <string.h>

#include "stok-exchange.h"
#include "stok-fake-server.h"
#include "stok-inspector.h"
#include "stok-key-store.h"
#include "stok-test-cli.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

#define KEY "sk-LEAK-CANARY-7f3a9"
#define ECHOED_KEY_ERROR "{\"error\": \"Invalid API key: " KEY "\"}"
#define ROOT_ENV "STOK_LEAK_ROOT"

/* The parent's private bus and keyring, which the window's subprocess
 * shares. */
static StokTestSession session;

static char *
root_path (const char *part)
{
  return g_build_filename (g_getenv (ROOT_ENV), part, NULL);
}

/* Scanning */

static gboolean
holds_key (const char *data,
           gsize       length)
{
  gsize key_length = strlen (KEY);

  for (gsize i = 0; i + key_length <= length; i++)
    if (memcmp (data + i, KEY, key_length) == 0)
      return TRUE;

  return FALSE;
}

static void
scan_dir (const char *path,
          const char *skip,
          GPtrArray  *found,
          guint      *n_files)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (strstr (name, KEY) != NULL)
        g_ptr_array_add (found, g_strdup (child));

      if (g_strcmp0 (child, skip) == 0 || g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          scan_dir (child, skip, found, n_files);
        }
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR) &&
               g_file_get_contents (child, &contents, &length, NULL))
        {
          (*n_files)++;
          if (holds_key (contents, length))
            g_ptr_array_add (found, g_strdup (child));
        }
    }
}

/* Every file under the test's HOME, XDG directories and TMPDIR that holds
 * the key, but for the keyring's own (encrypted) store. */
static GPtrArray *
find_key_in_files (guint *n_files)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *keyrings = root_path ("data/keyrings");

  *n_files = 0;
  scan_dir (g_getenv (ROOT_ENV), keyrings, found, n_files);

  return g_steal_pointer (&found);
}

static void
assert_no_key_in_files (void)
{
  g_autoptr(GPtrArray) found = NULL;
  guint n_files = 0;

  found = find_key_in_files (&n_files);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("the key is in %s", (const char *) found->pdata[i]);
  g_assert_cmpuint (found->len, ==, 0);
  g_test_message ("%u files scanned", n_files);
}

static void
assert_no_key_in_cmdline (const char *pid)
{
  g_autofree char *path = g_build_filename ("/proc", pid, "cmdline", NULL);
  g_autofree char *cmdline = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &cmdline, &length, NULL));
  /* Read while the process still ran: a finished one has none. */
  g_assert_cmpuint (length, >, 0);
  g_assert_false (holds_key (cmdline, length));
}

static void
test_scanner (void)
{
  g_autofree char *planted = root_path ("cache/planted");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  guint n_files = 0;

  /* The search below must be able to fail: a key left in a file is found. */
  g_file_set_contents (planted, "prefix " KEY " suffix", -1, &error);
  g_assert_no_error (error);
  found = find_key_in_files (&n_files);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (found->pdata[0], ==, planted);
  g_unlink (planted);

  assert_no_key_in_files ();
}

/* The command line */

static gboolean
has_debug_output (StokCliRun *run)
{
  return strstr (run->out, "stok-token-client-DEBUG") != NULL ||
         strstr (run->err, "stok-token-client-DEBUG") != NULL;
}

static StokCliRun *
run_cli (StokFakeServer     *server,
         const char * const *args,
         const char         *api_key)
{
  g_auto(GStrv) env = stok_cli_environ (api_key, NULL);
  StokCliRun *run;

  env = g_environ_setenv (env, "G_MESSAGES_DEBUG", "all", TRUE);
  run = stok_cli_run_start (args, env);
  /* The server holds its answer back, so the process is still there. */
  assert_no_key_in_cmdline (run->pid);
  stok_cli_run_wait (run);

  g_assert_null (strstr (run->out, KEY));
  g_assert_null (strstr (run->err, KEY));

  return run;
}

static void
test_cli (void)
{
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(GError) error = NULL;
  g_autofree char *server_arg = NULL;
  const char *print[] = { "--print-token", NULL, NULL };
  const char *json[] = { "--print-token", "--json", "-e", "120", NULL, NULL };
  const char *verify[] = { "--verify", NULL, NULL };
  const struct {
    const char **args;
    const char *key;
    int status;
  } runs[] = {
    { print, KEY, 0 },
    { json, KEY, 0 },
    /* From the keyring this time. */
    { print, NULL, 0 },
    /* Redeemed on the fake server's streaming endpoint. */
    { verify, KEY, 0 },
    /* A key the server rejects, and which must not show either. */
    { print, KEY "-wrong", 1 },
  };
  guint n_debug = 0;

  stok_fake_server_set_delay (server, 300);
  server_arg = g_strconcat ("--server=", stok_fake_server_get_url (server), NULL);
  print[1] = server_arg;
  json[4] = server_arg;
  verify[1] = server_arg;

  stok_test_save_key (KEY);
  stok_fake_server_set_api_key (server, KEY);

  for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      g_autoptr(StokCliRun) run = run_cli (server, runs[i].args, runs[i].key);

      g_assert_cmpint (run->status, ==, runs[i].status);
      n_debug += has_debug_output (run);
    }
  g_assert_cmpstr (stok_fake_server_get_last_request_header (server, "Authorization"), ==, KEY "-wrong");

  /* Refusals of other kinds. */
  stok_fake_server_set_reply (server, 429, "application/json", "{\"error\": \"Too many requests\"}", -1);
  stok_fake_server_set_extra_header (server, "Retry-After", "7");
  {
    g_autoptr(StokCliRun) run = run_cli (server, print, KEY);

    g_assert_cmpint (run->status, ==, 1);
    n_debug += has_debug_output (run);
  }
  stok_fake_server_set_canned_reply (server, STOK_FAKE_REPLY_GATEWAY_HTML);
  {
    g_autoptr(StokCliRun) run = run_cli (server, print, KEY);

    g_assert_cmpint (run->status, ==, 1);
    n_debug += has_debug_output (run);
  }
  /* A server that echoes the key it was sent: its words are printed,
   * masked. */
  stok_fake_server_set_reply (server, 401, "application/json", ECHOED_KEY_ERROR, -1);
  {
    g_autoptr(StokCliRun) run = run_cli (server, print, KEY);

    g_assert_cmpint (run->status, ==, 1);
    g_assert_nonnull (strstr (run->err, "Invalid API key: " STOK_MASKED_KEY));
    n_debug += has_debug_output (run);
  }

  /* The debug output was there to search, or the search proved nothing. */
  g_assert_cmpuint (n_debug, ==, G_N_ELEMENTS (runs) + 3);

  assert_no_key_in_files ();
  g_assert_finalize_object (g_steal_pointer (&server));
}

/* The window, in its own process */

static void
collect_text (GtkWidget *widget,
              GtkWidget *skip,
              GString   *text)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  /* The key row shows the key, by design, behind dots. */
  if (widget == skip)
    return;

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  if (GTK_IS_INSCRIPTION (widget))
    g_string_append_printf (text, "%s\n", gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (text, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *contents = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      contents = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_string_append_printf (text, "%s\n", contents);
    }
  if (GTK_IS_WINDOW (widget) && gtk_window_get_title (GTK_WINDOW (widget)) != NULL)
    g_string_append_printf (text, "%s\n", gtk_window_get_title (GTK_WINDOW (widget)));
  if (tooltip != NULL)
    g_string_append_printf (text, "%s\n", tooltip);

  for (GtkWidget *w = gtk_widget_get_first_child (widget); w != NULL; w = gtk_widget_get_next_sibling (w))
    collect_text (w, skip, text);
}

/* All the text every window of the process shows, but the key row's. */
static char *
collect_all_text (StokWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GString *text = g_string_new (NULL);
  GtkWidget *key_row = stok_test_child (window, "key_group/key_row");

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      collect_text (toplevel, key_row, text);
    }

  return g_string_free (text, FALSE);
}

static void
assert_no_key_shown (StokWindow *window)
{
  g_autofree char *text = collect_all_text (window);

  /* Not g_assert_cmpstr: a failure must not print the key either. */
  g_assert_null (strstr (text, KEY));
  g_assert_cmpuint (strlen (text), >, 100);
}

static void
assert_copy_has_no_key (GtkWidget  *widget,
                        const char *action,
                        const char *format)
{
  g_autofree char *text = NULL;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), "");
  gtk_widget_activate_action (widget, action, "s", format);
  text = stok_test_read_clipboard (widget);
  g_test_message ("%s %s: %" G_GSIZE_FORMAT " bytes", action, format, strlen (text));
  g_assert_cmpuint (strlen (text), >, 0);
  g_assert_null (strstr (text, KEY));
}

static gboolean
is_refused (gpointer data)
{
  return stok_test_is_idle (data) && stok_test_has_error (data);
}

static gboolean
is_saved (gpointer data)
{
  return g_strcmp0 (stok_test_key_status (data), "Saved in keyring") == 0;
}

static gboolean
is_verified (gpointer data)
{
  return gtk_widget_get_visible (stok_test_child (data, "token_panel/verification_box")) && stok_test_is_idle (data);
}

static void
assert_no_key_in_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 0);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, TRUE);

      g_assert_null (strstr (printed, KEY));
    }
}

static void
test_window_child (void)
{
  StokTestWindowFixture fixture = { 0 };
  StokFakeServer *server;
  g_autoptr(GError) error = NULL;
  GtkWindow *inspector;
  GtkWindow *dialog;
  StokWindow *window;
  const char *formats[] = { "token", "websocket-url", "curl", "json" };
  const char *sections[] = { "request", "response", "body" };

  assert_no_key_in_cmdline ("self");

  stok_test_window_fixture_set_up (&fixture, NULL);
  server = fixture.server;
  window = fixture.window;
  stok_fake_server_set_api_key (server, KEY);

  /* Typed, minted with, saved. */
  stok_test_set_key (window, KEY);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 30000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-key", NULL);
  g_assert_true (stok_test_wait_until (is_saved, window, 30000));

  /* Every format the user can copy, and the Inspector's sections. */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    assert_copy_has_no_key (GTK_WIDGET (window), "win.copy-as", formats[i]);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.inspector", NULL);
  inspector = stok_test_find_toplevel (NULL, STOK_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    assert_copy_has_no_key (GTK_WIDGET (inspector), "inspector.copy-section", sections[i]);
  assert_no_key_shown (window);

  /* Verify: a session opens on the fake streaming endpoint and ends. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL);
  dialog = stok_test_find_toplevel (NULL, ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "verify");
  g_assert_true (stok_test_wait_until (is_verified, window, 30000));
  assert_no_key_shown (window);

  /* Refused: the error, with the Inspector open on it. */
  stok_fake_server_set_api_key (server, "sk-some-other-key");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, window, 30000));
  assert_no_key_shown (window);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    assert_copy_has_no_key (GTK_WIDGET (inspector), "inspector.copy-section", sections[i]);

  /* Refused by a server that echoes the key, in its words and in a
   * header: the error and the Inspector show them masked. */
  stok_fake_server_set_api_key (server, KEY);
  stok_fake_server_set_reply (server, 401, "application/json", ECHOED_KEY_ERROR, -1);
  stok_fake_server_set_extra_header (server, "X-Echo", KEY);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (is_refused, window, 30000));
  assert_no_key_shown (window);
  {
    g_autofree char *text = collect_all_text (window);

    /* The server's words are there, masked: the search above looked at
     * them. */
    g_assert_nonnull (strstr (text, "Invalid API key: " STOK_MASKED_KEY));
  }
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    assert_copy_has_no_key (GTK_WIDGET (inspector), "inspector.copy-section", sections[i]);
  stok_fake_server_clear_replies (server);
  stok_fake_server_set_extra_header (server, "X-Echo", NULL);

  /* Slow, then cancelled. */
  stok_fake_server_set_delay (server, 2000);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  stok_test_spin (100);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL);
  g_assert_true (stok_test_is_idle (window));
  assert_no_key_shown (window);

  assert_no_key_in_settings ();
  g_settings_sync ();

  stok_test_window_fixture_tear_down (&fixture, NULL);
  g_settings_sync ();
}

static void
test_window (void)
{
  g_autofree char *keyring = root_path ("data/keyrings");
  g_autofree char *settings = root_path ("config/glib-2.0/settings/keyfile");

  /* The subprocess turns every debug message on for itself (see main()). */
  g_test_trap_subprocess ("/key-leak/window/subprocess", 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);

  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout_unmatched ("*" KEY "*");
  g_test_trap_assert_stderr_unmatched ("*" KEY "*");
  /* The debug output was there to search. */
  g_test_trap_assert_stdout ("*stok-token-client-DEBUG*");

  /* The key went to the keyring, the one place a file may hold it, and
   * the settings were written where the search looks. */
  g_assert_true (g_file_test (keyring, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (settings, G_FILE_TEST_IS_REGULAR));
  assert_no_key_in_files ();
}

/* Set up */

/* HOME, every XDG directory and TMPDIR in one new directory, set before
 * anything reads them: GLib keeps the first values it sees. */
static void
set_up_root (void)
{
  static const struct {
    const char *variable;
    const char *dir;
  } dirs[] = {
    { "HOME", "home" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
    { "TMPDIR", "tmp" },
  };
  const char *tmp = g_getenv ("TMPDIR");
  g_autofree char *root = g_build_filename (tmp != NULL ? tmp : "/tmp", "stok-key-leak-XXXXXX", NULL);

  /* Not g_dir_make_tmp(), which would fix GLib's idea of TMPDIR. */
  g_assert_nonnull (g_mkdtemp (root));
  g_setenv (ROOT_ENV, root, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (root, dirs[i].dir, NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (dirs[i].variable, path, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* The window's subprocess finds the directories, the bus and the
   * keyring of its parent in its environment. */
  gboolean is_child = g_getenv (ROOT_ENV) != NULL;
  g_autofree char *display = NULL;
  g_autofree char *root = NULL;
  int status;

  g_unsetenv ("ASSEMBLYAI_API_KEY");

  if (is_child)
    {
      /* Every debug message on, first thing, as if from the environment;
       * and settings in a keyfile under the test's XDG_CONFIG_HOME, to be
       * searched too. The parent stays quiet: its own debug output would
       * only bury the log. */
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_setenv ("GTK_DEBUG", "invert-text-dir", TRUE);
      g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
      stok_test_window_init (&argc, &argv, NULL, STOK_TEST_WINDOW_NO_KEYRING);
    }
  else
    {
      set_up_root ();
      g_test_init (&argc, &argv, NULL);

      display = g_strdup (g_getenv ("DISPLAY"));
      session.bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (session.bus);
      if (display != NULL)
        g_setenv ("DISPLAY", display, TRUE);
      stok_test_session_start_keyring (&session);
    }

  g_test_add_func ("/key-leak/scanner", test_scanner);
  g_test_add_func ("/key-leak/cli", test_cli);
  g_test_add_func ("/key-leak/window", test_window);
  g_test_add_func ("/key-leak/window/subprocess", test_window_child);

  status = g_test_run ();

  if (!is_child)
    {
      secret_service_disconnect ();
      g_subprocess_send_signal (session.daemon, SIGTERM);
      g_subprocess_wait (session.daemon, NULL, NULL);
      g_clear_object (&session.daemon);
      /* Left to the end of the process, as in stok_test_session_stop(). */
      g_test_dbus_stop (session.bus);

      root = g_strdup (g_getenv (ROOT_ENV));
      stok_test_rm_rf (root);
    }

  return status;
}
