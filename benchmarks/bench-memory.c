/* bench-memory.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Memory over 1000 tokens minted in one process with one
 * StokTokenClient, as a long-running window or script would: VmRSS after
 * the first token is the baseline, and what it grows by to the last must
 * stay under TARGET_KIB.
 *
 *   bench-memory FAKE-TOKEN-SERVER [TOKENS]
 *
 * The fake server runs as a process of its own: its record of every token
 * it minted would otherwise be counted against the client. No GTK here:
 * this is the core that both the window and the command line use. */

#include "config.h"

#include <stdlib.h>

#include "bench-util.h"
#include "stok-token-client.h"

/* Issue 7 asked for under 1 MiB. The client grew by 24-52 KiB over 1000
 * tokens, no more over 10000, and 224 KiB once on a loaded machine, so
 * the target is tightened to this. */
#define TARGET_KIB 256
#define KEY "benchmark-key-not-a-secret"

typedef struct
{
  GMainLoop *loop;
  StokToken *token;
  GError *error;
} Mint;

static void
mint_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Mint *mint = user_data;

  mint->token = stok_token_client_mint_finish (STOK_TOKEN_CLIENT (object), result, NULL, &mint->error);
  g_main_loop_quit (mint->loop);
}

static gboolean
mint_one (StokTokenClient *client,
          const char      *url,
          GMainLoop       *loop)
{
  Mint mint = { loop, NULL, NULL };

  stok_token_client_mint_async (client, url, KEY, 60, 0, NULL, mint_cb, &mint);
  g_main_loop_run (loop);

  if (mint.token == NULL)
    {
      g_printerr ("Minting failed: %s\n", mint.error->message);
      g_clear_error (&mint.error);
      return FALSE;
    }

  g_clear_object (&mint.token);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(StokTokenClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *figures = NULL;
  long first_kib, last_kib;
  guint tokens = 1000;
  gboolean pass;
  GPid server;

  if (argc < 2)
    {
      g_printerr ("usage: %s FAKE-TOKEN-SERVER [TOKENS]\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (argc > 2)
    tokens = (guint) g_ascii_strtoull (argv[2], NULL, 10);

  if (!bench_start_fake_server (argv[1], NULL, NULL, &server, &url, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  client = stok_token_client_new ();

  if (!mint_one (client, url, loop))
    {
      bench_stop_process (server);
      return EXIT_FAILURE;
    }
  first_kib = bench_read_status_kib ("VmRSS");

  for (guint i = 1; i < tokens; i++)
    {
      if (!mint_one (client, url, loop))
        {
          bench_stop_process (server);
          return EXIT_FAILURE;
        }
    }
  last_kib = bench_read_status_kib ("VmRSS");

  bench_stop_process (server);

  figures = g_strdup_printf ("VmRSS %.2f MiB after the first token, %.2f MiB after %u, "
                             "growth %ld KiB (target %d KiB)",
                             first_kib / 1024.0, last_kib / 1024.0, tokens,
                             last_kib - first_kib, TARGET_KIB);
  pass = bench_report ("memory over 1000 tokens", figures,
                       (double) (last_kib - first_kib) / TARGET_KIB, 1.0);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
