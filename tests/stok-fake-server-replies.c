/* stok-fake-server-replies.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How the fake server answers a request: per spec, or with the replies
 * a test told it to give, held back, with extra headers or in chunks. */

#define G_LOG_DOMAIN "stok-fake-server"

#include "config.h"

#include <string.h>

#include "stok-fake-server-private.h"

/* The token in canned replies: well-formed, so that only what the canned
 * reply is about is wrong. */
#define CANNED_TOKEN STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJjYW5uZWQifQ.c2lnbmF0dXJl"

static StokFakeServerReply *
reply_new (guint       status,
           const char *content_type,
           const char *body,
           gssize      length)
{
  StokFakeServerReply *reply = g_new0 (StokFakeServerReply, 1);

  if (body == NULL)
    length = 0;
  else if (length < 0)
    length = strlen (body);

  reply->status = status;
  reply->content_type = g_strdup (content_type);
  reply->body = g_bytes_new (body, length);

  return reply;
}

void
_stok_fake_server_reply_free (gpointer data)
{
  StokFakeServerReply *reply = data;

  g_free (reply->content_type);
  g_bytes_unref (reply->body);
  g_free (reply);
}

static void
apply_reply (SoupServerMessage         *message,
             const StokFakeServerReply *reply)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (reply->body, &length);

  soup_server_message_set_status (message, reply->status, _stok_fake_server_reason_phrase (reply->status));
  soup_server_message_set_response (message, reply->content_type,
                                    SOUP_MEMORY_COPY, data, length);
}

void
_stok_fake_server_answer (StokFakeServer    *self,
                          SoupServerMessage *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  StokFakeServerReply *queued = g_queue_pop_head (&self->queued_replies);
  GHashTableIter iter;
  gpointer name, value;

  if (queued != NULL)
    {
      apply_reply (message, queued);
      _stok_fake_server_reply_free (queued);
    }
  else if (self->reply != NULL)
    {
      apply_reply (message, self->reply);
    }
  else
    {
      _stok_fake_server_answer_per_spec (self, message);
    }

  g_hash_table_iter_init (&iter, self->extra_headers);
  while (g_hash_table_iter_next (&iter, &name, &value))
    soup_message_headers_replace (headers, name, value);

  /* Without a Content-Length, a client can only find out the size of a
   * body by reading it. */
  if (self->chunked)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      /* Chunked, the end of the body must be said, or the client waits. */
      soup_message_body_complete (soup_server_message_get_response_body (message));
    }
}

/**
 * stok_fake_server_set_reply:
 * @self: a #StokFakeServer
 * @status: the HTTP status
 * @content_type: (nullable): the Content-Type, or %NULL for none
 * @body: (nullable): the body, sent as it is
 * @length: the length of @body, or -1 if it is nul-terminated
 *
 * Answers every request from now on with @status and @body instead of
 * following the spec, until stok_fake_server_clear_replies(). No token is
 * minted. Delay and extra headers still apply.
 */
void
stok_fake_server_set_reply (StokFakeServer *self,
                            guint           status,
                            const char     *content_type,
                            const char     *body,
                            gssize          length)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (status >= 100 && status <= 999);

  g_clear_pointer (&self->reply, _stok_fake_server_reply_free);
  self->reply = reply_new (status, content_type, body, length);
}

/**
 * stok_fake_server_queue_reply:
 * @self: a #StokFakeServer
 * @status: the HTTP status
 * @content_type: (nullable): the Content-Type, or %NULL for none
 * @body: (nullable): the body, sent as it is
 * @length: the length of @body, or -1 if it is nul-terminated
 *
 * Like stok_fake_server_set_reply(), but for one request only: queued
 * replies are used first, in order, then the server goes back to what it
 * did before. A 429 followed by a good token is a queued reply.
 */
void
stok_fake_server_queue_reply (StokFakeServer *self,
                              guint           status,
                              const char     *content_type,
                              const char     *body,
                              gssize          length)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (status >= 100 && status <= 999);

  g_queue_push_tail (&self->queued_replies, reply_new (status, content_type, body, length));
}

/**
 * stok_fake_server_set_canned_reply:
 * @self: a #StokFakeServer
 * @reply: one of the ways a reply breaks the spec
 *
 * stok_fake_server_set_reply() with a body that breaks the spec in the
 * way @reply names.
 */
