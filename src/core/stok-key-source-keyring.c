/* stok-key-source-keyring.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The keyring's side of StokKeySource: loading the key (the environment's
 * first, then the keyring's), saving it, forgetting it, and putting back
 * what Forget took. */

#define G_LOG_DOMAIN "stok-key-source"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-error.h"
#include "stok-json.h"
#include "stok-key-source-private.h"
#include "stok-params.h"

static void
set_looking_up (StokKeySource *self,
                gboolean       looking_up)
{
  if (self->looking_up == !!looking_up)
    return;

  self->looking_up = !!looking_up;
  _stok_key_source_notify (self, PROP_LOOKING_UP);
}

static void
set_saving (StokKeySource *self,
            gboolean       saving)
{
  if (self->saving == !!saving)
    return;

  self->saving = !!saving;
  _stok_key_source_notify (self, PROP_SAVING);
}

static void
return_key (GTask         *task,
            StokKeySource *self,
            const GError  *keyring_error)
{
  g_autofree char *why = NULL;

  if (self->key != NULL)
    {
      g_task_return_pointer (task, g_strdup (self->key), g_free);
      return;
    }

  /* Telling someone who did set the variable to set it would send them
   * looking in the wrong place. */
  if (keyring_error != NULL)
    why = stok_dup_sentence (keyring_error->message);
  if (self->env_blank && keyring_error != NULL)
    g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_NO_KEY,
                             /* Translators: %s says why, as a sentence, such
                              * as "No keyring could be reached: …." */
                             _("No API key: ASSEMBLYAI_API_KEY is set but empty, and the app’s keyring could not be read. %s"),
                             why);
  else if (self->env_blank)
    g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_NO_KEY, "%s",
                             _("No API key: ASSEMBLYAI_API_KEY is set but empty, and the app’s keyring holds no key either."));
  else if (keyring_error != NULL)
    g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_NO_KEY,
                             /* Translators: %s says why the keyring could
                              * not be read, as a sentence */
                             _("No API key: set ASSEMBLYAI_API_KEY, or save a key in the app’s keyring. %s"),
                             why);
  else
    g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_NO_KEY, "%s",
                             _("No API key: set ASSEMBLYAI_API_KEY, or save a key in the app’s keyring."));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StokKeySource *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *trimmed = NULL;

  stored = stok_key_store_lookup_finish (STOK_KEY_STORE (object), result, &error);
  set_looking_up (self, FALSE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL)
    {
      g_debug ("Key lookup failed: %s", error->message);
      _stok_key_source_set_problem (self, _("The keyring could not be read"), error);
      return_key (task, self, error);
      return;
    }

  trimmed = stok_trim_api_key (stored);
  _stok_key_source_set_stored_key (self, trimmed);

  /* Whatever the user typed in the meantime wins. */
  if (self->key == NULL && trimmed != NULL)
    stok_key_source_set_key (self, trimmed);

  _stok_key_source_clear_secret (&stored);
  _stok_key_source_clear_secret (&trimmed);
  return_key (task, self, NULL);
}

/**
 * stok_key_source_load_async:
 * @self: a #StokKeySource
 * @keyring_too: whether to read the keyring even when the environment
 *   gives a key: the window does, to know whether a key is saved; the
 *   command line does not, to stay off D-Bus
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Takes the key from the ASSEMBLYAI_API_KEY environment variable, at once,
 * then from the keyring when there is none or @keyring_too. A key the
 * user sets meanwhile is kept.
 */
void
stok_key_source_load_async (StokKeySource       *self,
                            gboolean             keyring_too,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *env_key = NULL;

  g_return_if_fail (STOK_IS_KEY_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_key_source_load_async);

  env_key = stok_trim_api_key (g_getenv (STOK_KEY_ENVIRONMENT_VARIABLE));
  self->env_blank = env_key == NULL && g_getenv (STOK_KEY_ENVIRONMENT_VARIABLE) != NULL;
  if (env_key != NULL)
    {
      _stok_key_source_set_secret (&self->env_key, env_key);
      if (self->key == NULL)
        stok_key_source_set_key (self, env_key);
      _stok_key_source_clear_secret (&env_key);

      if (!keyring_too)
        {
          return_key (task, self, NULL);
          return;
        }
    }

  set_looking_up (self, TRUE);
  stok_key_store_lookup_async (self->store, cancellable, lookup_cb, g_steal_pointer (&task));
}

