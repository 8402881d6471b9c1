/* stok-fake-session.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One streaming session of the fake server, `/v3/ws` once a token is
 * accepted: the parameters of the upgrade, Begin, audio frames checked
 * for size and pace, voice detected in them, SpeechStarted, partial and
 * final turns, ForceEndpoint, UpdateConfiguration, KeepAlive, Terminate
 * and Termination, the session cap, and the faults a test asks for.
 *
 * It does not recognise speech. Its words are stand-ins whose timings
 * follow the voiced audio, so that a client can be tested on what it
 * does with turns without a speech recogniser in the loop.
 *
 * Where spec/PROTOCOL.md leaves a rule open, the rules[] table below says
 * what the fake does and that it is a guess; README.md carries the same
 * table, printed by `fake-token-server --rules`, and a test keeps the two
 * equal. Everything is measured in audio received, not in wall time,
 * except the pace and the session cap, so that turns are deterministic. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "stok-fake-session.h"

/* RFC 6455 leaves 123 bytes for a close reason after the code. */
#define MAX_CLOSE_REASON 123

#define CLOSE_INVALID_MESSAGE 3006
#define CLOSE_AUDIO_VIOLATION 3007
#define CLOSE_SESSION_EXPIRED 3008

/* The numbers the rules below state, in one place. */
#define DEFAULT_SPEECH_MODEL   "universal-3-6-pro"
#define SAMPLE_RATE_MIN        8000
#define SAMPLE_RATE_MAX        48000
#define SILENCE_MAX_MS         10000
#define FRAME_MIN_MS           50
#define FRAME_MAX_MS           1000
#define PACE_AHEAD_MAX_MS      1000
#define VOICE_WINDOW_MS        10
#define VOICE_THRESHOLD_DBFS   (-45.0)
#define WORD_GAP_MS            100
#define WORD_MAX_MS            400
#define PARTIAL_EVERY_MS       300
#define WORD_CONFIDENCE        0.92
#define LOW_WORD_CONFIDENCE    0.45
#define LOW_CONFIDENCE_EVERY   5
#define HUGE_TEXT_DEFAULT      (2 * 1024 * 1024)
/* What a session keeps for tests, so that a long session of the offline
 * demo does not grow without end: three hours of 50 ms frames. */
#define KEEP_MAX_FRAMES        216000
#define KEEP_MAX_MESSAGES      20000
#define FLOOD_BATCH            64
#define FLOOD_MAX_WORDS        24

/* Stand-ins that say what they are, cycled through word after word. */
static const char * const stand_in_words[] = {
  "stand-in", "words", "from", "the", "fake", "server",
};

static const char * const known_models[] = {
  "universal-streaming-english",
  "universal-streaming-multilingual",
  "u3-rt-pro",
  "u3-pro",
  "universal-3-5-pro",
  "universal-3-6-pro",
  "whisper-rt",
};

typedef enum
{
  KIND_RULE,        /* not a parameter: a rule of the session */
  KIND_MODEL,
  KIND_RATE,
  KIND_ENCODING,
  KIND_BOOLEAN,
  KIND_FRACTION,
  KIND_MS,
  KIND_TERMS,
} Kind;

typedef struct
{
  const char *name;
  Kind kind;
  const char *fallback;   /* a parameter's default, as text */
  const char *rule;       /* what the fake does, as README.md says it */
  const char *source;     /* PROTOCOL.md, or why it is a guess */
} Rule;

enum
{
  RULE_TOKEN,
  RULE_SPEECH_MODEL,
  RULE_SAMPLE_RATE,
  RULE_ENCODING,
  RULE_FORMAT_TURNS,
  RULE_THRESHOLD,
  RULE_MIN_SILENCE,
  RULE_MIN_SILENCE_OLD,
  RULE_MAX_SILENCE,
  RULE_KEYTERMS,
  RULE_OTHER_PARAMETERS,
  RULE_REFUSAL,
  RULE_BEGIN,
  RULE_FRAMES,
  RULE_PACE,
  RULE_CAP,
  RULE_VOICE,
  RULE_WORDS,
  RULE_SPEECH_STARTED,
  RULE_PARTIALS,
  RULE_END_OF_TURN,
  RULE_FORMATTED,
  RULE_FORCE_ENDPOINT,
  RULE_UPDATE_CONFIGURATION,
  RULE_KEEP_ALIVE,
  RULE_TERMINATE,
  RULE_INVALID_MESSAGES,
  N_RULES
};

/* The fake server's rules: the parameters it checks at the upgrade, and
 * how the session goes. The parameter rows drive the checks; the numbers
 * of the other rows are the #defines above. */
