/* stok-key-source.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Where the API key comes from, in one place for the command line and the
 * window: the ASSEMBLYAI_API_KEY environment variable first, else the
 * keyring, else what the user types. The window binds its key row to
 * StokKeySource:key and reads its state from the other properties; the
 * application keeps one for all its windows, so that a key typed in one
 * is the key of every window until the app quits. */

#define G_LOG_DOMAIN "stok-key-source"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-error.h"
#include "stok-key-source.h"
#include "stok-params.h"

struct _StokKeySource
{
  GObject parent_instance;

  StokKeyStore *store;
  char *key;
  char *env_key;
  char *stored_key;
  char *problem;

  /* What Forget took away, until Undo puts it back or a new key comes. */
  char *forgotten_key;
  char *forgotten_env_key;
  char *forgotten_stored_key;

  guint looking_up : 1;
  guint saving : 1;
};

G_DEFINE_FINAL_TYPE (StokKeySource, stok_key_source, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (StokKeyOrigin, stok_key_origin,
  G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_NONE, "none"),
  G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_ENVIRONMENT, "environment"),
  G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_KEYRING, "keyring"),
  G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_TYPED, "typed"))

enum {
  PROP_0,
  PROP_KEY,
  PROP_ORIGIN,
  PROP_SAVED,
  PROP_HAS_STORED_KEY,
  PROP_LOOKING_UP,
  PROP_SAVING,
  PROP_PROBLEM,
  PROP_CAN_UNDO_FORGET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A key leaves memory as zeros, not as a freed copy of itself. */
static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

static void
set_secret (char       **secret,
            const char  *value)
{
  char *copy = g_strdup (value);

  clear_secret (secret);
  *secret = copy;
}

static void
notify_state (StokKeySource *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGIN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_STORED_KEY]);
}

static void
set_problem (StokKeySource *self,
             const char    *what,
             const GError  *error)
{
  g_free (self->problem);
  if (error == NULL)
    self->problem = NULL;
  else
    /* Translators: the first %s says what failed, the second why, as a
     * sentence that ends with a full stop */
    self->problem = g_strdup_printf (_("%s: %s The key still works until the app quits."),
                                     what, error->message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
set_stored_key (StokKeySource *self,
                const char    *stored_key)
{
  set_secret (&self->stored_key, stored_key);
  notify_state (self);
}

static void
forget_forgotten (StokKeySource *self)
{
  gboolean could_undo = stok_key_source_get_can_undo_forget (self);

  clear_secret (&self->forgotten_key);
  clear_secret (&self->forgotten_env_key);
  clear_secret (&self->forgotten_stored_key);

  if (could_undo)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO_FORGET]);
}

static void
stok_key_source_dispose (GObject *object)
{
  StokKeySource *self = (StokKeySource *)object;

  g_clear_object (&self->store);

  G_OBJECT_CLASS (stok_key_source_parent_class)->dispose (object);
}

static void
stok_key_source_finalize (GObject *object)
{
  StokKeySource *self = (StokKeySource *)object;

  clear_secret (&self->key);
  clear_secret (&self->env_key);
  clear_secret (&self->stored_key);
  clear_secret (&self->forgotten_key);
  clear_secret (&self->forgotten_env_key);
  clear_secret (&self->forgotten_stored_key);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (stok_key_source_parent_class)->finalize (object);
}

static void
stok_key_source_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StokKeySource *self = STOK_KEY_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_ORIGIN:
      g_value_set_enum (value, stok_key_source_get_origin (self));
      break;

    case PROP_SAVED:
      g_value_set_boolean (value, stok_key_source_get_saved (self));
      break;

    case PROP_HAS_STORED_KEY:
      g_value_set_boolean (value, self->stored_key != NULL);
      break;

    case PROP_LOOKING_UP:
      g_value_set_boolean (value, self->looking_up);
      break;

    case PROP_SAVING:
      g_value_set_boolean (value, self->saving);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    case PROP_CAN_UNDO_FORGET:
      g_value_set_boolean (value, stok_key_source_get_can_undo_forget (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_key_source_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  StokKeySource *self = STOK_KEY_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KEY:
      stok_key_source_set_key (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_key_source_class_init (StokKeySourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = stok_key_source_dispose;
  object_class->finalize = stok_key_source_finalize;
  object_class->get_property = stok_key_source_get_property;
  object_class->set_property = stok_key_source_set_property;

  /**
   * StokKeySource:key:
   *
   * The key in use, without the spaces and line breaks pasting brings
   * along, or %NULL. Set it to what the user typed.
   */
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ORIGIN] =
    g_param_spec_enum ("origin", NULL, NULL,
                       STOK_TYPE_KEY_ORIGIN, STOK_KEY_ORIGIN_NONE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokKeySource:saved:
   *
   * Whether the key in use is the one in the keyring.
   */
  properties[PROP_SAVED] =
    g_param_spec_boolean ("saved", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HAS_STORED_KEY] =
    g_param_spec_boolean ("has-stored-key", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOOKING_UP] =
    g_param_spec_boolean ("looking-up", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SAVING] =
    g_param_spec_boolean ("saving", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokKeySource:problem:
   *
   * What went wrong with the keyring last, as a sentence for the user, or
   * %NULL. The key in use keeps working meanwhile.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_UNDO_FORGET] =
    g_param_spec_boolean ("can-undo-forget", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_key_source_init (StokKeySource *self)
{
}

/**
 * stok_key_source_new:
 * @store: (nullable): the keyring to use, or %NULL for the default one
 *
 * Returns: (transfer full): a key source with no key yet; see
 *   stok_key_source_load_async()
 */
StokKeySource *
stok_key_source_new (StokKeyStore *store)
{
  StokKeySource *self = g_object_new (STOK_TYPE_KEY_SOURCE, NULL);

  self->store = store != NULL ? g_object_ref (store) : stok_key_store_new ();

  return self;
}

/**
 * stok_key_source_get_key_store:
 * @self: a #StokKeySource
 *
 * Returns: (transfer none): the keyring it reads and writes
 */
StokKeyStore *
stok_key_source_get_key_store (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), NULL);

  return self->store;
}

/**
 * stok_key_source_get_key:
 * @self: a #StokKeySource
 *
 * Returns: (nullable): the key in use
 */
const char *
stok_key_source_get_key (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), NULL);

  return self->key;
}

/**
 * stok_key_source_set_key:
 * @self: a #StokKeySource
 * @text: (nullable): a key as typed or pasted
 *
 * Uses @text, trimmed, as the key.
 */
void
stok_key_source_set_key (StokKeySource *self,
                         const char    *text)
{
  char *key;

  g_return_if_fail (STOK_IS_KEY_SOURCE (self));

  key = stok_trim_api_key (text);
  if (g_strcmp0 (key, self->key) != 0)
    {
      set_secret (&self->key, key);
      if (key != NULL)
        forget_forgotten (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
      notify_state (self);
    }

  clear_secret (&key);
}

/**
 * stok_key_source_get_origin:
 * @self: a #StokKeySource
 *
 * Returns: where the key in use came from; a key that is both in the
 *   environment and in the keyring counts as the keyring's
 */
StokKeyOrigin
stok_key_source_get_origin (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), STOK_KEY_ORIGIN_NONE);

  if (self->key == NULL)
    return STOK_KEY_ORIGIN_NONE;
  if (g_strcmp0 (self->key, self->stored_key) == 0)
    return STOK_KEY_ORIGIN_KEYRING;
  if (g_strcmp0 (self->key, self->env_key) == 0)
    return STOK_KEY_ORIGIN_ENVIRONMENT;

  return STOK_KEY_ORIGIN_TYPED;
}

