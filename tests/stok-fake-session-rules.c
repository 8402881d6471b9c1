/* stok-fake-session-rules.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A fake session's parameters and rules: the rules[] table that drives
 * the checks of the upgrade's parameters and that README.md shows, and
 * UpdateConfiguration, which changes some of them. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <math.h>
#include <string.h>

#include "stok-fake-session-private.h"

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
    "speech_model", KIND_MODEL, STOK_FAKE_DEFAULT_SPEECH_MODEL,
    "One of `universal-streaming-english`, `universal-streaming-multilingual`, "
    "`u3-rt-pro`, `u3-pro`, `universal-3-5-pro`, `universal-3-6-pro`, "
    "`whisper-rt`. Missing: `" STOK_FAKE_DEFAULT_SPEECH_MODEL "`, the default of the "
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
  else if (!fraction && (*out_value < 0 || *out_value > STOK_FAKE_SILENCE_MAX_MS))
    *out_problem = g_strdup_printf ("%s must be from 0 to %d ms", name, STOK_FAKE_SILENCE_MAX_MS);
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

void
_stok_fake_session_update_configuration (StokFakeSession *self,
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

      _stok_fake_session_fail (self, STOK_FAKE_CLOSE_INVALID_MESSAGE, text);
      return;
    }

  if (has_threshold)
    {
      self->threshold = threshold;
      session_set_parameter (self, RULE_THRESHOLD, _stok_fake_session_dup_fraction (threshold));
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
      if (!parse_integer (value, &integer) || integer < STOK_FAKE_SAMPLE_RATE_MIN || integer > STOK_FAKE_SAMPLE_RATE_MAX)
        return g_strdup_printf ("sample_rate must be an integer from %d to %d, not \"%s\"",
                                STOK_FAKE_SAMPLE_RATE_MIN, STOK_FAKE_SAMPLE_RATE_MAX, value);
      self->sample_rate = (guint) integer;
      session_set_parameter (self, rule, g_strdup_printf ("%u", self->sample_rate));
      return NULL;

    case KIND_ENCODING:
      if (g_str_equal (value, "pcm_s16le"))
        self->encoding = STOK_FAKE_ENCODING_PCM_S16LE;
      else if (g_str_equal (value, "pcm_mulaw"))
        self->encoding = STOK_FAKE_ENCODING_PCM_MULAW;
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
      session_set_parameter (self, rule, _stok_fake_session_dup_fraction (number));
      return NULL;

    case KIND_MS:
      /* The older name, when given, stands in for the newer one. */
      if (value == NULL)
        return NULL;
      if (!parse_integer (value, &integer) || integer < 0 || integer > STOK_FAKE_SILENCE_MAX_MS)
        return g_strdup_printf ("%s must be an integer from 0 to %d (ms), not \"%s\"",
                                row->name, STOK_FAKE_SILENCE_MAX_MS, value);
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
          _stok_fake_session_fail (self, STOK_FAKE_CLOSE_INVALID_MESSAGE, text);
          return FALSE;
        }
    }

  self->window_length = MAX (self->sample_rate * STOK_FAKE_VOICE_WINDOW_MS / 1000, 1);
  self->voiced_energy = pow (32768.0 * pow (10.0, STOK_FAKE_VOICE_THRESHOLD_DBFS / 20.0), 2);

  return TRUE;
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
