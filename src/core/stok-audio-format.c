/* stok-audio-format.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a frame of audio is on the wire: its encoding and rate, how many
 * bytes a stretch of time takes, and how loud it is. Pure arithmetic, so
 * that the audio source, the level meter and the tests agree on it. */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "stok-audio-format.h"
#include "stok-error.h"

/* The protocol's names are the nicks, so that a property bound to text
 * reads as the query string does. */
G_DEFINE_ENUM_TYPE (StokAudioEncoding, stok_audio_encoding,
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_ENCODING_PCM_S16LE, "pcm_s16le"),
  G_DEFINE_ENUM_VALUE (STOK_AUDIO_ENCODING_PCM_MULAW, "pcm_mulaw"))

/* G.711's constants: the bias that makes the segments line up, and the
 * largest magnitude that still fits once it is added. */
#define MULAW_BIAS 0x84
#define MULAW_CLIP 32635

/**
 * stok_audio_encoding_to_string:
 * @encoding: a #StokAudioEncoding
 *
 * Returns: (transfer none): the name the protocol uses, e.g. `pcm_s16le`
 */
const char *
stok_audio_encoding_to_string (StokAudioEncoding encoding)
{
  switch (encoding)
    {
    case STOK_AUDIO_ENCODING_PCM_S16LE:
      return "pcm_s16le";
    case STOK_AUDIO_ENCODING_PCM_MULAW:
      return "pcm_mulaw";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * stok_audio_encoding_from_string:
 * @name: a protocol name such as `pcm_mulaw`
 * @out_encoding: (out) (optional): the encoding it names
 *
 * Returns: %TRUE if @name is an encoding that can be sent
 */
gboolean
stok_audio_encoding_from_string (const char        *name,
                                 StokAudioEncoding *out_encoding)
{
  StokAudioEncoding encoding;

  if (g_strcmp0 (name, "pcm_s16le") == 0)
    encoding = STOK_AUDIO_ENCODING_PCM_S16LE;
  else if (g_strcmp0 (name, "pcm_mulaw") == 0)
    encoding = STOK_AUDIO_ENCODING_PCM_MULAW;
  else
    return FALSE;

  if (out_encoding != NULL)
    *out_encoding = encoding;

  return TRUE;
}

guint
stok_audio_encoding_get_bytes_per_sample (StokAudioEncoding encoding)
{
  switch (encoding)
    {
    case STOK_AUDIO_ENCODING_PCM_S16LE:
      return 2;
    case STOK_AUDIO_ENCODING_PCM_MULAW:
      return 1;
    default:
      g_return_val_if_reached (2);
    }
}

/**
 * stok_audio_samples_for_ms:
 * @rate: samples a second
 * @ms: a duration
 *
 * At a rate where @ms is not a whole number of samples (11025 Hz and
 * 50 ms make 551.25), rounds up: a frame never holds less than it says,
 * and the server refuses frames under 50 ms. The pacing then follows the
 * audio actually in the frames, so nothing drifts.
 *
 * Returns: the samples that @ms of audio take, rounded up
 */
guint
stok_audio_samples_for_ms (guint rate,
                           guint ms)
{
  return (guint) (((guint64) rate * ms + 999) / 1000);
}

/**
 * stok_audio_bytes_for_ms:
 * @encoding: a #StokAudioEncoding
 * @rate: samples a second
 * @ms: a duration
 *
 * Returns: the bytes that @ms of mono audio take, rounded up to a whole
 *   sample: the size of a frame of @ms
 */
gsize
stok_audio_bytes_for_ms (StokAudioEncoding encoding,
                         guint             rate,
                         guint             ms)
{
  return (gsize) stok_audio_samples_for_ms (rate, ms) * stok_audio_encoding_get_bytes_per_sample (encoding);
}

/**
 * stok_audio_samples_to_us:
 * @rate: samples a second
 * @n_samples: a number of samples
 *
 * Returns: how long @n_samples play, in microseconds, rounded down
 */
gint64
stok_audio_samples_to_us (guint   rate,
                          guint64 n_samples)
{
  g_return_val_if_fail (rate > 0, 0);

  return (gint64) (n_samples * G_USEC_PER_SEC / rate);
}

gboolean
stok_audio_check_rate (gint64   rate,
                       GError **error)
{
  if (rate < STOK_AUDIO_RATE_MIN || rate > STOK_AUDIO_RATE_MAX)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, rate);

      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("The sample rate (sample_rate) must be from %d to %d Hz, not %s."),
                   STOK_AUDIO_RATE_MIN, STOK_AUDIO_RATE_MAX, value);
      return FALSE;
    }

  return TRUE;
}

gboolean
stok_audio_check_frame_ms (gint64   frame_ms,
                           GError **error)
{
  if (frame_ms < STOK_AUDIO_FRAME_MS_MIN || frame_ms > STOK_AUDIO_FRAME_MS_MAX)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, frame_ms);

      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("An audio frame must hold from %d to %d ms, not %s: the server refuses any other."),
                   STOK_AUDIO_FRAME_MS_MIN, STOK_AUDIO_FRAME_MS_MAX, value);
      return FALSE;
    }

  return TRUE;
}

