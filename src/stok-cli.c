/* stok-cli.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* `streaming-token --print-token`: one token on stdout, for scripts;
 * `--verify`: a token minted and redeemed, to check an account end to end;
 * `--transcribe FILE`: a whole streaming session with FILE's audio. This
 * file reads and checks the options, finds the key and mints the token;
 * stok-cli-session.c runs the session.
 *
 * This file and everything it calls is free of GTK, so that the command
 * line starts as fast as curl: the window lives in a separate executable
 * that main.c runs only when no command-line action is asked for. */

#define G_LOG_DOMAIN "stok-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "stok-cli-private.h"
#include "stok-error.h"
#include "stok-json.h"
#include "stok-key-source.h"
#include "stok-params.h"
#include "stok-session.h"

typedef struct
{
  StokCliOptions options;
  GMainLoop *loop;
  /* Cancelled by the first SIGINT, SIGTERM or SIGHUP, whose number is
   * kept. */
  GCancellable *cancellable;
  guint sigint_id;
  guint sigterm_id;
  guint sighup_id;
  int signum;
  StokTokenClient *client;
  StokKeySource *key_source;
  StokAudioSource *source;
  StokToken *token;
  int status;
} Cli;

/* The first error writing stdout, or 0: stdout is the process's, and so
 * is this. */
static int output_errno;

/* Flushes stdout, keeping its first error; errno is the caller's to clear
 * before the writes this checks. */
static gboolean
flush_output (void)
{
  if (output_errno == 0 && (fflush (stdout) == EOF || ferror (stdout)))
    output_errno = errno != 0 ? errno : EIO;

  return output_errno == 0;
}

/**
 * stok_cli_print_line:
 * @line: data for stdout, without its line break
 *
 * Prints @line on stdout and flushes it: a script reads each line as it
 * comes, and a line that could not be written is known at once.
 *
 * Returns: %FALSE if stdout did not take it, or failed before
 */
gboolean
stok_cli_print_line (const char *line)
{
  if (output_errno != 0)
    return FALSE;

  errno = 0;
  g_print ("%s\n", line);

  return flush_output ();
}

gboolean
stok_cli_get_output_failed (void)
{
  return output_errno != 0;
}

/**
 * stok_cli_set_output_failed:
 * @errsv: why stdout can take nothing more, such as EPIPE
 *
 * Records a failure of stdout seen before any write, as its first.
 */
void
stok_cli_set_output_failed (int errsv)
{
  g_return_if_fail (errsv != 0);

  if (output_errno == 0)
    output_errno = errsv;
}

/* A token or a turn that did not reach stdout is lost to the script
 * waiting for it, whatever else went well: exit 1 then. */
static int
check_output (int status)
{
  g_autofree char *message = NULL;

  errno = 0;
  if (flush_output ())
    return status;

  /* Translators: %s says why, such as "No space left on device" */
  message = g_strdup_printf (_("Could not write the output: %s"), g_strerror (output_errno));
  stok_cli_print_error (message);

  return STOK_EXIT_FAILED;
}

void
stok_cli_print_error (const char *message)
{
  g_autofree char *line = g_strdup (message);

  /* One line, whatever the server sent. */
  g_strdelimit (line, "\r\n", ' ');
  g_printerr ("streaming-token: %s\n", line);
}

/* Every exit 2 says what was wrong, then where to look: those found
 * while parsing, and those found later, such as no key or a file that
 * cannot be streamed. */
static int
usage_error (GOptionContext *context,
             const char     *message)
{
  stok_cli_print_error (message);
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
char *
stok_cli_format_unix_utc (gint64 unix_seconds)
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

static gboolean
is_usage_error (const GError *error)
{
  return error->domain == STOK_ERROR &&
         (error->code == STOK_ERROR_INVALID_PARAMETER ||
          error->code == STOK_ERROR_INVALID_URL ||
          error->code == STOK_ERROR_INSECURE_URL ||
          error->code == STOK_ERROR_NO_KEY ||
          error->code == STOK_ERROR_INVALID_KEY);
}

/* The last line of a session's --json when no session could open: a
 * script reads how the run ended there whatever happened, as the README
 * says. The token server's status is `mint_http_status`, apart from the
 * `http_status` with which a streaming server refuses a token. */
static void
print_outcome_without_session (StokSessionOutcome  outcome,
                               const char         *ending,
                               StokExchange       *exchange)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Outcome");
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, stok_session_outcome_to_string (outcome));
  json_builder_set_member_name (builder, "ending");
  json_builder_add_string_value (builder, ending);
  if (exchange != NULL && stok_exchange_get_status (exchange) != 0)
    {
      json_builder_set_member_name (builder, "mint_http_status");
      json_builder_add_int_value (builder, stok_exchange_get_status (exchange));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  line = stok_json_to_line (root);
  stok_cli_print_line (line);
}