gboolean
stok_key_source_get_saved (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);

  return self->key != NULL && g_strcmp0 (self->key, self->stored_key) == 0;
}

/**
 * stok_key_source_get_has_stored_key:
 * @self: a #StokKeySource
 *
 * Returns: whether the keyring holds a key, as far as known
 */
gboolean
stok_key_source_get_has_stored_key (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);

  return self->stored_key != NULL;
}

gboolean
stok_key_source_get_looking_up (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);

  return self->looking_up;
}

gboolean
stok_key_source_get_saving (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);

  return self->saving;
}

const char *
stok_key_source_get_problem (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), NULL);

  return self->problem;
}

/**
 * stok_key_source_get_can_undo_forget:
 * @self: a #StokKeySource
 *
 * Returns: whether stok_key_source_undo_forget_async() has something to
 *   put back: a key was forgotten and none has been set since
 */
gboolean
stok_key_source_get_can_undo_forget (StokKeySource *self)
{
  g_return_val_if_fail (STOK_IS_KEY_SOURCE (self), FALSE);

  return self->forgotten_key != NULL || self->forgotten_stored_key != NULL;
}

static void
set_looking_up (StokKeySource *self,
                gboolean       looking_up)
{
  if (self->looking_up == !!looking_up)
    return;

  self->looking_up = !!looking_up;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOKING_UP]);
}

static void
set_saving (StokKeySource *self,
            gboolean       saving)
{
  if (self->saving == !!saving)
    return;

  self->saving = !!saving;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

static void
return_key (GTask         *task,
            StokKeySource *self,
            const GError  *keyring_error)
{
  if (self->key != NULL)
    {
      g_task_return_pointer (task, g_strdup (self->key), g_free);
      return;
    }

  if (keyring_error != NULL)
    g_task_return_new_error (task, STOK_ERROR, STOK_ERROR_NO_KEY,
                             _("No API key: set ASSEMBLYAI_API_KEY, or save a key in the app’s keyring (%s)."),
                             keyring_error->message);
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
      set_problem (self, _("The keyring could not be read"), error);
      return_key (task, self, error);
      return;
    }

  trimmed = stok_trim_api_key (stored);
  set_stored_key (self, trimmed);

  /* Whatever the user typed in the meantime wins. */
  if (self->key == NULL && trimmed != NULL)
    stok_key_source_set_key (self, trimmed);

  clear_secret (&stored);
  clear_secret (&trimmed);
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
  if (env_key != NULL)
    {
      set_secret (&self->env_key, env_key);
      if (self->key == NULL)
        stok_key_source_set_key (self, env_key);
      clear_secret (&env_key);

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
      set_problem (self, NULL, NULL);
      set_stored_key (self, g_task_get_task_data (task));
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_problem (self,
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

  clear_secret (&secret);
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
        set_problem (self, _("The key could not be removed from the keyring"), error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_problem (self, NULL, NULL);
  set_stored_key (self, NULL);
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

  forget_forgotten (self);
  self->forgotten_key = g_steal_pointer (&self->key);
  self->forgotten_env_key = g_steal_pointer (&self->env_key);
  self->forgotten_stored_key = g_strdup (self->stored_key);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO_FORGET]);
  notify_state (self);

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
      clear_secret (&self->env_key);
      self->env_key = g_steal_pointer (&self->forgotten_env_key);
    }
  if (self->forgotten_key != NULL)
    {
      g_autofree char *key = g_steal_pointer (&self->forgotten_key);

      stok_key_source_set_key (self, key);
      clear_secret (&key);
    }
  forget_forgotten (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO_FORGET]);

  if (stored == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  store (self, stored, task);
  clear_secret (&stored);
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