static const Rule rules[N_RULES] = {
  [RULE_TOKEN] = {
    "`token`", KIND_RULE, NULL,
    "Missing, not minted here, already used, or past its redemption window: "
    "`Error` 1008 with the reason, then close 1008, before `Begin`. Checked "
    "before the other parameters.",
    "PROTOCOL.md (code); the order is a guess" },
  [RULE_SPEECH_MODEL] = {
    "speech_model", KIND_MODEL, DEFAULT_SPEECH_MODEL,
    "One of `universal-streaming-english`, `universal-streaming-multilingual`, "
    "`u3-rt-pro`, `u3-pro`, `universal-3-5-pro`, `universal-3-6-pro`, "
    "`whisper-rt`. Missing: `" DEFAULT_SPEECH_MODEL "`, the default of the "
    "newest docs. Anything else is refused.",
    "PROTOCOL.md; the default follows the newest docs" },
  [RULE_SAMPLE_RATE] = {
    "sample_rate", KIND_RATE, NULL,
    "An integer from 8000 to 48000 (Hz). Required: both encodings are PCM.",
    "PROTOCOL.md; the range is a guess" },
  [RULE_ENCODING] = {
    "encoding", KIND_ENCODING, "pcm_s16le",
    "`pcm_s16le` (default) or `pcm_mulaw`. `opus`, `ogg_opus` and `aac` are "
    "refused because the fake cannot decode them (the real server takes "
    "them); anything else is refused.",
    "PROTOCOL.md; refusing the compressed ones is the fake's limit" },
  [RULE_FORMAT_TURNS] = {
    "format_turns", KIND_BOOLEAN, "false",
    "`true` or `false` in any case (Python's `urlencode` sends `True`); "
    "default `false`.",
    "PROTOCOL.md; the case is a guess" },
  [RULE_THRESHOLD] = {
    "end_of_turn_confidence_threshold", KIND_FRACTION, "0.4",
    "A number from 0 to 1; default 0.4.",
    "PROTOCOL.md" },
  [RULE_MIN_SILENCE] = {
    "min_turn_silence", KIND_MS, "400",
    "An integer from 0 to 10000 (ms); default 400.",
    "PROTOCOL.md; the range is a guess" },
  [RULE_MIN_SILENCE_OLD] = {
    "min_end_of_turn_silence_when_confident", KIND_MS, NULL,
    "The older name of `min_turn_silence`, taken the same way.",
    "PROTOCOL.md" },
  [RULE_MAX_SILENCE] = {
    "max_turn_silence", KIND_MS, "1280",
    "An integer from 0 to 10000 (ms); default 1280.",
    "PROTOCOL.md; the range is a guess" },
  [RULE_KEYTERMS] = {
    "keyterms_prompt", KIND_TERMS, NULL,
    "A JSON array of strings, as text; echoed in `Begin`, else unused.",
    "PROTOCOL.md" },
  [RULE_OTHER_PARAMETERS] = {
    "other parameters", KIND_RULE, NULL,
    "Ignored, known (`prompt`, `language_detection`, `inactivity_timeout`, "
    "`vad_threshold`, ...) or not.",
    "guess: the SDKs pass them through" },
  [RULE_REFUSAL] = {
    "a refused parameter", KIND_RULE, NULL,
    "After the upgrade (101): `Error` 3006 `Invalid parameter: <name> ...`, "
    "then close 3006 with the same words cut to 123 bytes; no `Begin`, and "
    "the token is not spent.",
    "guess: PROTOCOL.md does not say how" },
  [RULE_BEGIN] = {
    "`Begin`", KIND_RULE, NULL,
    "`id` (a UUID), `expires_at` (unix seconds: now plus the token's "
    "session cap) and `configuration`, the effective parameters.",
    "PROTOCOL.md; the shape of `configuration` is a guess" },
  [RULE_FRAMES] = {
    "audio frames", KIND_RULE, NULL,
    "Each binary frame holds 50 to 1000 ms at the session's rate and "
    "encoding (2 bytes a sample for s16le, 1 for mu-law), else `Error` 3007 "
    "naming the duration received, and close 3007. Frames before `Begin` "
    "are recorded, not checked.",
    "PROTOCOL.md" },
  [RULE_PACE] = {
    "pace", KIND_RULE, NULL,
    "Audio received more than 1000 ms ahead of the wall time since `Begin`: "
    "`Error` 3007 `... sent faster than real time`, close 3007.",
    "PROTOCOL.md; the 1 s allowance is a guess" },
  [RULE_CAP] = {
    "session cap", KIND_RULE, NULL,
    "When the server's clock reaches `Begin` plus the token's "
    "`max_session_duration_seconds`: `Error` 3008, close 3008.",
    "PROTOCOL.md" },
  [RULE_VOICE] = {
    "voice", KIND_RULE, NULL,
    "Audio is cut in 10 ms windows (mu-law decoded first); a window is "
    "voiced when its RMS is above -45 dBFS.",
    "the fake's own" },
  [RULE_WORDS] = {
    "words", KIND_RULE, NULL,
    "Stand-ins, never recognised speech: `stand-in words from the fake "
    "server`, over and over. A word is a run of voiced windows that ends at "
    "100 ms of silence and is cut at 400 ms; `start` and `end` are ms of "
    "audio; `confidence` 0.92, every 5th word 0.45.",
    "the fake's own" },
  [RULE_SPEECH_STARTED] = {
    "`SpeechStarted`", KIND_RULE, NULL,
    "At the first voiced window of a turn; `timestamp` is its start in ms "
    "of audio.",
    "PROTOCOL.md" },
  [RULE_PARTIALS] = {
    "partial turns", KIND_RULE, NULL,
    "`end_of_turn` false, with all the words so far: sent when a word ends "
    "and after each 300 ms of voiced audio. Every word is final but the "
    "last; `transcript` holds the final ones, so a turn's first partial has "
    "a word and an empty transcript.",
    "PROTOCOL.md; the cadence is the fake's own" },
  [RULE_END_OF_TURN] = {
    "end of turn", KIND_RULE, NULL,
    "`end_of_turn_confidence` is min(1, trailing silence / "
    "`max_turn_silence`); the turn ends when the silence reaches "
    "`min_turn_silence` with the confidence at the threshold, or reaches "
    "`max_turn_silence`; in ms of audio received. The final turn has "
    "`end_of_turn` true, every word final; `turn_order` counts from 0.",
    "PROTOCOL.md; the formula is the fake's own" },
  [RULE_FORMATTED] = {
    "formatted turns", KIND_RULE, NULL,
    "With `format_turns`, each final turn is sent again with "
    "`turn_is_formatted` true: the first word capitalized, a full stop after "
    "the last.",
    "PROTOCOL.md" },
  [RULE_FORCE_ENDPOINT] = {
    "`ForceEndpoint`", KIND_RULE, NULL,
    "Ends the turn in progress at once as a final turn; with no turn in "
    "progress, nothing is sent.",
    "PROTOCOL.md; the second half is a guess" },
  [RULE_UPDATE_CONFIGURATION] = {
    "`UpdateConfiguration`", KIND_RULE, NULL,
    "Any of `end_of_turn_confidence_threshold`, `min_turn_silence` (or its "
    "older name) and `max_turn_silence`, taken for what follows; `null` "
    "leaves one as it is, other members are ignored. Out of range or of "
    "the wrong type: `Error` 3006, close 3006.",
    "PROTOCOL.md; the refusal is a guess" },
  [RULE_KEEP_ALIVE] = {
    "`KeepAlive`", KIND_RULE, NULL,
    "Accepted, not answered.",
    "PROTOCOL.md" },
  [RULE_TERMINATE] = {
    "`Terminate`", KIND_RULE, NULL,
    "The turn in progress ends as a final turn, then `Termination`: "
    "`audio_duration_seconds`, the audio received (an integer when whole, "
    "else 3 decimals), and `session_duration_seconds`, whole seconds since "
    "`Begin` on the server's clock; then close 1000.",
    "PROTOCOL.md; AssemblyAI's spec types both as integers" },
  [RULE_INVALID_MESSAGES] = {
    "invalid messages", KIND_RULE, NULL,
    "Not JSON, no `type`, or a type the server does not know: `Error` 3006, "
    "close 3006.",
    "PROTOCOL.md (code); the unknown type is a guess" },
};

typedef enum
{
  ENCODING_PCM_S16LE,
  ENCODING_PCM_MULAW,
} Encoding;

typedef struct
{
  gint64 start_ms;
  gint64 end_ms;
  guint number;      /* across the session: picks its text and confidence */
} Word;

struct _StokFakeSession
{
  GObject parent_instance;

  SoupWebsocketConnection *connection;
  StokClock *clock;
  char *id;

  /* The effective parameters, as text, for Begin and for tests. */
  GHashTable *parameters;
  char *speech_model;
  guint sample_rate;
  Encoding encoding;
  gboolean format_turns;
  double threshold;
  gint64 min_silence_ms;
  gint64 max_silence_ms;
  JsonNode *keyterms;

  StokFakeFaultSpec fault;
  char *fault_reason;
  gint64 max_session_seconds;

  /* What came and went, for tests. */
  GPtrArray *frames;
  GPtrArray *received;
  GPtrArray *sent;
  GHashTable *n_sent_by_type;
  guint n_final_turns;

  guint begin_source_id;
  guint fault_source_id;
  guint cap_source_id;
  guint flood_source_id;
  gulong clock_changed_id;
  gint64 begin_clock_us;
  gint64 begin_sent_us;
  guint n_frames_since_begin;
  gboolean began;
  gboolean ending;          /* an Error, a close or Termination is on its way */
  gboolean finished;

  /* The audio received, and how far voice detection has read it. */
  gint64 n_bytes;
  guint8 odd_byte;
  gboolean has_odd_byte;
  guint window_length;
  guint window_fill;
  double window_energy;
  gint64 n_windowed_samples;
  double voiced_energy;

  /* The turn in progress. */
  GArray *words;
  gboolean in_turn;
  gboolean word_open;
  gint64 word_start_ms;
  gint64 voiced_end_ms;
  gint64 voiced_since_partial_ms;
  guint turn_order;
  guint n_words;

  /* A flood's progress. */
  guint flood_turn;
  guint flood_partials_in_turn;
  guint flood_turn_words;
};

G_DEFINE_FINAL_TYPE (StokFakeSession, stok_fake_session, G_TYPE_OBJECT)

