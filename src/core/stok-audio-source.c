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
 * A file is sent in real time: frame k goes out when the clock reaches
 * start + k * frame-ms (StokPacer), never before, so the server never
 * sees audio faster than it is spoken; frames that fell behind while the
 * main loop was busy go out together, so nothing drifts. The microphone
 * is real time already: its frames go out as they are captured.
 *
 * The decoding is GStreamer's, in a module loaded on first use
 * (stok-audio-backend.c), which decodes only a little ahead of what has
 * been sent. Frames, the end and failures are all emitted here, on the
 * main context that called stok_audio_source_start(), never on one of
 * GStreamer's threads.
 *
 * stok_audio_source_check_async() is the preflight, run before a token is
 * spent: it opens the source, reads its format and scans a file up to its
 * first sound, without any network. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-audio-backend.h"
#include "stok-audio-source.h"
#include "stok-error.h"
#include "stok-pacer.h"

/* A file whose every sample stays below this is silent: room noise and
 * dither sit around -90 to -70 dBFS, quiet speech well above -40. */
#define SILENCE_PEAK_DBFS (-60.0)

/* How long a microphone may take to give its first audio in the check. */
#define MICROPHONE_CHECK_TIMEOUT_US (3 * G_USEC_PER_SEC)

/* The shortest frame the server accepts: a file's last frame is padded
 * with silence up to it. */
#define MIN_FRAME_MS STOK_AUDIO_FRAME_MS_MIN

struct _StokAudioSource
{
  GObject parent_instance;

  StokAudioSourceKind kind;
  GFile *file;
  char *device;
  StokClock *clock;
  guint sample_rate;
  StokAudioEncoding encoding;
  guint frame_ms;

  gint64 duration_us;
  guint native_rate;
  gint64 audio_sent_us;
  gint64 start_us;
  double level;

  /* While running, with the settings it was started with. */
  const StokGstAudioFuncs *gst;
  StokGstStream *stream;
  GSource *pace_source;
  GByteArray *pending;
  StokPacer pacer;
  gulong clock_changed_id;
  guint64 n_frames;
  guint64 n_samples_sent;
  guint run_id;
  guint run_rate;
  guint run_frame_ms;
  StokAudioEncoding run_encoding;
  guint running : 1;
  guint eos : 1;
};

G_DEFINE_FINAL_TYPE (StokAudioSource, stok_audio_source, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (StokAudioSourceKind, stok_audio_source_kind,
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_SOURCE_FILE, "file"),
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_SOURCE_MICROPHONE, "microphone"),
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_SOURCE_SAMPLE, "sample"))

enum {
  PROP_0,
  PROP_KIND,
  PROP_FILE,
  PROP_DEVICE,
  PROP_SAMPLE_RATE,
  PROP_ENCODING,
  PROP_FRAME_MS,
  PROP_CLOCK,
  PROP_DURATION_US,
  PROP_NATIVE_RATE,
  PROP_AUDIO_SENT_US,
  PROP_START_US,
  PROP_LEVEL,
  PROP_RUNNING,
  N_PROPS
};

enum {
  FRAME,
  FINISHED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void stop_running (StokAudioSource *self);

static void
stok_audio_source_dispose (GObject *object)
{
  StokAudioSource *self = (StokAudioSource *)object;

  stop_running (self);

  G_OBJECT_CLASS (stok_audio_source_parent_class)->dispose (object);
}

static void
stok_audio_source_finalize (GObject *object)
{
  StokAudioSource *self = (StokAudioSource *)object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->device, g_free);
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
 *
 * Returns: (transfer full): a new source
 */
StokAudioSource *
stok_audio_source_new_microphone (const char *device)
{
  return g_object_new (STOK_TYPE_AUDIO_SOURCE,
                       "kind", STOK_AUDIO_SOURCE_MICROPHONE,
                       "device", device,
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
 *   “Built-in sample”, or the microphone's
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

/* Words the module's failure for people, naming the source. @running: it
 * broke off after audio had started to flow. Whole sentences for each
 * kind of source, so that translations need not fit a name into one. */
static GError *
source_error (StokAudioSourceKind  kind,
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
      if (running && device != NULL)
        return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_FAILED,
                            _("The microphone “%s” stopped: %s"), device, error->message);
      if (running)
        return g_error_new (STOK_ERROR, STOK_ERROR_SOURCE_FAILED,
                            _("The microphone stopped: %s"), error->message);
      if (device != NULL)
        return g_error_new (STOK_ERROR, STOK_ERROR_NO_MICROPHONE,
                            _("The microphone “%s” is not available: %s"), device, error->message);
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
  gboolean ok = FALSE;

  if (data->kind == STOK_AUDIO_SOURCE_FILE &&
      !check_file_access (data, cancellable, error))
    return FALSE;

  if (!(gst = stok_audio_backend_get (error)))
    return FALSE;

  if (!(stream = gst->open_file (data->file, 0, &gst_error)))
    {
      g_propagate_error (error, source_error (data->kind, data->name, data->device, gst_error, FALSE));
      return FALSE;
    }

  if (!gst->preroll (stream, cancellable, &gst_error))
    goto out;

  data->native_rate = gst->get_native_rate (stream);
  data->duration_us = gst->get_duration_us (stream);

  if (data->native_rate > 0 && data->rate > data->native_rate)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_SOURCE_RATE,
                   _("The audio of “%s” is recorded at %u Hz, below the %u Hz asked for: converting it up would add nothing the server could hear. Choose %u Hz or less."),
                   data->name, data->native_rate, data->rate, data->native_rate);
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

          if (stok_audio_peak_dbfs (STOK_AUDIO_ENCODING_PCM_S16LE, samples, size) > SILENCE_PEAK_DBFS)
            {
              ok = TRUE;
              goto out;
            }
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
        g_propagate_error (error, source_error (data->kind, data->name, data->device, gst_error, FALSE));
      return FALSE;
    }

