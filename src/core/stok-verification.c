/* stok-verification.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The outcome of redeeming a token on the streaming WebSocket: whether the
 * server opened a session (Begin), how it ended (Termination, or an Error
 * and a close code), and every message in order with its time, for the
 * inspector. Parsing of the server's messages lives here, away from the
 * socket, so that it can be tested and fuzzed on its own. */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "stok-json.h"
#include "stok-verification.h"

/* Messages past this size are recorded cut short, and past this count not
 * at all: the protocol's are tiny and few, and a hostile server must not
 * fill memory through the transcript. */
#define MAX_RECORDED_MESSAGE 4096
#define MAX_RECORDED_MESSAGES 256

typedef struct
{
  StokDirection direction;
  gint64 offset_us;
  char *text;
} Message;

struct _StokVerification
{
  GObject parent_instance;

  char *uri;
  GArray *messages;
  char *session_id;
  char *error_message;
  char *close_reason;
  guint n_dropped;
  gint64 expires_at;
  gint64 error_code;
  double audio_duration;
  double session_duration;
  guint http_status;
  gushort close_code;
  guint accepted : 1;
  guint terminated : 1;
};

G_DEFINE_FINAL_TYPE (StokVerification, stok_verification, G_TYPE_OBJECT)

static void
message_clear (gpointer data)
{
  Message *message = data;

  g_clear_pointer (&message->text, g_free);
}

static void
stok_verification_finalize (GObject *object)
{
  StokVerification *self = (StokVerification *)object;

  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->messages, g_array_unref);
  g_clear_pointer (&self->session_id, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->close_reason, g_free);

  G_OBJECT_CLASS (stok_verification_parent_class)->finalize (object);
}

static void
stok_verification_class_init (StokVerificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_verification_finalize;
}

static void
stok_verification_init (StokVerification *self)
{
  self->messages = g_array_new (FALSE, TRUE, sizeof (Message));
  g_array_set_clear_func (self->messages, message_clear);
  self->audio_duration = -1;
  self->session_duration = -1;
  self->error_code = -1;
}

StokVerification *
stok_verification_new (const char *uri)
{
  StokVerification *self = g_object_new (STOK_TYPE_VERIFICATION, NULL);

  self->uri = g_strdup (uri);

  return self;
}

const char *
stok_verification_get_uri (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), NULL);

  return self->uri;
}

/**
 * stok_verification_add_message:
 * @self: a #StokVerification
 * @direction: who sent it, or %STOK_DIRECTION_EVENT for the connection's
 *   own events (connected, closed)
 * @offset_us: microseconds since the connection was started
 * @text: the message
 */
void
stok_verification_add_message (StokVerification *self,
                               StokDirection     direction,
                               gint64            offset_us,
                               const char       *text)
{
  Message message;
  gsize length;

  g_return_if_fail (STOK_IS_VERIFICATION (self));
  g_return_if_fail (text != NULL);

  /* Past the cap, only closing events are kept, so the end still shows. */
  if (self->messages->len >= MAX_RECORDED_MESSAGES && direction != STOK_DIRECTION_EVENT)
    {
      self->n_dropped++;
      return;
    }

  length = strlen (text);
  message.direction = direction;
  message.offset_us = offset_us;
  message.text = stok_dup_printable (text, MIN (length, MAX_RECORDED_MESSAGE));
  g_array_append_val (self->messages, message);
}

static gboolean
get_number (JsonObject *object,
            const char *name,
            double     *out_value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out_value = (double) json_node_get_int (node);
      return TRUE;

    case G_TYPE_DOUBLE:
      *out_value = json_node_get_double (node);
      return TRUE;

    default:
      return FALSE;
    }
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * stok_verification_handle_server_text:
 * @self: a #StokVerification
 * @text: a text message from the streaming server
 * @length: its length in bytes
 *
 * Reads the protocol's messages: `Begin` (session id, expires_at),
 * `Termination` (durations) and `Error` (code and message). Anything else,
 * or anything malformed, is left for the transcript alone.
 */
