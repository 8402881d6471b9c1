/* test-keyring-faults.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* When the keyring fails, the key still works: the window mints tokens
 * with the key typed for the session and says why it could not keep it;
 * the command line uses ASSEMBLYAI_API_KEY, or exits 2 saying why there
 * is no key. Three faults, each on a private bus of its own:
 *
 *  - no Secret Service at all;
 *  - a real gnome-keyring whose login collection is locked, with no
 *    prompter on the bus to ask for its password;
 *  - a Secret Service that answers every call with a failure.
 *
 * Each case runs in a subprocess: libsecret keeps one connection to the
 * Secret Service per process. test-cli.c already covers the command line
 * with no Secret Service. */

#include "config.h"

#include <adwaita.h>
#include <libsecret/secret.h>
#include <string.h>

#include "stok-error.h"
#include "stok-fake-server.h"
#include "stok-key-store.h"
#include "stok-test-cli.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

#define SECRETS_NAME "org.freedesktop.secrets"
#define STORED_KEY "sk-stored-in-the-locked-keyring"
#define TYPED_KEY "sk-typed-for-this-session"
#define ENV_KEY "sk-from-the-environment"
#define STORE_FAILURE "Could not write the keyring: No space left on device"
#define HELP_HINT "Try “streaming-token --help” for more information.\n"

typedef enum
{
  FAULT_NO_SERVICE,
  FAULT_LOCKED,
  FAULT_LOCKED_FROM_DISK,
  FAULT_FAILING,
} Fault;

/* Up before GTK, which would otherwise reach the user's own session bus
 * first and keep it for the process; each subprocess has its own. */
static StokTestSession session;

typedef struct
{
  GDBusConnection *failing;
} Faulty;

static void
lock_login_collection (void)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) objects = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_append (NULL, collection);
  secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));
}

/* Replies to every call with the failure a keyring on a full disk gives,
 * from the GDBus worker thread: nothing here waits for the main loop. */