enum {
  MESSAGE_SENT,
  MESSAGE_RECEIVED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
message_free (gpointer data)
{
  StokFakeMessage *message = data;

  g_free (message->text);
  g_free (message->type);
  g_free (message);
}

static void
session_stop_timers (StokFakeSession *self)
{
  g_clear_handle_id (&self->begin_source_id, g_source_remove);
  g_clear_handle_id (&self->fault_source_id, g_source_remove);
  g_clear_handle_id (&self->cap_source_id, g_source_remove);
  g_clear_handle_id (&self->flood_source_id, g_source_remove);
  g_clear_signal_handler (&self->clock_changed_id, self->clock);
}

/* Lets go of the connection, once, and says so: the session keeps what
 * it recorded for the tests that ask afterwards. */
static void
session_finish (StokFakeSession *self,
                gushort          code,
                const char      *reason)
{
  g_autoptr(StokFakeSession) hold = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;

  if (self->finished)
    return;

  /* Whoever listens may drop the last reference to the session. */
  hold = g_object_ref (self);
  self->finished = TRUE;
  self->ending = TRUE;
  session_stop_timers (self);
  connection = g_steal_pointer (&self->connection);
  if (connection != NULL)
    g_signal_handlers_disconnect_by_data (connection, self);

  g_signal_emit (self, signals[CLOSED], 0, (guint) code, reason);
}

static void
stok_fake_session_dispose (GObject *object)
{
  StokFakeSession *self = (StokFakeSession *)object;

  session_stop_timers (self);
  if (self->connection != NULL)
    g_signal_handlers_disconnect_by_data (self->connection, self);
  g_clear_object (&self->connection);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (stok_fake_session_parent_class)->dispose (object);
}

static void
stok_fake_session_finalize (GObject *object)
{
  StokFakeSession *self = (StokFakeSession *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->parameters, g_hash_table_unref);
  g_clear_pointer (&self->speech_model, g_free);
  g_clear_pointer (&self->keyterms, json_node_unref);
  g_clear_pointer (&self->fault_reason, g_free);
  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_pointer (&self->received, g_ptr_array_unref);
  g_clear_pointer (&self->sent, g_ptr_array_unref);
  g_clear_pointer (&self->n_sent_by_type, g_hash_table_unref);
  g_clear_pointer (&self->words, g_array_unref);

  G_OBJECT_CLASS (stok_fake_session_parent_class)->finalize (object);
}

static void
stok_fake_session_class_init (StokFakeSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_fake_session_dispose;
  object_class->finalize = stok_fake_session_finalize;

  /**
   * StokFakeSession::message-sent:
   * @message: the #StokFakeMessage, valid while the session lives
   *
   * A text frame went to the client. Flood messages are counted but not
   * signalled, nor kept.
   */
  signals[MESSAGE_SENT] =
    g_signal_new ("message-sent",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * StokFakeSession::message-received:
   * @message: the #StokFakeMessage, valid while the session lives
   *
   * A text frame came from the client.
   */
  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  /**
   * StokFakeSession::closed:
   * @code: the close code, 1006 when the connection was dropped
   * @reason: (nullable): the close reason
   *
   * The connection is gone; the session keeps what it recorded.
   */
  signals[CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
stok_fake_session_init (StokFakeSession *self)
{
  self->id = g_uuid_string_random ();
  self->parameters = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->frames = g_ptr_array_new_with_free_func (g_free);
  self->received = g_ptr_array_new_with_free_func (message_free);
  self->sent = g_ptr_array_new_with_free_func (message_free);
  self->n_sent_by_type = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->words = g_array_new (FALSE, FALSE, sizeof (Word));
}

/* JSON written by hand, so that numbers read as a server writes them
 * (0.45, not json-glib's 0.45000000000000001). */

static void
append_string (GString    *out,
               const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if (*p < 0x20)
        {
          g_string_append_printf (out, "\\u%04x", *p);
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* A number that always reads as a fraction, with at most 3 decimals. */
static char *
dup_fraction (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize length;

  g_ascii_formatd (buffer, sizeof buffer, "%.3f", value);
  length = strlen (buffer);
  while (length > 2 && buffer[length - 1] == '0' && buffer[length - 2] != '.')
    buffer[--length] = '\0';

  return g_strdup (buffer);
}

static void
append_fraction (GString *out,
                 double   value)
{
  g_autofree char *text = dup_fraction (value);

  g_string_append (out, text);
}

static char *
format_ms (double ms)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (ms == floor (ms))
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) ms);

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.1f", ms));
}

static char *
dup_close_reason (const char *reason)
{
  const char *end;

  if (reason == NULL || strlen (reason) <= MAX_CLOSE_REASON)
    return g_strdup (reason);

  /* libsoup turns a longer reason into a protocol error; cut it on a
   * character boundary, since it must stay valid UTF-8. */
  end = reason + MAX_CLOSE_REASON;
  while (end > reason && ((guchar) *end & 0xC0) == 0x80)
    end--;

  return g_strndup (reason, end - reason);
}

static gboolean
session_is_open (StokFakeSession *self)
{
  return self->connection != NULL &&
         soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

static gint64
session_audio_us (StokFakeSession *self)
{
  gint64 bytes_per_second;

  if (self->sample_rate == 0)
    return 0;

  bytes_per_second = (gint64) self->sample_rate * (self->encoding == ENCODING_PCM_S16LE ? 2 : 1);
  return self->n_bytes * G_USEC_PER_SEC / bytes_per_second;
}

static StokFakeMessage *
message_new (StokFakeSession *self,
             const char      *text,
             const char      *type)
{
  StokFakeMessage *message = g_new0 (StokFakeMessage, 1);

  message->text = g_strdup (text);
  message->type = g_strdup (type);
  message->at_us = g_get_monotonic_time ();
  message->audio_us = session_audio_us (self);

  return message;
}

static void
count_sent (StokFakeSession *self,
            const char      *type)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->n_sent_by_type, type));

  g_hash_table_replace (self->n_sent_by_type, g_strdup (type), GUINT_TO_POINTER (n + 1));
}

/* Sends @text, of type @type (NULL when it is not a message at all),
 * and keeps it unless it is part of a flood. */
static void
session_send (StokFakeSession *self,
              const char      *type,
              const char      *text,
              gboolean         keep)
{
  StokFakeMessage *message;

  if (!session_is_open (self))
    return;

  soup_websocket_connection_send_text (self->connection, text);
  count_sent (self, type != NULL ? type : "");

  if (!keep)
    return;

  message = message_new (self, text, type);
  g_signal_emit (self, signals[MESSAGE_SENT], 0, message);
  if (self->sent->len < KEEP_MAX_MESSAGES)
    g_ptr_array_add (self->sent, message);
  else
    message_free (message);
}

/* Ends the session as the real server ends one on an error: an Error
 * message that carries the close code, then the close itself. */
static void
session_fail (StokFakeSession *self,
              gushort          code,
              const char      *text)
{
  g_autofree char *reason = NULL;
  g_autofree char *valid = NULL;

  if (self->ending || !session_is_open (self))
    return;

  self->ending = TRUE;
  session_stop_timers (self);
  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  reason = dup_close_reason (valid);

  if (code != SOUP_WEBSOCKET_CLOSE_NORMAL)
    {
      g_autoptr(GString) message = g_string_new ("{\"type\":\"Error\",\"error_code\":");

      g_string_append_printf (message, "%u,\"error\":", code);
      append_string (message, valid);
      g_string_append_c (message, '}');
      session_send (self, "Error", message->str, TRUE);
    }

  soup_websocket_connection_close (self->connection, code, reason);
}

/* Words and turns. */

static double
session_confidence (StokFakeSession *self,
                    gint64           position_ms)
{
  gint64 silence = MAX (position_ms - self->voiced_end_ms, 0);

  if (self->max_silence_ms <= 0)
    return 1.0;

  return MIN (1.0, (double) silence / (double) self->max_silence_ms);
}

static void
append_word (GString    *out,
             const Word *word,
             gboolean    is_final,
             gboolean    formatted,
             gboolean    first,
             gboolean    last)
{
  const char *text = stand_in_words[word->number % G_N_ELEMENTS (stand_in_words)];
  g_autoptr(GString) shown = g_string_new (text);

  if (formatted && first)
    shown->str[0] = g_ascii_toupper (shown->str[0]);
  if (formatted && last)
    g_string_append_c (shown, '.');

  g_string_append (out, "{\"text\":");
  append_string (out, shown->str);
  g_string_append_printf (out, ",\"start\":%" G_GINT64_FORMAT ",\"end\":%" G_GINT64_FORMAT ",\"confidence\":",
                          word->start_ms, word->end_ms);
  append_fraction (out, word->number % LOW_CONFIDENCE_EVERY == LOW_CONFIDENCE_EVERY - 1
                        ? LOW_WORD_CONFIDENCE : WORD_CONFIDENCE);
  g_string_append_printf (out, ",\"word_is_final\":%s}", is_final ? "true" : "false");
}

/* A Turn with @words; in a partial every word but the last is final, and
 * the transcript holds only the final ones. */
static char *
build_turn (guint        turn_order,
            const Word  *words,
            guint        n_words,
            gboolean     end_of_turn,
            gboolean     formatted,
            double       confidence)
{
  g_autoptr(GString) out = g_string_new ("{\"type\":\"Turn\",");
  g_autoptr(GString) transcript = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      gboolean is_final = end_of_turn || i + 1 < n_words;
      const char *text = stand_in_words[words[i].number % G_N_ELEMENTS (stand_in_words)];

      if (!is_final)
        continue;
      if (transcript->len > 0)
        g_string_append_c (transcript, ' ');
      g_string_append (transcript, text);
    }

