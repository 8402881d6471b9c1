/* stok-cli.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `streaming-token --print-token`: one token on stdout, for scripts;
 * `--verify`: a token minted and redeemed, to check an account end to end.
 *
 * This file and everything it calls is free of GTK, so that the command
 * line starts as fast as curl: the window lives in a separate executable
 * that main.c runs only when no command-line action is asked for. */

#define G_LOG_DOMAIN "stok-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "stok-cli.h"
#include "stok-error.h"
#include "stok-key-store.h"
#include "stok-params.h"
#include "stok-token-client.h"

typedef struct
{
  GMainLoop *loop;
  StokTokenClient *client;
  StokKeyStore *key_store;
  char *server;
  char *api_key;
  gint64 expires_in;
  gint64 max_session;
  gboolean json;
  gboolean verify;
  int status;
} Cli;

static void
print_error (const char *message)
{
  g_autofree char *line = g_strdup (message);

  /* One line, whatever the server sent. */
  g_strdelimit (line, "\r\n", ' ');
  g_printerr ("streaming-token: %s\n", line);
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  print_error (message);
  g_printerr (_("Try “streaming-token --help” for more information.\n"));
  return STOK_EXIT_USAGE;
}

/* Times in the command line's output, JSON or not, are ISO 8601 in UTC
 * to the second, "2026-12-03T09:41:07Z": one format whatever the zone of
 * the machine, and the server counts in whole seconds. */
static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* Returns NULL for 0, the core's "no time came", and for times no
 * GDateTime can hold. */
static char *
format_unix_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds <= 0)
    return NULL;

  time = g_date_time_new_from_unix_utc (unix_seconds);
  return time != NULL ? format_utc (time) : NULL;
}

/* `--print-token --json`. The names say what each figure is: the token's
 * redemption deadline is `redeemable_until`, and durations carry their
 * unit. */
static char *
token_to_json (StokToken *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GDateTime *sent_at = stok_token_get_sent_at_wall (token);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, stok_token_get_token (token));
  json_builder_set_member_name (builder, "expires_in_seconds");
  json_builder_add_int_value (builder, stok_token_get_expires_in_seconds (token));
  json_builder_set_member_name (builder, "max_session_duration_seconds");
  json_builder_add_int_value (builder, stok_token_get_max_session_seconds (token));
  if (stok_token_get_server (token) != NULL)
    {
      json_builder_set_member_name (builder, "server");
      json_builder_add_string_value (builder, stok_token_get_server (token));
    }
  if (sent_at != NULL)
    {
      g_autoptr(GDateTime) deadline = NULL;
      g_autofree char *deadline_text = NULL;

      /* Counted from when the request was sent, the conservative side,
       * as the window's countdown does. */
      deadline = g_date_time_add_seconds (sent_at, stok_token_get_expires_in_seconds (token));
      deadline_text = format_utc (deadline);
      json_builder_set_member_name (builder, "redeemable_until");
      json_builder_add_string_value (builder, deadline_text);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* `--verify --json`: the core's account of the exchange, with the Begin's
 * cut-off as a time named for what it is, `session_expires_at`, in place
 * of the protocol's Unix `expires_at`. The messages stay as they came. */
static char *
verification_to_json (StokVerification *verification)
{
  g_autofree char *core_json = stok_verification_to_json (verification);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *core_object;
  JsonObject *object;

  /* The core wrote it: it is an object. */
  if (!json_parser_load_from_data (parser, core_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_return_val_if_reached (g_steal_pointer (&core_json));

  core_object = json_node_get_object (json_parser_get_root (parser));
  object = json_object_new ();
  root = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);

  /* Rebuilt member by member to keep the order, the time in its place. */
  members = json_object_get_members (core_object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "expires_at"))
        {
          g_autofree char *expires_at = NULL;

          expires_at = format_unix_utc (stok_verification_get_expires_at (verification));
          if (expires_at != NULL)
            json_object_set_string_member (object, "session_expires_at", expires_at);
        }
      else
        {
          json_object_set_member (object, name,
                                  json_node_copy (json_object_get_member (core_object, name)));
        }
    }

  return json_to_string (root, FALSE);
}

static gboolean
is_window_server (const char *text)
{
  g_autoptr(GUri) uri = stok_params_parse_server (text, NULL);

  return uri != NULL;
}

/**
 * stok_cli_wants_command_line:
 * @argc: the number of arguments
 * @argv: the arguments, as main() got them
 *
 * The window takes files (to stream, once sessions come to it), a valid
 * `--server` and GApplication's `--gapplication-service`, with which
 * D-Bus starts it. Anything else is the command line's to run, or to
 * refuse with exit 2 and a hint: the window's own parser would exit 1
 * without one, and only after loading GTK.
 *
 * Returns: %FALSE when every argument is one the window takes as it is
 */