static GDBusMessage *
refuse_method_calls (GDBusConnection *connection,
                     GDBusMessage    *message,
                     gboolean         incoming,
                     gpointer         user_data)
{
  g_autoptr(GDBusMessage) reply = NULL;

  if (!incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    return message;

  reply = g_dbus_message_new_method_error_literal (message, "org.freedesktop.DBus.Error.Failed", STORE_FAILURE);
  g_dbus_connection_send_message (connection, reply, G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
  g_object_unref (message);

  return NULL;
}

static void
start_failing_service (Faulty *faulty)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 result = 0;

  faulty->failing = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (session.bus),
                                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                            NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (faulty->failing, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", SECRETS_NAME, 0), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);
  g_dbus_connection_add_filter (faulty->failing, refuse_method_calls, NULL, NULL);
}

static void
faulty_start (Faulty *faulty,
              Fault   fault)
{
  switch (fault)
    {
    case FAULT_NO_SERVICE:
      break;

    case FAULT_LOCKED:
      /* A key was saved while the keyring was open. */
      stok_test_session_start_keyring (&session);
      stok_test_save_key (STORED_KEY);
      lock_login_collection ();
      /* What the app does next, it does on a connection of its own. */
      secret_service_disconnect ();
      break;

    case FAULT_LOCKED_FROM_DISK:
      /* Saved in an earlier session, whose login unlocked the keyring;
       * this one's did not. gnome-keyring then matches a locked item on
       * fewer of its attributes. */
      stok_test_session_start_keyring (&session);
      stok_test_save_key (STORED_KEY);
      stok_test_session_restart_keyring_locked (&session);
      break;

    case FAULT_FAILING:
      start_failing_service (faulty);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
faulty_stop (Faulty *faulty)
{
  if (faulty->failing != NULL)
    {
      g_dbus_connection_close_sync (faulty->failing, NULL, NULL);
      g_clear_object (&faulty->failing);
    }
}

/* The window */

typedef struct
{
  StokWindow *window;
  const char *status_part;
} Waiting;

static gboolean
key_status_has (gpointer data)
{
  Waiting *waiting = data;

  return strstr (stok_test_key_status (waiting->window), waiting->status_part) != NULL;
}

static gboolean
has_two_tokens (gpointer data)
{
  return stok_fake_server_get_n_tokens (data) == 2;
}

static void
assert_status_within_limit (StokWindow *window,
                            const char *status_part)
{
  Waiting waiting = { window, status_part };
  gint64 start = g_get_monotonic_time ();

  g_assert_true (stok_test_wait_until (key_status_has, &waiting, (STOK_KEY_STORE_DEFAULT_TIMEOUT + 5) * 1000));
  g_test_message ("after %.1f s: %s", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  stok_test_key_status (window));
}

static void
window_case (Fault       fault,
             const char *reason)
{
  Faulty faulty = { 0 };
  StokTestWindowFixture fixture = { 0 };
  StokFakeServer *server;
  StokWindow *window;

  /* The keyring first: the window looks for a key as it opens. */
  faulty_start (&faulty, fault);
  stok_test_window_fixture_set_up (&fixture, NULL);
  server = fixture.server;
  window = fixture.window;
  stok_fake_server_set_api_key (server, TYPED_KEY);

  /* Reading the keyring failed, and the window says so, and why, in
   * sentences, with no D-Bus error names; and, the field empty, that a
   * key typed there works. */
  assert_status_within_limit (window, "The keyring could not be read");
  g_assert_nonnull (strstr (stok_test_key_status (window), reason));
  g_assert_nonnull (strstr (stok_test_key_status (window), ". A key typed here works until the app quits."));
  g_assert_null (strstr (stok_test_key_status (window), "freedesktop"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (window, "key_group/key_row"))), ==, "");

  /* The key typed works for the session. */
  stok_test_set_key (window, TYPED_KEY);
  g_assert_true (gtk_widget_is_sensitive (stok_test_child (window, "generate_button")));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 30000));
  g_assert_cmpstr (stok_fake_server_get_last_request_header (server, "Authorization"), ==, TYPED_KEY);

  /* Saving fails, quickly, and the window says why. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-key", NULL);
  assert_status_within_limit (window, "The key could not be saved");
  g_assert_nonnull (strstr (stok_test_key_status (window), reason));
  g_assert_nonnull (strstr (stok_test_key_status (window), ". The key still works until the app quits."));

  /* And it still works, with nothing lost. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (stok_test_child (window, "key_group/key_row"))), ==, TYPED_KEY);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (has_two_tokens, server, 30000));
  g_assert_false (gtk_widget_get_visible (stok_test_child (window, "error_card")));

  /* The field emptied, the row no longer speaks of a key in it. */
  stok_test_set_key (window, "");
  g_assert_nonnull (strstr (stok_test_key_status (window), ". A key typed here works until the app quits."));
  g_assert_null (strstr (stok_test_key_status (window), "The key still works"));

  stok_test_window_fixture_tear_down (&fixture, NULL);
  faulty_stop (&faulty);
}

static void
test_window_no_service_child (void)
{
  window_case (FAULT_NO_SERVICE, "No keyring could be reached: no Secret Service");
}

static void
test_window_locked_child (void)
{
  window_case (FAULT_LOCKED, "The keyring is locked: unlock it");
}

static void
test_window_failing_child (void)
{
  window_case (FAULT_FAILING, STORE_FAILURE);
}

/* The command line */

static void
cli_case (Fault       fault,
          const char *reason)
{
  Faulty faulty = { 0 };
  g_autoptr(StokFakeServer) server = stok_fake_server_new_listening ();
  g_autoptr(StokCliRun) without = NULL;
  g_autoptr(StokCliRun) with = NULL;
  g_autofree char *server_arg = NULL;
  g_auto(GStrv) env_without = NULL;
  g_auto(GStrv) env_with = NULL;
  g_autofree char *expected = NULL;

  faulty_start (&faulty, fault);
  server_arg = g_strconcat ("--server=", stok_fake_server_get_url (server), NULL);

  /* No key in the environment: the keyring's fault, in one line, then
   * the hint of every usage error, and exit 2 before anything is sent. */
  env_without = stok_cli_environ (NULL, NULL);
  without = stok_cli_run ((const char * const []) { "--print-token", server_arg, NULL }, env_without);
  g_assert_cmpint (without->status, ==, 2);
  g_assert_cmpstr (without->out, ==, "");
  g_assert_true (g_str_has_suffix (without->err, HELP_HINT));
  g_assert_cmpint (strchr (without->err, '\n') + 1 - without->err, ==, strlen (without->err) - strlen (HELP_HINT));
  g_assert_true (g_str_has_prefix (without->err, "streaming-token: No API key: set ASSEMBLYAI_API_KEY"));
  g_assert_nonnull (strstr (without->err, reason));
  g_assert_null (strstr (without->err, STORED_KEY));
  g_assert_cmpint (without->elapsed_us, <, STOK_KEY_STORE_DEFAULT_TIMEOUT * G_USEC_PER_SEC);
  g_assert_cmpuint (stok_fake_server_get_request_count (server), ==, 0);

  /* With one, the keyring is not needed at all. */
  env_with = stok_cli_environ (ENV_KEY, NULL);
  with = stok_cli_run ((const char * const []) { "--print-token", server_arg, NULL }, env_with);
  g_assert_cmpint (with->status, ==, 0);
  expected = g_strconcat (stok_fake_server_get_last_token (server), "\n", NULL);
  g_assert_cmpstr (with->out, ==, expected);
  g_assert_cmpstr (with->err, ==, "");
  g_assert_cmpstr (stok_fake_server_get_last_request_header (server, "Authorization"), ==, ENV_KEY);

  g_assert_finalize_object (g_steal_pointer (&server));
  faulty_stop (&faulty);
}

static void
test_cli_locked_child (void)
{
  cli_case (FAULT_LOCKED, "The keyring is locked: unlock it");
}

static void
test_cli_failing_child (void)
{
  cli_case (FAULT_FAILING, STORE_FAILURE);
}

static void
store_locked_case (Fault fault)
{
  Faulty faulty = { 0 };
  g_autoptr(StokKeyStore) store = NULL;
  g_autoptr(GAsyncResult) lookup = NULL;
  g_autoptr(GAsyncResult) save = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  faulty_start (&faulty, fault);
  store = stok_key_store_new ();

  /* A key that is there but locked away is not "no key". */
  stok_key_store_lookup_async (store, NULL, stok_test_result_cb, &lookup);
  while (lookup == NULL)
    g_main_context_iteration (NULL, TRUE);
  key = stok_key_store_lookup_finish (store, lookup, &error);
  g_assert_null (key);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_KEYRING_FAILED);
  g_clear_error (&error);

  stok_key_store_store_async (store, TYPED_KEY, NULL, stok_test_result_cb, &save);
  while (save == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (stok_key_store_store_finish (store, save, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_KEYRING_FAILED);

  g_clear_object (&lookup);
  g_clear_object (&save);
  g_assert_finalize_object (g_steal_pointer (&store));
  faulty_stop (&faulty);
}

static void
test_store_failing_child (void)
{
  Faulty faulty = { 0 };
  g_autoptr(StokKeyStore) store = NULL;
  g_autoptr(GAsyncResult) save = NULL;
  g_autoptr(GError) error = NULL;

  faulty_start (&faulty, FAULT_FAILING);
  store = stok_key_store_new ();

  /* A service that answered, with a refusal: not "unavailable". */
  stok_key_store_store_async (store, TYPED_KEY, NULL, stok_test_result_cb, &save);
  while (save == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (stok_key_store_store_finish (store, save, &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_KEYRING_FAILED);
  g_assert_nonnull (strstr (error->message, STORE_FAILURE));

  g_clear_object (&save);
  g_assert_finalize_object (g_steal_pointer (&store));
  faulty_stop (&faulty);
}

static void
test_store_locked_child (void)
{
  store_locked_case (FAULT_LOCKED);
}

static void
test_store_locked_from_disk_child (void)
{
  store_locked_case (FAULT_LOCKED_FROM_DISK);
}

static void
run_in_subprocess (gconstpointer data)
{
  const char *path = data;
  g_autofree char *child = g_strconcat (path, "/subprocess", NULL);
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (strstr (path, "locked") != NULL && daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  g_test_trap_subprocess (child, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
add_case (const char *path,
          GTestFunc   child)
{
  g_autofree char *child_path = g_strconcat (path, "/subprocess", NULL);

  g_test_add_data_func (path, path, run_in_subprocess);
  g_test_add_func (child_path, child);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

  add_case ("/keyring-faults/store/locked", test_store_locked_child);
  add_case ("/keyring-faults/store/locked-from-disk", test_store_locked_from_disk_child);
  add_case ("/keyring-faults/store/failing", test_store_failing_child);
  add_case ("/keyring-faults/cli/locked", test_cli_locked_child);
  add_case ("/keyring-faults/cli/failing", test_cli_failing_child);
  add_case ("/keyring-faults/window/no-secret-service", test_window_no_service_child);
  add_case ("/keyring-faults/window/locked", test_window_locked_child);
  add_case ("/keyring-faults/window/failing", test_window_failing_child);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