  if (formatted && transcript->len > 0)
    {
      transcript->str[0] = g_ascii_toupper (transcript->str[0]);
      g_string_append_c (transcript, '.');
    }

  g_string_append_printf (out, "\"turn_order\":%u,\"turn_is_formatted\":%s,\"end_of_turn\":%s,\"transcript\":",
                          turn_order, formatted ? "true" : "false", end_of_turn ? "true" : "false");
  append_string (out, transcript->str);
  g_string_append (out, ",\"end_of_turn_confidence\":");
  append_fraction (out, confidence);
  g_string_append (out, ",\"words\":[");
  for (guint i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_word (out, &words[i], end_of_turn || i + 1 < n_words, formatted, i == 0, i + 1 == n_words);
    }
  g_string_append (out, "]}");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
session_close_word (StokFakeSession *self)
{
  Word word;

  if (!self->word_open)
    return;

  word.start_ms = self->word_start_ms;
  word.end_ms = self->voiced_end_ms;
  word.number = self->n_words++;
  g_array_append_val (self->words, word);
  self->word_open = FALSE;
}

static void
session_send_partial (StokFakeSession *self,
                      gint64           position_ms)
{
  g_autoptr(GArray) words = g_array_copy (self->words);
  g_autofree char *text = NULL;

  /* The word still being spoken goes out as it is so far. */
  if (self->word_open)
    {
      Word open = { self->word_start_ms, self->voiced_end_ms, self->n_words };

      g_array_append_val (words, open);
    }

  if (words->len == 0)
    return;

  text = build_turn (self->turn_order, (const Word *) words->data, words->len,
                     FALSE, FALSE, session_confidence (self, position_ms));
  session_send (self, "Turn", text, TRUE);
  self->voiced_since_partial_ms = 0;
}

static void
session_end_turn (StokFakeSession *self,
                  gint64           position_ms)
{
  double confidence = session_confidence (self, position_ms);
  g_autofree char *final = NULL;

  if (!self->in_turn)
    return;

  session_close_word (self);
  if (self->words->len > 0)
    {
      final = build_turn (self->turn_order, (const Word *) self->words->data, self->words->len,
                          TRUE, FALSE, confidence);
      session_send (self, "Turn", final, TRUE);
      self->n_final_turns++;

      if (self->format_turns)
        {
          g_autofree char *formatted = build_turn (self->turn_order, (const Word *) self->words->data,
                                                   self->words->len, TRUE, TRUE, confidence);

          session_send (self, "Turn", formatted, TRUE);
        }
      self->turn_order++;
    }

  g_array_set_size (self->words, 0);
  self->in_turn = FALSE;
  self->voiced_since_partial_ms = 0;
}

static void
session_window (StokFakeSession *self,
                gboolean         voiced)
{
  gint64 start_ms = (self->n_windowed_samples - self->window_length) * 1000 / self->sample_rate;
  gint64 end_ms = self->n_windowed_samples * 1000 / self->sample_rate;

  if (voiced)
    {
      if (!self->in_turn)
        {
          g_autofree char *text = g_strdup_printf ("{\"type\":\"SpeechStarted\",\"timestamp\":%" G_GINT64_FORMAT "}",
                                                   start_ms);

          self->in_turn = TRUE;
          self->voiced_since_partial_ms = 0;
          session_send (self, "SpeechStarted", text, TRUE);
        }

      if (!self->word_open)
        {
          self->word_open = TRUE;
          self->word_start_ms = start_ms;
        }

      self->voiced_end_ms = end_ms;
      self->voiced_since_partial_ms += end_ms - start_ms;

      if (end_ms - self->word_start_ms >= WORD_MAX_MS)
        {
          session_close_word (self);
          session_send_partial (self, end_ms);
        }
      else if (self->voiced_since_partial_ms >= PARTIAL_EVERY_MS)
        {
          session_send_partial (self, end_ms);
        }

      return;
    }

  if (!self->in_turn)
    return;

  if (self->word_open && end_ms - self->voiced_end_ms >= WORD_GAP_MS)
    {
      session_close_word (self);
      session_send_partial (self, end_ms);
    }

  if ((end_ms - self->voiced_end_ms >= self->min_silence_ms &&
       session_confidence (self, end_ms) >= self->threshold) ||
      end_ms - self->voiced_end_ms >= self->max_silence_ms)
    session_end_turn (self, end_ms);
}

static gint16
mulaw_decode (guint8 value)
{
  int sign, exponent, mantissa, magnitude;

  value = ~value;
  sign = value & 0x80;
  exponent = (value >> 4) & 0x07;
  mantissa = value & 0x0F;
  magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;

  return (gint16) (sign ? -magnitude : magnitude);
}

static void
session_add_sample (StokFakeSession *self,
                    gint16           sample)
{
  self->window_energy += (double) sample * (double) sample;
  if (++self->window_fill < self->window_length)
    return;

  self->n_windowed_samples += self->window_length;
  session_window (self, self->window_energy / self->window_length > self->voiced_energy);
  self->window_fill = 0;
  self->window_energy = 0;
}

static void
session_listen (StokFakeSession *self,
                const guint8    *data,
                gsize            length)
{
  gsize i = 0;

  if (self->encoding == ENCODING_PCM_MULAW)
    {
      for (; i < length && !self->ending; i++)
        session_add_sample (self, mulaw_decode (data[i]));
      return;
    }

  /* A frame of an odd size leaves a byte for the next one. */
  if (self->has_odd_byte && length > 0)
    {
      session_add_sample (self, (gint16) (self->odd_byte | (data[0] << 8)));
      self->has_odd_byte = FALSE;
      i = 1;
    }
  for (; i + 1 < length && !self->ending; i += 2)
    session_add_sample (self, (gint16) (data[i] | (data[i + 1] << 8)));
  if (i < length)
    {
      self->odd_byte = data[i];
      self->has_odd_byte = TRUE;
    }
}

/* Faults. */

static void
session_drop (StokFakeSession *self)
{
  GIOStream *stream;

  if (!session_is_open (self))
    return;

  /* Closed under libsoup's feet: the client reads the end of the stream
   * where a close frame should have been. */
  stream = soup_websocket_connection_get_io_stream (self->connection);
  g_io_stream_close (stream, NULL, NULL);
  session_finish (self, SOUP_WEBSOCKET_CLOSE_ABNORMAL, NULL);
}

static char *
build_huge_turn (StokFakeSession *self,
                 gsize            size)
{
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (Word));
  g_autofree char *text = NULL;
  /* About what one word takes in a Turn, twice: words and transcript. */
  gsize per_word = 90;