/**
 * stok_audio_mulaw_encode:
 * @sample: a linear 16-bit sample
 *
 * Returns: @sample in G.711 mu-law
 */
guint8
stok_audio_mulaw_encode (gint16 sample)
{
  int magnitude = sample;
  int sign = 0;
  int exponent;
  int mantissa;

  if (magnitude < 0)
    {
      sign = 0x80;
      magnitude = -magnitude;
    }
  if (magnitude > MULAW_CLIP)
    magnitude = MULAW_CLIP;
  magnitude += MULAW_BIAS;

  /* The segment is the position of the highest bit above the bias's. */
  exponent = 7;
  for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
    exponent--;
  mantissa = (magnitude >> (exponent + 3)) & 0x0f;

  return (guint8) ~(sign | (exponent << 4) | mantissa);
}

static gint16
mulaw_decode_computed (guint8 byte)
{
  int value;

  byte = ~byte;
  value = (((byte & 0x0f) << 3) + MULAW_BIAS) << ((byte & 0x70) >> 4);

  return (gint16) ((byte & 0x80) ? MULAW_BIAS - value : value - MULAW_BIAS);
}

static const gint16 *
mulaw_table (void)
{
  static gint16 table[256];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (table); i++)
        table[i] = mulaw_decode_computed ((guint8) i);
      g_once_init_leave (&initialized, 1);
    }

  return table;
}

/**
 * stok_audio_mulaw_decode:
 * @byte: a G.711 mu-law sample
 *
 * Returns: the linear 16-bit sample it stands for
 */
gint16
stok_audio_mulaw_decode (guint8 byte)
{
  return mulaw_table ()[byte];
}

/**
 * stok_audio_s16le_to_mulaw:
 * @data: 16-bit little-endian samples
 * @length: their size in bytes (an odd last byte is ignored)
 *
 * Returns: (transfer full): the same samples in mu-law, half the size
 */
GBytes *
stok_audio_s16le_to_mulaw (const guint8 *data,
                           gsize         length)
{
  gsize n_samples = length / 2;
  guint8 *out = g_malloc (MAX (n_samples, 1));

  for (gsize i = 0; i < n_samples; i++)
    out[i] = stok_audio_mulaw_encode ((gint16) (data[2 * i] | (data[2 * i + 1] << 8)));

  return g_bytes_new_take (out, n_samples);
}

static inline gint32
sample_at (StokAudioEncoding  encoding,
           const guint8      *data,
           gsize              i)
{
  if (encoding == STOK_AUDIO_ENCODING_PCM_MULAW)
    return mulaw_table ()[data[i]];

  return (gint16) (data[2 * i] | (data[2 * i + 1] << 8));
}

static double
to_dbfs (double amplitude)
{
  double dbfs;

  if (amplitude <= 0)
    return STOK_AUDIO_LEVEL_FLOOR;

  dbfs = 20.0 * log10 (amplitude / 32768.0);

  return CLAMP (dbfs, STOK_AUDIO_LEVEL_FLOOR, 0.0);
}

/**
 * stok_audio_level_dbfs:
 * @encoding: how @data is encoded
 * @data: mono samples
 * @length: their size in bytes
 *
 * The RMS level, against a full-scale square wave: a full-scale sine
 * measures -3 dBFS. What a level meter shows.
 *
 * Returns: the level in dBFS, %STOK_AUDIO_LEVEL_FLOOR for silence
 */
double
stok_audio_level_dbfs (StokAudioEncoding  encoding,
                       const guint8      *data,
                       gsize              length)
{
  gsize n_samples = length / stok_audio_encoding_get_bytes_per_sample (encoding);
  double sum = 0;

  if (n_samples == 0)
    return STOK_AUDIO_LEVEL_FLOOR;

  g_return_val_if_fail (data != NULL, STOK_AUDIO_LEVEL_FLOOR);

  for (gsize i = 0; i < n_samples; i++)
    {
      double value = sample_at (encoding, data, i);

      sum += value * value;
    }

  return to_dbfs (sqrt (sum / n_samples));
}

/**
 * stok_audio_peak_dbfs:
 * @encoding: how @data is encoded
 * @data: mono samples
 * @length: their size in bytes
 *
 * Returns: the loudest sample's level in dBFS, %STOK_AUDIO_LEVEL_FLOOR
 *   for silence
 */
double
stok_audio_peak_dbfs (StokAudioEncoding  encoding,
                      const guint8      *data,
                      gsize              length)
{
  gsize n_samples = length / stok_audio_encoding_get_bytes_per_sample (encoding);
  gint32 peak = 0;

  if (n_samples == 0)
    return STOK_AUDIO_LEVEL_FLOOR;

  g_return_val_if_fail (data != NULL, STOK_AUDIO_LEVEL_FLOOR);

  for (gsize i = 0; i < n_samples; i++)
    peak = MAX (peak, ABS (sample_at (encoding, data, i)));

  return to_dbfs (peak);
}