  return ok;
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

  if (!(stream = gst->open_microphone (data->device, data->rate, &gst_error)))
    {
      g_propagate_error (error, source_error (data->kind, data->name, data->device, gst_error, FALSE));
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
                         data->device, seconds);
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
      g_propagate_error (error, source_error (data->kind, data->name, data->device, gst_error, FALSE));
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NATIVE_RATE]);
    }
  if (data->duration_us != self->duration_us)
    {
      self->duration_us = data->duration_us;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_US]);
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

/* Running. */

static gsize
frame_s16_bytes_for (guint rate,
                     guint ms)
{
  return (gsize) stok_audio_samples_for_ms (rate, ms) * 2;
}

/* The bytes of 16-bit audio in a frame. */
static gsize
frame_s16_bytes (StokAudioSource *self)
{
  return frame_s16_bytes_for (self->run_rate, self->run_frame_ms);
}

static void
set_level (StokAudioSource *self,
           double           level)
{
  if (self->level == level)
    return;

  self->level = level;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

static void
set_start_us (StokAudioSource *self,
              gint64           start_us)
{
  if (self->start_us == start_us)
    return;

  self->start_us = start_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START_US]);
}

static void
stop_running (StokAudioSource *self)
{
  if (!self->running)
    return;

  self->running = FALSE;
  self->run_id++;

  g_clear_signal_handler (&self->clock_changed_id, self->clock);
  if (self->pace_source != NULL)
    {
      g_source_destroy (self->pace_source);
      g_clear_pointer (&self->pace_source, g_source_unref);
    }
  g_clear_pointer (&self->stream, self->gst->free);
  g_clear_pointer (&self->pending, g_byte_array_unref);
}

static void
finish (StokAudioSource *self)
{
  stop_running (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[FINISHED], 0);
}

static void
fail (StokAudioSource *self,
      const GError    *error)
{
  g_autofree char *name = stok_audio_source_dup_display_name (self);
  g_autoptr(GError) source_failure = source_error (self->kind, name, self->device, error, self->n_frames > 0);

  g_debug ("Audio: %s", source_failure->message);

  stop_running (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[FAILED], 0, source_failure);
}

/* Pulls decoded audio until @want bytes wait or nothing more has come.
 * Pulling no further than needed is what holds the decoder back. */
