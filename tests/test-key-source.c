/* test-key-source.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where the key comes from, against a real gnome-keyring-daemon on a
 * private D-Bus session bus: the environment first, else the keyring, a
 * typed key over both; saving; forgetting, and Undo putting the key back
 * in the keyring. Each case runs in a subprocess of its own, since
 * libsecret keeps one Secret Service connection per process. */

#include "config.h"

#include "stok-error.h"
#include "stok-key-source.h"
#include "stok-test-session.h"
#include "stok-test-util.h"

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static char *
load (StokKeySource  *source,
      gboolean        keyring_too,
      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  stok_key_source_load_async (source, keyring_too, NULL, stok_test_result_cb, &result);
  return stok_key_source_load_finish (source, wait_for (&result), error);
}

static char *
keyring_key (void)
{
  g_autoptr(StokKeyStore) store = stok_key_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  stok_key_store_lookup_async (store, NULL, stok_test_result_cb, &result);
  key = stok_key_store_lookup_finish (store, wait_for (&result), &error);
  g_assert_no_error (error);

  return key;
}

static void
save (StokKeySource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stok_key_source_save_async (source, NULL, stok_test_result_cb, &result);
  g_assert_true (stok_key_source_save_finish (source, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
forget (StokKeySource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stok_key_source_forget_async (source, NULL, stok_test_result_cb, &result);
  g_assert_true (stok_key_source_forget_finish (source, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
undo_forget (StokKeySource *source)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  stok_key_source_undo_forget_async (source, NULL, stok_test_result_cb, &result);
  g_assert_true (stok_key_source_undo_forget_finish (source, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
test_keyring_child (void)
{
  StokTestSession session = { 0 };
  g_autoptr(StokKeySource) source = NULL;
  g_autoptr(StokKeySource) later = NULL;
  g_autoptr(StokKeySource) blank = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *restored = NULL;

  g_unsetenv (STOK_KEY_ENVIRONMENT_VARIABLE);
  stok_test_session_start (&session);
  stok_test_session_start_keyring (&session);

  /* Nothing anywhere: the command line's "no key" error. */
  source = stok_key_source_new (NULL);
  key = load (source, TRUE, &error);
  g_assert_null (key);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "ASSEMBLYAI_API_KEY"));
  g_clear_error (&error);
  g_assert_cmpint (stok_key_source_get_origin (source), ==, STOK_KEY_ORIGIN_NONE);
  g_assert_null (stok_key_source_get_problem (source));

  /* Set, but to nothing: the keyring is asked all the same, and the
   * error says that the variable is empty, not that it is unset. */
  g_setenv (STOK_KEY_ENVIRONMENT_VARIABLE, " \n", TRUE);
  blank = stok_key_source_new (NULL);
  key = load (blank, FALSE, &error);
  g_assert_null (key);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_NO_KEY);
  g_assert_cmpstr (error->message, ==,
                   "No API key: ASSEMBLYAI_API_KEY is set but empty, and the app’s keyring holds no key either.");
  g_clear_error (&error);
  g_unsetenv (STOK_KEY_ENVIRONMENT_VARIABLE);

  /* A pasted key loses its spaces and line break, and is not saved. */
  stok_key_source_set_key (source, "  sk-typed-0123 \r\n");
  g_assert_cmpstr (stok_key_source_get_key (source), ==, "sk-typed-0123");
  g_assert_cmpint (stok_key_source_get_origin (source), ==, STOK_KEY_ORIGIN_TYPED);
  g_assert_false (stok_key_source_get_saved (source));

  save (source);
  g_assert_true (stok_key_source_get_saved (source));
  g_assert_cmpint (stok_key_source_get_origin (source), ==, STOK_KEY_ORIGIN_KEYRING);
  stored = keyring_key ();
  g_assert_cmpstr (stored, ==, "sk-typed-0123");

  /* The next start finds it. */
  later = stok_key_source_new (NULL);
  g_clear_pointer (&key, g_free);
  key = load (later, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-typed-0123");
  g_assert_true (stok_key_source_get_saved (later));

  /* Forget takes it out of the keyring at once; Undo puts it back. */
  forget (source);
  g_assert_null (stok_key_source_get_key (source));
  g_assert_false (stok_key_source_get_has_stored_key (source));
  g_assert_true (stok_key_source_get_can_undo_forget (source));
  g_clear_pointer (&stored, g_free);
  stored = keyring_key ();
  g_assert_null (stored);

  undo_forget (source);
  g_assert_cmpstr (stok_key_source_get_key (source), ==, "sk-typed-0123");
  g_assert_true (stok_key_source_get_saved (source));
  g_assert_false (stok_key_source_get_can_undo_forget (source));
  restored = keyring_key ();
  g_assert_cmpstr (restored, ==, "sk-typed-0123");

  /* A key typed after Forget ends the chance to undo it. */
  forget (source);
  stok_key_source_set_key (source, "sk-new-4567");
  g_assert_false (stok_key_source_get_can_undo_forget (source));

  g_assert_finalize_object (g_steal_pointer (&source));
  g_assert_finalize_object (g_steal_pointer (&later));
  g_assert_finalize_object (g_steal_pointer (&blank));
  stok_test_session_stop (&session);
}

static void
key_notified_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *n_notified = user_data;

  (*n_notified)++;
}

static void
test_environment_child (void)
{
  StokTestSession session = { 0 };
  g_autoptr(StokKeySource) source = NULL;
  g_autoptr(StokKeySource) typed_first = NULL;
  g_autoptr(StokKeySource) blank = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *from_keyring = NULL;
  guint n_notified = 0;

  stok_test_session_start (&session);
  stok_test_session_start_keyring (&session);
  stok_test_save_key ("sk-saved-0000");
  g_setenv (STOK_KEY_ENVIRONMENT_VARIABLE, " sk-env-1111\n", TRUE);

  /* The environment wins over the keyring, trimmed; the keyring is still
   * read when asked, so that the window knows a key is saved. */
  source = stok_key_source_new (NULL);
  key = load (source, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-env-1111");
  g_assert_cmpint (stok_key_source_get_origin (source), ==, STOK_KEY_ORIGIN_ENVIRONMENT);
  g_assert_true (stok_key_source_get_has_stored_key (source));
  g_assert_false (stok_key_source_get_saved (source));

  /* Forgetting an environment key and undoing it gives it its origin
   * back, not "typed". */
  forget (source);
  g_assert_null (stok_key_source_get_key (source));
  undo_forget (source);
  g_assert_cmpint (stok_key_source_get_origin (source), ==, STOK_KEY_ORIGIN_ENVIRONMENT);
  stored = keyring_key ();
  g_assert_cmpstr (stored, ==, "sk-saved-0000");

  /* A variable set to nothing is no key: the keyring's is used. */
  g_setenv (STOK_KEY_ENVIRONMENT_VARIABLE, "  ", TRUE);
  blank = stok_key_source_new (NULL);
  from_keyring = load (blank, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_keyring, ==, "sk-saved-0000");
  g_assert_cmpint (stok_key_source_get_origin (blank), ==, STOK_KEY_ORIGIN_KEYRING);

  /* A key typed while the keyring is being read is kept. */
  g_unsetenv (STOK_KEY_ENVIRONMENT_VARIABLE);
  typed_first = stok_key_source_new (NULL);
  g_signal_connect (typed_first, "notify::key", G_CALLBACK (key_notified_cb), &n_notified);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *loaded = NULL;

    stok_key_source_load_async (typed_first, TRUE, NULL, stok_test_result_cb, &result);
    g_assert_true (stok_key_source_get_looking_up (typed_first));
    stok_key_source_set_key (typed_first, "sk-typed-2222");
    loaded = stok_key_source_load_finish (typed_first, wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (loaded, ==, "sk-typed-2222");
  }
  g_assert_false (stok_key_source_get_looking_up (typed_first));
  g_assert_cmpint (stok_key_source_get_origin (typed_first), ==, STOK_KEY_ORIGIN_TYPED);
  g_assert_true (stok_key_source_get_has_stored_key (typed_first));
  g_assert_cmpuint (n_notified, ==, 1);

  g_assert_finalize_object (g_steal_pointer (&source));
  g_assert_finalize_object (g_steal_pointer (&typed_first));
  g_assert_finalize_object (g_steal_pointer (&blank));
  stok_test_session_stop (&session);
}

static void
test_no_keyring_child (void)
{
  StokTestSession session = { 0 };
  g_autoptr(StokKeySource) source = NULL;
  g_autoptr(StokKeySource) env_only = NULL;
  g_autoptr(StokKeySource) blank = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *from_env = NULL;

  g_unsetenv (STOK_KEY_ENVIRONMENT_VARIABLE);
  stok_test_session_start (&session);

  /* No Secret Service: no key, and the error says why, for the command
   * line's one line; the window shows the problem. */
  source = stok_key_source_new (NULL);
  key = load (source, TRUE, &error);
  g_assert_null (key);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "ASSEMBLYAI_API_KEY"));
  /* Why, as a sentence of its own, one full stop at its end. */
  g_assert_nonnull (strstr (error->message, "keyring. No keyring could be reached: no Secret Service"));
  g_assert_true (g_str_has_suffix (error->message, "running."));
  g_assert_null (strstr (error->message, ".)."));
  g_assert_nonnull (stok_key_source_get_problem (source));
  g_assert_nonnull (strstr (stok_key_source_get_problem (source), "until the app quits"));
  g_clear_error (&error);

  /* Set, but to nothing, with no keyring to fall back on. */
  g_setenv (STOK_KEY_ENVIRONMENT_VARIABLE, "", TRUE);
  blank = stok_key_source_new (NULL);
  key = load (blank, FALSE, &error);
  g_assert_null (key);
  g_assert_error (error, STOK_ERROR, STOK_ERROR_NO_KEY);
  g_assert_true (g_str_has_prefix (error->message,
                                   "No API key: ASSEMBLYAI_API_KEY is set but empty, and the app’s keyring could not be read. "));
  g_clear_error (&error);

  /* With the environment's key the command line never asks the keyring,
   * so a missing one cannot fail it. */
  g_setenv (STOK_KEY_ENVIRONMENT_VARIABLE, "sk-env-3333", TRUE);
  env_only = stok_key_source_new (NULL);
  from_env = load (env_only, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_env, ==, "sk-env-3333");
  g_assert_false (stok_key_source_get_looking_up (env_only));
  g_assert_null (stok_key_source_get_problem (env_only));

  g_assert_finalize_object (g_steal_pointer (&source));
  g_assert_finalize_object (g_steal_pointer (&env_only));
  g_assert_finalize_object (g_steal_pointer (&blank));
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
  run_in_subprocess ("/key-source/keyring");
}

static void
test_environment (void)
{
  run_in_subprocess ("/key-source/environment");
}

static void
test_no_keyring (void)
{
  run_in_subprocess ("/key-source/no-keyring");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key-source/keyring", test_keyring);
  g_test_add_func ("/key-source/keyring/subprocess", test_keyring_child);
  g_test_add_func ("/key-source/environment", test_environment);
  g_test_add_func ("/key-source/environment/subprocess", test_environment_child);
  g_test_add_func ("/key-source/no-keyring", test_no_keyring);
  g_test_add_func ("/key-source/no-keyring/subprocess", test_no_keyring_child);

  return g_test_run ();
}
