/* stok-turn.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Words at or under this confidence are marked in the transcript. */
#define STOK_LOW_CONFIDENCE 0.6

typedef struct
{
  char    *text;
  /* Milliseconds of audio, from the start of the stream. */
  gint64   start_ms;
  gint64   end_ms;
  double   confidence;
  gboolean final;
} StokWord;

#define STOK_TYPE_TURN (stok_turn_get_type())

G_DECLARE_FINAL_TYPE (StokTurn, stok_turn, STOK, TURN, GObject)

StokTurn       *stok_turn_new                   (gint64          turn_order);
gboolean        stok_turn_apply_message         (StokTurn       *self,
                                                 JsonObject     *message,
                                                 gint64          arrival_us);
gint64          stok_turn_get_order             (StokTurn       *self);
const char     *stok_turn_get_transcript        (StokTurn       *self);
char           *stok_turn_dup_text              (StokTurn       *self);
gboolean        stok_turn_get_end_of_turn       (StokTurn       *self);
gboolean        stok_turn_get_formatted         (StokTurn       *self);
double          stok_turn_get_confidence        (StokTurn       *self);
const char     *stok_turn_get_speaker           (StokTurn       *self);
const char     *stok_turn_get_language          (StokTurn       *self);
guint           stok_turn_get_n_words           (StokTurn       *self);
const StokWord *stok_turn_get_word              (StokTurn       *self,
                                                 guint           position);
guint           stok_turn_get_n_low_confidence  (StokTurn       *self);
gint64          stok_turn_get_first_arrival     (StokTurn       *self);
gint64          stok_turn_get_arrival           (StokTurn       *self);
gint64          stok_turn_get_final_arrival     (StokTurn       *self);
guint           stok_turn_get_n_partials        (StokTurn       *self);
const gint64   *stok_turn_get_partial_arrivals  (StokTurn       *self,
                                                 guint          *n_arrivals);
gboolean        stok_turn_get_cut_off           (StokTurn       *self);
void            stok_turn_set_cut_off           (StokTurn       *self);
gboolean        stok_turn_get_forced            (StokTurn       *self);
void            stok_turn_set_forced            (StokTurn       *self);
gboolean        stok_turn_get_terminated        (StokTurn       *self);
void            stok_turn_set_terminated        (StokTurn       *self);
gint64          stok_turn_get_latency           (StokTurn       *self);
void            stok_turn_set_latency           (StokTurn       *self,
                                                 gint64          latency_us);
gint64          stok_turn_get_speech_end_ms     (StokTurn       *self);

G_END_DECLS
