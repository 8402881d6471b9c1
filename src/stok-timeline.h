/* stok-timeline.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "stok-session.h"

G_BEGIN_DECLS

/* A second of the session, in pixels, unless set otherwise: a 50 ms
 * frame is 5 px, a word a few dozen. */
#define STOK_TIMELINE_DEFAULT_PIXELS_PER_SECOND 100.0

#define STOK_TYPE_TIMELINE (stok_timeline_get_type())

G_DECLARE_FINAL_TYPE (StokTimeline, stok_timeline, STOK, TIMELINE, GtkWidget)

GtkWidget   *stok_timeline_new                   (void);
StokSession *stok_timeline_get_session           (StokTimeline    *self);
void         stok_timeline_set_session           (StokTimeline    *self,
                                                  StokSession     *session);
double       stok_timeline_get_pixels_per_second (StokTimeline    *self);
void         stok_timeline_set_pixels_per_second (StokTimeline    *self,
                                                  double           pixels_per_second);
gboolean     stok_timeline_get_follows_live      (StokTimeline    *self);
void         stok_timeline_set_follows_live      (StokTimeline    *self,
                                                  gboolean         follows_live);
void         stok_timeline_scroll_to             (StokTimeline    *self,
                                                  gint64           session_us);
gint64       stok_timeline_get_view_start        (StokTimeline    *self);

/* Where things are drawn, in the widget's coordinates. */
gint64       stok_timeline_audio_to_session      (StokTimeline    *self,
                                                  gint64           audio_us);
double       stok_timeline_get_x_for_time        (StokTimeline    *self,
                                                  gint64           session_us);
gboolean     stok_timeline_get_word_area         (StokTimeline    *self,
                                                  guint            turn,
                                                  guint            word,
                                                  graphene_rect_t *area);
gboolean     stok_timeline_get_final_area        (StokTimeline    *self,
                                                  guint            turn,
                                                  graphene_rect_t *area);
gboolean     stok_timeline_get_latency_area      (StokTimeline    *self,
                                                  guint            turn,
                                                  graphene_rect_t *area);
char        *stok_timeline_dup_tooltip_at        (StokTimeline    *self,
                                                  double           x,
                                                  double           y);
char        *stok_timeline_dup_summary           (StokTimeline    *self);

G_END_DECLS
