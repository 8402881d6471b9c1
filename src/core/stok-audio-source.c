/* stok-audio-source.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Audio for a streaming session: a file, the microphone or the built-in
 * sample, as frames of frame-ms of mono audio in the session's encoding
 * and rate.
 *
 * This file is the object and its settings; stok-audio-source-run.c
 * sends the frames and stok-audio-source-check.c is the preflight, with
 * what they share in stok-audio-source-private.h. */

#include "config.h"

#include <glib/gi18n.h>

#include "stok-audio-source-private.h"

G_DEFINE_FINAL_TYPE (StokAudioSource, stok_audio_source, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (StokAudioSourceKind, stok_audio_source_kind,
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_SOURCE_FILE, "file"),
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_SOURCE_MICROPHONE, "microphone"),
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_SOURCE_SAMPLE, "sample"))

enum {
  FRAME,
  FINISHED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
stok_audio_source_dispose (GObject *object)
{
  StokAudioSource *self = (StokAudioSource *)object;

  _stok_audio_source_stop_running (self);

  G_OBJECT_CLASS (stok_audio_source_parent_class)->dispose (object);
}

static void
stok_audio_source_finalize (GObject *object)
{
  StokAudioSource *self = (StokAudioSource *)object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->device, g_free);
  g_clear_pointer (&self->device_label, g_free);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (stok_audio_source_parent_class)->finalize (object);
}