gboolean
stok_cli_wants_command_line (int    argc,
                             char **argv)
{
  g_return_val_if_fail (argc == 0 || argv != NULL, FALSE);

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      /* Everything after "--" is a file. */
      if (g_str_equal (arg, "--"))
        return FALSE;

      /* A file; "-" is standard input. */
      if (arg[0] != '-' || arg[1] == '\0')
        continue;

      if (g_str_has_prefix (arg, "--server=") && is_window_server (arg + strlen ("--server=")))
        continue;

      if (g_str_equal (arg, "--server") && i + 1 < argc && is_window_server (argv[i + 1]))
        {
          i++;
          continue;
        }

      if (g_str_equal (arg, "--gapplication-service"))
        continue;

      return TRUE;
    }

  return FALSE;
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(StokVerification) verification = NULL;
  g_autoptr(GError) error = NULL;

  verification = stok_token_client_verify_finish (cli->client, result, &error);
  if (verification == NULL)
    {
      print_error (error->message);
      cli->status = STOK_EXIT_FAILED;
    }
  else
    {
      if (cli->json)
        {
          g_autofree char *json = verification_to_json (verification);

          g_print ("%s\n", json);
        }
      else if (stok_verification_get_accepted (verification))
        {
          g_autofree char *expires_at = NULL;

          expires_at = format_unix_utc (stok_verification_get_expires_at (verification));
          g_print ("Begin: session %s, session_expires_at %s\n",
                   stok_verification_get_session_id (verification) ? stok_verification_get_session_id (verification) : "?",
                   expires_at != NULL ? expires_at : "?");
          if (stok_verification_get_terminated (verification))
            g_print ("Termination: session_duration_seconds %g, audio_duration_seconds %g\n",
                     stok_verification_get_session_duration (verification),
                     stok_verification_get_audio_duration (verification));
        }

      if (stok_verification_get_accepted (verification))
        {
          cli->status = STOK_EXIT_OK;
        }
      else
        {
          g_autofree char *refusal = stok_verification_dup_refusal (verification);
          g_autofree char *message = g_strdup_printf (_("The token was refused. %s"), refusal);

          print_error (message);
          cli->status = STOK_EXIT_FAILED;
        }
    }

  g_main_loop_quit (cli->loop);
}

static void
mint_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(StokToken) token = NULL;
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  token = stok_token_client_mint_finish (cli->client, result, &exchange, &error);
  if (token == NULL)
    {
      if (error->domain == STOK_ERROR &&
          (error->code == STOK_ERROR_INVALID_PARAMETER ||
           error->code == STOK_ERROR_INVALID_URL ||
           error->code == STOK_ERROR_INSECURE_URL ||
           error->code == STOK_ERROR_NO_KEY ||
           error->code == STOK_ERROR_INVALID_KEY))
        cli->status = STOK_EXIT_USAGE;
      else
        cli->status = STOK_EXIT_FAILED;

      if (exchange != NULL && stok_exchange_get_retry_after (exchange) >= 0)
        {
          g_autofree char *message = NULL;

          g_autofree char *wait = stok_format_duration (stok_exchange_get_retry_after (exchange));

          /* Translators: an error message, then how long the server asks
           * to wait, such as "30 s" */
          message = g_strdup_printf (_("%s Retry after %s."), error->message, wait);
          print_error (message);
        }
      else
        {
          print_error (error->message);
        }
    }
  else if (cli->verify)
    {
      stok_token_client_verify_async (cli->client, token, NULL, verify_cb, cli);
      return;
    }
  else if (cli->json)
    {
      g_autofree char *json = NULL;

      json = token_to_json (token);
      g_print ("%s\n", json);
      cli->status = STOK_EXIT_OK;
    }
  else
    {
      g_print ("%s\n", stok_token_get_token (token));
      cli->status = STOK_EXIT_OK;
    }

  g_main_loop_quit (cli->loop);
}

static void
mint (Cli *cli)
{
  stok_token_client_mint_async (cli->client, cli->server, cli->api_key,
                                cli->expires_in, cli->max_session,
                                NULL, mint_cb, cli);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  stored = stok_key_store_lookup_finish (cli->key_store, result, &error);
  cli->api_key = stok_trim_api_key (stored);

  if (cli->api_key == NULL)
    {
      if (error != NULL)
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("No API key: set ASSEMBLYAI_API_KEY, or save a key in the app’s keyring (%s)."),
                                     error->message);
          print_error (message);
        }
      else
        {
          print_error (_("No API key: set ASSEMBLYAI_API_KEY, or save a key in the app’s keyring."));
        }

      cli->status = STOK_EXIT_USAGE;
      g_main_loop_quit (cli->loop);
      return;
    }

  mint (cli);
}

