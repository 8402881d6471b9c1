/* stok-key-store.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The API key in the user's keyring, through libsecret: the Secret Service
 * on a desktop, the Secret portal inside Flatpak. It is stored as one item
 * of the schema below, so that `secret-tool lookup provider assemblyai`
 * finds it and `secret-tool clear provider assemblyai` removes it.
 *
 * Every call has a time limit: a keyring that is locked and has no one to
 * ask for the password would otherwise leave the caller waiting forever. */

#define G_LOG_DOMAIN "stok-key-store"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-deadline.h"
#include "stok-error.h"
#include "stok-key-store.h"

struct _StokKeyStore
{
  GObject parent_instance;

  guint timeout_seconds;
};

G_DEFINE_FINAL_TYPE (StokKeyStore, stok_key_store, G_TYPE_OBJECT)

/**
 * stok_key_store_get_schema:
 *
 * The schema of the stored key: its name is
 * %STOK_KEY_STORE_SCHEMA_NAME and its one attribute, `provider`, is always
 * `assemblyai`, leaving room for other providers' keys later.
 *
 * Returns: (transfer none): the libsecret schema of the API key
 */
const SecretSchema *
stok_key_store_get_schema (void)
{
  static const SecretSchema schema = {
    STOK_KEY_STORE_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "provider", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* The schema without its name to match: gnome-keyring matches the
 * items of a keyring it read from disk locked on their own attributes
 * only, not on xdg:schema, and a search by the schema found nothing
 * there. Only the check for a locked key uses it: another program's
 * item with provider=assemblyai would at worst be taken for a key locked
 * away, and unlocking would tell. */
static const SecretSchema *
get_locked_search_schema (void)
{
  static SecretSchema schema;
  static gsize made;

  if (g_once_init_enter (&made))
    {
      schema = *stok_key_store_get_schema ();
      schema.flags = SECRET_SCHEMA_DONT_MATCH_NAME;
      g_once_init_leave (&made, 1);
    }

  return &schema;
}

static GTask *
call_new (StokKeyStore        *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, stok_deadline_new (cancellable, self->timeout_seconds * 1000),
                        (GDestroyNotify) stok_deadline_free);

  return task;
}

/* No Secret Service on the bus, or none that answers, as opposed to one
 * that answered with a refusal: a keyring on a full disk is there, and
 * saying "no keyring could be reached" would send the user to look for
 * the wrong fault. */
static gboolean
is_unreachable (const GError *error)
{
  if (error->domain == G_SPAWN_ERROR)
    return TRUE;

  /* Remote errors GLib has no name for are the service's refusals. */
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_DBUS_ERROR;

  if (error->domain != G_DBUS_ERROR)
    return FALSE;

  switch (error->code)
    {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_NO_REPLY:
    case G_DBUS_ERROR_NO_SERVER:
    case G_DBUS_ERROR_NO_NETWORK:
    case G_DBUS_ERROR_BAD_ADDRESS:
    case G_DBUS_ERROR_TIMEOUT:
    case G_DBUS_ERROR_TIMED_OUT:
    case G_DBUS_ERROR_DISCONNECTED:
      return TRUE;

    default:
      /* Failing to start the service on demand is not reaching it either. */
      return error->code >= G_DBUS_ERROR_SPAWN_EXEC_FAILED &&
             error->code <= G_DBUS_ERROR_SPAWN_NO_MEMORY;
    }
}

/* What a user does about it: GNOME Keyring's keyrings are unlocked in
 * Passwords and Keys (Seahorse). */
static const char *
locked_message (void)
{
  return _("The keyring is locked: unlock it, in Passwords and Keys for GNOME Keyring, and try again.");
}

static GError *
map_error (StokDeadline *deadline,
           GError       *error)
{
  g_autoptr(GError) owned = error;

  if (stok_deadline_timed_out (deadline))
    return g_error_new_literal (STOK_ERROR, STOK_ERROR_KEYRING_UNAVAILABLE,
                                _("The keyring did not answer. It may be locked with no way to ask for its password."));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&owned);

  if (is_unreachable (error))
    {
      g_debug ("No Secret Service: %s", error->message);
      /* D-Bus's own words, "The name org.freedesktop.secrets was not
       * provided by any .service files", say nothing to most people. */
      return g_error_new_literal (STOK_ERROR, STOK_ERROR_KEYRING_UNAVAILABLE,
                                  _("No keyring could be reached: no Secret Service, such as GNOME Keyring, is running."));
    }

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    return g_error_new_literal (STOK_ERROR, STOK_ERROR_KEYRING_FAILED, locked_message ());

  return g_error_new (STOK_ERROR, STOK_ERROR_KEYRING_FAILED,
                      _("The keyring refused: %s"), error->message);
}