static void
stok_audio_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokAudioSource *self = STOK_AUDIO_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;

    case PROP_DEVICE_LABEL:
      g_value_set_string (value, self->device_label);
      break;

    case PROP_SAMPLE_RATE:
      g_value_set_uint (value, self->sample_rate);
      break;

    case PROP_ENCODING:
      g_value_set_enum (value, self->encoding);
      break;

    case PROP_FRAME_MS:
      g_value_set_uint (value, self->frame_ms);
      break;

    case PROP_CLOCK:
      g_value_set_object (value, self->clock);
      break;

    case PROP_DURATION_US:
      g_value_set_int64 (value, self->duration_us);
      break;

    case PROP_NATIVE_RATE:
      g_value_set_uint (value, self->native_rate);
      break;

    case PROP_AUDIO_SENT_US:
      g_value_set_int64 (value, self->audio_sent_us);
      break;

    case PROP_START_US:
      g_value_set_int64 (value, self->start_us);
      break;

    case PROP_LEVEL:
      g_value_set_double (value, self->level);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_audio_source_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokAudioSource *self = STOK_AUDIO_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;

    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    case PROP_DEVICE:
      self->device = g_value_dup_string (value);
      break;

    case PROP_DEVICE_LABEL:
      self->device_label = g_value_dup_string (value);
      break;

    case PROP_SAMPLE_RATE:
      stok_audio_source_set_sample_rate (self, g_value_get_uint (value));
      break;

    case PROP_ENCODING:
      stok_audio_source_set_encoding (self, g_value_get_enum (value));
      break;

    case PROP_FRAME_MS:
      stok_audio_source_set_frame_ms (self, g_value_get_uint (value));
      break;

    case PROP_CLOCK:
      stok_audio_source_set_clock (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_audio_source_constructed (GObject *object)
{
  StokAudioSource *self = (StokAudioSource *)object;

  G_OBJECT_CLASS (stok_audio_source_parent_class)->constructed (object);

  /* The sample is a file like any other, read from the core's resources
   * through GIO: no path to look up, installed or not. */
  if (self->kind == STOK_AUDIO_SOURCE_SAMPLE && self->file == NULL)
    self->file = g_file_new_for_uri (STOK_AUDIO_SAMPLE_URI);

  if (self->kind == STOK_AUDIO_SOURCE_FILE && self->file == NULL)
    g_critical ("A file audio source needs a file");
}

static void
stok_audio_source_class_init (StokAudioSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_audio_source_dispose;
  object_class->finalize = stok_audio_source_finalize;
  object_class->get_property = stok_audio_source_get_property;
  object_class->set_property = stok_audio_source_set_property;
  object_class->constructed = stok_audio_source_constructed;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       STOK_TYPE_AUDIO_SOURCE_KIND,
                       STOK_AUDIO_SOURCE_FILE,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* A capture device's name as the sound server knows it (for PulseAudio
   * and PipeWire, e.g. alsa_input.usb-…); NULL for the default one. */
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* What the sound server called the device for people, for messages;
   * NULL to name it by #StokAudioSource:device. */
  properties[PROP_DEVICE_LABEL] =
    g_param_spec_string ("device-label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SAMPLE_RATE] =
    g_param_spec_uint ("sample-rate", NULL, NULL,
                       STOK_AUDIO_RATE_MIN, STOK_AUDIO_RATE_MAX, STOK_AUDIO_RATE_DEFAULT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL,
                       STOK_TYPE_AUDIO_ENCODING,
                       STOK_AUDIO_ENCODING_PCM_S16LE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_FRAME_MS] =
    g_param_spec_uint ("frame-ms", NULL, NULL,
                       STOK_AUDIO_FRAME_MS_MIN, STOK_AUDIO_FRAME_MS_MAX, STOK_AUDIO_FRAME_MS_DEFAULT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* What the pacing reads time from; tests give a manual one. */
  properties[PROP_CLOCK] =
    g_param_spec_object ("clock", NULL, NULL,
                         STOK_TYPE_CLOCK,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* A file's length, known once it has been checked; -1 until then. */
  properties[PROP_DURATION_US] =
    g_param_spec_int64 ("duration-us", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* A file's own sample rate, known once it has been checked; 0 until
   * then, and for the microphone. */
  properties[PROP_NATIVE_RATE] =
    g_param_spec_uint ("native-rate", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The audio sent since the start, the last frame's padding included:
   * what the server counts. */
  properties[PROP_AUDIO_SENT_US] =
    g_param_spec_int64 ("audio-sent-us", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The clock's time at which the audio of the first frame began: frame
   * k is due once its audio has played, (k + 1) * frame-ms after it. -1
   * until the first audio is in hand. */
  properties[PROP_START_US] =
    g_param_spec_int64 ("start-us", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The last frame's RMS level, for a level meter. */
  properties[PROP_LEVEL] =
    g_param_spec_double ("level", NULL, NULL,
                         STOK_AUDIO_LEVEL_FLOOR, 0.0, STOK_AUDIO_LEVEL_FLOOR,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * StokAudioSource::frame:
   * @self: a #StokAudioSource
   * @data: frame-ms of mono audio (rounded up to a whole sample) in the
   *   encoding and at the rate chosen; the last frame of a file may be
   *   shorter, never under 50 ms: it is padded with silence
   * @audio_offset_us: where the frame starts in the audio
   *
   * One frame to send, when it is due.
   */
  signals[FRAME] =
    g_signal_new ("frame",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_BYTES, G_TYPE_INT64);

  /**
   * StokAudioSource::finished:
   *
   * The end of a file or of the sample, right after its last frame.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * StokAudioSource::failed:
   * @error: what went wrong, in %STOK_ERROR
   *
   * The audio broke off: a microphone unplugged, a file that cannot be
   * decoded further. The source is stopped.
   */
  signals[FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
stok_audio_source_init (StokAudioSource *self)
{
  self->sample_rate = STOK_AUDIO_RATE_DEFAULT;
  self->encoding = STOK_AUDIO_ENCODING_PCM_S16LE;
  self->frame_ms = STOK_AUDIO_FRAME_MS_DEFAULT;
  self->clock = g_object_ref (stok_clock_get_default ());
  self->duration_us = -1;
  self->start_us = -1;
  self->level = STOK_AUDIO_LEVEL_FLOOR;
}

/**
 * stok_audio_source_new_for_file:
 * @file: an audio file, in any format GStreamer reads
 *
 * Returns: (transfer full): a new source
 */
StokAudioSource *
stok_audio_source_new_for_file (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (STOK_TYPE_AUDIO_SOURCE,
                       "kind", STOK_AUDIO_SOURCE_FILE,
                       "file", file,
                       NULL);
}

/**
 * stok_audio_source_new_microphone:
 * @device: (nullable): a capture device's name, or %NULL for the default
 * @label: (nullable): what the sound server calls @device for people, or
 *   %NULL to name it by @device
 *
 * Returns: (transfer full): a new source
 */
StokAudioSource *
stok_audio_source_new_microphone (const char *device,
                                  const char *label)
{
  return g_object_new (STOK_TYPE_AUDIO_SOURCE,
                       "kind", STOK_AUDIO_SOURCE_MICROPHONE,
                       "device", device,
                       "device-label", device != NULL && label != NULL && *label != '\0' ? label : NULL,
                       NULL);
}

/**
 * stok_audio_source_new_sample:
 *
 * Returns: (transfer full): a source that plays the spoken sample the
 *   app ships
 */
StokAudioSource *
stok_audio_source_new_sample (void)
{
  return g_object_new (STOK_TYPE_AUDIO_SOURCE,
                       "kind", STOK_AUDIO_SOURCE_SAMPLE,
                       NULL);
}

StokAudioSourceKind
stok_audio_source_get_kind (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), STOK_AUDIO_SOURCE_FILE);

  return self->kind;
}

/**
 * stok_audio_source_get_file:
 * @self: a #StokAudioSource
 *
 * Returns: (transfer none) (nullable): the file, or the sample's resource
 */
GFile *
stok_audio_source_get_file (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), NULL);

  return self->file;
}

const char *
stok_audio_source_get_device (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), NULL);

  return self->device;
}

/**
 * stok_audio_source_dup_display_name:
 * @self: a #StokAudioSource
 *
 * Returns: (transfer full): the source's name for people: the file's,
 *   “Built-in sample”, or the microphone's, by its label if it has one
 */
char *
stok_audio_source_dup_display_name (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), NULL);

  switch (self->kind)
    {
    case STOK_AUDIO_SOURCE_FILE:
      return g_file_get_parse_name (self->file);

    case STOK_AUDIO_SOURCE_SAMPLE:
      return g_strdup (_("Built-in sample"));

    case STOK_AUDIO_SOURCE_MICROPHONE:
      if (self->device_label != NULL)
        return g_strdup (self->device_label);
      if (self->device != NULL)
        return g_strdup (self->device);
      return g_strdup (_("Default microphone"));

    default:
      g_return_val_if_reached (NULL);
    }
}

guint
stok_audio_source_get_sample_rate (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), 0);

  return self->sample_rate;
}

