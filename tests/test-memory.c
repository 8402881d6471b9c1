/* test-memory.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A script that mints tokens in a loop, or a window left open all day,
 * must not grow: 1000 tokens minted with one client may add at most
 * 1 MiB to the process's resident memory after the first. The fake
 * server runs as a process of its own, so that what it keeps of every
 * token it minted is not counted against the client. This is a bound on
 * memory, not on time. */

#include "config.h"

#include <signal.h>
#include <string.h>

#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include "stok-test-util.h"
#include "stok-token-client.h"

#define N_TOKENS 1000
#define MAX_GROWTH_KIB 1024

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static gint64
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nVmRSS:");
  g_assert_nonnull (line);

  return g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
}

static void
mint_one (StokTokenClient *client,
          const char      *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(GError) error = NULL;

  stok_token_client_mint_async (client, url, "sk-memory-0123456789", 60, 600, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  token = stok_token_client_mint_finish (client, result, &exchange, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_nonnull (exchange);
}

static GSubprocess *
start_server (char **out_url)
{
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv ("STOK_FAKE_SERVER");
  g_autofree char *fallback = NULL;

  if (path == NULL)
    path = fallback = g_test_build_filename (G_TEST_BUILT, "fake-token-server", NULL);

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             path, NULL);
  g_assert_no_error (error);

  /* It prints its URL first. */
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  *out_url = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out_url);

  return g_steal_pointer (&server);
}

static void
test_many_tokens (void)
{
  g_autoptr(StokTokenClient) client = stok_token_client_new ();
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *url = NULL;
  gboolean measure = TRUE;
  guint n_tokens = N_TOKENS;
  gint64 first;
  gint64 last;

  server = start_server (&url);

  /* Under a memory checker, resident memory is the checker's: the loop
   * still runs, for the checker to see, but is not measured, and under
   * valgrind it is shorter. */
#ifdef UNDER_ASAN
  measure = FALSE;
#endif
  if (RUNNING_ON_VALGRIND)
    {
      measure = FALSE;
      n_tokens = N_TOKENS / 10;
    }

  mint_one (client, url);
  first = resident_kib ();

  for (guint i = 1; i < n_tokens; i++)
    mint_one (client, url);

  last = resident_kib ();
  g_test_message ("VmRSS after the first token: %" G_GINT64_FORMAT " KiB; after %u: %" G_GINT64_FORMAT " KiB; growth %" G_GINT64_FORMAT " KiB",
                  first, n_tokens, last, last - first);

  if (measure)
    g_assert_cmpint (last - first, <=, MAX_GROWTH_KIB);
  else
    g_test_message ("not measured under a memory checker");

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_assert_finalize_object (g_steal_pointer (&client));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/memory/many-tokens", test_many_tokens);

  return g_test_run ();
}