static gboolean
fill (StokAudioSource  *self,
      gsize             want,
      GError          **error)
{
  while (self->pending->len < want && !self->eos)
    {
      g_autoptr(GBytes) bytes = NULL;
      gboolean eos = FALSE;

      bytes = self->gst->pull (self->stream, 0, &eos, error);
      if (bytes != NULL)
        g_byte_array_append (self->pending, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      else if (eos)
        self->eos = TRUE;
      else if (error != NULL && *error != NULL)
        return FALSE;
      else
        break;
    }

  return TRUE;
}

/* Sends the first @n_bytes waiting, padded with silence to the shortest
 * frame the server takes. Returns FALSE if a handler stopped the source. */
static gboolean
emit_frame (StokAudioSource *self,
            gsize            n_bytes)
{
  g_autoptr(GBytes) s16 = NULL;
  g_autoptr(GBytes) frame = NULL;
  gsize min_bytes = frame_s16_bytes_for (self->run_rate, MIN_FRAME_MS);
  gint64 offset_us = stok_audio_samples_to_us (self->run_rate, self->n_samples_sent);
  guint run_id = self->run_id;
  gsize frame_size;

  if (n_bytes < min_bytes)
    {
      guint8 *padded = g_malloc0 (min_bytes);

      memcpy (padded, self->pending->data, n_bytes);
      s16 = g_bytes_new_take (padded, min_bytes);
    }
  else
    {
      s16 = g_bytes_new (self->pending->data, n_bytes);
    }
  g_byte_array_remove_range (self->pending, 0, n_bytes);

  if (self->run_encoding == STOK_AUDIO_ENCODING_PCM_MULAW)
    frame = stok_audio_s16le_to_mulaw (g_bytes_get_data (s16, NULL), g_bytes_get_size (s16));
  else
    frame = g_bytes_ref (s16);

  self->n_frames++;
  if (self->kind != STOK_AUDIO_SOURCE_MICROPHONE)
    stok_pacer_mark_sent (&self->pacer);
  self->n_samples_sent += g_bytes_get_size (s16) / 2;
  self->audio_sent_us = stok_audio_samples_to_us (self->run_rate, self->n_samples_sent);
  frame_size = g_bytes_get_size (frame);

  g_signal_emit (self, signals[FRAME], 0, frame, offset_us);
  if (self->run_id != run_id)
    return FALSE;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_SENT_US]);
  set_level (self, stok_audio_level_dbfs (self->run_encoding, g_bytes_get_data (frame, NULL), frame_size));

  return self->run_id == run_id;
}

/* When to look again: at the next frame's due time if its audio is here
 * (or will be, by then), else when the decoder says it has more. */
static void
schedule (StokAudioSource *self)
{
  gint64 delay;

  if (!stok_pacer_is_started (&self->pacer))
    {
      g_source_set_ready_time (self->pace_source, -1);
      return;
    }

  delay = stok_pacer_get_next_due (&self->pacer) - stok_clock_get_time (self->clock);
  if (delay <= 0 && self->pending->len < frame_s16_bytes (self) && !self->eos)
    g_source_set_ready_time (self->pace_source, -1);
  else
    g_source_set_ready_time (self->pace_source, g_get_monotonic_time () + MAX (delay, 0));
}

static void
pump_file (StokAudioSource *self)
{
  g_autoptr(GError) error = NULL;
  guint run_id = self->run_id;
  guint64 n_due;

  if (!fill (self, frame_s16_bytes (self), &error))
    {
      fail (self, error);
      return;
    }

  /* The clock starts with the first frame's audio in hand, so that the
   * time GStreamer takes to start does not make it late. */
  if (!stok_pacer_is_started (&self->pacer))
    {
      if (self->pending->len < frame_s16_bytes (self) && !self->eos)
        {
          schedule (self);
          return;
        }
      stok_pacer_start (&self->pacer, stok_clock_get_time (self->clock));
      set_start_us (self, self->pacer.start_us);
      if (self->run_id != run_id)
        return;
    }

  n_due = stok_pacer_get_n_due (&self->pacer, stok_clock_get_time (self->clock));
  for (; n_due > 0; n_due--)
    {
      gsize want = frame_s16_bytes (self);

      if (self->pending->len < want && !fill (self, want, &error))
        {
          fail (self, error);
          return;
        }

      if (self->pending->len == 0 && self->eos)
        break;

      /* Late: the decoder will say when it has caught up. */
      if (self->pending->len < want && !self->eos)
        break;

      if (!emit_frame (self, MIN (want, self->pending->len)))
        return;

      /* Looks ahead for the end, so that it comes with the last frame. */
      if (!fill (self, frame_s16_bytes (self), &error))
        {
          fail (self, error);
          return;
        }
    }

  if (self->run_id != run_id)
    return;

  if (self->eos && self->pending->len == 0)
    finish (self);
  else
    schedule (self);
}

static void
pump_microphone (StokAudioSource *self)
{
  g_autoptr(GError) error = NULL;
  guint run_id = self->run_id;

  if (!fill (self, G_MAXSIZE, &error))
    {
      fail (self, error);
      return;
    }

  while (self->pending->len >= frame_s16_bytes (self))
    {
      if (self->n_frames == 0)
        {
          /* Its audio began a frame ago: the same start as a file's. */
          set_start_us (self, stok_clock_get_time (self->clock) -
                              stok_audio_samples_to_us (self->run_rate, frame_s16_bytes (self) / 2));
          if (self->run_id != run_id)
            return;
        }
      if (!emit_frame (self, frame_s16_bytes (self)))
        return;
    }

  if (self->eos)
    {
      g_autoptr(GError) eos_error = g_error_new_literal (STOK_GST_ERROR, STOK_GST_ERROR_NO_DEVICE,
                                                         _("the device closed"));
      fail (self, eos_error);
    }
}

