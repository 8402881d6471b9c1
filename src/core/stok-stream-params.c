/* stok-stream-params.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The parameters of a streaming connection, the query string of /v3/ws,
 * as data: one table of what is known of each (spec/PROTOCOL.md), read by
 * the URI builder, the command line's --param and the window. The API
 * moves faster than releases, so a name the table does not know is passed
 * through as given, and so is any speech model. */

#define G_LOG_DOMAIN "stok-stream-params"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "stok-error.h"
#include "stok-json.h"
#include "stok-stream-params.h"

/* Known values; the newest docs name others, which pass through too. */
static const char * const speech_models[] = {
  "universal-streaming-english",
  "universal-streaming-multilingual",
  "u3-rt-pro",
  "universal-3-5-pro",
  "universal-3-6-pro",
  "whisper-rt",
  NULL
};

/* Only what the app can produce: PCM, mono. The self-describing formats
 * of the SDKs (opus, ogg_opus, aac) would need an encoder. */
static const char * const encodings[] = {
  "pcm_s16le",
  "pcm_mulaw",
  NULL
};

static const StokParamInfo known[] = {
  { "speech_model", STOK_PARAM_CHOICE, STOK_PARAM_FLAGS_ALWAYS_SENT | STOK_PARAM_FLAGS_OPEN_CHOICE,
    0, 0, STOK_SPEECH_MODEL_DEFAULT, speech_models,
    N_("The model that transcribes; always sent, since one version of the docs says a connection without it fails") },
  { "sample_rate", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_ALWAYS_SENT,
    STOK_SAMPLE_RATE_MIN, STOK_SAMPLE_RATE_MAX, "16000", NULL,
    N_("Samples a second of the audio sent, in Hz: 16000 for speech, 8000 for telephony") },
  { "encoding", STOK_PARAM_CHOICE, STOK_PARAM_FLAGS_ALWAYS_SENT,
    0, 0, STOK_ENCODING_DEFAULT, encodings,
    N_("How the audio is encoded: 16-bit PCM, or µ-law for telephony") },
  { "format_turns", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Send each final turn again with punctuation and casing") },
  { "end_of_turn_confidence_threshold", STOK_PARAM_NUMBER, STOK_PARAM_FLAGS_UPDATABLE | STOK_PARAM_FLAGS_TURN,
    0, 1, "0.4", NULL,
    N_("How sure the model must be that the speaker finished before it ends the turn") },
  { "min_turn_silence", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_UPDATABLE | STOK_PARAM_FLAGS_TURN,
    0, 60000, "400", NULL,
    N_("Silence in ms after which a confident turn ends") },
  { "max_turn_silence", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_UPDATABLE | STOK_PARAM_FLAGS_TURN,
    0, 60000, "1280", NULL,
    N_("Silence in ms after which a turn ends, however unsure the model is") },
  { "keyterms_prompt", STOK_PARAM_TEXT_LIST, STOK_PARAM_FLAGS_NONE,
    0, 0, NULL, NULL,
    N_("Words and names to recognise better, such as product names") },
  { "prompt", STOK_PARAM_TEXT, STOK_PARAM_FLAGS_NONE,
    0, 0, NULL, NULL,
    N_("Free text that guides the model; some models only") },
  { "language_detection", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Detect the language of each turn") },
  { "inactivity_timeout", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_NONE,
    1, 10800, NULL, NULL,
    N_("Seconds without audio after which the server ends the session") },
  { "vad_threshold", STOK_PARAM_NUMBER, STOK_PARAM_FLAGS_NONE,
    0, 1, NULL, NULL,
    N_("How loud audio must be to count as speech") },
  { "filter_profanity", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Mask profanity in the transcript") },
  { "speaker_labels", STOK_PARAM_BOOLEAN, STOK_PARAM_FLAGS_NONE,
    0, 0, "false", NULL,
    N_("Label each turn with its speaker") },
  { "max_speakers", STOK_PARAM_INTEGER, STOK_PARAM_FLAGS_NONE,
    1, 32, NULL, NULL,
    N_("The most speakers to tell apart, with speaker labels") },
};

/* The longest value accepted: a query string must stay a URL. */
#define MAX_VALUE_LENGTH 4096
#define MAX_LIST_ITEMS 1000

struct _StokStreamParams
{
  GObject parent_instance;

  /* Names in the order they were set; values by name. */
  GPtrArray *names;
  GHashTable *values;
};

G_DEFINE_FINAL_TYPE (StokStreamParams, stok_stream_params, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * stok_stream_params_get_known:
 * @n_known: (out): the number of entries
 *
 * Returns: (transfer none) (array length=n_known): what is known of each
 *   parameter, in the order they are shown and sent
 */
const StokParamInfo *
stok_stream_params_get_known (guint *n_known)
{
  g_return_val_if_fail (n_known != NULL, NULL);

  *n_known = G_N_ELEMENTS (known);
  return known;
}

/**
 * stok_stream_params_lookup:
 * @name: a parameter's name
 *
 * Returns: (transfer none) (nullable): what is known of @name
 */
const StokParamInfo *
stok_stream_params_lookup (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (known[i].name, name) == 0)
      return &known[i];

  return NULL;
}

/**
 * stok_stream_params_get_speech_models:
 *
 * Returns: (transfer none): the speech models known today, the default
 *   first
 */
const char * const *
stok_stream_params_get_speech_models (void)
{
  return speech_models;
}

static void
stok_stream_params_finalize (GObject *object)
{
  StokStreamParams *self = (StokStreamParams *)object;

  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);

  G_OBJECT_CLASS (stok_stream_params_parent_class)->finalize (object);
}

static void
stok_stream_params_class_init (StokStreamParamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_stream_params_finalize;

  /**
   * StokStreamParams::changed:
   * @name: the parameter set or unset
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
stok_stream_params_init (StokStreamParams *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

StokStreamParams *
stok_stream_params_new (void)
{
  return g_object_new (STOK_TYPE_STREAM_PARAMS, NULL);
}

/**
 * stok_stream_params_copy:
 * @self: a #StokStreamParams
 *
 * Returns: (transfer full): a copy, for a session to keep what it was
 *   opened with while the window's parameters change
 */
StokStreamParams *
stok_stream_params_copy (StokStreamParams *self)
{
  StokStreamParams *copy;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  copy = stok_stream_params_new ();
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);

      g_ptr_array_add (copy->names, g_strdup (name));
      g_hash_table_insert (copy->values, g_strdup (name),
                           g_strdup (g_hash_table_lookup (self->values, name)));
    }

  return copy;
}

static gboolean
name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64)
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