void
stok_fake_server_set_canned_reply (StokFakeServer *self,
                                   StokFakeReply   reply)
{
  guint status = SOUP_STATUS_OK;
  const char *content_type = "application/json";
  const char *body = NULL;

  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  switch (reply)
    {
    case STOK_FAKE_REPLY_EMPTY:
      body = "";
      break;

    case STOK_FAKE_REPLY_MALFORMED_JSON:
      body = "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOi";
      break;

    case STOK_FAKE_REPLY_NOT_JSON:
      /* What a captive portal puts in place of any answer. */
      content_type = "text/html; charset=utf-8";
      body = "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
             "<body><p>Sign in to the network to continue.</p></body></html>\n";
      break;

    case STOK_FAKE_REPLY_ARRAY:
      body = "[{\"token\": \"" CANNED_TOKEN "\", \"expires_in_seconds\": 60}]";
      break;

    case STOK_FAKE_REPLY_MISSING_TOKEN:
      body = "{\"expires_in_seconds\": 60}";
      break;

    case STOK_FAKE_REPLY_MISSING_EXPIRES:
      body = "{\"token\": \"" CANNED_TOKEN "\"}";
      break;

    case STOK_FAKE_REPLY_TOKEN_NOT_STRING:
      body = "{\"token\": 12345, \"expires_in_seconds\": 60}";
      break;

    case STOK_FAKE_REPLY_EXPIRES_NOT_INTEGER:
      body = "{\"token\": \"" CANNED_TOKEN "\", \"expires_in_seconds\": \"60\"}";
      break;

    case STOK_FAKE_REPLY_GATEWAY_HTML:
      status = SOUP_STATUS_BAD_GATEWAY;
      content_type = "text/html";
      body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
             "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
             "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
      break;

    default:
      g_return_if_reached ();
    }

  stok_fake_server_set_reply (self, status, content_type, body, -1);
}

/**
 * stok_fake_server_set_huge_reply:
 * @self: a #StokFakeServer
 * @n_bytes: the size of the body
 *
 * Answers every request with a 200 whose body is a valid token reply
 * padded to @n_bytes, so that a client can only refuse it for its size.
 */
void
stok_fake_server_set_huge_reply (StokFakeServer *self,
                                 gsize           n_bytes)
{
  static const char head[] = "{\"token\": \"" STOK_FAKE_TOKEN_PREFIX "eyJqdGkiOiJodWdlIn0.c2ln\", \"expires_in_seconds\": 60, \"padding\": \"";
  static const char tail[] = "\"}";
  g_autoptr(GString) body = NULL;

  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  body = g_string_sized_new (n_bytes + 1);
  g_string_append (body, head);
  while (body->len + strlen (tail) < n_bytes)
    g_string_append_c (body, 'x');
  g_string_append (body, tail);

  stok_fake_server_set_reply (self, SOUP_STATUS_OK, "application/json", body->str, body->len);
}

/**
 * stok_fake_server_clear_replies:
 * @self: a #StokFakeServer
 *
 * Drops the queued and standing replies: the server follows the spec again.
 */
void
stok_fake_server_clear_replies (StokFakeServer *self)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  g_clear_pointer (&self->reply, _stok_fake_server_reply_free);
  g_queue_clear_full (&self->queued_replies, _stok_fake_server_reply_free);
}

/**
 * stok_fake_server_set_delay:
 * @self: a #StokFakeServer
 * @delay_ms: how long to hold back every answer, 0 for none
 *
 * The main loop keeps running meanwhile.
 */
void
stok_fake_server_set_delay (StokFakeServer *self,
                            guint           delay_ms)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  self->delay_ms = delay_ms;
}

/**
 * stok_fake_server_set_extra_header:
 * @self: a #StokFakeServer
 * @name: a response header, such as `Retry-After` or `Location`
 * @value: (nullable): its value, or %NULL to stop sending it
 *
 * Adds @name to every answer, replacing the header the server would have
 * sent under that name.
 */
void
stok_fake_server_set_extra_header (StokFakeServer *self,
                                   const char     *name,
                                   const char     *value)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));
  g_return_if_fail (name != NULL);

  if (value == NULL)
    g_hash_table_remove (self->extra_headers, name);
  else
    g_hash_table_insert (self->extra_headers, g_strdup (name), g_strdup (value));
}

/**
 * stok_fake_server_set_chunked:
 * @self: a #StokFakeServer
 * @chunked: whether to send bodies in chunks, without a Content-Length
 */
void
stok_fake_server_set_chunked (StokFakeServer *self,
                              gboolean        chunked)
{
  g_return_if_fail (STOK_IS_FAKE_SERVER (self));

  self->chunked = !!chunked;
}
