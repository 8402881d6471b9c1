/* stok-audio-source-check.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokAudioSource's preflight and the words of its failures.
 *
 * stok_audio_source_check_async() is the preflight, run before a token is
 * spent: it opens the source, reads its format and scans a file up to its
 * first sound, without any network. */

#include "config.h"

#include <glib/gi18n.h>

#include "stok-audio-source-private.h"
#include "stok-error.h"


/* How long a microphone may take to give its first audio in the check. */
#define MICROPHONE_CHECK_TIMEOUT_US (3 * G_USEC_PER_SEC)

/* Words the module's failure for people, naming the source by @name;
 * @device says whether a microphone was chosen or is the default one.
 * @running: it broke off after audio had started to flow. Whole
 * sentences for each kind of source, so that translations need not fit
 * a name into one. */
GError *
_stok_audio_source_error (StokAudioSourceKind  kind,
                          const char          *name,
                          const char          *device,
                          const GError        *error,
                          gboolean             running)
{
  StokGstErrorCode code = error->code;

  if (error->domain != STOK_GST_ERROR)
    return g_error_copy (error);

  if (kind == STOK_AUDIO_SOURCE_MICROPHONE)
    {
      if (code == STOK_GST_ERROR_MISSING_PLUGIN)
        return g_error_new (STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE,
                            _("Cannot capture from a microphone: %s"), error->message);
      /* A device chosen is named as the sound server called it. */
      if (running && device != NULL)
        return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_FAILED,
                            _("The microphone “%s” stopped: %s"), name, error->message);
      if (running)
        return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_FAILED,
                            _("The microphone stopped: %s"), error->message);
      if (device != NULL)
        return g_error_new (STOK_ERROR, STOK_ERROR_NO_MICROPHONE,
                            _("The microphone “%s” is not available: %s"), name, error->message);
      return g_error_new (STOK_ERROR, STOK_ERROR_NO_MICROPHONE,
                          _("No microphone is available: %s"), error->message);
    }

  switch (code)
    {
    case STOK_GST_ERROR_UNREADABLE:
      return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE,
                          _("Cannot read “%s”: %s"), name, error->message);

    case STOK_GST_ERROR_NOT_AUDIO:
      return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_NOT_AUDIO,
                          _("No audio could be decoded from “%s”: %s"), name, error->message);

    case STOK_GST_ERROR_MISSING_PLUGIN:
      return g_error_new (STOK_ERROR, STOK_ERROR_AUDIO_UNAVAILABLE,
                          _("Cannot decode “%s”: %s"), name, error->message);

    case STOK_GST_ERROR_NO_DEVICE:
    case STOK_GST_ERROR_FAILED:
    default:
      if (!running)
        return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_FAILED,
                            _("Cannot play “%s”: %s"), name, error->message);
      return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_FAILED,
                          _("The audio from “%s” stopped: %s"), name, error->message);
    }
}

/* The preflight. */

typedef struct
{
  StokAudioSourceKind kind;
  GFile *file;
  char *device;
  char *name;
  guint rate;
  guint native_rate;
  gint64 duration_us;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->device, g_free);
  g_clear_pointer (&data->name, g_free);
  g_free (data);
}

/* What GIO can tell before GStreamer is even loaded: the commonest
 * mistakes, in plainer words than a decoder's. */
static gboolean
check_file_access (CheckData     *data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  info = g_file_query_info (data->file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE,
                     _("Cannot read “%s”: there is no such file."), data->name);
      else
        g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE,
                     _("Cannot read “%s”: %s"), data->name, local_error->message);
      return FALSE;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE,
                   _("Cannot read “%s”: it is a folder."), data->name);
      return FALSE;
    }

  /* Opening it is the one true test of permissions. */
  stream = g_file_read (data->file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE,
                     _("Cannot read “%s”: permission denied."), data->name);
      else
        g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_UNREADABLE,
                     _("Cannot read “%s”: %s"), data->name, local_error->message);
      return FALSE;
    }
  g_input_stream_close (G_INPUT_STREAM (stream), NULL, NULL);

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      g_file_info_get_size (info) == 0)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_NOT_AUDIO,
                   _("No audio could be decoded from “%s”: the file is empty."), data->name);
      return FALSE;
    }

  return TRUE;
}