/* A problem found once the run has begun, a file that cannot be
 * streamed or no key: a usage error, and for a session's --json, the
 * Outcome line that a script reads last whatever happened. */
static int
run_usage_error (Cli        *cli,
                 const char *message)
{
  int status = usage_error (NULL, message);

  if (cli->options.json && cli->options.mode != STOK_CLI_MODE_PRINT_TOKEN)
    print_outcome_without_session (STOK_SESSION_OUTCOME_FAILED, message, NULL);

  return status;
}

static void
mint_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(StokExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  cli->token = stok_token_client_mint_finish (cli->client, result, &exchange, &error);
  if (cli->token == NULL && g_cancellable_is_cancelled (cli->cancellable))
    {
      /* Stopped by a signal: stok_cli_run() says so. */
      g_main_loop_quit (cli->loop);
      return;
    }

  if (cli->token == NULL && is_usage_error (error))
    {
      cli->status = run_usage_error (cli, error->message);
    }
  else if (cli->token == NULL)
    {
      g_autofree char *message = NULL;

      if (exchange != NULL && stok_exchange_get_retry_after (exchange) >= 0)
        {
          g_autofree char *wait = stok_format_duration (stok_exchange_get_retry_after (exchange));

          /* Translators: an error message, then how long the server asks
           * to wait, such as "30 s" */
          message = g_strdup_printf (_("%s Retry after %s."), error->message, wait);
        }
      else
        {
          message = g_strdup (error->message);
        }

      stok_cli_print_error (message);
      if (cli->options.json && cli->options.mode != STOK_CLI_MODE_PRINT_TOKEN)
        print_outcome_without_session (STOK_SESSION_OUTCOME_FAILED, message, exchange);
      cli->status = STOK_EXIT_FAILED;
    }

  g_main_loop_quit (cli->loop);
}

static void
key_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  char *key;

  key = stok_key_source_load_finish (cli->key_source, result, &error);
  if (key == NULL)
    {
      if (!g_cancellable_is_cancelled (cli->cancellable))
        cli->status = run_usage_error (cli, error->message);
      g_main_loop_quit (cli->loop);
      return;
    }

  /* Stopped meanwhile, it sends nothing and says so in mint_cb(). */
  stok_token_client_mint_async (cli->client, cli->options.server, key,
                                cli->options.expires_in, cli->options.max_session,
                                cli->cancellable, mint_cb, cli);
  memset (key, 0, strlen (key));
  g_free (key);
}

/* The token: read from standard input, or minted with the key. */
static void
get_token (Cli *cli)
{
  /* The environment's key needs no keyring: the command line then stays
   * off D-Bus. */
  cli->key_source = stok_key_source_new (NULL);
  stok_key_source_load_async (cli->key_source, FALSE, cli->cancellable, key_cb, cli);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  /* A source that cannot give audio is found before a token is spent,
   * and before the keyring or the network is asked anything. */
  if (!stok_audio_source_check_finish (cli->source, result, &error))
    {
      if (!g_cancellable_is_cancelled (cli->cancellable))
        {
          g_autofree char *message = NULL;

          /* The core, shared with the window, says to choose a rate;
           * here, choosing is an option, and the message names it. */
          if (g_error_matches (error, STOK_ERROR, STOK_ERROR_SOURCE_RATE))
            /* Translators: an error message, then the option that sets
             * the sample rate the file can give, such as 8000 */
            message = g_strdup_printf (_("%s Try --param sample_rate=%u."), error->message,
                                       MAX (stok_audio_source_get_native_rate (cli->source), STOK_SAMPLE_RATE_MIN));
          else
            message = g_strdup (error->message);

          cli->status = run_usage_error (cli, message);
        }
      g_main_loop_quit (cli->loop);
      return;
    }

  if (cli->token != NULL || g_cancellable_is_cancelled (cli->cancellable))
    g_main_loop_quit (cli->loop);
  else
    get_token (cli);
}

/* A token minted elsewhere, such as by the user's own backend, the whole
 * of standard input, spaces and line breaks around it ignored. */
static StokToken *
read_token (const char  *server,
            GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[1024];
  gsize n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0 && text->len <= STOK_TOKEN_MAX_LENGTH)
    g_string_append_len (text, buffer, n);

  if (memchr (text->str, '\0', text->len) != NULL)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("The token holds spaces or characters a token never has."));
      return NULL;
    }

  g_strstrip (text->str);
  if (text->str[0] == '\0')
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("--token-stdin found no token on standard input."));
      return NULL;
    }

  return stok_token_new_pasted (text->str, server, error);
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

