/* stok-session-ending.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every ending of a streaming session explained, for the window's card,
 * the command line's last line and its --json: what happened, what the
 * code means, and the server's own words, sanitized. */

#define G_LOG_DOMAIN "stok-session"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-close-code.h"
#include "stok-error.h"
#include "stok-json.h"
#include "stok-session-private.h"

const char *
stok_session_outcome_to_string (StokSessionOutcome outcome)
{
  switch (outcome)
    {
    case STOK_SESSION_OUTCOME_COMPLETED:
      return "completed";
    case STOK_SESSION_OUTCOME_REFUSED:
      return "refused";
    case STOK_SESSION_OUTCOME_FAILED:
      return "failed";
    case STOK_SESSION_OUTCOME_CANCELLED:
      return "cancelled";
    case STOK_SESSION_OUTCOME_NONE:
    default:
      return "none";
    }
}

/* The server's own words about the end: its Error message, else the
 * reason of its close frame. */
static const char *
server_words (StokSession *self)
{
  return self->error_message != NULL ? self->error_message : self->close_reason;
}

/* The code that tells why: the Error's, else the close frame's. */
static gushort
telling_code (StokSession *self)
{
  if (self->error_code > 0 && self->error_code <= G_MAXUINT16)
    return (gushort) self->error_code;

  return self->close_code;
}

/* Whether a refusal was a verdict on the token (or its account): a
 * refused parameter, a busy server or too many sessions say nothing of
 * it, and the server may still take it. */
gboolean
_stok_session_refusal_judges_token (StokSession *self)
{
  if (self->http_status != 0)
    return self->http_status == 401 || self->http_status == 403;

  return stok_close_code_lookup (telling_code (self))->blame == STOK_CLOSE_BLAME_TOKEN;
}

/* What @code meant here: before Begin the app has sent no message, so an
 * invalid one can only be the connection's parameters. */
static const char *
refusal_meaning (StokSession *self,
                 gushort      code)
{
  if (code == 3006 && !self->began)
    return _("The server did not take the session’s parameters.");

  return stok_close_code_meaning (code);
}

/* A Termination after Begin and no Error: the session ended cleanly,
 * politely if the app had asked for it with Terminate, by the server's
 * own doing if not. */
gboolean
_stok_session_get_terminated_cleanly (StokSession *self,
                                      gboolean     asked)
{
  return self->terminated && self->began && !self->error_received && self->terminate_sent == !!asked;
}

static gboolean
unasked_termination (StokSession *self)
{
  return _stok_session_get_terminated_cleanly (self, FALSE);
}

/* The server's Termination figures, "7" and "7.8" seconds of session and
 * of audio, or FALSE when it sent none. */
static gboolean
dup_termination_figures (StokSession  *self,
                         char        **session_s,
                         char        **audio_s)
{
  if (self->server_session_seconds < 0 || self->server_audio_seconds < 0)
    return FALSE;

  *session_s = stok_format_seconds (self->server_session_seconds);
  *audio_s = stok_format_seconds (self->server_audio_seconds);

  return TRUE;
}

/* Why the audio stopped, as a sentence. */
static void
append_audio_broke_off (GString     *text,
                        StokSession *self)
{
  /* Translators: %s says why the audio stopped, as a sentence */
  g_string_append_printf (text, _("The audio broke off: %s"), self->source_error->message);
  if (!stok_ends_sentence (text->str))
    g_string_append_c (text, '.');
}

static gboolean
dropped (StokSession *self)
{
  return !self->close_received && !self->too_big && self->broken_frame_code == 0 &&
         !self->termination_timed_out && !self->begin_timed_out;
}

/**
 * stok_session_dup_ending_title:
 * @self: a #StokSession
 *
 * Returns: (transfer full): a headline for how the session ended, or
 *   where it is while it runs
 */
