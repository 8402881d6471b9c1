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
 * is logged on stderr, without the key, and so is each streaming
 * session's text messages, without the token and never the audio.
 *
 * --ws-fault picks what to do to every streaming session (or, with
 * --ws-fault-once, to the next one only), for manual tries and for tests
 * that drive the app from outside:
 *
 *   fake-token-server --ws-fault=drop-after-begin --ws-fault-after-ms=2000
 *
 * --rules prints the rules its sessions follow, as README.md shows them. */

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

/* One line of a session's log: shortened, and with no control character
 * that would reach the terminal. */
static void
log_text (const char *what,
          const char *text)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  gsize length = strlen (text);

  for (const char *p = text; *p != '\0' && shown->len < 160; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_printf (shown, "\\x%02x", (guchar) *p);
      else
        g_string_append_c (shown, *p);
    }
  if (shown->len < length && shown->len >= 160)
    g_string_append_printf (shown, "… (%" G_GSIZE_FORMAT " bytes)", length);

  g_printerr ("ws %s %s\n", what, shown->str);
}

static void
session_opened_cb (StokFakeServer *server,
                   const char     *query,
                   gpointer        user_data)
{
  log_text ("open", query);
}

static void
message_sent_cb (StokFakeServer  *server,
                 StokFakeMessage *message,
                 gpointer         user_data)
{
  log_text ("→", message->text);
}

static void
message_received_cb (StokFakeServer  *server,
                     StokFakeMessage *message,
                     gpointer         user_data)
{
  log_text ("←", message->text);
}

static void
session_closed_cb (StokFakeServer *server,
                   guint           code,
                   const char     *reason,
                   gint64          audio_us,
                   gpointer        user_data)
{
  g_autofree char *line = g_strdup_printf ("%u %s (audio received: %" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " s, %u turns sent)",
                                           code, reason != NULL ? reason : "",
                                           audio_us / G_USEC_PER_SEC, (audio_us % G_USEC_PER_SEC) / 1000,
                                           stok_fake_server_count_sent (server, "Turn"));

  log_text ("closed", line);
}

