/* stok-audio-source.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "stok-audio-format.h"
#include "stok-clock.h"

G_BEGIN_DECLS

typedef enum
{
  STOK_AUDIO_SOURCE_FILE,
  STOK_AUDIO_SOURCE_MICROPHONE,
  STOK_AUDIO_SOURCE_SAMPLE,
} StokAudioSourceKind;

#define STOK_TYPE_AUDIO_SOURCE_KIND (stok_audio_source_kind_get_type ())
#define STOK_TYPE_AUDIO_SOURCE (stok_audio_source_get_type())

/* Where the built-in sample lives, for whoever wants to read it whole. */
#define STOK_AUDIO_SAMPLE_URI "resource:///io/github/streamingtoken/StreamingToken/core/sample.ogg"

GType stok_audio_source_kind_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (StokAudioSource, stok_audio_source, STOK, AUDIO_SOURCE, GObject)

StokAudioSource     *stok_audio_source_new_for_file    (GFile               *file);
StokAudioSource     *stok_audio_source_new_microphone  (const char          *device,
                                                        const char          *label);
StokAudioSource     *stok_audio_source_new_sample      (void);

StokAudioSourceKind  stok_audio_source_get_kind        (StokAudioSource     *self);
GFile               *stok_audio_source_get_file        (StokAudioSource     *self);
const char          *stok_audio_source_get_device      (StokAudioSource     *self);
char                *stok_audio_source_dup_display_name (StokAudioSource    *self);

guint                stok_audio_source_get_sample_rate (StokAudioSource     *self);
void                 stok_audio_source_set_sample_rate (StokAudioSource     *self,
                                                        guint                sample_rate);
StokAudioEncoding    stok_audio_source_get_encoding    (StokAudioSource     *self);
void                 stok_audio_source_set_encoding    (StokAudioSource     *self,
                                                        StokAudioEncoding    encoding);
guint                stok_audio_source_get_frame_ms    (StokAudioSource     *self);
void                 stok_audio_source_set_frame_ms    (StokAudioSource     *self,
                                                        guint                frame_ms);
StokClock           *stok_audio_source_get_clock       (StokAudioSource     *self);
void                 stok_audio_source_set_clock       (StokAudioSource     *self,
                                                        StokClock           *clock);

gint64               stok_audio_source_get_duration_us (StokAudioSource     *self);
guint                stok_audio_source_get_native_rate (StokAudioSource     *self);
gint64               stok_audio_source_get_start_us    (StokAudioSource     *self);
gint64               stok_audio_source_get_audio_sent_us (StokAudioSource   *self);
double               stok_audio_source_get_level       (StokAudioSource     *self);
gboolean             stok_audio_source_get_running     (StokAudioSource     *self);

void                 stok_audio_source_check_async     (StokAudioSource     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             stok_audio_source_check_finish    (StokAudioSource     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

gboolean             stok_audio_source_start           (StokAudioSource     *self,
                                                        GError             **error);
void                 stok_audio_source_stop            (StokAudioSource     *self);

G_END_DECLS