  /* Enough words to pass @size, each where it would be in a long turn. */
  for (guint i = 0; i <= size / per_word; i++)
    {
      Word word = { (gint64) i * 300, (gint64) i * 300 + 250, i };

      g_array_append_val (words, word);
    }

  text = build_turn (self->turn_order, (const Word *) words->data, words->len, FALSE, FALSE, 0);
  while (strlen (text) < size)
    {
      Word word = { (gint64) words->len * 300, (gint64) words->len * 300 + 250, words->len };

      for (guint i = 0; i < 64; i++, word.number++, word.start_ms += 300, word.end_ms += 300)
        g_array_append_val (words, word);
      g_free (text);
      text = build_turn (self->turn_order, (const Word *) words->data, words->len, FALSE, FALSE, 0);
    }

  return g_steal_pointer (&text);
}

/* How many partials turn @turn of a flood has: shared out evenly, all in
 * one endless turn when there are no finals. */
static guint
flood_partials_in (StokFakeSession *self,
                   guint            turn)
{
  guint n_partials = self->fault.n_partials;
  guint n_finals = self->fault.n_finals;

  if (n_finals == 0)
    return n_partials;

  return n_partials / n_finals + (turn < n_partials % n_finals ? 1 : 0);
}

static gboolean
session_flood_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  for (guint i = 0; i < FLOOD_BATCH; i++)
    {
      g_autoptr(GArray) words = NULL;
      g_autofree char *text = NULL;
      gboolean end_of_turn;
      guint n_words;

      if (!session_is_open (self) ||
          (self->fault.n_finals > 0 && self->flood_turn >= self->fault.n_finals) ||
          (self->fault.n_finals == 0 && self->flood_partials_in_turn >= self->fault.n_partials))
        {
          self->flood_source_id = 0;
          return G_SOURCE_REMOVE;
        }

      end_of_turn = self->flood_partials_in_turn >= flood_partials_in (self, self->flood_turn);

      /* Each message of a turn one word longer, as partials grow. */
      n_words = MIN (self->flood_partials_in_turn + 1, FLOOD_MAX_WORDS);
      words = g_array_sized_new (FALSE, FALSE, sizeof (Word), n_words);
      for (guint w = 0; w < n_words; w++)
        {
          guint number = self->flood_turn_words + w;
          Word word = { (gint64) number * 300, (gint64) number * 300 + 250, number };

          g_array_append_val (words, word);
        }

      text = build_turn (self->turn_order, (const Word *) words->data, words->len,
                         end_of_turn, FALSE, end_of_turn ? 1.0 : 0.0);
      session_send (self, "Turn", text, FALSE);

      if (end_of_turn)
        {
          self->n_final_turns++;
          self->turn_order++;
          self->flood_turn++;
          self->flood_turn_words += n_words;
          self->flood_partials_in_turn = 0;
        }
      else
        {
          self->flood_partials_in_turn++;
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
session_fire_fault (StokFakeSession *self)
{
  g_autofree char *text = NULL;

  switch (self->fault.fault)
    {
    case STOK_FAKE_FAULT_ERROR_AFTER_BEGIN:
      session_fail (self, self->fault.code, self->fault_reason);
      break;

    case STOK_FAKE_FAULT_DROP_AFTER_BEGIN:
      session_drop (self);
      break;

    case STOK_FAKE_FAULT_GARBAGE_TEXT:
      /* Not JSON, with the terminal escapes a careless client would let
       * through to the user's terminal. */
      session_send (self, NULL, "\x1b]0;fake\x07\x1b[31mnot JSON from the fake server\x1b[0m {", TRUE);
      break;

    case STOK_FAKE_FAULT_BINARY_FRAME:
      if (session_is_open (self))
        soup_websocket_connection_send_binary (self->connection, "\x00\xff" "fake binary frame", 19);
      break;

    case STOK_FAKE_FAULT_HUGE_TEXT:
      text = build_huge_turn (self, self->fault.size != 0 ? self->fault.size : HUGE_TEXT_DEFAULT);
      session_send (self, "Turn", text, TRUE);
      break;

    case STOK_FAKE_FAULT_UNKNOWN_TYPE:
      text = g_strdup_printf ("{\"type\":\"Heartbeat\",\"timestamp\":%" G_GINT64_FORMAT "}",
                              session_audio_us (self) / 1000);
      session_send (self, "Heartbeat", text, TRUE);
      break;

    case STOK_FAKE_FAULT_FLOOD:
      if (self->flood_source_id == 0)
        self->flood_source_id = g_idle_add_full (G_PRIORITY_LOW, session_flood_cb, self, NULL);
      break;

    case STOK_FAKE_FAULT_NONE:
    case STOK_FAKE_FAULT_REFUSE_UPGRADE:
    case STOK_FAKE_FAULT_NO_BEGIN:
    case STOK_FAKE_FAULT_IGNORE_TERMINATE:
    default:
      break;
    }
}

static gboolean
session_fault_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->fault_source_id = 0;
  session_fire_fault (self);

  return G_SOURCE_REMOVE;
}

/* The session cap, on the server's clock, so that a test can reach it by
 * moving a manual clock. */

static gboolean session_cap_cb (gpointer user_data);

static void
session_check_cap (StokFakeSession *self)
{
  gint64 left_us;

  if (!self->began || self->ending)
    return;

  left_us = self->begin_clock_us + self->max_session_seconds * G_USEC_PER_SEC - stok_clock_get_time (self->clock);
  if (left_us <= 0)
    {
      g_autofree char *text = g_strdup_printf ("Session expired: the maximum session duration of %" G_GINT64_FORMAT " seconds was reached",
                                               self->max_session_seconds);

      session_fail (self, CLOSE_SESSION_EXPIRED, text);
      return;
    }

  g_clear_handle_id (&self->cap_source_id, g_source_remove);
  self->cap_source_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (left_us / 1000 + 1, G_MAXUINT),
                                            session_cap_cb, self, NULL);
}

static gboolean
session_cap_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->cap_source_id = 0;
  session_check_cap (self);

  return G_SOURCE_REMOVE;
}

static void
session_clock_changed_cb (StokClock       *clock,
                          StokFakeSession *self)
{
  g_assert (STOK_IS_FAKE_SESSION (self));

  session_check_cap (self);
}

/* Messages from the client. */