static void
stok_key_store_class_init (StokKeyStoreClass *klass)
{
}

static void
stok_key_store_init (StokKeyStore *self)
{
  self->timeout_seconds = STOK_KEY_STORE_DEFAULT_TIMEOUT;
}

StokKeyStore *
stok_key_store_new (void)
{
  return g_object_new (STOK_TYPE_KEY_STORE, NULL);
}

/**
 * stok_key_store_set_timeout:
 * @self: a #StokKeyStore
 * @timeout_seconds: how long one keyring call may take
 */
void
stok_key_store_set_timeout (StokKeyStore *self,
                            guint         timeout_seconds)
{
  g_return_if_fail (STOK_IS_KEY_STORE (self));
  g_return_if_fail (timeout_seconds > 0);

  self->timeout_seconds = timeout_seconds;
}

static void
lookup_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, map_error (g_task_get_task_data (task), g_steal_pointer (&error)));
  else if (items != NULL)
    g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_KEYRING_FAILED, "%s", locked_message ());
  else
    g_task_return_pointer (task, NULL, NULL);

  g_list_free_full (items, g_object_unref);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, map_error (g_task_get_task_data (task), g_steal_pointer (&error)));
    }
  else if (password == NULL)
    {
      /* libsecret says "nothing" also for a key whose collection is locked
       * and that no one unlocked: look, without unlocking, whether there is
       * one, so that the user is not told to paste a key they have. */
      StokDeadline *deadline = g_task_get_task_data (task);

      secret_password_search (get_locked_search_schema (), SECRET_SEARCH_ALL,
                              stok_deadline_get_cancellable (deadline), lookup_search_cb, g_steal_pointer (&task),
                              "provider", "assemblyai",
                              NULL);
    }
  else
    {
      g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
    }
}

void
stok_key_store_lookup_async (StokKeyStore        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOK_IS_KEY_STORE (self));

  task = call_new (self, cancellable, callback, user_data, stok_key_store_lookup_async);
  secret_password_lookup (stok_key_store_get_schema (),
                          stok_deadline_get_cancellable (g_task_get_task_data (task)),
                          lookup_cb, task,
                          "provider", "assemblyai",
                          NULL);
}

/**
 * stok_key_store_lookup_finish:
 * @self: a #StokKeyStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the stored key, or %NULL; without
 *   @error set, %NULL means no key is stored. Free with g_free().
 */
char *
stok_key_store_lookup_finish (StokKeyStore  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *password;

  g_return_val_if_fail (STOK_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_key_store_lookup_async, NULL);

  password = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Hand out an ordinary string; the caller need not know libsecret's
   * non-pageable allocator. */
  if (password != NULL)
    {
      char *copy = g_strdup (password);

      secret_password_free (password);
      return copy;
    }

  return NULL;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, map_error (g_task_get_task_data (task), g_steal_pointer (&error)));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * stok_key_store_store_async:
 * @self: a #StokKeyStore
 * @api_key: the key to keep; it replaces any key stored before
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 */
void
stok_key_store_store_async (StokKeyStore        *self,
                            const char          *api_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOK_IS_KEY_STORE (self));
  g_return_if_fail (api_key != NULL);

  task = call_new (self, cancellable, callback, user_data, stok_key_store_store_async);
  secret_password_store (stok_key_store_get_schema (),
                         SECRET_COLLECTION_DEFAULT,
                         _("AssemblyAI API key"),
                         api_key,
                         stok_deadline_get_cancellable (g_task_get_task_data (task)),
                         store_cb, task,
                         "provider", "assemblyai",
                         NULL);
}

gboolean
stok_key_store_store_finish (StokKeyStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (STOK_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_key_store_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error: there was nothing to remove, which is fine. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, map_error (g_task_get_task_data (task), g_steal_pointer (&error)));
  else
    g_task_return_boolean (task, TRUE);
}

void
stok_key_store_clear_async (StokKeyStore        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOK_IS_KEY_STORE (self));

  task = call_new (self, cancellable, callback, user_data, stok_key_store_clear_async);
  secret_password_clear (stok_key_store_get_schema (),
                         stok_deadline_get_cancellable (g_task_get_task_data (task)),
                         clear_cb, task,
                         "provider", "assemblyai",
                         NULL);
}

gboolean
stok_key_store_clear_finish (StokKeyStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (STOK_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_key_store_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
