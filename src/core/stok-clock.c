/* stok-clock.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The clock that token deadlines are measured with.
 *
 * The redemption window runs on AssemblyAI's servers in real time, and it
 * keeps running while this computer sleeps. CLOCK_MONOTONIC (what
 * g_get_monotonic_time() reads) stops during suspend on Linux, so a
 * countdown based on it would still show time left after a long sleep.
 * CLOCK_REALTIME keeps counting but jumps when the user or NTP changes the
 * clock. CLOCK_BOOTTIME is monotonic *and* counts suspended time, which is
 * exactly the token's life, so the default clock reads it.
 *
 * Tests use a manual clock that only moves when told to; it emits
 * StokClock::changed so that views can redraw at once. */

#define G_LOG_DOMAIN "stok-clock"

#include "config.h"

#include <time.h>

#include "stok-clock.h"

struct _StokClock
{
  GObject parent_instance;

  gboolean manual;
  gint64 manual_time_us;
};

G_DEFINE_FINAL_TYPE (StokClock, stok_clock, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
stok_clock_class_init (StokClockClass *klass)
{
  /**
   * StokClock::changed:
   *
   * Emitted when a manual clock is moved forward. The default clock
   * never emits it: time passing is not a change.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
stok_clock_init (StokClock *self)
{
}

/**
 * stok_clock_get_default:
 *
 * Returns: (transfer none): the clock that reads CLOCK_BOOTTIME
 */
StokClock *
stok_clock_get_default (void)
{
  static StokClock *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, g_object_new (STOK_TYPE_CLOCK, NULL));

  return instance;
}

/**
 * stok_clock_new_manual:
 * @start_us: the time it reads until advanced
 *
 * Returns: (transfer full): a clock for tests
 */
StokClock *
stok_clock_new_manual (gint64 start_us)
{
  StokClock *self = g_object_new (STOK_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->manual_time_us = start_us;

  return self;
}

/**
 * stok_clock_get_time:
 * @self: a #StokClock
 *
 * Returns: microseconds since an arbitrary point, counting suspended time
 */
gint64
stok_clock_get_time (StokClock *self)
{
  struct timespec ts;

  g_return_val_if_fail (STOK_IS_CLOCK (self), 0);

  if (self->manual)
    return self->manual_time_us;

  if (clock_gettime (CLOCK_BOOTTIME, &ts) != 0)
    return g_get_monotonic_time ();

  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/**
 * stok_clock_advance:
 * @self: a manual #StokClock
 * @delta_us: how far to move it forward, as a suspend or a wait would
 */
void
stok_clock_advance (StokClock *self,
                    gint64     delta_us)
{
  g_return_if_fail (STOK_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  /* Like the real one, it never goes back: a token's time left would
   * grow. */
  g_return_if_fail (delta_us >= 0);

  if (delta_us == 0)
    return;

  self->manual_time_us += delta_us;
  g_signal_emit (self, signals[CHANGED], 0);
}