static gboolean
text_is_printable (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static char *
format_range (const StokParamInfo *info)
{
  char min[G_ASCII_DTOSTR_BUF_SIZE];
  char max[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (min, sizeof min, info->type == STOK_PARAM_INTEGER ? "%.0f" : "%g", info->min);
  g_ascii_formatd (max, sizeof max, info->type == STOK_PARAM_INTEGER ? "%.0f" : "%g", info->max);

  /* Translators: a range of values, such as "0 to 1" */
  return g_strdup_printf (_("%s to %s"), min, max);
}

static char *
normalize_list (const char  *name,
                const char  *value,
                GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) items = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  const char *start = value;

  while (g_ascii_isspace (*start))
    start++;

  /* As the API takes it, a JSON array of strings, or simply the terms
   * with commas between them. */
  if (*start == '[')
    {
      g_autoptr(JsonNode) parsed = stok_json_parse (start, strlen (start), NULL);
      JsonArray *array;

      if (parsed == NULL || !JSON_NODE_HOLDS_ARRAY (parsed))
        goto invalid;

      array = json_node_get_array (parsed);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            goto invalid;
          g_ptr_array_add (terms, g_strstrip (g_strdup (json_node_get_string (item))));
        }
    }
  else
    {
      items = g_strsplit (value, ",", -1);
      for (guint i = 0; items[i] != NULL; i++)
        g_ptr_array_add (terms, g_strstrip (g_strdup (items[i])));
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = g_ptr_array_index (terms, i);

      if (*term == '\0')
        continue;
      if (!text_is_printable (term))
        goto invalid;
      json_builder_add_string_value (builder, term);
    }
  json_builder_end_array (builder);

  if (terms->len > MAX_LIST_ITEMS)
    goto invalid;

  root = json_builder_get_root (builder);
  return stok_json_to_line (root);

invalid:
  g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
               _("%s takes a list of words, as a JSON array of strings or separated by commas."),
               name);
  return NULL;
}