static gboolean
parse_seconds_option (const char  *name,
                      const char  *text,
                      gint64      *out_value,
                      GError     **error)
{
  if (!stok_params_parse_seconds (text, out_value))
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("%s takes a whole number of seconds, not “%s”."), name, text);
      return FALSE;
    }

  return TRUE;
}

int
stok_cli_run (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) server_uri = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *max_session_text = NULL;
  g_autofree char *server = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean print_token = FALSE;
  gboolean verify = FALSE;
  gboolean json = FALSE;
  gboolean version = FALSE;
  Cli cli = { 0 };
  const GOptionEntry entries[] = {
    { "print-token", 0, 0, G_OPTION_ARG_NONE, &print_token,
      N_("Print a new token on standard output instead of opening the window"), NULL },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify,
      N_("Mint a token and redeem it on the streaming WebSocket, then end the session; exit 1 if the server refuses it"), NULL },
    { "expires-in-seconds", 'e', 0, G_OPTION_ARG_STRING, &expires_text,
      N_("Redemption window: seconds the token can be used to open a session, 1 to 600 (default 60)"), N_("N") },
    { "max-session-duration-seconds", 'm', 0, G_OPTION_ARG_STRING, &max_session_text,
      N_("Longest session the token can open, 60 to 10800 (default: the server’s, 10800)"), N_("N") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("Token server (default https://streaming.assemblyai.com; plain http only to loopback)"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print one JSON object: the token, or with --verify the whole exchange"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Mint AssemblyAI temporary streaming tokens. Without --print-token or --verify, opens the window."));
  g_option_context_set_description (context,
                                    _("The API key is read from the ASSEMBLYAI_API_KEY environment variable, or else from the keyring; never from an argument.\n"
                                      "\n"
                                      "Exit status: 0 success, 1 the request failed, 2 invalid usage.\n"));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (version)
    {
      g_print ("streaming-token %s\n", PACKAGE_VERSION);
      return STOK_EXIT_OK;
    }

  /* Every usage error is found before the keyring or the network is
   * touched. */
  if (print_token && verify)
    {
      g_autofree char *message = NULL;

      /* Translators: two command-line options, such as "--print-token"
       * and "--verify", which each ask for a different thing */
      message = g_strdup_printf (_("%s and %s cannot be used together: choose one."),
                                 "--print-token", "--verify");
      return usage_error (context, message);
    }

  cli.expires_in = STOK_EXPIRES_IN_DEFAULT;
  cli.max_session = 0;
  cli.json = json;
  cli.verify = verify;

  if ((expires_text != NULL &&
       !parse_seconds_option ("--expires-in-seconds", expires_text, &cli.expires_in, &error)) ||
      (max_session_text != NULL &&
       !parse_seconds_option ("--max-session-duration-seconds", max_session_text, &cli.max_session, &error)) ||
      !stok_params_check_expires_in (cli.expires_in, &error) ||
      (max_session_text != NULL && !stok_params_check_max_session (cli.max_session, &error)) ||
      !(server_uri = stok_params_parse_server (server != NULL ? server : STOK_DEFAULT_SERVER, &error)))
    return usage_error (context, error->message);

  if (!print_token && !verify)
    return usage_error (context,
                        _("--json, --expires-in-seconds and --max-session-duration-seconds go with --print-token or --verify."));

  if (rest != NULL && rest[0] != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”."), rest[0]);

      return usage_error (context, message);
    }

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.client = stok_token_client_new ();
  cli.server = stok_params_server_to_string (server_uri);
  cli.status = STOK_EXIT_FAILED;
  cli.api_key = stok_trim_api_key (g_getenv ("ASSEMBLYAI_API_KEY"));

  if (cli.api_key != NULL)
    {
      mint (&cli);
    }
  else
    {
      cli.key_store = stok_key_store_new ();
      stok_key_store_lookup_async (cli.key_store, NULL, lookup_cb, &cli);
    }

  g_main_loop_run (cli.loop);

  g_clear_pointer (&cli.loop, g_main_loop_unref);
  g_clear_object (&cli.client);
  g_clear_object (&cli.key_store);
  g_clear_pointer (&cli.server, g_free);
  if (cli.api_key != NULL)
    {
      memset (cli.api_key, 0, strlen (cli.api_key));
      g_clear_pointer (&cli.api_key, g_free);
    }

  return cli.status;
}