void
stok_verification_handle_server_text (StokVerification *self,
                                      const char       *text,
                                      gsize             length)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *type;
  double number;

  g_return_if_fail (STOK_IS_VERIFICATION (self));

  if (text == NULL || length == 0)
    return;

  root = stok_json_parse (text, length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  type = get_string (object, "type");
  if (type == NULL)
    return;

  if (g_str_equal (type, "Begin"))
    {
      const char *id = get_string (object, "id");

      self->accepted = TRUE;
      g_free (self->session_id);
      self->session_id = id != NULL ? stok_dup_printable (id, -1) : NULL;
      if (get_number (object, "expires_at", &number) && number > 0 && number < (double) G_MAXINT64 / 2)
        self->expires_at = (gint64) number;
    }
  else if (g_str_equal (type, "Termination"))
    {
      self->terminated = TRUE;
      if (get_number (object, "audio_duration_seconds", &number))
        self->audio_duration = number;
      if (get_number (object, "session_duration_seconds", &number))
        self->session_duration = number;
    }
  else if (g_str_equal (type, "Error"))
    {
      const char *message = get_string (object, "error");

      g_free (self->error_message);
      self->error_message = message != NULL ? stok_dup_printable (message, -1) : NULL;
      /* Converting a double out of gint64's range is undefined; codes
       * are small, so anything else is no code at all. */
      if (get_number (object, "error_code", &number) &&
          number >= 0 && number <= G_MAXINT32)
        self->error_code = (gint64) number;
    }
}

/**
 * stok_verification_get_accepted:
 * @self: a #StokVerification
 *
 * Returns: %TRUE if the server opened a session with the token
 */
gboolean
stok_verification_get_accepted (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), FALSE);

  return self->accepted;
}

const char *
stok_verification_get_session_id (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), NULL);

  return self->session_id;
}

/**
 * stok_verification_get_expires_at:
 * @self: a #StokVerification
 *
 * Returns: the Unix time at which the session would have been cut off, or 0
 */
gint64
stok_verification_get_expires_at (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), 0);

  return self->expires_at;
}

gboolean
stok_verification_get_terminated (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), FALSE);

  return self->terminated;
}

double
stok_verification_get_audio_duration (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), -1);

  return self->audio_duration;
}

double
stok_verification_get_session_duration (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), -1);

  return self->session_duration;
}

const char *
stok_verification_get_error_message (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), NULL);

  return self->error_message;
}

gint64
stok_verification_get_error_code (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), -1);

  return self->error_code;
}

void
stok_verification_set_closed (StokVerification *self,
                              gushort           code,
                              const char       *reason)
{
  g_return_if_fail (STOK_IS_VERIFICATION (self));

  self->close_code = code;
  g_free (self->close_reason);
  self->close_reason = reason != NULL && *reason != '\0' ? stok_dup_printable (reason, -1) : NULL;
}

/**
 * stok_verification_get_close_code:
 * @self: a #StokVerification
 *
 * Returns: the WebSocket close code, or 0 if the connection never opened
 */
gushort
stok_verification_get_close_code (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), 0);

  return self->close_code;
}

const char *
stok_verification_get_close_reason (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), NULL);

  return self->close_reason;
}

void
stok_verification_set_http_status (StokVerification *self,
                                   guint             status)
{
  g_return_if_fail (STOK_IS_VERIFICATION (self));

  self->http_status = status;
}

/**
 * stok_verification_get_http_status:
 * @self: a #StokVerification
 *
 * Returns: the HTTP status of a refused upgrade, or 0
 */
guint
stok_verification_get_http_status (StokVerification *self)
{
  g_return_val_if_fail (STOK_IS_VERIFICATION (self), 0);

  return self->http_status;
}

/**
 * stok_verification_dup_transcript:
 * @self: a #StokVerification
 *
 * Returns: (transfer full): every message in order, one a line, with its
 *   time since the connection started and an arrow for its direction
 */
