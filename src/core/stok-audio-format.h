/* stok-audio-format.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The raw encodings a streaming session accepts (PROTOCOL.md). */
typedef enum
{
  STOK_AUDIO_ENCODING_PCM_S16LE,
  STOK_AUDIO_ENCODING_PCM_MULAW,
} StokAudioEncoding;

#define STOK_TYPE_AUDIO_ENCODING (stok_audio_encoding_get_type ())

/* Each binary frame must hold 50..1000 ms of audio; the SDKs send 50. */
#define STOK_AUDIO_FRAME_MS_MIN     50
#define STOK_AUDIO_FRAME_MS_MAX     1000
#define STOK_AUDIO_FRAME_MS_DEFAULT 50

/* Audio whose level, peak or RMS, stays below this is silent: room
 * noise and dither sit around -90 to -70 dBFS, quiet speech's RMS well
 * above -45. */
#define STOK_AUDIO_SILENCE_DBFS (-60.0)

/* 8000 for telephony, 16000 by default; 48000 is the most any source
 * here gives. */
#define STOK_AUDIO_RATE_MIN     8000
#define STOK_AUDIO_RATE_MAX     48000
#define STOK_AUDIO_RATE_DEFAULT 16000

/* What a frame of digital silence measures, instead of minus infinity. */
#define STOK_AUDIO_LEVEL_FLOOR (-100.0)

GType        stok_audio_encoding_get_type          (void) G_GNUC_CONST;
const char  *stok_audio_encoding_to_string         (StokAudioEncoding  encoding);
gboolean     stok_audio_encoding_from_string       (const char        *name,
                                                    StokAudioEncoding *out_encoding);
guint        stok_audio_encoding_get_bytes_per_sample (StokAudioEncoding encoding);

gsize        stok_audio_bytes_for_ms               (StokAudioEncoding  encoding,
                                                    guint              rate,
                                                    guint              ms);
guint        stok_audio_samples_for_ms             (guint              rate,
                                                    guint              ms);
gint64       stok_audio_samples_to_us              (guint              rate,
                                                    guint64            n_samples);
gboolean     stok_audio_check_rate                 (gint64             rate,
                                                    GError           **error);
gboolean     stok_audio_check_frame_ms             (gint64             frame_ms,
                                                    GError           **error);

double       stok_audio_level_dbfs                 (StokAudioEncoding  encoding,
                                                    const guint8      *data,
                                                    gsize              length);
double       stok_audio_peak_dbfs                  (StokAudioEncoding  encoding,
                                                    const guint8      *data,
                                                    gsize              length);

guint8       stok_audio_mulaw_encode               (gint16             sample);
gint16       stok_audio_mulaw_decode               (guint8             byte);
GBytes      *stok_audio_s16le_to_mulaw             (const guint8      *data,
                                                    gsize              length);

G_END_DECLS
