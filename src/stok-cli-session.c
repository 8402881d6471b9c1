/* stok-cli-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A streaming session run from the command line: `--verify`, a session
 * without audio, and `--transcribe FILE`, which streams FILE in real time.
 * stdout carries only the data: the Begin and Termination of a verify,
 * each final turn of a transcription as it comes, or with --json one JSON
 * object a line for every message in either direction, audio excepted,
 * and a last one with the outcome. What a person watching reads goes to
 * stderr: the partials, overwritten in place on a terminal, the figures,
 * and how the session ended. */

#define G_LOG_DOMAIN "stok-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "stok-cli-private.h"
#include "stok-json.h"
#include "stok-session.h"

typedef struct
{
  StokCliOptions *options;
  StokSession *session;
  GCancellable *cancellable;
  GMainLoop *loop;
  guint output_watch_id;
  gboolean partial_shown;
  gboolean terminal;
  int status;
} Run;

/* Data that reaches no one is no reason to keep a session open, billed:
 * once stdout fails, the session ends as Stop ends it, with Terminate. */
static void
print_line (Run        *run,
            const char *line)
{
  if (!stok_cli_print_line (line))
    g_cancellable_cancel (run->cancellable);
}

static void
print_json_line (Run      *run,
                 JsonNode *node)
{
  g_autofree char *line = stok_json_to_line (node);

  print_line (run, line);
}

/* A reader that went away, as `| head -1` does once it has its line, is
 * otherwise known only at the next write, which a pause may hold back
 * for minutes, the session open and billed meanwhile. */
static gboolean
output_gone_cb (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  Run *run = user_data;

  run->output_watch_id = 0;
  stok_cli_set_output_failed (EPIPE);
  g_cancellable_cancel (run->cancellable);

  return G_SOURCE_REMOVE;
}

/* A partial is overwritten in place, on a terminal only: a log file or a
 * pipe gets final turns alone. */
static void
clear_partial (Run *run)
{
  if (!run->partial_shown)
    return;

  g_printerr ("\r\033[K");
  run->partial_shown = FALSE;
}

static void
message_cb (StokSession        *session,
            StokSessionMessage *message,
            JsonNode           *parsed,
            Run                *run)
{
  g_autoptr(JsonNode) node = NULL;

  if (!run->options->json)
    return;

  node = stok_session_message_to_json (message, parsed);
  print_json_line (run, node);
}

/* The columns of the terminal on stderr, as it is now: a line longer
 * than that wraps, and the next partial would clear only its last row. */
static guint
terminal_columns (void)
{
  struct winsize size;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;

  return 80;
}

/* Where the end of @text that fits in @columns begins, wide characters
 * taking two, marks none. */
static const char *
tail_in_columns (const char *text,
                 guint       columns)
{
  const char *start = text + strlen (text);
  guint used = 0;

  while (start > text)
    {
      const char *previous = g_utf8_prev_char (start);
      gunichar c = g_utf8_get_char (previous);
      guint width = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (used + width > columns)
        break;
      used += width;
      start = previous;
    }

  return start;
}

static void
turn_changed_cb (StokTurn   *turn,
                 GParamSpec *pspec,
                 Run        *run)
{
  g_autofree char *text = NULL;
  const char *tail;
  guint columns;

  if (!run->terminal || stok_turn_get_end_of_turn (turn))
    return;

  text = stok_turn_dup_text (turn);

  /* The end of a long partial, on one row of the terminal, an ellipsis
   * before it, the last column left for the cursor. */
  columns = MAX (terminal_columns (), 4);
  tail = tail_in_columns (text, columns - 1);
  if (tail != text)
    tail = tail_in_columns (text, columns - 2);
  g_printerr ("\r\033[K%s%s", tail != text ? "…" : "", tail);
  run->partial_shown = TRUE;
}

static void
turns_changed_cb (GListModel *turns,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Run        *run)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (turns, i);

      g_signal_connect (turn, "notify::transcript", G_CALLBACK (turn_changed_cb), run);
      g_signal_connect (turn, "notify::n-words", G_CALLBACK (turn_changed_cb), run);
    }
}

static void
turn_ended_cb (StokSession *session,
               StokTurn    *turn,
               Run         *run)
{
  g_autofree char *text = NULL;

  if (run->options->json || run->options->mode != STOK_CLI_MODE_TRANSCRIBE)
    return;

  clear_partial (run);
  text = stok_turn_dup_text (turn);
  print_line (run, text);
}

static void
state_cb (StokSession *session,
          GParamSpec  *pspec,
          Run         *run)
{
  if (stok_session_get_state (session) != STOK_SESSION_STATE_STREAMING)
    return;

  if (!run->options->json && run->options->mode == STOK_CLI_MODE_VERIFY)
    {
      g_autofree char *expires_at = stok_cli_format_unix_utc (stok_session_get_expires_at (session));
      g_autofree char *line = NULL;

      line = g_strdup_printf ("Begin: session %s, session_expires_at %s",
                              stok_session_get_session_id (session) ? stok_session_get_session_id (session) : "?",
                              expires_at != NULL ? expires_at : "?");
      print_line (run, line);
    }

}

/* A turn the session ended before it was final: for someone finding out
 * why a session died, its words are the last that were heard. stdout,
 * which scripts read, keeps final turns alone. */