/* The two names of the minimum turn silence, the newer first. */
static const char * const silence_names[] = {
  "min_turn_silence",
  "min_end_of_turn_silence_when_confident",
};

/* A parameter that an option of its own sets, refused in --param. */
static void
claim_for_option (StokStreamParams *params,
                  const char       *name,
                  const char       *option)
{
  g_autofree char *param = g_strdup_printf ("--param %s", name);
  g_autofree char *message = NULL;

  /* Translators: two command-line options that set the same
   * parameter, such as "--speech-model" and "--param speech_model" */
  message = g_strdup_printf (_("%s and %s cannot be used together: choose one."), option, param);
  stok_stream_params_claim (params, name, message);
}

static int
parse_options (Cli    *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) server_uri = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *max_session_text = NULL;
  g_autofree char *server = NULL;
  g_autofree char *transcribe = NULL;
  g_autofree char *speech_model = NULL;
  g_auto(GStrv) assignments = NULL;
  g_auto(GStrv) rest = NULL;
  StokCliOptions *options = &cli->options;
  gboolean print_token = FALSE;
  gboolean verify = FALSE;
  gboolean format_turns = FALSE;
  gboolean version = FALSE;
  const char *modes[3] = { NULL, NULL, NULL };
  guint n_modes = 0;
  const GOptionEntry entries[] = {
    { "print-token", 0, 0, G_OPTION_ARG_NONE, &print_token,
      N_("Print a new token on standard output instead of opening the window"), NULL },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify,
      N_("Redeem a token on the streaming WebSocket and end the session at once; exit 1 unless it completes"), NULL },
    { "transcribe", 0, 0, G_OPTION_ARG_FILENAME, &transcribe,
      N_("Stream an audio file in real time and print each final turn as it comes"), N_("FILE") },
    { "expires-in-seconds", 'e', 0, G_OPTION_ARG_STRING, &expires_text,
      N_("Redemption window: seconds the token can be used to open a session, 1 to 600 (default 60)"), N_("N") },
    { "max-session-duration-seconds", 'm', 0, G_OPTION_ARG_STRING, &max_session_text,
      N_("Longest session the token can open, 60 to 10800 (default: the server’s, 10800)"), N_("N") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("Where tokens are minted and sessions open (default https://streaming.assemblyai.com; plain http only to loopback)"), N_("URL") },
    { "token-stdin", 0, 0, G_OPTION_ARG_NONE, &options->token_stdin,
      N_("Read a token minted elsewhere from standard input instead of minting one; no key is needed"), NULL },
    { "speech-model", 0, 0, G_OPTION_ARG_STRING, &speech_model,
      N_("The speech model of the session (default universal-streaming-english)"), N_("MODEL") },
    { "format-turns", 0, 0, G_OPTION_ARG_NONE, &format_turns,
      N_("Have each final turn sent again with punctuation and casing"), NULL },
    { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &assignments,
      N_("Any connection parameter, known or not, such as max_turn_silence=800; repeatable"), N_("NAME=VALUE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print JSON: the token, or for a session one object a line for each message and a last one with the outcome"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, NULL },
    { NULL }
  };

  /* Translators: what follows "streaming-token [OPTION…]" in the usage
   * line: the window's audio file */
  context = g_option_context_new (_("[FILE]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Mint AssemblyAI temporary streaming tokens, and run streaming sessions with them. Without --print-token, --verify or --transcribe, opens the window, with FILE, if given, as the audio of its live session."));
  g_option_context_set_description (context,
                                    _("The API key is read from the ASSEMBLYAI_API_KEY environment variable, or else from the keyring; never from an argument.\n"
                                      "\n"
                                      "Exit status: 0 success, 1 the request or the session failed, 2 invalid usage; stopped by a signal, 128 and its number (130 for Ctrl+C).\n"));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);

  if (version)
    {
      g_autofree char *line = g_strdup_printf ("streaming-token %s", PACKAGE_VERSION);

      stok_cli_print_line (line);
      return STOK_EXIT_OK;
    }

  /* Every usage error is found before the keyring or the network is
   * touched. */
  if (print_token)
    modes[n_modes++] = "--print-token";
  if (verify)
    modes[n_modes++] = "--verify";
  if (transcribe != NULL)
    modes[n_modes++] = "--transcribe";
  if (n_modes > 1)
    {
      g_autofree char *message = NULL;

      /* Translators: two command-line options, such as "--print-token"
       * and "--verify", which each ask for a different thing */
      message = g_strdup_printf (_("%s and %s cannot be used together: choose one."),
                                 modes[0], modes[1]);
      return usage_error (context, message);
    }

  options->mode = verify ? STOK_CLI_MODE_VERIFY
                : transcribe != NULL ? STOK_CLI_MODE_TRANSCRIBE
                : STOK_CLI_MODE_PRINT_TOKEN;
  options->expires_in = STOK_EXPIRES_IN_DEFAULT;
  options->max_session = 0;
  if (transcribe != NULL && *transcribe == '\0')
    return usage_error (context, _("--transcribe needs the name of an audio file."));

  options->file = g_steal_pointer (&transcribe);
  options->params = stok_stream_params_new ();

  if ((expires_text != NULL &&
       !parse_seconds_option ("--expires-in-seconds", expires_text, &options->expires_in, &error)) ||
      (max_session_text != NULL &&
       !parse_seconds_option ("--max-session-duration-seconds", max_session_text, &options->max_session, &error)) ||
      !stok_params_check_expires_in (options->expires_in, &error) ||
      (max_session_text != NULL && !stok_params_check_max_session (options->max_session, &error)) ||
      !(server_uri = stok_params_parse_server (server != NULL ? server : STOK_DEFAULT_SERVER, &error)))
    return usage_error (context, error->message);

  /* Each message names the option the user gave. */
  if (options->token_stdin &&
      ((!verify && options->file == NULL) || expires_text != NULL || max_session_text != NULL))
    return usage_error (context,
                        _("--token-stdin takes a token minted elsewhere: it goes with --verify or --transcribe, and without the durations, which only minting uses."));

  if (!verify && options->file == NULL &&
      (speech_model != NULL || format_turns || assignments != NULL))
    return usage_error (context,
                        _("--speech-model, --format-turns and --param set up a session: they go with --verify or --transcribe."));

  if (!print_token && !verify && options->file == NULL)
    return usage_error (context,
                        _("--json, --expires-in-seconds and --max-session-duration-seconds go with --print-token, --verify or --transcribe."));

  if ((speech_model != NULL &&
       !stok_stream_params_set (options->params, "speech_model", speech_model, &error)) ||
      (format_turns &&
       !stok_stream_params_set (options->params, "format_turns", "true", &error)))
    return usage_error (context, error->message);

  /* An option and a --param that set the same parameter, or two --param
   * that do: one would be silently ignored, and which was meant is the
   * user's to say. The parameters refuse a name claimed, as the window's
   * "Any parameter" refuses one that has its own row. */
  if (speech_model != NULL)
    claim_for_option (options->params, "speech_model", "--speech-model");
  if (format_turns)
    claim_for_option (options->params, "format_turns", "--format-turns");

  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    {
      g_autofree char *name = g_strndup (assignments[i], strcspn (assignments[i], "="));
      g_autofree char *twice = NULL;

      if (!stok_stream_params_set_assignment (options->params, assignments[i], &error))
        return usage_error (context, error->message);

      /* Translators: %s is a parameter's name, such as speech_model */
      twice = g_strdup_printf (_("--param %s is given twice: give it once."), name);
      stok_stream_params_claim (options->params, name, twice);

      /* min_turn_silence has an older name; given both, the server
       * would be sent two values for one parameter. */
      for (guint j = 0; j < G_N_ELEMENTS (silence_names); j++)
        if (g_str_equal (g_strstrip (name), silence_names[j]))
          {
            const char *other = silence_names[1 - j];
            g_autofree char *both = NULL;

            /* Translators: two names of one parameter, such as
             * min_turn_silence and its older name */
            both = g_strdup_printf (_("--param %s and --param %s set the same parameter: give one."),
                                    name, other);
            stok_stream_params_claim (options->params, other, both);
          }
    }

  /* Each in its range, yet wrong together: caught before a token is
   * spent on a session the server would refuse. */
  if (!stok_stream_params_check_turn_silence (options->params, &error))
    return usage_error (context, error->message);

  if (rest != NULL && rest[0] != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”."), rest[0]);

      return usage_error (context, message);
    }

  options->server = stok_params_server_to_string (server_uri);

  return -1;
}

