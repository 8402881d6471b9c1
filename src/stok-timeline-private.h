/* stok-timeline-private.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* StokTimeline spans three files: stok-timeline.c is the widget, its
 * session and its input; stok-timeline-geometry.c places the session on
 * the axis and answers what is where; stok-timeline-draw.c draws it. This
 * is what they share. */

#pragma once

#include "stok-timeline.h"

G_BEGIN_DECLS

/* The lanes, from the top: levels, words and brackets, arrivals, axis. */
#define PAD_TOP        6
#define LEVEL_HEIGHT   40
#define WORDS_TOP      (PAD_TOP + LEVEL_HEIGHT + 6)
#define WORDS_HEIGHT   16
#define MARKS_TOP      (WORDS_TOP + WORDS_HEIGHT + 4)
#define MARKS_HEIGHT   10
#define AXIS_TOP       (MARKS_TOP + MARKS_HEIGHT + 4)
#define AXIS_HEIGHT    16
#define HEIGHT         (AXIS_TOP + AXIS_HEIGHT)
/* Room right of the live edge, for the last final mark and its figure. */
#define LIVE_MARGIN    72
/* Levels under this are drawn as silence. */
#define LEVEL_FLOOR_DB (-60.0)
/* How close to a mark the pointer must be for its tooltip. */
#define HIT_SLOP       4.0
/* Audio alone redraws the timeline this often at most: every frame drawn
 * costs the app a dozen wake-ups (the frame clock and the X server's round
 * trips), and a level column more or less is not worth 20 of them a
 * second. Messages and turns are drawn at once. */
#define AUDIO_REDRAW_US (250 * G_TIME_SPAN_MILLISECOND)

struct _StokTimeline
{
  GtkWidget    parent_instance;

  StokSession *session;
  double       pixels_per_second;
  /* The session time at the left edge, while not following. */
  gint64       scroll_us;
  gint64       drag_start_us;
  /* When audio last redrew it, on the monotonic clock. */
  gint64       audio_drawn_us;
  guint        follows_live : 1;
};

/* What is in view, worked out once a frame. */
typedef struct
{
  gint64 start_us;
  gint64 end_us;
  double pixels_per_second;
} View;

static inline double
view_x (const View *view,
        gint64      session_us)
{
  return (session_us - view->start_us) * view->pixels_per_second / G_USEC_PER_SEC;
}

/* stok-timeline-geometry.c */
const gint8 *_stok_timeline_get_levels       (StokTimeline    *self,
                                              guint           *n_levels,
                                              gint64          *frame_us);
gint64       _stok_timeline_frame_sent       (StokTimeline    *self,
                                              guint            frame,
                                              gint64           frame_us);
gint64       _stok_timeline_get_live_start   (StokTimeline    *self);
void         _stok_timeline_view_init        (StokTimeline    *self,
                                              View            *view);
guint        _stok_timeline_first_turn_from  (GListModel      *turns,
                                              gint64           from_us);
guint        _stok_timeline_first_frame_from (StokTimeline    *self,
                                              guint            n_levels,
                                              gint64           frame_us,
                                              gint64           from_us);
gboolean     _stok_timeline_word_rect        (StokTimeline    *self,
                                              const View      *view,
                                              const StokWord  *word,
                                              graphene_rect_t *rect);
gboolean     _stok_timeline_final_rect       (const View      *view,
                                              StokTurn        *turn,
                                              graphene_rect_t *rect);
gboolean     _stok_timeline_latency_rect     (StokTimeline    *self,
                                              const View      *view,
                                              StokTurn        *turn,
                                              graphene_rect_t *rect);

/* stok-timeline-draw.c */
void         _stok_timeline_snapshot         (GtkWidget       *widget,
                                              GtkSnapshot     *snapshot);

G_END_DECLS