/**
 * stok_audio_source_set_sample_rate:
 * @self: a #StokAudioSource
 * @sample_rate: 8000 to 48000 Hz
 *
 * Takes effect at the next start.
 */
void
stok_audio_source_set_sample_rate (StokAudioSource *self,
                                   guint            sample_rate)
{
  g_return_if_fail (STOK_IS_AUDIO_SOURCE (self));
  g_return_if_fail (sample_rate >= STOK_AUDIO_RATE_MIN && sample_rate <= STOK_AUDIO_RATE_MAX);

  if (self->sample_rate == sample_rate)
    return;

  self->sample_rate = sample_rate;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_RATE]);
}

StokAudioEncoding
stok_audio_source_get_encoding (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), STOK_AUDIO_ENCODING_PCM_S16LE);

  return self->encoding;
}

/**
 * stok_audio_source_set_encoding:
 * @self: a #StokAudioSource
 * @encoding: how frames are encoded
 *
 * Takes effect at the next start.
 */
void
stok_audio_source_set_encoding (StokAudioSource   *self,
                                StokAudioEncoding  encoding)
{
  g_return_if_fail (STOK_IS_AUDIO_SOURCE (self));
  g_return_if_fail (encoding == STOK_AUDIO_ENCODING_PCM_S16LE ||
                    encoding == STOK_AUDIO_ENCODING_PCM_MULAW);

  if (self->encoding == encoding)
    return;

  self->encoding = encoding;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

guint
stok_audio_source_get_frame_ms (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), 0);

  return self->frame_ms;
}

/**
 * stok_audio_source_set_frame_ms:
 * @self: a #StokAudioSource
 * @frame_ms: 50 to 1000 ms of audio in each frame
 *
 * Takes effect at the next start.
 */
void
stok_audio_source_set_frame_ms (StokAudioSource *self,
                                guint            frame_ms)
{
  g_return_if_fail (STOK_IS_AUDIO_SOURCE (self));
  g_return_if_fail (frame_ms >= STOK_AUDIO_FRAME_MS_MIN && frame_ms <= STOK_AUDIO_FRAME_MS_MAX);

  if (self->frame_ms == frame_ms)
    return;

  self->frame_ms = frame_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_MS]);
}

/**
 * stok_audio_source_get_clock:
 * @self: a #StokAudioSource
 *
 * Returns: (transfer none): the clock the pacing reads
 */
StokClock *
stok_audio_source_get_clock (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), NULL);

  return self->clock;
}

/**
 * stok_audio_source_set_clock:
 * @self: a stopped #StokAudioSource
 * @clock: (nullable): the clock to pace with, or %NULL for the system's
 */
void
stok_audio_source_set_clock (StokAudioSource *self,
                             StokClock       *clock)
{
  g_return_if_fail (STOK_IS_AUDIO_SOURCE (self));
  g_return_if_fail (clock == NULL || STOK_IS_CLOCK (clock));
  g_return_if_fail (!self->running);

  if (clock == NULL)
    clock = stok_clock_get_default ();

  if (g_set_object (&self->clock, clock))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK]);
}

gint64
stok_audio_source_get_duration_us (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), -1);

  return self->duration_us;
}

guint
stok_audio_source_get_native_rate (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), 0);

  return self->native_rate;
}

gint64
stok_audio_source_get_start_us (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), -1);

  return self->start_us;
}

gint64
stok_audio_source_get_audio_sent_us (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), 0);

  return self->audio_sent_us;
}

double
stok_audio_source_get_level (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), STOK_AUDIO_LEVEL_FLOOR);

  return self->level;
}

gboolean
stok_audio_source_get_running (StokAudioSource *self)
{
  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), FALSE);

  return self->running;
}

void
_stok_audio_source_notify (StokAudioSource *self,
                           guint            prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
_stok_audio_source_emit_frame (StokAudioSource *self,
                               GBytes          *frame,
                               gint64           offset_us)
{
  g_signal_emit (self, signals[FRAME], 0, frame, offset_us);
}

void
_stok_audio_source_emit_finished (StokAudioSource *self)
{
  g_signal_emit (self, signals[FINISHED], 0);
}

void
_stok_audio_source_emit_failed (StokAudioSource *self,
                                const GError    *error)
{
  g_signal_emit (self, signals[FAILED], 0, error);
}