/* The first SIGINT or SIGTERM ends the run as the window's Stop does: a
 * session, billed while its socket is open, gets Terminate and a second
 * to answer, and its ending is printed as ever. So does SIGHUP, from a
 * terminal closed under the command: its session would otherwise stay
 * open on the server. A second signal is from someone who will not
 * wait. */
static void
stop (Cli *cli,
      int  signum)
{
  if (cli->signum != 0)
    _exit (128 + signum);

  cli->signum = signum;
  g_cancellable_cancel (cli->cancellable);
}

static gboolean
sigint_cb (gpointer user_data)
{
  stop (user_data, SIGINT);

  return G_SOURCE_CONTINUE;
}

static gboolean
sigterm_cb (gpointer user_data)
{
  stop (user_data, SIGTERM);

  return G_SOURCE_CONTINUE;
}

static gboolean
sighup_ignored (void)
{
  struct sigaction action;

  return sigaction (SIGHUP, NULL, &action) == 0 && action.sa_handler == SIG_IGN;
}

static gboolean
sighup_cb (gpointer user_data)
{
  stop (user_data, SIGHUP);

  return G_SOURCE_CONTINUE;
}

int
stok_cli_run (int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  Cli cli = { 0 };
  int status;

  status = parse_options (&cli, argc, argv);
  if (status >= 0)
    goto out;

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.client = stok_token_client_new ();
  cli.status = STOK_EXIT_FAILED;

  if (cli.options.token_stdin)
    {
      cli.token = read_token (cli.options.server, &error);
      if (cli.token == NULL)
        {
          status = usage_error (NULL, error->message);
          goto out;
        }
    }

  /* Only now: a signal during the blocking read above stops the process
   * as it always did, with nothing yet to end. */
  cli.cancellable = g_cancellable_new ();
  cli.sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &cli);
  cli.sigterm_id = g_unix_signal_add (SIGTERM, sigterm_cb, &cli);
  /* Run under nohup, a closed terminal is meant to change nothing. */
  if (!sighup_ignored ())
    cli.sighup_id = g_unix_signal_add (SIGHUP, sighup_cb, &cli);

  if (cli.options.mode == STOK_CLI_MODE_TRANSCRIBE)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (cli.options.file);
      StokAudioEncoding encoding = STOK_AUDIO_ENCODING_PCM_S16LE;

      stok_audio_encoding_from_string (stok_stream_params_get_encoding (cli.options.params), &encoding);
      cli.source = stok_audio_source_new_for_file (file);
      stok_audio_source_set_sample_rate (cli.source, stok_stream_params_get_sample_rate (cli.options.params));
      stok_audio_source_set_encoding (cli.source, encoding);
      stok_audio_source_check_async (cli.source, cli.cancellable, check_cb, &cli);
    }
  else if (cli.token == NULL)
    {
      get_token (&cli);
    }

  if (cli.source != NULL || cli.token == NULL)
    g_main_loop_run (cli.loop);

  status = cli.status;
  if (cli.signum != 0)
    {
      /* A token minted meanwhile is not spent: nothing more starts. */
      if (cli.options.mode != STOK_CLI_MODE_PRINT_TOKEN)
        {
          const char *ending = _("Stopped before the session began.");

          stok_cli_print_error (ending);
          if (cli.options.json)
            print_outcome_without_session (STOK_SESSION_OUTCOME_CANCELLED, ending, NULL);
        }
      goto out;
    }

  if (cli.token == NULL || (cli.source != NULL && status == STOK_EXIT_USAGE))
    goto out;

  if (cli.options.mode == STOK_CLI_MODE_PRINT_TOKEN)
    {
      if (cli.options.json)
        {
          g_autofree char *json = token_to_json (cli.token);

          stok_cli_print_line (json);
        }
      else
        {
          stok_cli_print_line (stok_token_get_token (cli.token));
        }
      status = STOK_EXIT_OK;
    }
  else
    {
      status = stok_cli_run_session (&cli.options, cli.client, cli.token, cli.source,
                                     cli.cancellable);
    }

out:
  status = check_output (status);
  /* The shell's own status for a command a signal stopped, 130 for
   * Ctrl+C, as the README says: a script tells it from a failure. */
  if (cli.signum != 0)
    status = 128 + cli.signum;

  g_clear_handle_id (&cli.sigint_id, g_source_remove);
  g_clear_handle_id (&cli.sigterm_id, g_source_remove);
  g_clear_handle_id (&cli.sighup_id, g_source_remove);
  g_clear_object (&cli.cancellable);
  g_clear_pointer (&cli.loop, g_main_loop_unref);
  g_clear_object (&cli.client);
  g_clear_object (&cli.key_source);
  g_clear_object (&cli.source);
  g_clear_object (&cli.token);
  g_clear_object (&cli.options.params);
  g_clear_pointer (&cli.options.server, g_free);
  g_clear_pointer (&cli.options.file, g_free);

  return status;
}