/* Checks @value against what is known of @name, and returns it as it
 * goes on the wire. */
static char *
normalize (const char  *name,
           const char  *value,
           GError     **error)
{
  const StokParamInfo *info = stok_stream_params_lookup (name);
  g_autofree char *range = NULL;

  if (strlen (value) > MAX_VALUE_LENGTH)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("The value of %s is too long."), name);
      return NULL;
    }

  if (info == NULL || info->type == STOK_PARAM_TEXT)
    {
      if (!text_is_printable (value))
        {
          g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                       _("The value of %s holds characters that cannot be sent."), name);
          return NULL;
        }
      return g_strdup (value);
    }

  switch (info->type)
    {
    case STOK_PARAM_INTEGER:
      {
        gint64 number;
        char *end = NULL;

        errno = 0;
        number = g_ascii_strtoll (value, &end, 10);
        if (!g_ascii_isdigit (*value) || errno != 0 || *end != '\0' ||
            number < info->min || number > info->max)
          {
            range = format_range (info);
            /* Translators: a parameter's name, its range, the value given */
            g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                         _("%s must be a whole number from %s, not “%s”."), name, range, value);
            return NULL;
          }
        return g_strdup_printf ("%" G_GINT64_FORMAT, number);
      }

    case STOK_PARAM_NUMBER:
      {
        double number;
        char *end = NULL;

        errno = 0;
        number = g_ascii_strtod (value, &end);
        if (*value == '\0' || g_ascii_isspace (*value) || errno != 0 || *end != '\0' ||
            !isfinite (number) || number < info->min || number > info->max)
          {
            range = format_range (info);
            /* Translators: a parameter's name, its range, the value given */
            g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                         _("%s must be a number from %s, not “%s”."), name, range, value);
            return NULL;
          }
        return g_strdup (value);
      }

    case STOK_PARAM_BOOLEAN:
      if (g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1") ||
          g_ascii_strcasecmp (value, "yes") == 0 || g_ascii_strcasecmp (value, "on") == 0)
        return g_strdup ("true");
      if (g_ascii_strcasecmp (value, "false") == 0 || g_str_equal (value, "0") ||
          g_ascii_strcasecmp (value, "no") == 0 || g_ascii_strcasecmp (value, "off") == 0)
        return g_strdup ("false");
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("%s is true or false, not “%s”."), name, value);
      return NULL;

    case STOK_PARAM_CHOICE:
      if (g_strv_contains (info->choices, value))
        return g_strdup (value);
      if ((info->flags & STOK_PARAM_FLAGS_OPEN_CHOICE) != 0 && *value != '\0')
        {
          for (const char *p = value; *p; p++)
            if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
              goto bad_choice;
          return g_strdup (value);
        }
    bad_choice:
      {
        g_autofree char *choices = g_strjoinv (", ", (char **) info->choices);

        /* Translators: a parameter's name, the value given, the values it takes */
        g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                     _("%s cannot be “%s”: use one of %s."), name, value, choices);
        return NULL;
      }

    case STOK_PARAM_TEXT_LIST:
      return normalize_list (name, value, error);

    case STOK_PARAM_TEXT:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * stok_stream_params_set:
 * @self: a #StokStreamParams
 * @name: a parameter's name, known or not
 * @value: its value as typed
 * @error: return location for a #GError
 *
 * Sets @name after checking @value against what is known of it. A name
 * the app does not know is passed through as given.
 *
 * Returns: %TRUE if @value was taken
 */
