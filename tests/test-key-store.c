/* test-key-store.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The API key in a real gnome-keyring-daemon, on a private D-Bus session
 * bus with its files in a throw-away HOME, so that nothing of the user's
 * own keyring is read or written. Each case runs in a subprocess of its
 * own: libsecret keeps one connection to the Secret Service per process,
 * and the cases need different buses. */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "stok-error.h"
#include "stok-key-store.h"
#include "stok-test-session.h"
#include "stok-test-util.h"

#define SECRETS_NAME "org.freedesktop.secrets"

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static char *
lookup (StokKeyStore  *store,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_key_store_lookup_async (store, NULL, stok_test_result_cb, &result);
  return stok_key_store_lookup_finish (store, wait_for (&result), error);
}

static gboolean
store_key (StokKeyStore  *store,
           const char    *key,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_key_store_store_async (store, key, NULL, stok_test_result_cb, &result);
  return stok_key_store_store_finish (store, wait_for (&result), error);
}

static gboolean
clear_key (StokKeyStore  *store,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_key_store_clear_async (store, NULL, stok_test_result_cb, &result);
  return stok_key_store_clear_finish (store, wait_for (&result), error);
}

static guint
count_items (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;
  guint n;

  secret_password_search (stok_key_store_get_schema (), SECRET_SEARCH_ALL, NULL, stok_test_result_cb, &result,
                          "provider", "assemblyai", NULL);
  items = secret_password_search_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

static char *
lookup_as_secret_tool (void)
{
  static const SecretSchema any_schema = {
    "org.freedesktop.Secret.Generic", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  /* What `secret-tool lookup provider assemblyai` does. */
  secret_password_lookup (&any_schema, NULL, stok_test_result_cb, &result, "provider", "assemblyai", NULL);
  secret = secret_password_lookup_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  copy = g_strdup (secret);
  secret_password_free (secret);

  return copy;
}

static void
test_keyring_child (void)
{
  StokTestSession session = { 0 };
  g_autoptr(StokKeyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *as_secret_tool = NULL;
  g_autofree char *cleared = NULL;

  stok_test_session_start (&session);
  stok_test_session_start_keyring (&session);

  store = stok_key_store_new ();

  /* A fresh keyring has no key: not an error, just nothing. */
  empty = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_null (empty);

  g_assert_true (store_key (store, "sk-first-0123", &error));
  g_assert_no_error (error);
  first = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "sk-first-0123");

  /* Saving again replaces the key; it does not pile up copies. */
  g_assert_true (store_key (store, "sk-second-4567", &error));
  g_assert_no_error (error);
  second = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==, "sk-second-4567");
  g_assert_cmpuint (count_items (), ==, 1);

  /* Where the user can find it from a terminal. */
  as_secret_tool = lookup_as_secret_tool ();
  g_assert_cmpstr (as_secret_tool, ==, "sk-second-4567");

  g_assert_true (clear_key (store, &error));
  g_assert_no_error (error);
  cleared = lookup (store, &error);
  g_assert_no_error (error);
  g_assert_null (cleared);
  g_assert_cmpuint (count_items (), ==, 0);

  /* Forgetting a key that is not there is fine too. */
  g_assert_true (clear_key (store, &error));
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&store));
  stok_test_session_stop (&session);
}

static void
test_no_service_child (void)
{
  StokTestSession session = { 0 };
  g_autoptr(StokKeyStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 start;

  stok_test_session_start (&session);
  store = stok_key_store_new ();

  /* No Secret Service on the bus: the window must say so at once, not
   * after the store's own time limit. */
  start = g_get_monotonic_time ();
  key = lookup (store, &error);
  g_assert_null (key);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpint (g_get_monotonic_time () - start, <, (STOK_KEY_STORE_DEFAULT_TIMEOUT / 2) * G_USEC_PER_SEC);
  g_clear_error (&error);

  g_assert_false (store_key (store, "sk-nowhere", &error));
  g_assert_error (error, STOK_ERROR, STOK_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_finalize_object (g_steal_pointer (&store));
  stok_test_session_stop (&session);
}

static GDBusMessage *
drop_method_calls (GDBusConnection *connection,
                   GDBusMessage    *message,
                   gboolean         incoming,
                   gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }

  return message;
}

static void
test_unresponsive_child (void)
{
  StokTestSession session = { 0 };
  g_autoptr(GDBusConnection) silent = NULL;
  g_autoptr(StokKeyStore) store = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 start;
  guint32 result = 0;

  stok_test_session_start (&session);

  /* A Secret Service that owns its name but never answers, as a locked
   * keyring with no one to ask for its password behaves. */
  silent = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (session.bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (silent, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", SECRETS_NAME, 0), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);
  g_dbus_connection_add_filter (silent, drop_method_calls, NULL, NULL);

  store = stok_key_store_new ();
  stok_key_store_set_timeout (store, 1);

  start = g_get_monotonic_time ();
  key = lookup (store, &error);
  g_assert_null (key);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_KEYRING_UNAVAILABLE);
  /* The store's limit of a second, not D-Bus's 25 s; and it did wait, so
   * the answer came from the limit, not from some quick error. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC / 2);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);

  g_assert_finalize_object (g_steal_pointer (&store));
  g_dbus_connection_close_sync (silent, NULL, NULL);
  g_clear_object (&silent);
  stok_test_session_stop (&session);
}

static void
run_in_subprocess (const char *path)
{
  g_autofree char *child = g_strconcat (path, "/subprocess", NULL);

  g_test_trap_subprocess (child, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_keyring (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");

  if (daemon == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  run_in_subprocess ("/key-store/keyring");
}

static void
test_no_service (void)
{
  run_in_subprocess ("/key-store/no-secret-service");
}

static void
test_unresponsive (void)
{
  run_in_subprocess ("/key-store/unresponsive");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key-store/keyring", test_keyring);
  g_test_add_func ("/key-store/keyring/subprocess", test_keyring_child);
  g_test_add_func ("/key-store/no-secret-service", test_no_service);
  g_test_add_func ("/key-store/no-secret-service/subprocess", test_no_service_child);
  g_test_add_func ("/key-store/unresponsive", test_unresponsive);
  g_test_add_func ("/key-store/unresponsive/subprocess", test_unresponsive_child);

  return g_test_run ();
}
