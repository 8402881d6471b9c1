/* stok-audio-source-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokAudioSource spans three files: stok-audio-source.c is the object
 * and its settings, stok-audio-source-check.c the preflight run before a
 * token is spent, stok-audio-source-run.c the running source, decoding
 * and pacing its frames. This is what they share. */

#pragma once

#include "stok-audio-backend.h"
#include "stok-audio-source.h"
#include "stok-pacer.h"

G_BEGIN_DECLS

struct _StokAudioSource
{
  GObject parent_instance;

  StokAudioSourceKind kind;
  GFile *file;
  char *device;
  char *device_label;
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

enum {
  PROP_0,
  PROP_KIND,
  PROP_FILE,
  PROP_DEVICE,
  PROP_DEVICE_LABEL,
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

void     _stok_audio_source_notify         (StokAudioSource     *self,
                                            guint                prop_id);
void     _stok_audio_source_emit_frame     (StokAudioSource     *self,
                                            GBytes              *frame,
                                            gint64               offset_us);
void     _stok_audio_source_emit_finished  (StokAudioSource     *self);
void     _stok_audio_source_emit_failed    (StokAudioSource     *self,
                                            const GError        *error);

/* stok-audio-source-check.c */
GError  *_stok_audio_source_error          (StokAudioSourceKind  kind,
                                            const char          *name,
                                            const char          *device,
                                            const GError        *error,
                                            gboolean             running);

/* stok-audio-source-run.c */
void     _stok_audio_source_stop_running   (StokAudioSource     *self);

G_END_DECLS
