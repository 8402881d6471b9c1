/* stok-session-setup-build.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a session is made of, from the setup: the parameters it connects
 * with, its audio source, and mid-session the turn settings changed. */

#define G_LOG_DOMAIN "stok-session-setup"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-audio-format.h"
#include "stok-error.h"
#include "stok-session-setup-private.h"

/* Sets the turn settings of @settings that differ from @from into
 * @params. */
static void
set_turn_settings (StokStreamParams       *params,
                   const StokTurnSettings *settings,
                   const StokTurnSettings *from)
{
  if (!_stok_session_setup_same_threshold (settings->threshold, from->threshold))
    {
      g_autofree char *threshold = _stok_session_setup_format_threshold (settings->threshold);

      stok_stream_params_set (params, "end_of_turn_confidence_threshold", threshold, NULL);
    }
  if (settings->min_silence_ms != from->min_silence_ms)
    {
      g_autofree char *value = g_strdup_printf ("%d", settings->min_silence_ms);

      stok_stream_params_set (params, "min_turn_silence", value, NULL);
    }
  if (settings->max_silence_ms != from->max_silence_ms)
    {
      g_autofree char *value = g_strdup_printf ("%d", settings->max_silence_ms);

      stok_stream_params_set (params, "max_turn_silence", value, NULL);
    }
}

/**
 * stok_session_setup_build_params:
 * @self: a #StokSessionSetup
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the parameters a session connects
 *   with, or %NULL with the first problem in @error
 */
StokStreamParams *
stok_session_setup_build_params (StokSessionSetup  *self,
                                 GError           **error)
{
  g_autoptr(StokStreamParams) params = stok_stream_params_new ();
  g_autofree char *speech_model = NULL;
  g_autofree char *rate = NULL;
  StokTurnSettings defaults = {
    _stok_session_setup_default_number ("end_of_turn_confidence_threshold"),
    (int) _stok_session_setup_default_number ("min_turn_silence"),
    (int) _stok_session_setup_default_number ("max_turn_silence"),
  };

  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);

  if (self->speech_model_problem != NULL || self->keyterms_problem != NULL ||
      self->extra_params_problem != NULL || self->turn_problem != NULL)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER, self->problem);
      return NULL;
    }

  rate = g_strdup_printf ("%d", self->sample_rate);
  speech_model = _stok_session_setup_dup_speech_model (self);
  if (!stok_stream_params_set (params, "speech_model", speech_model, error) ||
      !stok_stream_params_set (params, "sample_rate", rate, error) ||
      !stok_stream_params_set (params, "encoding", stok_audio_encoding_to_string (self->encoding), error))
    return NULL;

  if (self->format_turns && !stok_stream_params_set (params, "format_turns", "true", error))
    return NULL;

  if (*self->keyterms != '\0' && !stok_stream_params_set (params, "keyterms_prompt", self->keyterms, error))
    return NULL;

  set_turn_settings (params, &self->turn, &defaults);

  _stok_session_setup_claim_fields (params);
  for (guint i = 0; self->extra_params[i] != NULL; i++)
    if (!stok_stream_params_set_assignment (params, self->extra_params[i], error))
      return NULL;

  return g_steal_pointer (&params);
}

/**
 * stok_session_setup_create_source:
 * @self: a #StokSessionSetup
 * @params: the parameters the session connects with, whose rate and
 *   encoding the audio takes
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the audio source, not yet checked,
 *   or %NULL when no file was chosen
 */
StokAudioSource *
stok_session_setup_create_source (StokSessionSetup  *self,
                                  StokStreamParams  *params,
                                  GError           **error)
{
  g_autoptr(StokAudioSource) source = NULL;
  StokAudioEncoding encoding = STOK_AUDIO_ENCODING_PCM_S16LE;

  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (params), NULL);

  switch (self->source_kind)
    {
    case STOK_AUDIO_SOURCE_FILE:
      if (self->file == NULL)
        {
          g_set_error_literal (error, STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE,
                               _("Choose an audio file to stream."));
          return NULL;
        }
      source = stok_audio_source_new_for_file (self->file);
      break;

    case STOK_AUDIO_SOURCE_MICROPHONE:
      if (*self->microphone == '\0')
        source = stok_audio_source_new_microphone (NULL, NULL);
      else
        source = stok_audio_source_new_microphone (self->microphone, self->microphone_label);
      break;

    case STOK_AUDIO_SOURCE_SAMPLE:
    default:
      source = stok_audio_source_new_sample ();
      break;
    }

  stok_audio_encoding_from_string (stok_stream_params_get_encoding (params), &encoding);
  stok_audio_source_set_sample_rate (source, stok_stream_params_get_sample_rate (params));
  stok_audio_source_set_encoding (source, encoding);
  stok_audio_source_set_frame_ms (source, (guint) self->frame_ms);

  return g_steal_pointer (&source);
}

/**
 * stok_session_setup_dup_turn_changes:
 * @self: a #StokSessionSetup
 * @applied: the turn settings the session has now
 *
 * Returns: (transfer full) (nullable): the turn parameters that differ
 *   from @applied, for UpdateConfiguration, or %NULL when none does or
 *   they cannot be sent together
 */
StokStreamParams *
stok_session_setup_dup_turn_changes (StokSessionSetup       *self,
                                     const StokTurnSettings *applied)
{
  g_autoptr(StokStreamParams) changes = stok_stream_params_new ();
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (STOK_IS_SESSION_SETUP (self), NULL);
  g_return_val_if_fail (applied != NULL, NULL);

  /* Settings the server would refuse are no change to send; the setup's
   * turn-problem says why. */
  if (self->turn_problem != NULL)
    return NULL;

  set_turn_settings (changes, &self->turn, applied);

  /* Only what was set: a changes object always sends speech_model and
   * the others that go on every connection. */
  names = stok_stream_params_dup_names (changes);
  for (guint i = 0; names[i] != NULL; i++)
    if (stok_stream_params_is_set (changes, names[i]))
      return g_steal_pointer (&changes);

  return NULL;
}
