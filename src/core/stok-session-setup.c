/* stok-session-setup.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the next session will be: its audio source and the parameters of
 * its connection, as the window's session view edits them and the
 * settings remember them. Each value is checked against the parameters'
 * table as it is set; what the table refuses is kept, said in the
 * matching *-problem property, and never sent: the setup is then not
 * valid, and no session starts from it.
 *
 * The turn detection settings are sent only when they differ from the
 * server's defaults, so that a session left as it was asks for nothing;
 * mid-session, stok_session_setup_dup_turn_changes() gives what changed
 * since they were last sent, for UpdateConfiguration. */

#define G_LOG_DOMAIN "stok-session-setup"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "stok-audio-format.h"
#include "stok-error.h"
#include "stok-session-setup-private.h"

G_DEFINE_FINAL_TYPE (StokSessionSetup, stok_session_setup, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOURCE_KIND,
  PROP_FILE,
  PROP_MICROPHONE,
  PROP_MICROPHONE_LABEL,
  PROP_SPEECH_MODEL,
  PROP_FORMAT_TURNS,
  PROP_KEYTERMS,
  PROP_END_OF_TURN_CONFIDENCE_THRESHOLD,
  PROP_MIN_TURN_SILENCE,
  PROP_MAX_TURN_SILENCE,
  PROP_SAMPLE_RATE,
  PROP_ENCODING,
  PROP_FRAME_MS,
  PROP_EXTRA_PARAMS,
  PROP_SPEECH_MODEL_PROBLEM,
  PROP_KEYTERMS_PROBLEM,
  PROP_EXTRA_PARAMS_PROBLEM,
  PROP_TURN_PROBLEM,
  PROP_PROBLEM,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The server's defaults, from the parameters' table. */
double
_stok_session_setup_default_number (const char *name)
{
  const StokParamInfo *info = stok_stream_params_lookup (name);

  g_assert (info != NULL && info->default_value != NULL);

  return g_ascii_strtod (info->default_value, NULL);
}

/* A threshold as sent, to the hundredth the window shows: "0.4", "0.45". */
char *
_stok_session_setup_format_threshold (double threshold)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", round (threshold * 100) / 100));
}

gboolean
_stok_session_setup_same_threshold (double a,
                                    double b)
{
  return round (a * 100) == round (b * 100);
}

