/* stok-test-recorder.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "stok-audio-source.h"

G_BEGIN_DECLS

/* What a source emitted, and when by its clock. */
typedef struct
{
  StokAudioSource *source;
  StokClock *clock;
  GPtrArray *frames;
  GArray *offsets;
  GArray *times;
  GError *error;
  GThread *thread;
  guint n_at_finish;
  guint stop_after;
  gboolean finished;
  gboolean wrong_thread;
} StokRecorder;

StokRecorder    *stok_recorder_new              (StokAudioSource    *source);
void             stok_recorder_free             (StokRecorder       *recorder);
gsize            stok_recorder_frame_size       (StokRecorder       *recorder,
                                                 guint               i);
gint64           stok_recorder_offset_at        (StokRecorder       *recorder,
                                                 guint               i);
gint64           stok_recorder_time_at          (StokRecorder       *recorder,
                                                 guint               i);
double           stok_recorder_level_at         (StokRecorder       *recorder,
                                                 StokAudioEncoding   encoding,
                                                 guint               i);
gboolean         stok_recorder_wait_for_frames  (StokRecorder       *recorder,
                                                 guint               n);
gboolean         stok_recorder_is_done          (gpointer            data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StokRecorder, stok_recorder_free)

StokAudioSource *stok_test_file_source          (const char         *path);
gboolean         stok_test_check_source         (StokAudioSource    *source,
                                                 GError            **error);
void             stok_test_play_to_end          (StokAudioSource    *source,
                                                 StokRecorder       *recorder);
gboolean         stok_test_has_started          (gpointer            data);
void             stok_test_start_first_frame    (StokAudioSource    *source,
                                                 StokClock          *clock,
                                                 StokRecorder       *recorder);

G_END_DECLS