char *
stok_session_dup_ending_title (StokSession *self)
{
  gushort code;

  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  code = telling_code (self);

  switch (self->outcome)
    {
    case STOK_SESSION_OUTCOME_COMPLETED:
      /* Ended politely, but not by the audio's end or by the user. */
      if (self->source_error != NULL)
        return g_strdup (stok_error_get_title (self->source_error));
      return g_strdup (_("Session completed"));

    case STOK_SESSION_OUTCOME_REFUSED:
      if (self->http_status != 0)
        /* Translators: %u is an HTTP status such as 401 */
        return g_strdup_printf (_("Refused with HTTP %u"), self->http_status);
      /* Translators: the meaning of a close code, then the code */
      return g_strdup_printf (_("Refused: %s (%u)"), stok_close_code_title (code), code);

    case STOK_SESSION_OUTCOME_FAILED:
      if (self->too_big)
        return g_strdup (_("Failed: a message was too big"));
      if (self->broken_frame_code != 0)
        return g_strdup (_("Failed: the server sent a broken frame"));
      if (self->begin_timed_out && !self->upgraded && self->request_sent)
        return g_strdup (_("Failed: no answer to the WebSocket upgrade"));
      if (self->begin_timed_out && !self->upgraded && self->error != NULL)
        return g_strdup (stok_error_get_title (self->error));
      if (self->begin_timed_out)
        return g_strdup (_("Failed: no Begin"));
      if (self->termination_timed_out)
        return g_strdup (_("Failed: no Termination"));
      if (unasked_termination (self))
        return g_strdup (_("Failed: the server ended the session"));
      if (self->error != NULL && !self->began)
        return g_strdup (stok_error_get_title (self->error));
      if (code != 0 && code != 1000)
        /* Translators: the meaning of a close code, then the code */
        return g_strdup_printf (_("Failed: %s (%u)"), stok_close_code_title (code), code);
      if (code == 1000)
        return g_strdup (_("Failed: closed before Termination"));
      return g_strdup (_("Failed: the connection dropped"));

    case STOK_SESSION_OUTCOME_CANCELLED:
      return g_strdup (_("Session stopped"));

    case STOK_SESSION_OUTCOME_NONE:
    default:
      break;
    }

  switch (self->state)
    {
    case STOK_SESSION_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));
    case STOK_SESSION_STATE_STREAMING:
      return g_strdup (_("Streaming"));
    case STOK_SESSION_STATE_ENDING:
      return g_strdup (_("Ending…"));
    case STOK_SESSION_STATE_IDLE:
    case STOK_SESSION_STATE_ENDED:
    default:
      return g_strdup (_("Not started"));
    }
}

static void
append_words (GString     *text,
              StokSession *self)
{
  const char *words = server_words (self);

  if (words == NULL || *words == '\0')
    return;

  if (stok_ends_sentence (words))
    /* Translators: the server's own message, quoted; it ends with its
     * own full stop, so none follows the quote */
    g_string_append_printf (text, _(" The server said: “%s”"), words);
  else
    /* Translators: the server's own message, quoted */
    g_string_append_printf (text, _(" The server said: “%s”."), words);
}

/* libsoup closed the connection on a frame of the server's that breaks
 * the protocol; the server only echoed the close. */
static void
append_broken_frame (GString     *text,
                     StokSession *self)
{
  gushort code = self->broken_frame_code;

  if (code == SOUP_WEBSOCKET_CLOSE_BAD_DATA)
    /* Translators: a close code and its name */
    g_string_append_printf (text, _("Failed: the server sent a text message that is not valid UTF-8, which the WebSocket protocol forbids, so the app closed the connection with %u (%s)."),
                            code, stok_close_code_title (code));
  else
    /* Translators: a close code and its name */
    g_string_append_printf (text, _("Failed: the server sent a frame that breaks the WebSocket protocol, so the app closed the connection with %u (%s)."),
                            code, stok_close_code_title (code));

  if (!self->began)
    g_string_append (text, _(" The server had not refused the token."));
}

static void
append_http_refusal (GString     *text,
                     StokSession *self)
{
  const char *meaning;

  switch (self->http_status)
    {
    case 401:
    case 403:
      meaning = _("the token, or the account, was not accepted");
      break;
    case 404:
      meaning = _("there is no streaming endpoint at that address");
      break;
    case 429:
      meaning = _("too many sessions or requests for now");
      break;
    default:
      meaning = self->http_status >= 500 ? _("the server had a problem")
                                         : _("the server did not take the connection");
      break;
    }

  /* Translators: an HTTP status, its reason phrase, then what it means */
  g_string_append_printf (text, _("Refused before Begin: the server answered the WebSocket upgrade with HTTP %u %s: %s."),
                          self->http_status, self->http_reason != NULL ? self->http_reason : "", meaning);
}

/**
 * stok_session_dup_ending:
 * @self: a #StokSession
 *
 * Returns: (transfer full): how the session ended, in a sentence or two:
 *   the command line's last line, the window's card
 */
