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
#include "stok-json.h"
#include "stok-key-source-private.h"
#include "stok-params.h"


G_DEFINE_FINAL_TYPE (StokKeySource, stok_key_source, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (StokKeyOrigin, stok_key_origin,
                    G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_ENVIRONMENT, "environment"),
                    G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_KEYRING, "keyring"),
                    G_DEFINE_ENUM_VALUE (STOK_KEY_ORIGIN_TYPED, "typed"))


static GParamSpec *properties[N_PROPS];

void
_stok_key_source_notify (StokKeySource *self,
                         guint          prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* A key leaves memory as zeros, not as a freed copy of itself. */
void
_stok_key_source_clear_secret (char **secret)
{
  if (*secret != NULL)
    memset (*secret, 0, strlen (*secret));
  g_clear_pointer (secret, g_free);
}

void
_stok_key_source_set_secret (char       **secret,
                             const char  *value)
{
  char *copy = g_strdup (value);

  _stok_key_source_clear_secret (secret);
  *secret = copy;
}

/* The problem as the row says it, from what failed and why, and from the
 * key in the field as it is now: the same failure reads otherwise once a
 * key is typed, or cleared. */
static void
update_problem (StokKeySource *self)
{
  g_autofree char *problem = NULL;

  if (self->problem_what == NULL)
    problem = NULL;
  else if (self->key != NULL)
    /* Translators: the first %s says what failed, the second why, as a
     * sentence that ends with a full stop */
    problem = g_strdup_printf (_("%s: %s The key still works until the app quits."),
                               self->problem_what, self->problem_why);
  else
    /* Translators: the first %s says what failed, the second why, as a
     * sentence that ends with a full stop; no key is in the field */
    problem = g_strdup_printf (_("%s: %s A key typed here works until the app quits."),
                               self->problem_what, self->problem_why);

  if (g_strcmp0 (problem, self->problem) == 0)
    return;

  g_free (self->problem);
  self->problem = g_steal_pointer (&problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

void
_stok_key_source_notify_state (StokKeySource *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGIN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_STORED_KEY]);
  update_problem (self);
}

void
_stok_key_source_set_problem (StokKeySource *self,
                              const char    *what,
                              const GError  *error)
{
  g_clear_pointer (&self->problem_what, g_free);
  g_clear_pointer (&self->problem_why, g_free);
  if (error != NULL)
    {
      self->problem_what = g_strdup (what);
      /* The keyring's own words may not end a sentence. */
      self->problem_why = stok_dup_sentence (error->message);
    }
  update_problem (self);
}

void
_stok_key_source_set_stored_key (StokKeySource *self,
                                 const char    *stored_key)
{
  _stok_key_source_set_secret (&self->stored_key, stored_key);
  _stok_key_source_notify_state (self);
}

void
_stok_key_source_forget_forgotten (StokKeySource *self)
{
  gboolean could_undo = stok_key_source_get_can_undo_forget (self);

  _stok_key_source_clear_secret (&self->forgotten_key);
  _stok_key_source_clear_secret (&self->forgotten_env_key);
  _stok_key_source_clear_secret (&self->forgotten_stored_key);

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

  _stok_key_source_clear_secret (&self->key);
  _stok_key_source_clear_secret (&self->env_key);
  _stok_key_source_clear_secret (&self->stored_key);
  _stok_key_source_clear_secret (&self->forgotten_key);
  _stok_key_source_clear_secret (&self->forgotten_env_key);
  _stok_key_source_clear_secret (&self->forgotten_stored_key);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->problem_what, g_free);
  g_clear_pointer (&self->problem_why, g_free);

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
      _stok_key_source_set_secret (&self->key, key);
      if (key != NULL)
        _stok_key_source_forget_forgotten (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
      _stok_key_source_notify_state (self);
    }

  _stok_key_source_clear_secret (&key);
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
