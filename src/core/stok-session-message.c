/* stok-session-message.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One message of a streaming session, in either direction, or an event
 * of the connection itself, with the time it was sent or came: what the
 * inspector lists and `--json` prints. Text is kept printable: control
 * characters and terminal escapes from a server never reach a terminal
 * or a label. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-json.h"
#include "stok-session-message.h"

struct _StokSessionMessage
{
  GObject parent_instance;

  char *kind;
  char *text;
  gint64 offset_us;
  gsize size;
  StokDirection direction;
  gboolean cut;
};

G_DEFINE_FINAL_TYPE (StokSessionMessage, stok_session_message, G_TYPE_OBJECT)

static void
stok_session_message_finalize (GObject *object)
{
  StokSessionMessage *self = (StokSessionMessage *)object;

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (stok_session_message_parent_class)->finalize (object);
}

static void
stok_session_message_class_init (StokSessionMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_session_message_finalize;
}

static void
stok_session_message_init (StokSessionMessage *self)
{
}

/**
 * stok_session_message_new:
 * @direction: who sent it
 * @offset_us: microseconds since the connection was started
 * @kind: the message's type (`Begin`, `Turn`…), or the event's
 * @text: the message as sent, or a description of the event
 * @size: its size on the wire, in bytes
 *
 * Returns: (transfer full): a new message, its text made printable and
 *   cut at %STOK_SESSION_MESSAGE_MAX_TEXT bytes
 */
StokSessionMessage *
stok_session_message_new (StokDirection  direction,
                          gint64         offset_us,
                          const char    *kind,
                          const char    *text,
                          gsize          size)
{
  StokSessionMessage *self;
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (STOK_TYPE_SESSION_MESSAGE, NULL);
  self->direction = direction;
  self->offset_us = offset_us;
  self->kind = stok_dup_printable (kind != NULL ? kind : "", MIN (strlen (kind != NULL ? kind : ""), 64));
  self->size = size;

  length = strlen (text);
  if (length > STOK_SESSION_MESSAGE_MAX_TEXT)
    {
      length = STOK_SESSION_MESSAGE_MAX_TEXT;
      self->cut = TRUE;
    }
  self->text = stok_dup_printable (text, length);

  return self;
}

StokDirection
stok_session_message_get_direction (StokSessionMessage *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), STOK_DIRECTION_EVENT);

  return self->direction;
}

gint64
stok_session_message_get_offset (StokSessionMessage *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), 0);

  return self->offset_us;
}

const char *
stok_session_message_get_kind (StokSessionMessage *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), NULL);

  return self->kind;
}

const char *
stok_session_message_get_text (StokSessionMessage *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), NULL);

  return self->text;
}

gsize
stok_session_message_get_size (StokSessionMessage *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), 0);

  return self->size;
}

/**
 * stok_session_message_get_cut:
 * @self: a #StokSessionMessage
 *
 * Returns: whether the text kept is only the start of the message
 */
gboolean
stok_session_message_get_cut (StokSessionMessage *self)
{
  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), FALSE);

  return self->cut;
}

const char *
stok_direction_to_string (StokDirection direction)
{
  switch (direction)
    {
    case STOK_DIRECTION_SENT:
      return "sent";
    case STOK_DIRECTION_RECEIVED:
      return "received";
    case STOK_DIRECTION_EVENT:
    default:
      return "event";
    }
}

/**
 * stok_session_message_dup_line:
 * @self: a #StokSessionMessage
 *
 * Returns: (transfer full): the message as the inspector shows it: its
 *   time, an arrow for its direction, and its text
 */
char *
stok_session_message_dup_line (StokSessionMessage *self)
{
  const char *arrow;

  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), NULL);

  arrow = self->direction == STOK_DIRECTION_SENT ? "→"
        : self->direction == STOK_DIRECTION_RECEIVED ? "←" : "·";

  if (self->cut)
    {
      g_autofree char *size = g_format_size (self->size);

      /* Translators: a message cut short, then its whole size, such as "2.1 MB" */
      return g_strdup_printf (_("%+9.1f ms %s %s… (%s in all)"),
                              self->offset_us / 1000.0, arrow, self->text, size);
    }

  return g_strdup_printf ("%+9.1f ms %s %s", self->offset_us / 1000.0, arrow, self->text);
}

/**
 * stok_session_message_to_json:
 * @self: a #StokSessionMessage
 * @parsed: (nullable): the message parsed, when it was a JSON object
 *
 * Returns: (transfer full): one line of `--json`: the time in ms since
 *   the connection was started, the direction, and the message itself as
 *   JSON when it was JSON, else as text
 */
JsonNode *
stok_session_message_to_json (StokSessionMessage *self,
                              JsonNode           *parsed)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (STOK_IS_SESSION_MESSAGE (self), NULL);

  json_builder_begin_object (builder);
  /* Whole microseconds as milliseconds with three decimals: a double in
   * milliseconds would print as 0.56899999999999995. */
  json_builder_set_member_name (builder, "time_ms");
  json_builder_add_double_value (builder, (double) (self->offset_us / 1000) +
                                          (double) (self->offset_us % 1000) / 1000.0);
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, stok_direction_to_string (self->direction));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, self->kind);
  if (parsed != NULL && !self->cut)
    {
      json_builder_set_member_name (builder, "message");
      json_builder_add_value (builder, json_node_copy (parsed));
    }
  else
    {
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, self->text);
      if (self->cut)
        {
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, self->size);
        }
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