/* Decodes at the file's own rate, without pacing, until the first sound:
 * quick for a file that has any, to the end for one that has none. */
static gboolean
check_file (CheckData     *data,
            GCancellable  *cancellable,
            GError       **error)
{
  const StokGstAudioFuncs *gst;
  StokGstStream *stream;
  g_autoptr(GError) gst_error = NULL;
  gboolean decoded = FALSE;
  gboolean ok = FALSE;

  if (data->kind == STOK_AUDIO_SOURCE_FILE &&
      !check_file_access (data, cancellable, error))
    return FALSE;

  if (!(gst = stok_audio_backend_get (error)))
    return FALSE;

  if (!(stream = gst->open_file (data->file, 0, &gst_error)))
    {
      g_propagate_error (error, _stok_audio_source_error (data->kind, data->name, data->device, gst_error, FALSE));
      return FALSE;
    }

  if (!gst->preroll (stream, cancellable, &gst_error))
    goto out;

  data->native_rate = gst->get_native_rate (stream);
  data->duration_us = gst->get_duration_us (stream);

  /* Audio recorded below the lowest rate a session takes goes at that
   * rate: there is no other. */
  if (data->native_rate > 0 && data->rate > MAX (data->native_rate, STOK_AUDIO_RATE_MIN))
    {
      if (data->native_rate >= STOK_AUDIO_RATE_MIN)
        g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_RATE,
                     _("The audio of “%s” is recorded at %u Hz, below the %u Hz asked for: converting it up would add nothing the server could hear. Choose %u Hz or less."),
                     data->name, data->native_rate, data->rate, data->native_rate);
      else
        g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_RATE,
                     _("The audio of “%s” is recorded at %u Hz, below the %u Hz asked for: converting it up would add nothing the server could hear. Choose %u Hz, the lowest rate a session takes."),
                     data->name, data->native_rate, data->rate, STOK_AUDIO_RATE_MIN);
      goto out;
    }

  if (!gst->play (stream, NULL, NULL, NULL, &gst_error))
    goto out;

  for (;;)
    {
      g_autoptr(GBytes) bytes = NULL;
      gboolean eos = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      /* The timeout lets cancellation in; audio wakes it sooner. */
      bytes = gst->pull (stream, 100 * G_TIME_SPAN_MILLISECOND, &eos, &gst_error);
      if (bytes != NULL)
        {
          gsize size;
          const guint8 *samples = g_bytes_get_data (bytes, &size);

          decoded |= size > 0;
          if (stok_audio_peak_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, samples, size) > STOK_AUDIO_SILENCE_DBFS)
            {
              ok = TRUE;
              goto out;
            }
        }
      else if (eos && !decoded)
        {
          /* A header with nothing after it, or samples GStreamer could
           * not read: not to be called silence. */
          g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_SILENT,
                       _("GStreamer read “%s” to its end and decoded no audio from it: it holds no samples, or none that GStreamer reads."),
                       data->name);
          goto out;
        }
      else if (eos)
        {
          g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_SILENT,
                       _("There is no sound in “%s”, from its start to its end."), data->name);
          goto out;
        }
      else if (gst_error != NULL)
        goto out;
    }

out:
  gst->free (stream);

  if (gst_error != NULL)
    {
      if (g_error_matches (gst_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&gst_error));
      else
        g_propagate_error (error, _stok_audio_source_error (data->kind, data->name, data->device, gst_error, FALSE));
      return FALSE;
    }

  return ok;
}

/* Whether the sound server has @device, when it has any: a chosen device
 * it does not have is unplugged, which says more than pulsesrc's "No such
 * entity"; with no sound server at all, that is what is said. */
static gboolean
is_listed (const StokGstAudioFuncs *gst,
           const char              *device)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) labels = NULL;

  gst->list_microphones (&names, &labels);

  return names[0] == NULL || g_strv_contains ((const char * const *) names, device);
}