static void
pump (StokAudioSource *self)
{
  g_autoptr(StokAudioSource) hold = g_object_ref (self);

  if (!self->running)
    return;

  if (self->kind == STOK_AUDIO_SOURCE_MICROPHONE)
    pump_microphone (self);
  else
    pump_file (self);
}

static gboolean
ready_cb (gpointer user_data)
{
  StokAudioSource *self = user_data;

  g_assert (STOK_IS_AUDIO_SOURCE (self));

  pump (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
pace_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs pace_source_funcs = {
  NULL, NULL, pace_dispatch, NULL, NULL, NULL,
};

/* A manual clock moves only when told: look at once. */
static void
clock_changed_cb (StokClock       *clock,
                  StokAudioSource *self)
{
  g_assert (STOK_IS_AUDIO_SOURCE (self));

  if (self->pace_source != NULL)
    g_source_set_ready_time (self->pace_source, 0);
}

/**
 * stok_audio_source_start:
 * @self: a stopped #StokAudioSource
 * @error: return location for a #GError
 *
 * Starts decoding or capturing. #StokAudioSource::frame, ::finished and
 * ::failed are then emitted on the thread-default main context of the
 * caller. A check is not required first, but only the check scans for
 * silence and compares rates.
 *
 * Returns: %TRUE if the source started
 */
gboolean
stok_audio_source_start (StokAudioSource  *self,
                         GError          **error)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *name = NULL;
  const StokGstAudioFuncs *gst;
  StokGstStream *stream;

  g_return_val_if_fail (STOK_IS_AUDIO_SOURCE (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);
  g_return_val_if_fail (self->file != NULL || self->kind == STOK_AUDIO_SOURCE_MICROPHONE, FALSE);

  if (!(gst = stok_audio_backend_get (error)))
    return FALSE;

  name = stok_audio_source_dup_display_name (self);
  if (self->kind == STOK_AUDIO_SOURCE_MICROPHONE)
    stream = gst->open_microphone (self->device, self->sample_rate, &gst_error);
  else
    stream = gst->open_file (self->file, self->sample_rate, &gst_error);
  if (stream == NULL)
    {
      g_propagate_error (error, source_error (self->kind, name, self->device, gst_error, FALSE));
      return FALSE;
    }

  self->gst = gst;
  self->stream = stream;
  self->run_rate = self->sample_rate;
  self->run_frame_ms = self->frame_ms;
  self->run_encoding = self->encoding;
  self->pending = g_byte_array_new ();
  self->n_frames = 0;
  self->n_samples_sent = 0;
  self->eos = FALSE;
  stok_pacer_init (&self->pacer, self->sample_rate,
                   stok_audio_samples_for_ms (self->sample_rate, self->frame_ms));
  self->running = TRUE;

  context = g_main_context_ref_thread_default ();
  self->pace_source = g_source_new (&pace_source_funcs, sizeof (GSource));
  g_source_set_static_name (self->pace_source, "[stok] audio pacing");
  /* Ahead of default-priority work such as redraws, so that frames are
   * not held up behind them. */
  g_source_set_priority (self->pace_source, G_PRIORITY_HIGH);
  g_source_set_callback (self->pace_source, ready_cb, self, NULL);
  g_source_attach (self->pace_source, context);

  self->clock_changed_id = g_signal_connect (self->clock, "changed",
                                             G_CALLBACK (clock_changed_cb), self);

  if (!gst->play (stream, context, ready_cb, self, &gst_error))
    {
      stop_running (self);
      g_propagate_error (error, source_error (self->kind, name, self->device, gst_error, FALSE));
      return FALSE;
    }

  if (self->audio_sent_us != 0)
    {
      self->audio_sent_us = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_SENT_US]);
    }
  set_level (self, STOK_AUDIO_LEVEL_FLOOR);
  set_start_us (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

/**
 * stok_audio_source_stop:
 * @self: a #StokAudioSource
 *
 * Stops sending; audio decoded or captured but not sent yet is dropped.
 * Emits neither ::finished nor ::failed.
 */
void
stok_audio_source_stop (StokAudioSource *self)
{
  g_return_if_fail (STOK_IS_AUDIO_SOURCE (self));

  if (!self->running)
    return;

  stop_running (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}