static void
session_terminate (StokFakeSession *self)
{
  g_autoptr(GString) text = g_string_new ("{\"type\":\"Termination\",\"audio_duration_seconds\":");
  gint64 audio_us = session_audio_us (self);
  gint64 elapsed_us = 0;

  session_end_turn (self, self->n_windowed_samples * 1000 / MAX (self->sample_rate, 1));
  session_stop_timers (self);
  self->ending = TRUE;

  if (self->began)
    elapsed_us = stok_clock_get_time (self->clock) - self->begin_clock_us;

  if (audio_us % G_USEC_PER_SEC == 0)
    g_string_append_printf (text, "%" G_GINT64_FORMAT, audio_us / G_USEC_PER_SEC);
  else
    g_string_append_printf (text, "%" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT,
                            audio_us / G_USEC_PER_SEC, (audio_us % G_USEC_PER_SEC) / 1000);
  g_string_append_printf (text, ",\"session_duration_seconds\":%" G_GINT64_FORMAT "}",
                          MAX (elapsed_us, 0) / G_USEC_PER_SEC);

  session_send (self, "Termination", text->str, TRUE);
  if (session_is_open (self))
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

static gboolean
read_turn_member (JsonObject  *object,
                  const char  *name,
                  gboolean     fraction,
                  double      *out_value,
                  gboolean    *out_present,
                  char       **out_problem)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  *out_present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    *out_value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE && fraction)
    *out_value = json_node_get_double (node);
  else
    {
      *out_problem = g_strdup_printf ("%s must be %s", name, fraction ? "a number" : "an integer");
      return FALSE;
    }

  if (fraction && (*out_value < 0 || *out_value > 1))
    *out_problem = g_strdup_printf ("%s must be from 0 to 1", name);
  else if (!fraction && (*out_value < 0 || *out_value > SILENCE_MAX_MS))
    *out_problem = g_strdup_printf ("%s must be from 0 to %d ms", name, SILENCE_MAX_MS);
  else
    *out_present = TRUE;

  return *out_problem == NULL;
}

static void
session_set_parameter (StokFakeSession *self,
                       int              rule,
                       char            *value)
{
  g_hash_table_replace (self->parameters, (gpointer) rules[rule].name, value);
}

static void
session_update_configuration (StokFakeSession *self,
                              JsonObject      *object)
{
  g_autofree char *problem = NULL;
  gboolean has_threshold, has_min, has_min_old, has_max;
  double threshold = 0, min_ms = 0, min_old_ms = 0, max_ms = 0;

  /* All or nothing: a bad value changes none of the others. */
  if (!read_turn_member (object, rules[RULE_THRESHOLD].name, TRUE, &threshold, &has_threshold, &problem) ||
      !read_turn_member (object, rules[RULE_MIN_SILENCE].name, FALSE, &min_ms, &has_min, &problem) ||
      !read_turn_member (object, rules[RULE_MIN_SILENCE_OLD].name, FALSE, &min_old_ms, &has_min_old, &problem) ||
      !read_turn_member (object, rules[RULE_MAX_SILENCE].name, FALSE, &max_ms, &has_max, &problem))
    {
      g_autofree char *text = g_strdup_printf ("Invalid UpdateConfiguration: %s", problem);

      session_fail (self, CLOSE_INVALID_MESSAGE, text);
      return;
    }

  if (has_threshold)
    {
      self->threshold = threshold;
      session_set_parameter (self, RULE_THRESHOLD, dup_fraction (threshold));
    }
  if (has_min_old)
    min_ms = min_old_ms;
  if (has_min || has_min_old)
    {
      self->min_silence_ms = (gint64) min_ms;
      session_set_parameter (self, RULE_MIN_SILENCE, g_strdup_printf ("%" G_GINT64_FORMAT, self->min_silence_ms));
    }
  if (has_max)
    {
      self->max_silence_ms = (gint64) max_ms;
      session_set_parameter (self, RULE_MAX_SILENCE, g_strdup_printf ("%" G_GINT64_FORMAT, self->max_silence_ms));
    }
}

static void
session_text (StokFakeSession *self,
              const char      *data,
              gsize            length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *text = g_utf8_make_valid (data, (gssize) length);
  JsonObject *object = NULL;
  const char *kind = NULL;
  StokFakeMessage *message;

  if (json_parser_load_from_data (parser, data, (gssize) length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonNode *node;

      object = json_node_get_object (json_parser_get_root (parser));
      node = json_object_get_member (object, "type");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        kind = json_node_get_string (node);
    }

  message = message_new (self, text, kind);
  g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, message);
  if (self->received->len < KEEP_MAX_MESSAGES)
    g_ptr_array_add (self->received, message);
  else
    message_free (message);

  if (self->ending)
    return;

  if (kind == NULL)
    {
      session_fail (self, CLOSE_INVALID_MESSAGE, object == NULL
                    ? "Invalid JSON: a message must be a JSON object"
                    : "Invalid message: expected a JSON object with a \"type\"");
    }
  else if (g_str_equal (kind, "Terminate"))
    {
      if (self->fault.fault == STOK_FAKE_FAULT_IGNORE_TERMINATE ||
          self->fault.fault == STOK_FAKE_FAULT_NO_BEGIN)
        return;
      session_terminate (self);
    }
  else if (g_str_equal (kind, "ForceEndpoint"))
    {
      session_end_turn (self, self->n_windowed_samples * 1000 / MAX (self->sample_rate, 1));
    }
  else if (g_str_equal (kind, "UpdateConfiguration"))
    {
      session_update_configuration (self, object);
    }
  else if (!g_str_equal (kind, "KeepAlive"))
    {
      g_autofree char *valid = g_utf8_make_valid (kind, -1);
      g_autofree char *problem = g_strdup_printf ("Invalid message type: %s", valid);

      session_fail (self, CLOSE_INVALID_MESSAGE, problem);
    }
}

static void
session_audio (StokFakeSession *self,
               const guint8    *data,
               gsize            length)
{
  g_autofree StokFakeAudioFrame *frame = g_new0 (StokFakeAudioFrame, 1);
  gint64 bytes_per_second = 1;
  gint64 ahead_us;
  gint64 audio_us;
  gint64 received_us;

  frame->received_us = received_us = g_get_monotonic_time ();
  frame->n_bytes = length;
  if (self->sample_rate > 0)
    {
      bytes_per_second = (gint64) self->sample_rate * (self->encoding == ENCODING_PCM_S16LE ? 2 : 1);
      frame->audio_us = (gint64) length * G_USEC_PER_SEC / bytes_per_second;
    }
  audio_us = frame->audio_us;
  if (self->frames->len < KEEP_MAX_FRAMES)
    g_ptr_array_add (self->frames, g_steal_pointer (&frame));

  if (!self->began || self->ending)
    return;

  if (audio_us < FRAME_MIN_MS * 1000 || audio_us > FRAME_MAX_MS * 1000)
    {
      g_autofree char *ms = format_ms ((double) length * 1000.0 / (double) bytes_per_second);
      g_autofree char *text = g_strdup_printf ("Input duration violation: %s ms of audio in a frame; each must hold %d to %d ms",
                                               ms, FRAME_MIN_MS, FRAME_MAX_MS);

      session_fail (self, CLOSE_AUDIO_VIOLATION, text);
      return;
    }

  self->n_bytes += length;
  ahead_us = session_audio_us (self) - (received_us - self->begin_sent_us);
  if (ahead_us > PACE_AHEAD_MAX_MS * 1000)
    {
      char audio[G_ASCII_DTOSTR_BUF_SIZE];
      char elapsed[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *text = NULL;

      g_ascii_formatd (audio, sizeof audio, "%.3f", session_audio_us (self) / 1e6);
      g_ascii_formatd (elapsed, sizeof elapsed, "%.3f", (received_us - self->begin_sent_us) / 1e6);
      text = g_strdup_printf ("Audio sent faster than real time: %s s of audio %s s after Begin",
                              audio, elapsed);
      session_fail (self, CLOSE_AUDIO_VIOLATION, text);
      return;
    }

  session_listen (self, data, length);

  self->n_frames_since_begin++;
  if (self->fault.after_frames > 0 && self->n_frames_since_begin == self->fault.after_frames)
    session_fire_fault (self);
}

static void
session_message_cb (SoupWebsocketConnection *connection,
                    int                      type,
                    GBytes                  *message,
                    StokFakeSession         *self)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  g_assert (STOK_IS_FAKE_SESSION (self));

  if (soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  if (type == SOUP_WEBSOCKET_DATA_TEXT)
    session_text (self, data, length);
  else
    session_audio (self, (const guint8 *) data, length);
}

static void
session_closed_cb (SoupWebsocketConnection *connection,
                   StokFakeSession         *self)
{
  g_assert (STOK_IS_FAKE_SESSION (self));

  session_finish (self,
                  soup_websocket_connection_get_close_code (connection),
                  soup_websocket_connection_get_close_data (connection));
}

/**
 * stok_fake_session_new:
 * @connection: a connection just upgraded on `/v3/ws`
 * @clock: the server's clock, for the session cap and its duration
 *
 * Returns: (transfer full): a session that has sent nothing yet
 */
StokFakeSession *
stok_fake_session_new (SoupWebsocketConnection *connection,
                       StokClock               *clock)
{
  StokFakeSession *self;

  g_return_val_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection), NULL);
  g_return_val_if_fail (STOK_IS_CLOCK (clock), NULL);

  self = g_object_new (STOK_TYPE_FAKE_SESSION, NULL);
  /* libsoup drops its reference when the handler returns: the session
   * keeps the connection open until it closes. */
  self->connection = g_object_ref (connection);
  self->clock = g_object_ref (clock);
  g_signal_connect (connection, "message", G_CALLBACK (session_message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (session_closed_cb), self);

  return self;
}