/* A microphone is there when it gives audio. */
static gboolean
check_microphone (CheckData     *data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  const StokGstAudioFuncs *gst;
  StokGstStream *stream;
  g_autoptr(GError) gst_error = NULL;
  gint64 deadline;
  gboolean ok = FALSE;

  if (!(gst = stok_audio_backend_get (error)))
    return FALSE;

  if (!(stream = gst->open_microphone (data->device, data->rate, 0, &gst_error)))
    {
      g_propagate_error (error, _stok_audio_source_error (data->kind, data->name, data->device, gst_error, FALSE));
      return FALSE;
    }

  if (!gst->play (stream, NULL, NULL, NULL, &gst_error))
    goto out;

  deadline = g_get_monotonic_time () + MICROPHONE_CHECK_TIMEOUT_US;
  while (!ok && gst_error == NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      gboolean eos = FALSE;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (g_get_monotonic_time () > deadline)
        {
          int seconds = (int) (MICROPHONE_CHECK_TIMEOUT_US / G_USEC_PER_SEC);

          if (data->device != NULL)
            g_set_error (error, STOK_ERROR, STOK_ERROR_NO_MICROPHONE,
                         _("The microphone “%s” gave no audio within %d seconds."),
                         data->name, seconds);
          else
            g_set_error (error, STOK_ERROR, STOK_ERROR_NO_MICROPHONE,
                         _("The microphone gave no audio within %d seconds."), seconds);
          goto out;
        }

      bytes = gst->pull (stream, 100 * G_TIME_SPAN_MILLISECOND, &eos, &gst_error);
      ok = bytes != NULL;
    }

out:
  gst->free (stream);

  if (gst_error != NULL)
    {
      if (data->device != NULL && !is_listed (gst, data->device))
        g_set_error (error, STOK_ERROR, STOK_ERROR_NO_MICROPHONE,
                     _("The microphone “%s” is not connected: plug it in, or choose another."), data->name);
      else
        g_propagate_error (error, _stok_audio_source_error (data->kind, data->name, data->device, gst_error, FALSE));
      return FALSE;
    }

  return ok;
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  if (data->kind == STOK_AUDIO_SOURCE_MICROPHONE)
    ok = check_microphone (data, cancellable, &error);
  else
    ok = check_file (data, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StokAudioSource *self = (StokAudioSource *)object;
  g_autoptr(GTask) task = user_data;
  CheckData *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  g_assert (STOK_IS_AUDIO_SOURCE (self));

  /* What the decoder learnt stands even when the check failed: the rate
   * is what a rate error names. */
  if (data->native_rate != self->native_rate)
    {
      self->native_rate = data->native_rate;
      _stok_audio_source_notify (self, PROP_NATIVE_RATE);
    }
  if (data->duration_us != self->duration_us)
    {
      self->duration_us = data->duration_us;
      _stok_audio_source_notify (self, PROP_DURATION_US);
    }

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * stok_audio_source_check_async:
 * @self: a #StokAudioSource
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the check is done
 * @user_data: data for @callback
 *
 * Checks that the source can give audio before a token is spent on it,
 * with no network: a file that is missing or unreadable, not audio, at a
 * rate below the one asked for, or silent from start to end; no
 * microphone. Each has its own %STOK_ERROR code and a message that names
 * the source. A file's duration-us and native-rate are known afterwards.
 */
void
stok_audio_source_check_async (StokAudioSource     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;
  CheckData *data;

  g_return_if_fail (STOK_IS_AUDIO_SOURCE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_audio_source_check_async);

  data = g_new0 (CheckData, 1);
  data->kind = self->kind;
  data->file = self->file != NULL ? g_object_ref (self->file) : NULL;
  data->device = g_strdup (self->device);
  data->name = stok_audio_source_dup_display_name (self);
  data->rate = self->sample_rate;
  data->duration_us = -1;

  /* GStreamer's calls block: the check runs in a thread of its own, and
   * its findings come back to this context. */
  thread_task = g_task_new (self, cancellable, check_done_cb, g_steal_pointer (&task));
  g_task_set_source_tag (thread_task, check_thread);
  g_task_set_task_data (thread_task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (thread_task, check_thread);
}

/**
 * stok_audio_source_check_finish:
 * @self: a #StokAudioSource
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the source can be started
 */
gboolean
stok_audio_source_check_finish (StokAudioSource  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_audio_source_check_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
