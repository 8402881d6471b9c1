/* fake-token-server.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The fake token server on its own, for the offline demo and for tests
 * that drive the app from outside:
 *
 *   coproc fake-token-server --key=demo
 *   read -r url <&"${COPROC[0]}"
 *   ASSEMBLYAI_API_KEY=demo streaming-token --print-token --server="$url"
 *
 * It prints its base URL as the first line on stdout, so that a script can
 * read it from a pipe, then serves until SIGINT or SIGTERM. Each request
 * is logged on stderr, without the key. */

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "stok-fake-server.h"

static const struct
{
  const char *name;
  StokFakeReply reply;
} misbehaviours[] = {
  { "empty", STOK_FAKE_REPLY_EMPTY },
  { "malformed-json", STOK_FAKE_REPLY_MALFORMED_JSON },
  { "not-json", STOK_FAKE_REPLY_NOT_JSON },
  { "array", STOK_FAKE_REPLY_ARRAY },
  { "missing-token", STOK_FAKE_REPLY_MISSING_TOKEN },
  { "missing-expires", STOK_FAKE_REPLY_MISSING_EXPIRES },
  { "token-not-string", STOK_FAKE_REPLY_TOKEN_NOT_STRING },
  { "expires-not-integer", STOK_FAKE_REPLY_EXPIRES_NOT_INTEGER },
  { "gateway-html", STOK_FAKE_REPLY_GATEWAY_HTML },
};

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *message,
                     gpointer           user_data)
{
  GUri *uri = soup_server_message_get_uri (message);
  const char *query = g_uri_get_query (uri);

  g_printerr ("%s %s%s%s → %u\n",
              soup_server_message_get_method (message),
              g_uri_get_path (uri),
              query != NULL ? "?" : "",
              query != NULL ? query : "",
              soup_server_message_get_status (message));
}

static gboolean
find_misbehaviour (const char    *name,
                   StokFakeReply *out_reply)
{
  for (guint i = 0; i < G_N_ELEMENTS (misbehaviours); i++)
    {
      if (g_str_equal (name, misbehaviours[i].name))
        {
          *out_reply = misbehaviours[i].reply;
          return TRUE;
        }
    }

  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(StokFakeServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *misbehave = NULL;
  g_autofree char *retry_after = NULL;
  int port = 0;
  int delay_ms = 0;
  int status = 0;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "TCP port on 127.0.0.1 (default: any free one)", "N" },
    { "key", 'k', 0, G_OPTION_ARG_STRING, &key,
      "The only API key to accept (default: any non-empty key)", "KEY" },
    { "delay-ms", 'd', 0, G_OPTION_ARG_INT, &delay_ms,
      "Hold back every answer this long", "N" },
    { "status", 0, 0, G_OPTION_ARG_INT, &status,
      "Answer every request with this status and a JSON error body", "N" },
    { "retry-after", 0, 0, G_OPTION_ARG_STRING, &retry_after,
      "Send this Retry-After header", "VALUE" },
    { "misbehave", 0, 0, G_OPTION_ARG_STRING, &misbehave,
      "Break the spec: empty, malformed-json, not-json, array, missing-token, missing-expires, token-not-string, expires-not-integer, gateway-html", "KIND" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "A fake AssemblyAI token server on 127.0.0.1 that follows the spec of GET /v3/token.\n"
                                "Prints its base URL on the first line, then serves until interrupted.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-token-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (port < 0 || port > G_MAXUINT16 || delay_ms < 0 ||
      (status != 0 && (status < 100 || status > 999)))
    {
      g_printerr ("fake-token-server: --port, --delay-ms or --status is out of range\n");
      return EXIT_FAILURE;
    }

  server = stok_fake_server_new ();
  stok_fake_server_set_api_key (server, key);
  stok_fake_server_set_delay (server, (guint) delay_ms);
  if (retry_after != NULL)
    stok_fake_server_set_extra_header (server, "Retry-After", retry_after);
  if (status != 0)
    {
      g_autofree char *body = g_strdup_printf ("{\"error\": \"The fake server was told to answer %d.\"}", status);

      stok_fake_server_set_reply (server, (guint) status, "application/json", body, -1);
    }
  if (misbehave != NULL)
    {
      StokFakeReply reply;

      if (!find_misbehaviour (misbehave, &reply))
        {
          g_printerr ("fake-token-server: unknown --misbehave “%s”\n", misbehave);
          return EXIT_FAILURE;
        }
      stok_fake_server_set_canned_reply (server, reply);
    }

  if (!stok_fake_server_listen (server, (guint) port, &error))
    {
      g_printerr ("fake-token-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_signal_connect (stok_fake_server_get_soup_server (server), "request-finished",
                    G_CALLBACK (request_finished_cb), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* The first line is the contract with whoever started us. */
  g_print ("%s\n", stok_fake_server_get_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
