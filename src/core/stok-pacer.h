/* stok-pacer.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* When each frame of a file is due: frame k when the audio of the frames
 * before it has played, start + k * frame-ms, read off a clock by the
 * caller. No time of its own, so that tests drive it with any clock. */
typedef struct
{
  guint rate;
  guint samples_per_frame;
  gint64 start_us;
  guint64 n_sent;
  gboolean started;
} StokPacer;

void     stok_pacer_init          (StokPacer       *self,
                                   guint            rate,
                                   guint            samples_per_frame);
void     stok_pacer_start         (StokPacer       *self,
                                   gint64           now_us);
gboolean stok_pacer_is_started    (const StokPacer *self);
gint64   stok_pacer_get_due_time  (const StokPacer *self,
                                   guint64          frame);
guint64  stok_pacer_get_n_due     (const StokPacer *self,
                                   gint64           now_us);
gint64   stok_pacer_get_next_due  (const StokPacer *self);
void     stok_pacer_mark_sent     (StokPacer       *self);
guint64  stok_pacer_get_n_sent    (const StokPacer *self);

G_END_DECLS