static char *
dup_fault_names (void)
{
  GString *names = g_string_new (NULL);

  for (StokFakeFault fault = STOK_FAKE_FAULT_REFUSE_UPGRADE; fault <= STOK_FAKE_FAULT_LAST; fault++)
    g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", stok_fake_fault_get_name (fault));

  return g_string_free (names, FALSE);
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
  g_autofree char *ws_fault = NULL;
  g_autofree char *ws_fault_reason = NULL;
  g_autofree char *fault_names = dup_fault_names ();
  g_autofree char *ws_fault_help = g_strdup_printf ("Misbehave in every streaming session: %s", fault_names);
  gboolean ws_fault_once = FALSE;
  gboolean rules = FALSE;
  int ws_fault_after_ms = 0;
  int ws_fault_after_frames = 0;
  int ws_fault_status = 0;
  int ws_fault_code = 3005;
  int huge_bytes = 0;
  int flood_partials = 50000;
  int flood_finals = 3000;
  int flood_rate = 0;
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
    { "ws-fault", 0, 0, G_OPTION_ARG_STRING, &ws_fault,
      ws_fault_help, "FAULT" },
    { "ws-fault-once", 0, 0, G_OPTION_ARG_NONE, &ws_fault_once,
      "Apply --ws-fault to the next session only", NULL },
    { "ws-fault-after-ms", 0, 0, G_OPTION_ARG_INT, &ws_fault_after_ms,
      "Fire the fault this long after Begin (default: at once)", "N" },
    { "ws-fault-after-frames", 0, 0, G_OPTION_ARG_INT, &ws_fault_after_frames,
      "Fire the fault after this many audio frames instead", "K" },
    { "ws-fault-status", 0, 0, G_OPTION_ARG_INT, &ws_fault_status,
      "refuse-upgrade: the HTTP status (default 403)", "N" },
    { "ws-fault-code", 0, 0, G_OPTION_ARG_INT, &ws_fault_code,
      "error-after-begin: the Error and close code (default 3005)", "N" },
    { "ws-fault-reason", 0, 0, G_OPTION_ARG_STRING, &ws_fault_reason,
      "error-after-begin: the server's words", "TEXT" },
    { "huge-bytes", 0, 0, G_OPTION_ARG_INT, &huge_bytes,
      "huge-text: its size (default 2 MiB)", "N" },
    { "flood-partials", 0, 0, G_OPTION_ARG_INT, &flood_partials,
      "flood: partial turns to send (default 50000)", "N" },
    { "flood-finals", 0, 0, G_OPTION_ARG_INT, &flood_finals,
      "flood: final turns among them (default 3000)", "M" },
    { "flood-rate", 0, 0, G_OPTION_ARG_INT, &flood_rate,
      "flood: Turn messages a second (default 0: as fast as it can)", "N" },
    { "rules", 0, 0, G_OPTION_ARG_NONE, &rules,
      "Print the rules the streaming sessions follow, as a Markdown table, and exit", NULL },
    { NULL }
  };


  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "A fake AssemblyAI token server on 127.0.0.1 that follows the spec of GET /v3/token\n"
                                "and runs streaming sessions on /v3/ws (stand-in words, never recognised speech).\n"
                                "Prints its base URL on the first line, then serves until interrupted.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-token-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  if (rules)
    {
      g_autofree char *table = stok_fake_server_dup_rules_markdown ();

      g_print ("%s", table);
      return EXIT_SUCCESS;
    }

  if (port < 0 || port > G_MAXUINT16 || delay_ms < 0 ||
      (status != 0 && (status < 100 || status > 999)))
    {
      g_printerr ("fake-token-server: --port, --delay-ms or --status is out of range\n");
      return EXIT_FAILURE;
    }

  if (ws_fault_after_ms < 0 || ws_fault_after_frames < 0 || huge_bytes < 0 ||
      flood_partials < 0 || flood_finals < 0 || flood_rate < 0 ||
      (ws_fault_status != 0 && (ws_fault_status < 200 || ws_fault_status > 599 || ws_fault_status == 101)) ||
      ws_fault_code < 0 || !stok_fake_close_code_is_sendable ((guint) ws_fault_code))
    {
      g_printerr ("fake-token-server: a --ws-fault option is out of range\n");
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

  if (ws_fault != NULL)
    {
      StokFakeFaultSpec spec = {
        .after_ms = (guint) ws_fault_after_ms,
        .after_frames = (guint) ws_fault_after_frames,
        .status = (guint) ws_fault_status,
        .code = (gushort) ws_fault_code,
        .reason = ws_fault_reason != NULL ? ws_fault_reason : "The fake server was told to fail this session.",
        .size = (gsize) huge_bytes,
        .n_partials = (guint) flood_partials,
        .n_finals = (guint) flood_finals,
        .rate = (guint) flood_rate,
      };

      if (!stok_fake_fault_from_name (ws_fault, &spec.fault))
        {
          g_printerr ("fake-token-server: unknown --ws-fault “%s”; one of %s\n", ws_fault, fault_names);
          return EXIT_FAILURE;
        }
      stok_fake_server_set_fault (server, &spec, !ws_fault_once);
    }

  if (!stok_fake_server_listen (server, (guint) port, &error))
    {
      g_printerr ("fake-token-server: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_signal_connect (stok_fake_server_get_soup_server (server), "request-finished",
                    G_CALLBACK (request_finished_cb), NULL);
  g_signal_connect (server, "session-opened", G_CALLBACK (session_opened_cb), NULL);
  g_signal_connect (server, "message-sent", G_CALLBACK (message_sent_cb), NULL);
  g_signal_connect (server, "message-received", G_CALLBACK (message_received_cb), NULL);
  g_signal_connect (server, "session-closed", G_CALLBACK (session_closed_cb), NULL);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* The first line is the contract with whoever started us. */
  g_print ("%s\n", stok_fake_server_get_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
