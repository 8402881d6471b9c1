/* stok-deadline.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _StokDeadline StokDeadline;

StokDeadline *stok_deadline_new             (GCancellable *user_cancellable,
                                             guint         timeout_ms);
GCancellable *stok_deadline_get_cancellable (StokDeadline *self);
gboolean      stok_deadline_timed_out       (StokDeadline *self);
void          stok_deadline_free            (StokDeadline *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StokDeadline, stok_deadline_free)

G_END_DECLS