static void
print_cut_off_turn (Run *run)
{
  GListModel *turns = stok_session_get_turns (run->session);
  guint n = g_list_model_get_n_items (turns);
  g_autoptr(StokTurn) last = n > 0 ? g_list_model_get_item (turns, n - 1) : NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  if (last == NULL || !stok_turn_get_cut_off (last))
    return;

  text = stok_turn_dup_text (last);
  if (*text == '\0')
    return;

  /* Translators: the words of the last turn, which the session ended
   * before the server made them final */
  line = g_strdup_printf (_("Never final: %s"), text);
  g_printerr ("%s\n", line);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;
  StokSession *session = STOK_SESSION (object);
  gboolean completed;

  completed = stok_session_run_finish (session, result, &error);
  clear_partial (run);
  if (!run->options->json && run->options->mode == STOK_CLI_MODE_TRANSCRIBE)
    print_cut_off_turn (run);

  if (run->options->json)
    {
      g_autoptr(JsonNode) outcome = stok_session_to_json (session);

      print_json_line (run, outcome);
    }
  else if (completed && run->options->mode == STOK_CLI_MODE_VERIFY)
    {
      StokSessionFigures figures;
      g_autoptr(GString) line = g_string_new ("Termination");
      const char *separator = ": ";

      /* The fields as the server sent them: one it left out, or sent as
       * no number, is left out, not printed as 0. */
      stok_session_get_figures (session, &figures);
      if (figures.server_session_seconds >= 0)
        {
          g_string_append_printf (line, "%ssession_duration_seconds %g", separator, figures.server_session_seconds);
          separator = ", ";
        }
      if (figures.server_audio_seconds >= 0)
        g_string_append_printf (line, "%saudio_duration_seconds %g", separator, figures.server_audio_seconds);
      print_line (run, line->str);
    }

  if (!run->options->json && run->options->mode == STOK_CLI_MODE_TRANSCRIBE)
    {
      g_autofree char *figures = stok_session_dup_figures_text (session);

      if (*figures != '\0')
        g_printerr ("%s\n", figures);
    }

  /* After Begin too, an Error or an abnormal close is a failure, even
   * though the token did open a session; and a file not streamed to its
   * end is no transcription of it. */
  if (completed && stok_session_get_source_error (session) == NULL)
    {
      run->status = STOK_EXIT_OK;
    }
  else if (stok_cli_get_output_failed ())
    {
      /* The session ended because of it: the command line says that
       * itself, in place of the ending. */
      run->status = STOK_EXIT_FAILED;
    }
  else
    {
      g_autofree char *ending = stok_session_dup_ending (session);

      stok_cli_print_error (ending);
      run->status = STOK_EXIT_FAILED;
    }

  g_main_loop_quit (run->loop);
}

/**
 * stok_cli_run_session:
 * @options: what the command line asked for
 * @client: the client that minted @token, or any
 * @token: the token to redeem
 * @source: (nullable): the audio to stream, already checked; %NULL to
 *   verify
 * @cancellable: cancelling ends the session politely, Termination given
 *   a second, and the ending is printed as ever; cancelled here too when
 *   stdout fails
 *
 * Runs a session to its end, printing as it goes.
 *
 * Returns: the exit status
 */
int
stok_cli_run_session (StokCliOptions  *options,
                      StokTokenClient *client,
                      StokToken       *token,
                      StokAudioSource *source,
                      GCancellable    *cancellable)
{
  Run run = { 0 };

  run.options = options;
  run.loop = g_main_loop_new (NULL, FALSE);
  run.terminal = !options->json && isatty (STDERR_FILENO);
  run.status = STOK_EXIT_FAILED;
  run.cancellable = g_object_ref (cancellable);
  run.session = stok_session_new (client, token, options->params);
  stok_session_set_verify (run.session, source == NULL);
  stok_session_set_source (run.session, source);

  g_signal_connect (run.session, "message", G_CALLBACK (message_cb), &run);
  g_signal_connect (run.session, "turn-ended", G_CALLBACK (turn_ended_cb), &run);
  g_signal_connect (run.session, "notify::state", G_CALLBACK (state_cb), &run);
  g_signal_connect (stok_session_get_turns (run.session), "items-changed",
                    G_CALLBACK (turns_changed_cb), &run);

  run.output_watch_id = g_unix_fd_add (STDOUT_FILENO, G_IO_ERR | G_IO_HUP, output_gone_cb, &run);

  stok_session_run_async (run.session, run.cancellable, run_cb, &run);
  g_main_loop_run (run.loop);

  g_clear_handle_id (&run.output_watch_id, g_source_remove);

  g_signal_handlers_disconnect_by_data (stok_session_get_turns (run.session), &run);
  for (guint i = 0; i < g_list_model_get_n_items (stok_session_get_turns (run.session)); i++)
    {
      g_autoptr(StokTurn) turn = g_list_model_get_item (stok_session_get_turns (run.session), i);

      g_signal_handlers_disconnect_by_data (turn, &run);
    }
  g_clear_object (&run.session);
  g_clear_object (&run.cancellable);
  g_clear_pointer (&run.loop, g_main_loop_unref);

  return run.status;
}