const char *
stok_fake_session_get_id (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->id;
}

/**
 * stok_fake_session_is_open:
 * @self: a #StokFakeSession
 *
 * Returns: %TRUE until the connection is closed or dropped
 */
gboolean
stok_fake_session_is_open (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), FALSE);

  return !self->finished;
}

/**
 * stok_fake_session_refuse:
 * @self: a #StokFakeSession
 * @code: the close code, and the Error's code unless it is 1000
 * @text: (nullable): the server's words
 *
 * Ends the session before Begin.
 */
void
stok_fake_session_refuse (StokFakeSession *self,
                          gushort          code,
                          const char      *text)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  session_fail (self, code, text);
}

static gboolean
parse_integer (const char *text,
               gint64     *out_value)
{
  const char *p = text;

  /* Digits only, as an integer query parameter is: no "+", no spaces,
   * no "16000.0". */
  if (*p == '-')
    p++;
  if (*p == '\0' || strlen (p) > 18)
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  *out_value = g_ascii_strtoll (text, NULL, 10);
  return TRUE;
}

static gboolean
parse_fraction (const char *text,
                double     *out_value)
{
  char *end = NULL;
  double value;

  if (*text == '\0' || g_ascii_isspace (*text))
    return FALSE;

  value = g_ascii_strtod (text, &end);
  if (end == NULL || *end != '\0' || !isfinite (value))
    return FALSE;

  *out_value = value;
  return TRUE;
}

static gboolean
is_known_model (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_models); i++)
    if (g_str_equal (name, known_models[i]))
      return TRUE;

  return FALSE;
}

/* Checks the parameter of @rule, takes it or its default, and on a bad
 * value returns what is wrong with it. */
static char *
session_take_parameter (StokFakeSession *self,
                        int              rule,
                        const char      *value)
{
  const Rule *row = &rules[rule];
  gint64 integer = 0;
  double number = 0;

  if (value == NULL)
    value = row->fallback;

  switch (row->kind)
    {
    case KIND_MODEL:
      if (!is_known_model (value))
        return g_strdup_printf ("speech_model must be a known model such as universal-streaming-english, not \"%s\"", value);
      g_free (self->speech_model);
      self->speech_model = g_strdup (value);
      session_set_parameter (self, rule, g_strdup (value));
      return NULL;

    case KIND_RATE:
      if (value == NULL)
        return g_strdup ("sample_rate is required for pcm_s16le and pcm_mulaw");
      if (!parse_integer (value, &integer) || integer < SAMPLE_RATE_MIN || integer > SAMPLE_RATE_MAX)
        return g_strdup_printf ("sample_rate must be an integer from %d to %d, not \"%s\"",
                                SAMPLE_RATE_MIN, SAMPLE_RATE_MAX, value);
      self->sample_rate = (guint) integer;
      session_set_parameter (self, rule, g_strdup_printf ("%u", self->sample_rate));
      return NULL;

    case KIND_ENCODING:
      if (g_str_equal (value, "pcm_s16le"))
        self->encoding = ENCODING_PCM_S16LE;
      else if (g_str_equal (value, "pcm_mulaw"))
        self->encoding = ENCODING_PCM_MULAW;
      else if (g_str_equal (value, "opus") || g_str_equal (value, "ogg_opus") || g_str_equal (value, "aac"))
        return g_strdup_printf ("encoding \"%s\" is one the fake server cannot decode; use pcm_s16le or pcm_mulaw", value);
      else
        return g_strdup_printf ("encoding must be pcm_s16le or pcm_mulaw, not \"%s\"", value);
      session_set_parameter (self, rule, g_strdup (value));
      return NULL;

    case KIND_BOOLEAN:
      if (g_ascii_strcasecmp (value, "true") == 0)
        self->format_turns = TRUE;
      else if (g_ascii_strcasecmp (value, "false") == 0)
        self->format_turns = FALSE;
      else
        return g_strdup_printf ("%s must be true or false, not \"%s\"", row->name, value);
      session_set_parameter (self, rule, g_strdup (self->format_turns ? "true" : "false"));
      return NULL;

    case KIND_FRACTION:
      if (!parse_fraction (value, &number) || number < 0 || number > 1)
        return g_strdup_printf ("%s must be a number from 0 to 1, not \"%s\"", row->name, value);
      self->threshold = number;
      session_set_parameter (self, rule, dup_fraction (number));
      return NULL;

    case KIND_MS:
      /* The older name, when given, stands in for the newer one. */
      if (value == NULL)
        return NULL;
      if (!parse_integer (value, &integer) || integer < 0 || integer > SILENCE_MAX_MS)
        return g_strdup_printf ("%s must be an integer from 0 to %d (ms), not \"%s\"",
                                row->name, SILENCE_MAX_MS, value);
      if (rule == RULE_MAX_SILENCE)
        {
          self->max_silence_ms = integer;
        }
      else
        {
          self->min_silence_ms = integer;
          rule = RULE_MIN_SILENCE;
        }
      session_set_parameter (self, rule, g_strdup_printf ("%" G_GINT64_FORMAT, integer));
      return NULL;

    case KIND_TERMS:
      if (value == NULL)
        return NULL;
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonNode *root;
          JsonArray *array;

          if (!json_parser_load_from_data (parser, value, -1, NULL) ||
              !JSON_NODE_HOLDS_ARRAY (root = json_parser_get_root (parser)))
            return g_strdup_printf ("keyterms_prompt must be a JSON array of strings, not \"%s\"", value);

          array = json_node_get_array (root);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
                return g_strdup_printf ("keyterms_prompt must be a JSON array of strings, not \"%s\"", value);
            }

          g_clear_pointer (&self->keyterms, json_node_unref);
          self->keyterms = json_node_copy (root);
          session_set_parameter (self, rule, json_to_string (root, FALSE));
          return NULL;
        }

    case KIND_RULE:
    default:
      return NULL;
    }
}

/**
 * stok_fake_session_configure:
 * @self: a #StokFakeSession
 * @query: the upgrade's query, decoded
 *
 * Takes the parameters of the upgrade, or refuses the session with the
 * first one that is wrong.
 *
 * Returns: %TRUE if the session can begin; %FALSE if it was refused
 */