/**
 * stok_key_source_load_finish:
 * @self: a #StokKeySource
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the key in use, or %NULL with
 *   %STOK_ERROR_NO_KEY (saying why the keyring gave none, if it failed)
 */
char *
stok_key_source_load_finish (StokKeySource  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_key_source_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StokKeySource *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  stok_key_store_store_finish (STOK_KEY_STORE (object), result, &error);
  set_saving (self, FALSE);

  if (error == NULL)
    {
      _stok_key_source_set_problem (self, NULL, NULL);
      _stok_key_source_set_stored_key (self, g_task_get_task_data (task));
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _stok_key_source_set_problem (self,
                 g_task_get_source_tag (task) == stok_key_source_save_async
                 ? _("The key could not be saved")
                 : _("The key could not be put back in the keyring"),
                 error);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
secret_free (gpointer data)
{
  char *secret = data;

  _stok_key_source_clear_secret (&secret);
}

static void
store (StokKeySource *self,
       const char    *key,
       GTask         *task)
{
  g_task_set_task_data (task, g_strdup (key), secret_free);
  set_saving (self, TRUE);
  stok_key_store_store_async (self->store, key, g_task_get_cancellable (task),
                              store_cb, task);
}

/**
 * stok_key_source_save_async:
 * @self: a #StokKeySource with a key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Saves the key in use in the keyring. A failure is also kept in
 * StokKeySource:problem.
 */
void
stok_key_source_save_async (StokKeySource       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOK_IS_KEY_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_key_source_save_async);

  if (self->key == NULL)
    {
      g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_NO_KEY,
                               "%s", _("There is no key to save."));
      g_object_unref (task);
      return;
    }

  store (self, self->key, task);
}

gboolean
stok_key_source_save_finish (StokKeySource  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_key_source_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StokKeySource *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!stok_key_store_clear_finish (STOK_KEY_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _stok_key_source_set_problem (self, _("The key could not be removed from the keyring"), error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _stok_key_source_set_problem (self, NULL, NULL);
  _stok_key_source_set_stored_key (self, NULL);
  g_task_return_boolean (task, TRUE);
}

/**
 * stok_key_source_forget_async:
 * @self: a #StokKeySource
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring has been cleared
 * @user_data: data for @callback
 *
 * Forgets the key in use at once, and the one in the keyring. Until a new
 * key is set, stok_key_source_undo_forget_async() puts both back.
 */
void
stok_key_source_forget_async (StokKeySource       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (STOK_IS_KEY_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_key_source_forget_async);

  _stok_key_source_forget_forgotten (self);
  self->forgotten_key = g_steal_pointer (&self->key);
  self->forgotten_env_key = g_steal_pointer (&self->env_key);
  self->forgotten_stored_key = g_strdup (self->stored_key);

  _stok_key_source_notify (self, PROP_KEY);
  _stok_key_source_notify (self, PROP_CAN_UNDO_FORGET);
  _stok_key_source_notify_state (self);

  stok_key_store_clear_async (self->store, cancellable, clear_cb, task);
}

gboolean
stok_key_source_forget_finish (StokKeySource  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_key_source_forget_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * stok_key_source_undo_forget_async:
 * @self: a #StokKeySource
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the keyring has the key again
 * @user_data: data for @callback
 *
 * Puts back what stok_key_source_forget_async() took: the key in use, at
 * once, and the key that was in the keyring, saved again.
 */
void
stok_key_source_undo_forget_async (StokKeySource       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *stored = NULL;
  GTask *task;

  g_return_if_fail (STOK_IS_KEY_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_key_source_undo_forget_async);

  stored = g_steal_pointer (&self->forgotten_stored_key);
  if (self->forgotten_env_key != NULL)
    {
      _stok_key_source_clear_secret (&self->env_key);
      self->env_key = g_steal_pointer (&self->forgotten_env_key);
    }
  if (self->forgotten_key != NULL)
    {
      g_autofree char *key = g_steal_pointer (&self->forgotten_key);

      stok_key_source_set_key (self, key);
      _stok_key_source_clear_secret (&key);
    }
  _stok_key_source_forget_forgotten (self);
  _stok_key_source_notify (self, PROP_CAN_UNDO_FORGET);

  if (stored == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  store (self, stored, task);
  _stok_key_source_clear_secret (&stored);
}

gboolean
stok_key_source_undo_forget_finish (StokKeySource  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == stok_key_source_undo_forget_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
