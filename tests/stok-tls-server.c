/* stok-tls-server.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A SoupServer on https://127.0.0.1 whose certificate is self-signed,
 * made with openssl for this test run and thrown away with it: the
 * certificate a captive portal or a misconfigured proxy presents. It
 * answers every request with a token, so that a client that went ahead
 * anyway would be seen doing it. */

#define G_LOG_DOMAIN "stok-tls-server"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "stok-tls-server.h"

struct _StokTlsServer
{
  GObject parent_instance;

  SoupServer *server;
  char *url;
  guint n_requests;
};

G_DEFINE_FINAL_TYPE (StokTlsServer, stok_tls_server, G_TYPE_OBJECT)

static void
stok_tls_server_dispose (GObject *object)
{
  StokTlsServer *self = (StokTlsServer *)object;

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (stok_tls_server_parent_class)->dispose (object);
}

static void
stok_tls_server_finalize (GObject *object)
{
  StokTlsServer *self = (StokTlsServer *)object;

  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (stok_tls_server_parent_class)->finalize (object);
}

static void
stok_tls_server_class_init (StokTlsServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_tls_server_dispose;
  object_class->finalize = stok_tls_server_finalize;
}

static void
stok_tls_server_init (StokTlsServer *self)
{
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  StokTlsServer *self = user_data;
  static const char body[] = "{\"token\": \"tls-server-token\", \"expires_in_seconds\": 60}";

  self->n_requests++;
  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
}

/* A certificate for 127.0.0.1 signed by itself, valid for a day. An EC
 * key, because an RSA one takes long to make under valgrind's children. */
static GTlsCertificate *
make_certificate (GError **error)
{
  g_autoptr(GSubprocess) openssl = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *openssl_path = NULL;
  g_autofree char *err = NULL;
  GTlsCertificate *certificate;

  openssl_path = g_find_program_in_path ("openssl");
  if (openssl_path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "openssl is not installed; it makes the test certificate");
      return NULL;
    }

  dir = g_dir_make_tmp ("stok-tls-XXXXXX", error);
  if (dir == NULL)
    return NULL;
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  key_path = g_build_filename (dir, "key.pem", NULL);

  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error,
                              openssl_path, "req", "-x509",
                              "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                              "-nodes", "-days", "1",
                              "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1",
                              "-keyout", key_path, "-out", cert_path,
                              NULL);
  if (openssl == NULL ||
      !g_subprocess_communicate_utf8 (openssl, NULL, NULL, NULL, &err, error))
    certificate = NULL;
  else if (!g_subprocess_get_successful (openssl))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "openssl failed: %s", err);
      certificate = NULL;
    }
  else
    certificate = g_tls_certificate_new_from_files (cert_path, key_path, error);

  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);

  return certificate;
}

/**
 * stok_tls_server_new:
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a server listening on a free port
 *   of 127.0.0.1 over TLS, or %NULL if no certificate could be made (no
 *   openssl, or no TLS backend in GIO: glib-networking)
 */
StokTlsServer *
stok_tls_server_new (GError **error)
{
  g_autoptr(StokTlsServer) self = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  certificate = make_certificate (error);
  if (certificate == NULL)
    return NULL;

  self = g_object_new (STOK_TYPE_TLS_SERVER, NULL);
  self->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  if (!soup_server_listen (self->server, address, SOUP_SERVER_LISTEN_HTTPS, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&self);
}

/**
 * stok_tls_server_new_or_skip:
 *
 * For a test: ./run installs openssl and glib-networking, and without
 * them there is nothing to test against, which must show, not pass.
 *
 * Returns: (transfer full) (nullable): as stok_tls_server_new(), or %NULL
 *   with the test marked skipped and why
 */
StokTlsServer *
stok_tls_server_new_or_skip (void)
{
  g_autoptr(GError) error = NULL;
  StokTlsServer *self = stok_tls_server_new (&error);

  if (self == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("no self-signed server: %s", error->message);

      g_test_skip (reason);
    }

  return self;
}

/**
 * stok_tls_server_get_url:
 * @self: a #StokTlsServer
 *
 * Returns: (transfer none): the base URL, such as `https://127.0.0.1:41234`
 */
const char *
stok_tls_server_get_url (StokTlsServer *self)
{
  g_return_val_if_fail (STOK_IS_TLS_SERVER (self), NULL);

  return self->url;
}

/**
 * stok_tls_server_get_n_requests:
 * @self: a #StokTlsServer
 *
 * Returns: how many HTTP requests got through the handshake
 */
guint
stok_tls_server_get_n_requests (StokTlsServer *self)
{
  g_return_val_if_fail (STOK_IS_TLS_SERVER (self), 0);

  return self->n_requests;
}