char *
stok_verification_dup_transcript (StokVerification *self)
{
  GString *text;

  g_return_val_if_fail (STOK_IS_VERIFICATION (self), NULL);

  text = g_string_new (NULL);
  for (guint i = 0; i < self->messages->len; i++)
    {
      const Message *message = &g_array_index (self->messages, Message, i);
      const char *arrow = message->direction == STOK_DIRECTION_SENT ? "→"
                        : message->direction == STOK_DIRECTION_RECEIVED ? "←" : "·";

      g_string_append_printf (text, "%+8.1f ms %s %s\n",
                              message->offset_us / 1000.0, arrow, message->text);
    }

  if (self->n_dropped > 0)
    g_string_append_printf (text,
                            g_dngettext (GETTEXT_PACKAGE, "(%u more message not recorded)",
                                         "(%u more messages not recorded)", self->n_dropped),
                            self->n_dropped);

  return g_string_free (text, FALSE);
}

/**
 * stok_describe_close_code:
 * @code: a WebSocket close code
 *
 * Returns: (transfer none): what @code means on AssemblyAI's streaming API
 */
const char *
stok_describe_close_code (gushort code)
{
  switch (code)
    {
    case 1000:
      return _("Closed normally");
    case 1008:
      return _("Unauthorized: the token is missing, invalid, expired or already used, or the account has a problem");
    case 3005:
      return _("Server error");
    case 3006:
      return _("Invalid message or JSON");
    case 3007:
      return _("Audio chunk outside 50 to 1000 ms, or sent faster than real time");
    case 3008:
      return _("Session expired: the maximum session duration was reached");
    case 3009:
      return _("Too many concurrent sessions");
    default:
      return _("Unknown close code");
    }
}

/**
 * stok_verification_dup_refusal:
 * @self: a refused #StokVerification
 *
 * Returns: (transfer full): one line saying why the server refused the
 *   token: the close code and its meaning, and the server's own words
 */
char *
stok_verification_dup_refusal (StokVerification *self)
{
  const char *words;

  g_return_val_if_fail (STOK_IS_VERIFICATION (self), NULL);

  words = self->error_message != NULL ? self->error_message : self->close_reason;

  if (self->close_code == 0 && self->http_status != 0)
    return g_strdup_printf (_("The server refused the WebSocket with HTTP %u."), self->http_status);

  if (words != NULL)
    /* Translators: close code, its meaning, then the server's words */
    return g_strdup_printf (_("Closed with code %u (%s): %s"),
                            self->close_code, stok_describe_close_code (self->close_code), words);

  return g_strdup_printf (_("Closed with code %u (%s)"),
                          self->close_code, stok_describe_close_code (self->close_code));
}

/**
 * stok_verification_to_json:
 * @self: a #StokVerification
 *
 * Returns: (transfer full): the whole exchange as one JSON object
 */
char *
stok_verification_to_json (StokVerification *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (STOK_IS_VERIFICATION (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accepted");
  json_builder_add_boolean_value (builder, self->accepted);
  if (self->session_id != NULL)
    {
      json_builder_set_member_name (builder, "session_id");
      json_builder_add_string_value (builder, self->session_id);
    }
  if (self->expires_at > 0)
    {
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, self->expires_at);
    }
  if (self->session_duration >= 0)
    {
      json_builder_set_member_name (builder, "session_duration_seconds");
      json_builder_add_double_value (builder, self->session_duration);
    }
  if (self->audio_duration >= 0)
    {
      json_builder_set_member_name (builder, "audio_duration_seconds");
      json_builder_add_double_value (builder, self->audio_duration);
    }
  if (self->http_status != 0)
    {
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, self->http_status);
    }
  json_builder_set_member_name (builder, "close_code");
  json_builder_add_int_value (builder, self->close_code);
  if (self->close_reason != NULL)
    {
      json_builder_set_member_name (builder, "close_reason");
      json_builder_add_string_value (builder, self->close_reason);
    }
  if (self->error_message != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, self->error_message);
    }
  if (self->error_code >= 0)
    {
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_int_value (builder, self->error_code);
    }

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->messages->len; i++)
    {
      const Message *message = &g_array_index (self->messages, Message, i);
      static const char *directions[] = { "sent", "received", "event" };

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "direction");
      json_builder_add_string_value (builder, directions[message->direction]);
      /* Whole microseconds: a double in milliseconds prints as
       * 0.56899999999999995. */
      json_builder_set_member_name (builder, "time_us");
      json_builder_add_int_value (builder, message->offset_us);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, message->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