gboolean
stok_stream_params_set (StokStreamParams  *self,
                        const char        *name,
                        const char        *value,
                        GError           **error)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!name_is_valid (name))
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("“%s” is not a parameter name: use letters, digits and underscores."),
                   name != NULL ? name : "");
      return FALSE;
    }

  /* The token is the session's credential, never a parameter. */
  if (g_str_equal (name, "token"))
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("The token is not a parameter: it comes from Generate, or from --token-stdin."));
      return FALSE;
    }

  normal = normalize (name, value, error);
  if (normal == NULL)
    return FALSE;

  if (g_strcmp0 (g_hash_table_lookup (self->values, name), normal) == 0)
    return TRUE;

  if (!g_hash_table_contains (self->values, name))
    g_ptr_array_add (self->names, g_strdup (name));
  g_hash_table_insert (self->values, g_strdup (name), g_steal_pointer (&normal));
  g_signal_emit (self, signals[CHANGED], g_quark_from_string (name), name);

  return TRUE;
}

/**
 * stok_stream_params_set_assignment:
 * @self: a #StokStreamParams
 * @assignment: `NAME=VALUE`, as on the command line
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the value was taken
 */
gboolean
stok_stream_params_set_assignment (StokStreamParams  *self,
                                   const char        *assignment,
                                   GError           **error)
{
  g_autofree char *name = NULL;
  const char *equals;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  equals = strchr (assignment, '=');
  if (equals == NULL || equals == assignment)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("--param takes NAME=VALUE, such as max_turn_silence=800, not “%s”."),
                   assignment);
      return FALSE;
    }

  name = g_strndup (assignment, equals - assignment);
  return stok_stream_params_set (self, name, equals + 1, error);
}

void
stok_stream_params_unset (StokStreamParams *self,
                          const char       *name)
{
  g_return_if_fail (STOK_IS_STREAM_PARAMS (self));

  if (!g_hash_table_remove (self->values, name))
    return;

  for (guint i = 0; i < self->names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->names, i), name))
      {
        g_ptr_array_remove_index (self->names, i);
        break;
      }

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (name), name);
}

/**
 * stok_stream_params_get:
 * @self: a #StokStreamParams
 * @name: a parameter's name
 *
 * Returns: (nullable): the value of @name as sent: the one set, else the
 *   known default of one that is always sent, else %NULL
 */
const char *
stok_stream_params_get (StokStreamParams *self,
                        const char       *name)
{
  const StokParamInfo *info;
  const char *value;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  value = g_hash_table_lookup (self->values, name);
  if (value != NULL)
    return value;

  info = stok_stream_params_lookup (name);
  if (info != NULL && (info->flags & STOK_PARAM_FLAGS_ALWAYS_SENT) != 0)
    return info->default_value;

  return NULL;
}

gboolean
stok_stream_params_is_set (StokStreamParams *self,
                           const char       *name)
{
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), FALSE);

  return g_hash_table_contains (self->values, name);
}

/* The names sent: the known ones in the table's order, those set or
 * always sent, then the others in the order they were set. */
static GPtrArray *
names_to_send (StokStreamParams *self)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if ((known[i].flags & STOK_PARAM_FLAGS_ALWAYS_SENT) != 0 ||
        g_hash_table_contains (self->values, known[i].name))
      g_ptr_array_add (names, (gpointer) known[i].name);

  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);

      if (stok_stream_params_lookup (name) == NULL)
        g_ptr_array_add (names, (gpointer) name);
    }

  return names;
}

/**
 * stok_stream_params_dup_names:
 * @self: a #StokStreamParams
 *
 * Returns: (transfer full): the names of the parameters sent, in order
 */
char **
stok_stream_params_dup_names (StokStreamParams *self)
{
  g_autoptr(GPtrArray) names = NULL;
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  names = names_to_send (self);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return result;
}