gboolean
stok_fake_session_configure (StokFakeSession *self,
                             GHashTable      *query)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);

  for (int rule = 0; rule < N_RULES; rule++)
    {
      g_autofree char *problem = NULL;
      g_autofree char *valid = NULL;
      const char *value;

      if (rules[rule].kind == KIND_RULE)
        continue;

      value = g_hash_table_lookup (query, rules[rule].name);
      if (value != NULL)
        value = valid = g_utf8_make_valid (value, -1);

      problem = session_take_parameter (self, rule, value);
      if (problem != NULL)
        {
          g_autofree char *text = g_strdup_printf ("Invalid parameter: %s", problem);

          g_hash_table_remove_all (self->parameters);
          session_fail (self, CLOSE_INVALID_MESSAGE, text);
          return FALSE;
        }
    }

  self->window_length = MAX (self->sample_rate * VOICE_WINDOW_MS / 1000, 1);
  self->voiced_energy = pow (32768.0 * pow (10.0, VOICE_THRESHOLD_DBFS / 20.0), 2);

  return TRUE;
}

void
stok_fake_session_set_max_session_seconds (StokFakeSession *self,
                                           gint64           seconds)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  self->max_session_seconds = seconds;
}

/**
 * stok_fake_session_set_fault:
 * @self: a #StokFakeSession
 * @spec: (nullable): what to do to the session, or %NULL for nothing
 */
void
stok_fake_session_set_fault (StokFakeSession         *self,
                             const StokFakeFaultSpec *spec)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  g_clear_pointer (&self->fault_reason, g_free);
  if (spec == NULL)
    {
      memset (&self->fault, 0, sizeof self->fault);
      return;
    }

  self->fault = *spec;
  self->fault_reason = g_strdup (spec->reason);
  self->fault.reason = NULL;
}

static void
append_configuration (StokFakeSession *self,
                      GString         *out)
{
  g_string_append (out, "{\"speech_model\":");
  append_string (out, self->speech_model);
  g_string_append_printf (out, ",\"sample_rate\":%u,\"encoding\":", self->sample_rate);
  append_string (out, self->encoding == ENCODING_PCM_S16LE ? "pcm_s16le" : "pcm_mulaw");
  g_string_append_printf (out, ",\"format_turns\":%s,\"end_of_turn_confidence_threshold\":",
                          self->format_turns ? "true" : "false");
  append_fraction (out, self->threshold);
  g_string_append_printf (out, ",\"min_turn_silence\":%" G_GINT64_FORMAT ",\"max_turn_silence\":%" G_GINT64_FORMAT,
                          self->min_silence_ms, self->max_silence_ms);
  if (self->keyterms != NULL)
    {
      g_autofree char *terms = json_to_string (self->keyterms, FALSE);

      g_string_append (out, ",\"keyterms_prompt\":");
      g_string_append (out, terms);
    }
  g_string_append_c (out, '}');
}

static void
session_send_begin (StokFakeSession *self)
{
  g_autoptr(GString) text = g_string_new ("{\"type\":\"Begin\",\"id\":");

  if (self->ending || self->fault.fault == STOK_FAKE_FAULT_NO_BEGIN)
    return;

  self->began = TRUE;
  self->begin_clock_us = stok_clock_get_time (self->clock);
  self->begin_sent_us = g_get_monotonic_time ();

  append_string (text, self->id);
  /* Unix time on the wire, so the wall clock rather than the server's
   * own, which only measures redemption windows and session caps. */
  g_string_append_printf (text, ",\"expires_at\":%" G_GINT64_FORMAT ",\"configuration\":",
                          g_get_real_time () / G_USEC_PER_SEC + self->max_session_seconds);
  append_configuration (self, text);
  g_string_append_c (text, '}');
  session_send (self, "Begin", text->str, TRUE);

  self->clock_changed_id = g_signal_connect (self->clock, "changed",
                                             G_CALLBACK (session_clock_changed_cb), self);
  session_check_cap (self);

  if (self->fault.after_frames > 0)
    return;
  if (self->fault.after_ms > 0)
    self->fault_source_id = g_timeout_add (self->fault.after_ms, session_fault_cb, self);
  else
    session_fire_fault (self);
}

static gboolean
session_begin_cb (gpointer user_data)
{
  StokFakeSession *self = user_data;

  g_assert (STOK_IS_FAKE_SESSION (self));

  self->begin_source_id = 0;
  session_send_begin (self);

  return G_SOURCE_REMOVE;
}

/**
 * stok_fake_session_begin:
 * @self: a configured #StokFakeSession
 * @delay_ms: how long to hold Begin back, 0 for none
 */
void
stok_fake_session_begin (StokFakeSession *self,
                         guint            delay_ms)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  if (delay_ms > 0)
    self->begin_source_id = g_timeout_add (delay_ms, session_begin_cb, self);
  else
    session_send_begin (self);
}

/**
 * stok_fake_session_abandon:
 * @self: a #StokFakeSession
 *
 * Ends the session as a server going away does, so that the client under
 * test is not left waiting.
 */
void
stok_fake_session_abandon (StokFakeSession *self)
{
  g_return_if_fail (STOK_IS_FAKE_SESSION (self));

  session_stop_timers (self);
  self->ending = TRUE;
  if (session_is_open (self))
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  session_finish (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
}

/**
 * stok_fake_session_get_parameter:
 * @self: a #StokFakeSession
 * @name: a parameter such as `sample_rate`
 *
 * Returns: (nullable): its effective value as text, after any
 *   UpdateConfiguration, or %NULL if the session has none
 */
const char *
stok_fake_session_get_parameter (StokFakeSession *self,
                                 const char      *name)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (self->parameters, name);
}

gint64
stok_fake_session_get_begin_sent_us (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  return self->begin_sent_us;
}

GPtrArray *
stok_fake_session_get_audio_frames (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->frames;
}

gint64
stok_fake_session_get_audio_received_us (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  return session_audio_us (self);
}

GPtrArray *
stok_fake_session_get_received (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->received;
}

GPtrArray *
stok_fake_session_get_sent (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), NULL);

  return self->sent;
}

guint
stok_fake_session_count_sent (StokFakeSession *self,
                              const char      *type)
{
  GHashTableIter iter;
  gpointer count;
  guint total = 0;

  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  if (type != NULL)
    return GPOINTER_TO_UINT (g_hash_table_lookup (self->n_sent_by_type, type));

  g_hash_table_iter_init (&iter, self->n_sent_by_type);
  while (g_hash_table_iter_next (&iter, NULL, &count))
    total += GPOINTER_TO_UINT (count);

  return total;
}

guint
stok_fake_session_get_n_final_turns (StokFakeSession *self)
{
  g_return_val_if_fail (STOK_IS_FAKE_SESSION (self), 0);

  return self->n_final_turns;
}

/**
 * stok_fake_session_dup_rules_markdown:
 *
 * Returns: (transfer full): the rules as the Markdown table of README.md
 */
char *
stok_fake_session_dup_rules_markdown (void)
{
  GString *out = g_string_new ("| Rule | What the fake server does | Source |\n| --- | --- | --- |\n");

  for (guint i = 0; i < N_RULES; i++)
    {
      const char *name = rules[i].name;

      if (rules[i].kind != KIND_RULE)
        g_string_append_printf (out, "| `%s` | %s | %s |\n", name, rules[i].rule, rules[i].source);
      else
        g_string_append_printf (out, "| %s | %s | %s |\n", name, rules[i].rule, rules[i].source);
    }

  return g_string_free (out, FALSE);
}