/* Replaces *@field with @value; TRUE if it changed. */
static gboolean
set_problem (char       **field,
             const GError *error)
{
  const char *value = error != NULL ? error->message : NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* The speech model as sent. */
char *
_stok_session_setup_dup_speech_model (StokSessionSetup *self)
{
  return g_strstrip (g_strdup (self->speech_model));
}

/* The parameters a field of the setup sets, and where the window shows
 * that field: typed by name as well, one would silently override what
 * its row shows. */
static const struct
{
  const char *name;
  const char *reason;
} own_fields[] = {
  { "speech_model", N_("Speech model has its own row under Parameters.") },
  { "format_turns", N_("Format turns has its own row under Parameters.") },
  { "keyterms_prompt", N_("Key terms have their own row under Parameters.") },
  { "end_of_turn_confidence_threshold", N_("End of turn confidence has its own row under Turn detection.") },
  { "min_turn_silence", N_("Minimum silence has its own row under Turn detection.") },
  /* Its older name, which a server takes in its place. */
  { "min_end_of_turn_silence_when_confident", N_("Minimum silence has its own row under Turn detection.") },
  { "max_turn_silence", N_("Maximum silence has its own row under Turn detection.") },
  { "sample_rate", N_("Sample rate has its own row under Advanced.") },
  { "encoding", N_("Encoding has its own row under Advanced.") },
};

void
_stok_session_setup_claim_fields (StokStreamParams *params)
{
  for (guint i = 0; i < G_N_ELEMENTS (own_fields); i++)
    stok_stream_params_claim (params, own_fields[i].name, _(own_fields[i].reason));
}

/* Checks what can be checked without the network, field by field, and
 * says what it found. */
static void
validate (StokSessionSetup *self)
{
  g_autoptr(StokStreamParams) scratch = stok_stream_params_new ();
  g_autoptr(GError) speech_model_error = NULL;
  g_autoptr(GError) keyterms_error = NULL;
  g_autoptr(GError) extra_error = NULL;
  g_autoptr(GError) turn_error = NULL;
  g_autoptr(StokStreamParams) turn = stok_stream_params_new ();
  g_autofree char *min_silence = g_strdup_printf ("%d", self->turn.min_silence_ms);
  g_autofree char *max_silence = g_strdup_printf ("%d", self->turn.max_silence_ms);
  g_autofree char *speech_model = _stok_session_setup_dup_speech_model (self);
  const char *problem = NULL;
  gboolean was_valid = self->problem == NULL;

  if (*speech_model == '\0')
    g_set_error_literal (&speech_model_error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                         _("Choose a speech model: the connection always names one."));
  else
    stok_stream_params_set (scratch, "speech_model", speech_model, &speech_model_error);

  if (self->keyterms != NULL && *self->keyterms != '\0')
    stok_stream_params_set (scratch, "keyterms_prompt", self->keyterms, &keyterms_error);

  /* Remembered from before such names were refused, say. */
  _stok_session_setup_claim_fields (scratch);

  for (guint i = 0; self->extra_params[i] != NULL && extra_error == NULL; i++)
    stok_stream_params_set_assignment (scratch, self->extra_params[i], &extra_error);

  /* Each in its range, as the spin buttons keep them; not together. */
  if (stok_stream_params_set (turn, "min_turn_silence", min_silence, &turn_error) &&
      stok_stream_params_set (turn, "max_turn_silence", max_silence, &turn_error))
    stok_stream_params_check_turn_silence (turn, &turn_error);

  if (set_problem (&self->speech_model_problem, speech_model_error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEECH_MODEL_PROBLEM]);
  if (set_problem (&self->keyterms_problem, keyterms_error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYTERMS_PROBLEM]);
  if (set_problem (&self->extra_params_problem, extra_error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTRA_PARAMS_PROBLEM]);
  if (set_problem (&self->turn_problem, turn_error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TURN_PROBLEM]);

  if (self->source_kind == STOK_AUDIO_SOURCE_FILE && self->file == NULL)
    problem = _("Choose an audio file to stream.");
  else if (self->speech_model_problem != NULL)
    problem = self->speech_model_problem;
  else if (self->keyterms_problem != NULL)
    problem = self->keyterms_problem;
  else if (self->extra_params_problem != NULL)
    problem = self->extra_params_problem;
  else if (self->turn_problem != NULL)
    problem = self->turn_problem;

  if (g_strcmp0 (problem, self->problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }

  if (was_valid != (self->problem == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
set_int (StokSessionSetup *self,
         int              *field,
         int               value,
         guint             prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
stok_session_setup_finalize (GObject *object)
{
  StokSessionSetup *self = (StokSessionSetup *)object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->microphone, g_free);
  g_clear_pointer (&self->microphone_label, g_free);
  g_clear_pointer (&self->speech_model, g_free);
  g_clear_pointer (&self->keyterms, g_free);
  g_clear_pointer (&self->extra_params, g_strfreev);
  g_clear_pointer (&self->speech_model_problem, g_free);
  g_clear_pointer (&self->keyterms_problem, g_free);
  g_clear_pointer (&self->extra_params_problem, g_free);
  g_clear_pointer (&self->turn_problem, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (stok_session_setup_parent_class)->finalize (object);
}

/* The microphone's two strings: NULL is "", the default device. */
static void
set_string (StokSessionSetup  *self,
            char             **field,
            const char        *value,
            guint              prop_id)
{
  if (value == NULL)
    value = "";

  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
stok_session_setup_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  StokSessionSetup *self = STOK_SESSION_SETUP (object);

  switch (prop_id)
    {
    case PROP_SOURCE_KIND:
      g_value_set_enum (value, self->source_kind);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_MICROPHONE:
      g_value_set_string (value, self->microphone);
      break;

    case PROP_MICROPHONE_LABEL:
      g_value_set_string (value, self->microphone_label);
      break;

    case PROP_SPEECH_MODEL:
      g_value_set_string (value, self->speech_model);
      break;

    case PROP_FORMAT_TURNS:
      g_value_set_boolean (value, self->format_turns);
      break;

    case PROP_KEYTERMS:
      g_value_set_string (value, self->keyterms);
      break;

    case PROP_END_OF_TURN_CONFIDENCE_THRESHOLD:
      g_value_set_double (value, self->turn.threshold);
      break;

    case PROP_MIN_TURN_SILENCE:
      g_value_set_int (value, self->turn.min_silence_ms);
      break;

    case PROP_MAX_TURN_SILENCE:
      g_value_set_int (value, self->turn.max_silence_ms);
      break;

    case PROP_SAMPLE_RATE:
      g_value_set_int (value, self->sample_rate);
      break;

    case PROP_ENCODING:
      g_value_set_enum (value, self->encoding);
      break;

    case PROP_FRAME_MS:
      g_value_set_int (value, self->frame_ms);
      break;

    case PROP_EXTRA_PARAMS:
      g_value_set_boxed (value, self->extra_params);
      break;

    case PROP_SPEECH_MODEL_PROBLEM:
      g_value_set_string (value, self->speech_model_problem);
      break;

    case PROP_KEYTERMS_PROBLEM:
      g_value_set_string (value, self->keyterms_problem);
      break;

    case PROP_EXTRA_PARAMS_PROBLEM:
      g_value_set_string (value, self->extra_params_problem);
      break;

    case PROP_TURN_PROBLEM:
      g_value_set_string (value, self->turn_problem);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, stok_session_setup_get_valid (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_setup_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  StokSessionSetup *self = STOK_SESSION_SETUP (object);

  switch (prop_id)
    {
    case PROP_SOURCE_KIND:
      stok_session_setup_set_source_kind (self, g_value_get_enum (value));
      break;

    case PROP_FILE:
      stok_session_setup_set_file (self, g_value_get_object (value));
      break;

    case PROP_MICROPHONE:
      set_string (self, &self->microphone, g_value_get_string (value), PROP_MICROPHONE);
      break;

    case PROP_MICROPHONE_LABEL:
      set_string (self, &self->microphone_label, g_value_get_string (value), PROP_MICROPHONE_LABEL);
      break;

    case PROP_SPEECH_MODEL:
      stok_session_setup_set_speech_model (self, g_value_get_string (value));
      break;

    case PROP_FORMAT_TURNS:
      if (self->format_turns != g_value_get_boolean (value))
        {
          self->format_turns = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_KEYTERMS:
      stok_session_setup_set_keyterms (self, g_value_get_string (value));
      break;

    case PROP_END_OF_TURN_CONFIDENCE_THRESHOLD:
      /* To the hundredth, as shown: a spin button's 0.45 may come as
       * 0.44999…, which is no change. */
      if (!_stok_session_setup_same_threshold (self->turn.threshold, g_value_get_double (value)))
        {
          self->turn.threshold = round (g_value_get_double (value) * 100) / 100;
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_MIN_TURN_SILENCE:
      set_int (self, &self->turn.min_silence_ms, g_value_get_int (value), prop_id);
      validate (self);
      break;

    case PROP_MAX_TURN_SILENCE:
      set_int (self, &self->turn.max_silence_ms, g_value_get_int (value), prop_id);
      validate (self);
      break;

    case PROP_SAMPLE_RATE:
      set_int (self, &self->sample_rate, g_value_get_int (value), prop_id);
      break;

    case PROP_ENCODING:
      if (self->encoding != (StokAudioEncoding) g_value_get_enum (value))
        {
          self->encoding = g_value_get_enum (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_FRAME_MS:
      set_int (self, &self->frame_ms, g_value_get_int (value), prop_id);
      break;

    case PROP_EXTRA_PARAMS:
      {
        const char * const *params = g_value_get_boxed (value);
        const char * const none[] = { NULL };

        /* Never NULL: none is an empty list. */
        if (params == NULL)
          params = none;
        if (g_strv_equal ((const char * const *) self->extra_params, params))
          break;

        g_strfreev (self->extra_params);
        self->extra_params = g_strdupv ((char **) params);
        g_object_notify_by_pspec (object, pspec);
        validate (self);
      }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_session_setup_class_init (StokSessionSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->finalize = stok_session_setup_finalize;
  object_class->get_property = stok_session_setup_get_property;
  object_class->set_property = stok_session_setup_set_property;

  properties[PROP_SOURCE_KIND] =
    g_param_spec_enum ("source-kind", NULL, NULL,
                       STOK_TYPE_AUDIO_SOURCE_KIND, STOK_AUDIO_SOURCE_SAMPLE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:file:
   *
   * The audio file streamed when the source is a file; not remembered
   * from one run to the next.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:microphone:
   *
   * The capture device streamed when the source is the microphone, by
   * its name as the sound server knows it; "" for the default one, the
   * input chosen in the system's sound settings.
   */
  properties[PROP_MICROPHONE] =
    g_param_spec_string ("microphone", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:microphone-label:
   *
   * What the sound server called #StokSessionSetup:microphone when it
   * was chosen, so that it is shown by that name without asking the
   * sound server again; "" for the default one.
   */
  properties[PROP_MICROPHONE_LABEL] =
    g_param_spec_string ("microphone-label", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SPEECH_MODEL] =
    g_param_spec_string ("speech-model", NULL, NULL,
                         STOK_SPEECH_MODEL_DEFAULT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FORMAT_TURNS] =
    g_param_spec_boolean ("format-turns", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:keyterms:
   *
   * keyterms_prompt as typed: terms separated by commas, or a JSON
   * array of strings.
   */
  properties[PROP_KEYTERMS] =
    g_param_spec_string ("keyterms", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_END_OF_TURN_CONFIDENCE_THRESHOLD] =
    g_param_spec_double ("end-of-turn-confidence-threshold", NULL, NULL,
                         0.0, 1.0, _stok_session_setup_default_number ("end_of_turn_confidence_threshold"),
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MIN_TURN_SILENCE] =
    g_param_spec_int ("min-turn-silence", NULL, NULL,
                      (int) stok_stream_params_lookup ("min_turn_silence")->min,
                      (int) stok_stream_params_lookup ("min_turn_silence")->max,
                      (int) _stok_session_setup_default_number ("min_turn_silence"),
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_TURN_SILENCE] =
    g_param_spec_int ("max-turn-silence", NULL, NULL,
                      (int) stok_stream_params_lookup ("max_turn_silence")->min,
                      (int) stok_stream_params_lookup ("max_turn_silence")->max,
                      (int) _stok_session_setup_default_number ("max_turn_silence"),
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SAMPLE_RATE] =
    g_param_spec_int ("sample-rate", NULL, NULL,
                      STOK_SAMPLE_RATE_MIN, STOK_SAMPLE_RATE_MAX, STOK_SAMPLE_RATE_DEFAULT,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL,
                       STOK_TYPE_AUDIO_ENCODING, STOK_AUDIO_ENCODING_PCM_S16LE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:frame-ms:
   *
   * The audio in each binary frame: the server takes 50 to 1000 ms.
   */
  properties[PROP_FRAME_MS] =
    g_param_spec_int ("frame-ms", NULL, NULL,
                      STOK_AUDIO_FRAME_MS_MIN, STOK_AUDIO_FRAME_MS_MAX, STOK_AUDIO_FRAME_MS_DEFAULT,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:extra-params:
   *
   * Any further parameter by name, "NAME=VALUE" each, sent last. A
   * name that a field sets makes the setup not valid: see
   * stok_session_setup_add_extra_param().
   */
  properties[PROP_EXTRA_PARAMS] =
    g_param_spec_boxed ("extra-params", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SPEECH_MODEL_PROBLEM] =
    g_param_spec_string ("speech-model-problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_KEYTERMS_PROBLEM] =
    g_param_spec_string ("keyterms-problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EXTRA_PARAMS_PROBLEM] =
    g_param_spec_string ("extra-params-problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:turn-problem:
   *
   * Why the turn detection settings cannot be sent together: a minimum
   * silence above the maximum; %NULL when they can.
   */
  properties[PROP_TURN_PROBLEM] =
    g_param_spec_string ("turn-problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokSessionSetup:problem:
   *
   * The first thing that keeps a session from starting: no file chosen,
   * or a value the parameters' table refuses; %NULL when there is none.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_session_setup_init (StokSessionSetup *self)
{
  self->source_kind = STOK_AUDIO_SOURCE_SAMPLE;
  self->speech_model = g_strdup (STOK_SPEECH_MODEL_DEFAULT);
  self->microphone = g_strdup ("");
  self->microphone_label = g_strdup ("");
  self->keyterms = g_strdup ("");
  self->turn.threshold = _stok_session_setup_default_number ("end_of_turn_confidence_threshold");
  self->turn.min_silence_ms = (int) _stok_session_setup_default_number ("min_turn_silence");
  self->turn.max_silence_ms = (int) _stok_session_setup_default_number ("max_turn_silence");
  self->sample_rate = STOK_SAMPLE_RATE_DEFAULT;
  self->encoding = STOK_AUDIO_ENCODING_PCM_S16LE;
  self->frame_ms = STOK_AUDIO_FRAME_MS_DEFAULT;
  self->extra_params = g_new0 (char *, 1);
}

StokSessionSetup *
stok_session_setup_new (void)
{
  return g_object_new (STOK_TYPE_SESSION_SETUP, NULL);
}

StokAudioSourceKind
stok_session_setup_get_source_kind (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), STOK_AUDIO_SOURCE_SAMPLE);

  return self->source_kind;
}

void
stok_session_setup_set_source_kind (StokSessionSetup    *self,
                                    StokAudioSourceKind  kind)
{
  g_return_if_fail (STOK_IS_SESSION_SETUP (self));

  if (self->source_kind == kind)
    return;

  self->source_kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE_KIND]);
  validate (self);
}

/**
 * stok_session_setup_get_file:
 * @self: a #StokSessionSetup
 *
 * Returns: (transfer none) (nullable): the audio file chosen
 */
GFile *
stok_session_setup_get_file (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  return self->file;
}

void
stok_session_setup_set_file (StokSessionSetup *self,
                             GFile            *file)
{
  g_return_if_fail (STOK_IS_SESSION_SETUP (self));
  g_return_if_fail (!file || G_IS_FILE (file));

  if (self->file == file || (self->file != NULL && file != NULL && g_file_equal (self->file, file)))
    return;

  g_set_object (&self->file, file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  validate (self);
}

/**
 * stok_session_setup_choose_file:
 * @self: a #StokSessionSetup
 * @file: an audio file
 *
 * Makes @file the source of the next session: a file picked in the file
 * chooser, or opened with the app from the desktop.
 */
void
stok_session_setup_choose_file (StokSessionSetup *self,
                                GFile            *file)
{
  g_return_if_fail (STOK_IS_SESSION_SETUP (self));
  g_return_if_fail (G_IS_FILE (file));

  g_object_freeze_notify (G_OBJECT (self));
  stok_session_setup_set_file (self, file);
  stok_session_setup_set_source_kind (self, STOK_AUDIO_SOURCE_FILE);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * stok_session_setup_get_microphone:
 * @self: a #StokSessionSetup
 *
 * Returns: the capture device's name, or "" for the default one
 */
const char *
stok_session_setup_get_microphone (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  return self->microphone;
}

/**
 * stok_session_setup_get_microphone_label:
 * @self: a #StokSessionSetup
 *
 * Returns: the capture device's name for people, or "" for the default
 */
const char *
stok_session_setup_get_microphone_label (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  return self->microphone_label;
}

/**
 * stok_session_setup_choose_microphone:
 * @self: a #StokSessionSetup
 * @microphone: (nullable): a capture device, or %NULL for the default
 *
 * Makes @microphone the source of the next session.
 */
void
stok_session_setup_choose_microphone (StokSessionSetup *self,
                                      StokMicrophone   *microphone)
{
  g_return_if_fail (STOK_IS_SESSION_SETUP (self));
  g_return_if_fail (!microphone || STOK_IS_MICROPHONE (microphone));

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->microphone,
              microphone != NULL ? stok_microphone_get_name (microphone) : NULL, PROP_MICROPHONE);
  set_string (self, &self->microphone_label,
              microphone != NULL ? stok_microphone_get_label (microphone) : NULL, PROP_MICROPHONE_LABEL);
  stok_session_setup_set_source_kind (self, STOK_AUDIO_SOURCE_MICROPHONE);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
stok_session_setup_get_speech_model (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  return self->speech_model;
}

void
stok_session_setup_set_speech_model (StokSessionSetup *self,
                                     const char       *speech_model)
{
  g_return_if_fail (STOK_IS_SESSION_SETUP (self));

  /* Kept as typed, spaces and all: an entry bound to it must not see
   * its text change under the cursor. They are trimmed when sent. */
  if (speech_model == NULL)
    speech_model = "";
  if (g_strcmp0 (self->speech_model, speech_model) == 0)
    return;

  g_free (self->speech_model);
  self->speech_model = g_strdup (speech_model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEECH_MODEL]);
  validate (self);
}

const char *
stok_session_setup_get_keyterms (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  return self->keyterms;
}

void
stok_session_setup_set_keyterms (StokSessionSetup *self,
                                 const char       *keyterms)
{
  g_return_if_fail (STOK_IS_SESSION_SETUP (self));

  if (keyterms == NULL)
    keyterms = "";
  if (g_strcmp0 (self->keyterms, keyterms) == 0)
    return;

  g_free (self->keyterms);
  self->keyterms = g_strdup (keyterms);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYTERMS]);
  validate (self);
}

/**
 * stok_session_setup_get_extra_params:
 * @self: a #StokSessionSetup
 *
 * Returns: (transfer none): the further parameters, "NAME=VALUE" each
 */
const char * const *
stok_session_setup_get_extra_params (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  return (const char * const *) self->extra_params;
}

/**
 * stok_session_setup_add_extra_param:
 * @self: a #StokSessionSetup
 * @assignment: "NAME=VALUE", as typed
 * @error: return location for a #GError
 *
 * Adds a parameter by name, after checking it as the command line's
 * --param does; one the table refuses, or one that a field of the setup
 * sets, is not added, and @error says why. A name already there has its
 * value replaced.
 *
 * Returns: %TRUE if it was added
 */
gboolean
stok_session_setup_add_extra_param (StokSessionSetup  *self,
                                    const char        *assignment,
                                    GError           **error)
{
  g_autoptr(StokStreamParams) scratch = stok_stream_params_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) params = NULL;
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;
  g_autofree char *trimmed = NULL;
  g_autofree char *added = NULL;
  const char *equals;
  gboolean replaced = FALSE;

  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  equals = strchr (assignment, '=');
  if (equals != NULL)
    name = g_strstrip (g_strndup (assignment, equals - assignment));
  if (equals == NULL || *name == '\0')
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("Type NAME=VALUE, such as max_turn_silence=800, not “%s”."), assignment);
      return FALSE;
    }

  value = g_strstrip (g_strdup (equals + 1));
  trimmed = g_strdup_printf ("%s=%s", name, value);
  _stok_session_setup_claim_fields (scratch);
  if (!stok_stream_params_set_assignment (scratch, trimmed, error))
    return FALSE;

  /* As the table writes it: a number trimmed, a list as JSON. */
  added = g_strdup_printf ("%s=%s", name, stok_stream_params_get (scratch, name));

  for (guint i = 0; self->extra_params[i] != NULL; i++)
    {
      if (g_str_has_prefix (self->extra_params[i], name) &&
          self->extra_params[i][strlen (name)] == '=')
        {
          g_strv_builder_add (builder, added);
          replaced = TRUE;
        }
      else
        {
          g_strv_builder_add (builder, self->extra_params[i]);
        }
    }
  if (!replaced)
    g_strv_builder_add (builder, added);

  params = g_strv_builder_end (builder);
  g_object_set (self, "extra-params", params, NULL);

  return TRUE;
}

void
stok_session_setup_remove_extra_param (StokSessionSetup *self,
                                       guint             position)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) params = NULL;

  g_return_if_fail (STOK_IS_SESSION_SETUP (self));
  g_return_if_fail (position < g_strv_length (self->extra_params));

  for (guint i = 0; self->extra_params[i] != NULL; i++)
    if (i != position)
      g_strv_builder_add (builder, self->extra_params[i]);

  params = g_strv_builder_end (builder);
  g_object_set (self, "extra-params", params, NULL);
}

/**
 * stok_session_setup_get_turn_settings:
 * @self: a #StokSessionSetup
 * @settings: (out caller-allocates): the turn detection settings
 */
void
stok_session_setup_get_turn_settings (StokSessionSetup *self,
                                      StokTurnSettings *settings)
{
  g_return_if_fail (STOK_IS_SESSION_SETUP (self));
  g_return_if_fail (settings != NULL);

  *settings = self->turn;
}

/**
 * stok_session_setup_get_problem:
 * @self: a #StokSessionSetup
 *
 * Returns: (nullable): why no session can start from the setup, or %NULL
 */
const char *
stok_session_setup_get_problem (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  return self->problem;
}

gboolean
stok_session_setup_get_valid (StokSessionSetup *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), FALSE);

  return self->problem == NULL;
}