char *
stok_session_dup_ending (StokSession *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gushort code;

  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  code = telling_code (self);

  switch (self->outcome)
    {
    case STOK_SESSION_OUTCOME_COMPLETED:
      if (self->source_error != NULL)
        {
          g_autofree char *session_s = NULL;
          g_autofree char *audio_s = NULL;

          append_audio_broke_off (text, self);
          g_string_append_c (text, ' ');
          if (dup_termination_figures (self, &session_s, &audio_s))
            /* Translators: seconds of session and of audio, as the
             * server counted them: "7", "7.8" or "7.85" */
            g_string_append_printf (text, _("The session then ended politely, with Termination after %s s of session and %s s of audio."),
                                    session_s, audio_s);
          else
            g_string_append (text, _("The session then ended politely, with Termination."));
        }
      else if (self->server_session_seconds >= 0 && self->server_audio_seconds >= 0)
        {
          g_autofree char *session_s = stok_format_seconds (self->server_session_seconds);
          g_autofree char *audio_s = stok_format_seconds (self->server_audio_seconds);

          /* Translators: seconds of session and of audio, as the server
           * counted them: "7", "7.8" or "7.85" */
          g_string_append_printf (text, _("Completed: Termination after %s s of session and %s s of audio."),
                                  session_s, audio_s);
        }
      else
        g_string_append (text, _("Completed: the server sent Termination."));
      break;

    case STOK_SESSION_OUTCOME_REFUSED:
      if (self->http_status != 0)
        append_http_refusal (text, self);
      else if (!self->close_received && self->error_code >= 0)
        /* Translators: an error code, its name and its meaning; the
         * server sent it but did not close, so the app did */
        g_string_append_printf (text, _("Refused before Begin: the server sent Error %u (%s). %s"),
                                code, stok_close_code_title (code), refusal_meaning (self, code));
      else if (!self->close_received && self->error_received)
        g_string_append (text, _("Refused before Begin: the server sent an Error without a code."));
      else
        /* Translators: a close code, its name and its meaning */
        g_string_append_printf (text, _("Refused before Begin: closed with %u (%s). %s"),
                                code, stok_close_code_title (code), refusal_meaning (self, code));
      append_words (text, self);
      break;

    case STOK_SESSION_OUTCOME_FAILED:
      if (self->too_big)
        {
          g_autofree char *limit = g_format_size_full (STOK_SESSION_MAX_MESSAGE, G_FORMAT_SIZE_IEC_UNITS);

          /* Translators: %s is a size such as "1.0 MiB" */
          g_string_append_printf (text, _("Failed: the server sent a message larger than %s, the most this app takes, so the app closed the connection. The limit is the app’s, not a refusal by the server."),
                                  limit);
        }
      else if (self->broken_frame_code != 0)
        append_broken_frame (text, self);
      else if (self->begin_timed_out && !self->upgraded && self->request_sent)
        g_string_append_printf (text, _("Failed: the server did not answer the WebSocket upgrade within %u s, so the app gave up."),
                                self->begin_timeout_ms / 1000);
      else if (self->begin_timed_out && !self->upgraded && self->error != NULL)
        g_string_append (text, self->error->message);
      else if (self->begin_timed_out)
        g_string_append_printf (text, _("Failed: no Begin came within %u s, so the app closed the connection."),
                                self->begin_timeout_ms / 1000);
      else if (self->termination_timed_out)
        g_string_append_printf (text, _("Failed: no Termination came within %u s of Terminate, so the app closed the connection."),
                                self->termination_timeout_ms / 1000);
      else if (unasked_termination (self))
        {
          g_autofree char *session_s = NULL;
          g_autofree char *audio_s = NULL;

          if (dup_termination_figures (self, &session_s, &audio_s))
            /* Translators: seconds of session and of audio, as the
             * server counted them: "7", "7.8" or "7.85" */
            g_string_append_printf (text, _("Failed after Begin: the server sent Termination after %s s of session and %s s of audio before the app sent Terminate, ending the session itself."),
                                    session_s, audio_s);
          else
            g_string_append (text, _("Failed after Begin: the server sent Termination before the app sent Terminate, ending the session itself."));
          if (self->source_error != NULL)
            {
              g_string_append_c (text, ' ');
              append_audio_broke_off (text, self);
            }
        }
      else if (self->error != NULL && !self->began)
        g_string_append (text, self->error->message);
      else if (self->error_code >= 0)
        {
          /* Translators: an error code, its name and its meaning */
          g_string_append_printf (text, _("Failed after Begin: the server sent Error %u (%s). %s"),
                                  code, stok_close_code_title (code), stok_close_code_meaning (code));
          append_words (text, self);
        }
      else if (self->error_received)
        {
          g_string_append (text, _("Failed after Begin: the server sent an Error without a code."));
          append_words (text, self);
        }
      else if (code == 1000)
        g_string_append (text, _("Failed after Begin: the server closed the session normally but sent no Termination."));
      else if (code != 0)
        {
          /* Translators: a close code, its name and its meaning */
          g_string_append_printf (text, _("Failed: closed with %u (%s) before Termination. %s"),
                                  code, stok_close_code_title (code), stok_close_code_meaning (code));
          append_words (text, self);
        }
      else if (dropped (self) && self->began)
        g_string_append (text, _("Failed after Begin: the connection dropped without a close frame; the network or the server cut it."));
      else
        g_string_append (text, _("Failed before Begin: the connection dropped without a close frame."));
      break;

    case STOK_SESSION_OUTCOME_CANCELLED:
      if (self->began)
        g_string_append (text, _("Stopped: the app closed the session before Termination came."));
      else
        g_string_append (text, _("Stopped before the session began."));
      break;

    case STOK_SESSION_OUTCOME_NONE:
    default:
      {
        g_autofree char *title = stok_session_dup_ending_title (self);

        g_string_append (text, title);
      }
      break;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Codes that say the fault was the server's, and passing. */
static gboolean
is_server_trouble (gushort code,
                   guint   http_status)
{
  return http_status >= 500 || code == 1001 || code == 1011 || code == 1012 ||
         code == 1013 || code == 1014 || code == 3005;
}

/**
 * stok_session_dup_advice:
 * @self: a #StokSession that ended
 *
 * Returns: (transfer full) (nullable): what to do next, in a sentence,
 *   for an ending that calls for more than starting again, or %NULL
 */
char *
stok_session_dup_advice (StokSession *self)
{
  gushort code;

  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  code = telling_code (self);

  switch (self->outcome)
    {
    case STOK_SESSION_OUTCOME_REFUSED:
      if (self->http_status == 401 || self->http_status == 403 || code == 1008 || code == 4001)
        return g_strdup (_("A token opens one session, within its redemption window: start again with a new one. If the server refuses that too, check the API key and that the account may stream."));
      if (self->http_status == 404)
        return g_strdup (_("Check the region in Preferences: a custom server must be a streaming server."));
      if (self->http_status == 429 || code == 3009 || code == 4102)
        return g_strdup (_("End the other sessions open on the account, or let them end, then start again."));
      if (is_server_trouble (code, self->http_status))
        return g_strdup (_("The trouble was on the server’s side: start again in a moment."));
      break;

    case STOK_SESSION_OUTCOME_FAILED:
      if (self->begin_timed_out)
        return g_strdup (_("Check the region in Preferences: a custom server must be a streaming server, and a proxy on the way must let WebSocket messages through."));
      if (self->broken_frame_code != 0)
        return g_strdup (_("A proxy between here and the server may be changing what passes through it."));
      if (unasked_termination (self))
        return g_strdup (_("A server ends a session itself when the inactivity_timeout it was given runs out, or when it shuts down: start again."));
      if (code == 3008 || code == 4008)
        return g_strdup (_("To stream for longer, mint a token with a longer maximum session duration, up to 3 h."));
      if (code == 3009 || code == 4102)
        return g_strdup (_("End the other sessions open on the account, or let them end, then start again."));
      if (is_server_trouble (code, 0))
        return g_strdup (_("The trouble was on the server’s side: start again in a moment."));
      if (dropped (self))
        return g_strdup (_("Check the network, and any proxy between here and the server, then start again."));
      break;

    case STOK_SESSION_OUTCOME_COMPLETED:
      if (self->source_error != NULL)
        return g_strdup (stok_error_get_advice (self->source_error));
      break;

    case STOK_SESSION_OUTCOME_CANCELLED:
    case STOK_SESSION_OUTCOME_NONE:
    default:
      break;
    }

  return NULL;
}

static void
append_figure (GString    *text,
               const char *name,
               gint64      value_us)
{
  if (value_us < 0)
    return;

  if (text->len > 0)
    g_string_append (text, "\n");
  /* Translators: a figure's name, then milliseconds */
  g_string_append_printf (text, _("%s: %.0f ms"), name, (double) stok_round_ms (value_us));
}

/**
 * stok_session_dup_figures_text:
 * @self: a #StokSession
 *
 * Returns: (transfer full): the latency figures measured so far, one a
 *   line, and the audio sent against what the server counted
 */
char *
stok_session_dup_figures_text (StokSession *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  StokSessionFigures figures;

  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  stok_session_get_figures (self, &figures);

  append_figure (text, _("Connect to Begin"), figures.connect_to_begin_us);
  append_figure (text, _("First audio to first partial"), figures.first_audio_to_first_partial_us);
  append_figure (text, _("Median end of speech to final turn"), figures.median_turn_latency_us);
  append_figure (text, _("End of audio to final turn"), figures.end_of_audio_to_final_us);
  append_figure (text, _("ForceEndpoint to final turn"), figures.force_endpoint_to_final_us);
  append_figure (text, _("Terminate to Termination"), figures.terminate_to_termination_us);

  if (figures.n_frames_sent > 0)
    {
      if (text->len > 0)
        g_string_append (text, "\n");
      if (figures.server_audio_seconds >= 0)
        /* Translators: seconds of audio sent, then as the server counted them */
        g_string_append_printf (text, _("Audio sent: %.2f s; the server counted %.2f s"),
                                figures.audio_sent_us / (double) G_USEC_PER_SEC,
                                figures.server_audio_seconds);
      else
        g_string_append_printf (text, _("Audio sent: %.2f s"),
                                figures.audio_sent_us / (double) G_USEC_PER_SEC);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_ms (JsonBuilder *builder,
        const char  *name,
        gint64       value_us)
{
  if (value_us < 0)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, (double) (value_us / 1000) + (double) (value_us % 1000) / 1000.0);
}

static char *
format_unix_time (gint64 seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (seconds);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/**
 * stok_session_to_json:
 * @self: a #StokSession
 *
 * Returns: (transfer full): the outcome and the figures, as the last line
 *   of `--json`. Times are ISO 8601 in UTC, durations carry their unit in
 *   their name.
 */
JsonNode *
stok_session_to_json (StokSession *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *ending = NULL;
  StokSessionFigures figures;

  g_return_val_if_fail (STOK_IS_SESSION (self), NULL);

  ending = stok_session_dup_ending (self);
  stok_session_get_figures (self, &figures);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Outcome");
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, stok_session_outcome_to_string (self->outcome));
  json_builder_set_member_name (builder, "ending");
  json_builder_add_string_value (builder, ending);
  if (self->session_id != NULL)
    {
      json_builder_set_member_name (builder, "session_id");
      json_builder_add_string_value (builder, self->session_id);
    }
  if (self->expires_at > 0)
    {
      g_autofree char *expires_at = format_unix_time (self->expires_at);

      if (expires_at != NULL)
        {
          json_builder_set_member_name (builder, "session_expires_at");
          json_builder_add_string_value (builder, expires_at);
        }
    }
  if (self->http_status != 0)
    {
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, self->http_status);
    }
  if (self->close_code != 0)
    {
      json_builder_set_member_name (builder, "close_code");
      json_builder_add_int_value (builder, self->close_code);
    }
  if (self->close_reason != NULL)
    {
      json_builder_set_member_name (builder, "close_reason");
      json_builder_add_string_value (builder, self->close_reason);
    }
  if (self->error_code >= 0)
    {
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_int_value (builder, self->error_code);
    }
  if (self->error_message != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, self->error_message);
    }

  add_ms (builder, "connect_to_begin_ms", figures.connect_to_begin_us);
  add_ms (builder, "first_audio_to_first_partial_ms", figures.first_audio_to_first_partial_us);
  add_ms (builder, "median_turn_latency_ms", figures.median_turn_latency_us);
  add_ms (builder, "end_of_audio_to_final_ms", figures.end_of_audio_to_final_us);
  add_ms (builder, "force_endpoint_to_final_ms", figures.force_endpoint_to_final_us);
  add_ms (builder, "terminate_to_termination_ms", figures.terminate_to_termination_us);
  json_builder_set_member_name (builder, "audio_sent_seconds");
  json_builder_add_double_value (builder, figures.audio_sent_us / (double) G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "frames_sent");
  json_builder_add_int_value (builder, figures.n_frames_sent);
  if (figures.server_audio_seconds >= 0)
    {
      json_builder_set_member_name (builder, "server_audio_duration_seconds");
      json_builder_add_double_value (builder, figures.server_audio_seconds);
    }
  if (figures.server_session_seconds >= 0)
    {
      json_builder_set_member_name (builder, "server_session_duration_seconds");
      json_builder_add_double_value (builder, figures.server_session_seconds);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