guint
stok_stream_params_get_sample_rate (StokStreamParams *self)
{
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), STOK_SAMPLE_RATE_DEFAULT);

  return (guint) g_ascii_strtoull (stok_stream_params_get (self, "sample_rate"), NULL, 10);
}

const char *
stok_stream_params_get_encoding (StokStreamParams *self)
{
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), STOK_ENCODING_DEFAULT);

  return stok_stream_params_get (self, "encoding");
}

/**
 * stok_stream_params_build_uri:
 * @self: a #StokStreamParams
 * @server: the base URI of the server that minted @token
 * @token: a temporary token
 *
 * Returns: (transfer full): the streaming WebSocket URI that redeems
 *   @token with these parameters: `wss://` for an https server, `ws://`
 *   for a loopback http one
 */
char *
stok_stream_params_build_uri (StokStreamParams *self,
                              GUri             *server,
                              const char       *token)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) query = g_string_new ("token=");
  g_autoptr(GUri) uri = NULL;
  gboolean secure;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  g_string_append_uri_escaped (query, token, NULL, FALSE);

  names = names_to_send (self);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      g_string_append_printf (query, "&%s=", name);
      g_string_append_uri_escaped (query, stok_stream_params_get (self, name), NULL, FALSE);
    }

  secure = g_ascii_strcasecmp (g_uri_get_scheme (server), "https") == 0;
  uri = g_uri_build (G_URI_FLAGS_ENCODED_QUERY,
                     secure ? "wss" : "ws", NULL,
                     g_uri_get_host (server), g_uri_get_port (server),
                     "/v3/ws", query->str, NULL);
  return g_uri_to_string (uri);
}

static void
add_typed_value (JsonBuilder *builder,
                 const char  *name,
                 const char  *value)
{
  const StokParamInfo *info = stok_stream_params_lookup (name);

  switch (info != NULL ? info->type : STOK_PARAM_TEXT)
    {
    case STOK_PARAM_INTEGER:
      json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
      break;

    case STOK_PARAM_NUMBER:
      json_builder_add_double_value (builder, g_ascii_strtod (value, NULL));
      break;

    case STOK_PARAM_BOOLEAN:
      json_builder_add_boolean_value (builder, g_str_equal (value, "true"));
      break;

    case STOK_PARAM_TEXT_LIST:
      {
        g_autoptr(JsonNode) list = stok_json_parse (value, strlen (value), NULL);

        if (list != NULL)
          json_builder_add_value (builder, g_steal_pointer (&list));
        else
          json_builder_add_string_value (builder, value);
      }
      break;

    case STOK_PARAM_TEXT:
    case STOK_PARAM_CHOICE:
    default:
      json_builder_add_string_value (builder, value);
      break;
    }
}

/**
 * stok_stream_params_build_update:
 * @self: the parameters to change, and only those
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the UpdateConfiguration message that changes
 *   them mid-session, or %NULL when one of them cannot be changed so
 */
char *
stok_stream_params_build_update (StokStreamParams  *self,
                                 GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  if (self->names->len == 0)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("Nothing to change: set a turn parameter first."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "UpdateConfiguration");
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      const StokParamInfo *info = stok_stream_params_lookup (name);

      if (info == NULL || (info->flags & STOK_PARAM_FLAGS_UPDATABLE) == 0)
        {
          g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                       _("%s cannot be changed during a session, only the turn parameters can."),
                       name);
          return NULL;
        }

      json_builder_set_member_name (builder, name);
      add_typed_value (builder, name, g_hash_table_lookup (self->values, name));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return stok_json_to_line (root);
}

/**
 * stok_stream_params_to_json:
 * @self: a #StokStreamParams
 *
 * Returns: (transfer full): the parameters sent, as a JSON object with
 *   typed values, for the command line's --json and the inspector
 */
JsonNode *
stok_stream_params_to_json (StokStreamParams *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  names = names_to_send (self);
  json_builder_begin_object (builder);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      json_builder_set_member_name (builder, name);
      add_typed_value (builder, name, stok_stream_params_get (self, name));
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
