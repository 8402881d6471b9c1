/* stok-session-message.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  STOK_DIRECTION_SENT,
  STOK_DIRECTION_RECEIVED,
  /* The connection's own events: connected, closed, an error. */
  STOK_DIRECTION_EVENT,
} StokDirection;

/* Messages past this size are kept cut short: the protocol's are small,
 * and a hostile server must not fill memory through the log. */
#define STOK_SESSION_MESSAGE_MAX_TEXT 4096

#define STOK_TYPE_SESSION_MESSAGE (stok_session_message_get_type())

G_DECLARE_FINAL_TYPE (StokSessionMessage, stok_session_message, STOK, SESSION_MESSAGE, GObject)

StokSessionMessage *stok_session_message_new           (StokDirection       direction,
                                                        gint64              offset_us,
                                                        const char         *kind,
                                                        const char         *text,
                                                        gsize               size);
StokDirection       stok_session_message_get_direction (StokSessionMessage *self);
gint64              stok_session_message_get_offset    (StokSessionMessage *self);
const char         *stok_session_message_get_kind      (StokSessionMessage *self);
const char         *stok_session_message_get_text      (StokSessionMessage *self);
gsize               stok_session_message_get_size      (StokSessionMessage *self);
gboolean            stok_session_message_get_cut       (StokSessionMessage *self);
char               *stok_session_message_dup_line      (StokSessionMessage *self);
JsonNode           *stok_session_message_to_json       (StokSessionMessage *self,
                                                        JsonNode           *parsed);
const char         *stok_direction_to_string           (StokDirection       direction);

G_END_DECLS
