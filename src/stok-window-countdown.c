/* stok-window-countdown.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What counts down in the window, the token panel, the history's rows,
 * a running session's time and cap, and the wait a server asked for
 * before the next mint, moves on one timer, armed for the next second
 * that any of them shows changing. The panel and the rows only show what
 * the clock says when they are told to. */

#define G_LOG_DOMAIN "stok-window"

#include "config.h"

#include "stok-window-private.h"

void
_stok_window_stop_ticking (StokWindow *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static gboolean
tick_cb (gpointer user_data)
{
  StokWindow *self = user_data;

  g_assert (STOK_IS_WINDOW (self));

  self->tick_id = 0;
  _stok_window_update_countdown (self);

  return G_SOURCE_REMOVE;
}

/* The seconds left of the wait for the next mint, rounded up as
 * countdowns are. Returns the time until the shown second changes, or -1
 * when nothing waits. */
static gint64
update_mint_wait (StokWindow *self,
                  gint64      now)
{
  gint64 left_us = self->mint_allowed_us - now;
  guint wait = 0;

  if (self->mint_allowed_us != 0 && left_us > 0)
    wait = (guint) ((left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  else
    self->mint_allowed_us = 0;
  _stok_window_set_mint_wait (self, wait);

  return wait > 0 ? left_us - (gint64) (wait - 1) * G_USEC_PER_SEC : -1;
}

/* Arms one timer for the next moment a displayed second changes, read off
 * the deadlines each time: ticks never drift, and nothing runs between
 * them.
 *
 * One countdown leads: the shown token's while it is redeemable, else the
 * first redeemable token of the history. The others on screen move on its
 * ticks, a second late at most, and have a tick of their own only to show
 * that they ran out. Every token has its own phase: ticking for each would
 * wake the app and draw the window once a second for every token still
 * redeemable. */
static void
schedule_tick (StokWindow *self,
               gint64      now,
               gint64      mint_wait_us)
{
  StokMint *first = NULL;
  gint64 lead_us = stok_token_panel_get_next_change (self->token_panel);
  gint64 history_end_us = stok_history_next_expiry (self->history, now, &first);
  gint64 session_us = stok_session_view_get_next_change (self->session_view);

  _stok_window_stop_ticking (self);

  if (lead_us < 0 && first != NULL)
    lead_us = stok_countdown_until_change (stok_token_get_remaining (stok_mint_get_token (first), now));
  if (lead_us >= 0 && history_end_us >= 0)
    lead_us = MIN (lead_us, history_end_us);
  /* A running session's time and cap tick on the same timer. */
  if (session_us >= 0)
    lead_us = lead_us >= 0 ? MIN (lead_us, session_us) : session_us;
  if (mint_wait_us >= 0)
    lead_us = lead_us >= 0 ? MIN (lead_us, mint_wait_us) : mint_wait_us;
  if (lead_us < 0)
    return;

  self->tick_id = g_timeout_add_full (G_PRIORITY_HIGH_IDLE,
                                      (guint) ((lead_us + 999) / 1000),
                                      tick_cb, self, NULL);
}

/* A tick: what counts down on screen moves on, and the next tick is
 * armed. */
void
_stok_window_update_countdown (StokWindow *self)
{
  gint64 now = stok_clock_get_time (self->clock);

  stok_history_group_update (self->history_group);
  stok_token_panel_update (self->token_panel);
  stok_session_view_update (self->session_view);
  schedule_tick (self, now, update_mint_wait (self, now));
}

/**
 * _stok_window_wait_to_mint:
 * @self: a #StokWindow
 * @seconds: what the server's Retry-After asked for, or 0 to wait no more
 *
 * Holds Generate and a Start that would mint for @seconds from now: the
 * server that asked takes no token before, and each request would only
 * be refused again. Another key or another server asks anew. A longer
 * wait than STOK_WINDOW_MINT_WAIT_MAX, an hour from a proxy say, is the
 * user's to keep or not: the card says it, and nothing is held.
 */
void
_stok_window_wait_to_mint (StokWindow *self,
                           gint64      seconds)
{
  if (seconds > STOK_WINDOW_MINT_WAIT_MAX)
    seconds = 0;
  self->mint_allowed_us = seconds > 0 ? stok_clock_get_time (self->clock) + seconds * G_USEC_PER_SEC : 0;
  _stok_window_update_countdown (self);
}
