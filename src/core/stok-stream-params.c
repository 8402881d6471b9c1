/* stok-stream-params.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The parameters of a streaming connection, the query string of /v3/ws,
 * as data: one table of what is known of each (spec/PROTOCOL.md), read by
 * the URI builder, the command line's --param and the window. The API
 * moves faster than releases, so a name the table does not know is passed
 * through as given, and so is any speech model. */

#define G_LOG_DOMAIN "stok-stream-params"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "stok-error.h"
#include "stok-json.h"
#include "stok-stream-params-private.h"

struct _StokStreamParams
{
  GObject parent_instance;

  /* Names in the order they were set; values by name. */
  GPtrArray *names;
  GHashTable *values;
  /* Names that something else sets, with what to tell a NAME=VALUE. */
  GHashTable *claims;
};

G_DEFINE_FINAL_TYPE (StokStreamParams, stok_stream_params, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


static void
stok_stream_params_finalize (GObject *object)
{
  StokStreamParams *self = (StokStreamParams *)object;

  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->claims, g_hash_table_unref);

  G_OBJECT_CLASS (stok_stream_params_parent_class)->finalize (object);
}

static void
stok_stream_params_class_init (StokStreamParamsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_stream_params_finalize;

  /**
   * StokStreamParams::changed:
   * @name: the parameter set or unset
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
stok_stream_params_init (StokStreamParams *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

StokStreamParams *
stok_stream_params_new (void)
{
  return g_object_new (STOK_TYPE_STREAM_PARAMS, NULL);
}

/**
 * stok_stream_params_copy:
 * @self: a #StokStreamParams
 *
 * Returns: (transfer full): a copy, for a session to keep what it was
 *   opened with while the window's parameters change
 */
StokStreamParams *
stok_stream_params_copy (StokStreamParams *self)
{
  StokStreamParams *copy;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  copy = stok_stream_params_new ();
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);

      g_ptr_array_add (copy->names, g_strdup (name));
      g_hash_table_insert (copy->values, g_strdup (name),
                           g_strdup (g_hash_table_lookup (self->values, name)));
    }

  return copy;
}


/**
 * stok_stream_params_set:
 * @self: a #StokStreamParams
 * @name: a parameter's name, known or not
 * @value: its value as typed
 * @error: return location for a #GError
 *
 * Sets @name after checking @value against what is known of it. A name
 * the app does not know is passed through as given.
 *
 * Returns: %TRUE if @value was taken
 */
gboolean
stok_stream_params_set (StokStreamParams  *self,
                        const char        *name,
                        const char        *value,
                        GError           **error)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (!_stok_stream_params_name_is_valid (name))
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("“%s” is not a parameter name: use letters, digits and underscores."),
                   name != NULL ? name : "");
      return FALSE;
    }

  /* The token is the session's credential, never a parameter. */
  if (g_str_equal (name, "token"))
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("The token is not a parameter: each session sends its own, minted for it or pasted."));
      return FALSE;
    }

  normal = _stok_stream_params_normalize (name, value, error);
  if (normal == NULL)
    return FALSE;

  if (g_strcmp0 (g_hash_table_lookup (self->values, name), normal) == 0)
    return TRUE;

  if (!g_hash_table_contains (self->values, name))
    g_ptr_array_add (self->names, g_strdup (name));
  g_hash_table_insert (self->values, g_strdup (name), g_steal_pointer (&normal));
  g_signal_emit (self, signals[CHANGED], g_quark_from_string (name), name);

  return TRUE;
}

/* The value of a silence in ms as it will be taken: set, or the
 * server's default. */
static gint64
get_silence (StokStreamParams *self,
             const char       *name,
             const char       *older_name)
{
  const char *value = g_hash_table_lookup (self->values, name);

  if (value == NULL && older_name != NULL)
    value = g_hash_table_lookup (self->values, older_name);
  if (value == NULL)
    value = stok_stream_params_lookup (name)->default_value;

  return g_ascii_strtoll (value, NULL, 10);
}

/**
 * stok_stream_params_check_turn_silence:
 * @self: a #StokStreamParams
 * @error: return location for a #GError
 *
 * Checks min_turn_silence against max_turn_silence, each as set or as
 * the server's default: each value alone is in its range, and only the
 * two together can be wrong. A minimum above the maximum is never
 * reached, since every turn ends at the maximum first.
 *
 * Returns: %TRUE if the minimum is not above the maximum
 */
gboolean
stok_stream_params_check_turn_silence (StokStreamParams  *self,
                                       GError           **error)
{
  g_autofree char *min_text = NULL;
  g_autofree char *max_text = NULL;
  gint64 min_ms;
  gint64 max_ms;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), FALSE);

  min_ms = get_silence (self, "min_turn_silence", "min_end_of_turn_silence_when_confident");
  max_ms = get_silence (self, "max_turn_silence", NULL);
  if (min_ms <= max_ms)
    return TRUE;

  min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min_ms);
  max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max_ms);
  /* Translators: two durations in milliseconds, such as 2000 and 1280 */
  g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
               _("Minimum silence (min_turn_silence, %s ms) must not be more than maximum silence (max_turn_silence, %s ms)."),
               min_text, max_text);
  return FALSE;
}

/**
 * stok_stream_params_claim:
 * @self: a #StokStreamParams
 * @name: a parameter's name
 * @reason: what to say to a `NAME=VALUE` for @name: what sets it already
 *
 * Has stok_stream_params_set_assignment() refuse @name. A parameter that
 * a field or an option sets, typed by name as well, would silently win
 * over what that field shows, or lose to it: the window's "Any
 * parameter" and the command line's --param share this rule. A copy
 * keeps the values, not the claims.
 */
void
stok_stream_params_claim (StokStreamParams *self,
                          const char       *name,
                          const char       *reason)
{
  g_return_if_fail (STOK_IS_STREAM_PARAMS (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (reason != NULL);

  g_hash_table_replace (self->claims, g_strdup (name), g_strdup (reason));
}

/**
 * stok_stream_params_set_assignment:
 * @self: a #StokStreamParams
 * @assignment: `NAME=VALUE`, as on the command line
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the value was taken; %FALSE too for a name that
 *   stok_stream_params_claim() claimed, with its reason
 */
gboolean
stok_stream_params_set_assignment (StokStreamParams  *self,
                                   const char        *assignment,
                                   GError           **error)
{
  g_autofree char *name = NULL;
  g_autofree char *trimmed = NULL;
  const char *equals;
  const char *claimed;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  equals = strchr (assignment, '=');
  if (equals == NULL || equals == assignment)
    {
      g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                   _("--param takes NAME=VALUE, such as max_turn_silence=800, not “%s”."),
                   assignment);
      return FALSE;
    }

  name = g_strndup (assignment, equals - assignment);

  /* Spaces around the name do not make it another parameter. */
  trimmed = g_strstrip (g_strdup (name));
  claimed = g_hash_table_lookup (self->claims, trimmed);
  if (claimed != NULL)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER, claimed);
      return FALSE;
    }

  return stok_stream_params_set (self, name, equals + 1, error);
}

void
stok_stream_params_unset (StokStreamParams *self,
                          const char       *name)
{
  g_return_if_fail (STOK_IS_STREAM_PARAMS (self));

  if (!g_hash_table_remove (self->values, name))
    return;

  for (guint i = 0; i < self->names->len; i++)
    if (g_str_equal (g_ptr_array_index (self->names, i), name))
      {
        g_ptr_array_remove_index (self->names, i);
        break;
      }

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (name), name);
}

/**
 * stok_stream_params_get:
 * @self: a #StokStreamParams
 * @name: a parameter's name
 *
 * Returns: (nullable): the value of @name as sent: the one set, else the
 *   known default of one that is always sent, else %NULL
 */
const char *
stok_stream_params_get (StokStreamParams *self,
                        const char       *name)
{
  const StokParamInfo *info;
  const char *value;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  value = g_hash_table_lookup (self->values, name);
  if (value != NULL)
    return value;

  info = stok_stream_params_lookup (name);
  if (info != NULL && (info->flags & STOK_PARAM_FLAGS_ALWAYS_SENT) != 0)
    return info->default_value;

  return NULL;
}

gboolean
stok_stream_params_is_set (StokStreamParams *self,
                           const char       *name)
{
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), FALSE);

  return g_hash_table_contains (self->values, name);
}

/* The names sent: the known ones in the table's order, those set or
 * always sent, then the others in the order they were set. */
static GPtrArray *
names_to_send (StokStreamParams *self)
{
  GPtrArray *names = g_ptr_array_new ();
  guint n_known;
  const StokParamInfo *known = stok_stream_params_get_known (&n_known);

  for (guint i = 0; i < n_known; i++)
    if ((known[i].flags & STOK_PARAM_FLAGS_ALWAYS_SENT) != 0 ||
        g_hash_table_contains (self->values, known[i].name))
      g_ptr_array_add (names, (gpointer) known[i].name);

  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);

      if (stok_stream_params_lookup (name) == NULL)
        g_ptr_array_add (names, (gpointer) name);
    }

  return names;
}

/**
 * stok_stream_params_dup_names:
 * @self: a #StokStreamParams
 *
 * Returns: (transfer full): the names of the parameters sent, in order
 */
char **
stok_stream_params_dup_names (StokStreamParams *self)
{
  g_autoptr(GPtrArray) names = NULL;
  GStrvBuilder *builder;
  char **result;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  names = names_to_send (self);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return result;
}

guint
stok_stream_params_get_sample_rate (StokStreamParams *self)
{
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), STOK_SAMPLE_RATE_DEFAULT);

  return (guint) g_ascii_strtoull (stok_stream_params_get (self, "sample_rate"), NULL, 10);
}

const char *
stok_stream_params_get_encoding (StokStreamParams *self)
{
  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), STOK_ENCODING_DEFAULT);

  return stok_stream_params_get (self, "encoding");
}

/**
 * stok_stream_params_build_uri:
 * @self: a #StokStreamParams
 * @server: the base URI of the server that minted @token
 * @token: a temporary token
 *
 * Returns: (transfer full): the streaming WebSocket URI that redeems
 *   @token with these parameters: `wss://` for an https server, `ws://`
 *   for a loopback http one
 */
char *
stok_stream_params_build_uri (StokStreamParams *self,
                              GUri             *server,
                              const char       *token)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) query = g_string_new ("token=");
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  gboolean secure;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  g_string_append_uri_escaped (query, token, NULL, FALSE);

  names = names_to_send (self);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      g_string_append_printf (query, "&%s=", name);
      g_string_append_uri_escaped (query, stok_stream_params_get (self, name), NULL, FALSE);
    }

  secure = g_ascii_strcasecmp (g_uri_get_scheme (server), "https") == 0;
  path = g_strconcat (g_uri_get_path (server), "/v3/ws", NULL);
  uri = g_uri_build (G_URI_FLAGS_ENCODED_QUERY,
                     secure ? "wss" : "ws", NULL,
                     g_uri_get_host (server), g_uri_get_port (server),
                     path, query->str, NULL);
  return g_uri_to_string (uri);
}

static void
add_typed_value (JsonBuilder *builder,
                 const char  *name,
                 const char  *value)
{
  const StokParamInfo *info = stok_stream_params_lookup (name);

  switch (info != NULL ? info->type : STOK_PARAM_TEXT)
    {
    case STOK_PARAM_INTEGER:
      json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
      break;

    case STOK_PARAM_NUMBER:
      json_builder_add_double_value (builder, g_ascii_strtod (value, NULL));
      break;

    case STOK_PARAM_BOOLEAN:
      json_builder_add_boolean_value (builder, g_str_equal (value, "true"));
      break;

    case STOK_PARAM_TEXT_LIST:
      {
        g_autoptr(JsonNode) list = stok_json_parse (value, strlen (value), NULL);

        if (list != NULL)
          json_builder_add_value (builder, g_steal_pointer (&list));
        else
          json_builder_add_string_value (builder, value);
      }
      break;

    case STOK_PARAM_TEXT:
    case STOK_PARAM_CHOICE:
    default:
      json_builder_add_string_value (builder, value);
      break;
    }
}

/**
 * stok_stream_params_build_update:
 * @self: the parameters to change, and only those
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the UpdateConfiguration message that changes
 *   them mid-session, or %NULL when one of them cannot be changed so
 */
char *
stok_stream_params_build_update (StokStreamParams  *self,
                                 GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  if (self->names->len == 0)
    {
      g_set_error_literal (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                           _("Nothing to change: set a turn parameter first."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "UpdateConfiguration");
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = g_ptr_array_index (self->names, i);
      const StokParamInfo *info = stok_stream_params_lookup (name);

      if (info == NULL || (info->flags & STOK_PARAM_FLAGS_UPDATABLE) == 0)
        {
          g_set_error (error, STOK_ERROR, STOK_ERROR_INVALID_PARAMETER,
                       _("%s cannot be changed during a session, only the turn parameters can."),
                       name);
          return NULL;
        }

      json_builder_set_member_name (builder, name);
      add_typed_value (builder, name, g_hash_table_lookup (self->values, name));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return stok_json_to_line (root);
}

/**
 * stok_stream_params_to_json:
 * @self: a #StokStreamParams
 *
 * Returns: (transfer full): the parameters sent, as a JSON object with
 *   typed values, for the command line's --json and the inspector
 */
JsonNode *
stok_stream_params_to_json (StokStreamParams *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) names = NULL;

  g_return_val_if_fail (STOK_IS_STREAM_PARAMS (self), NULL);

  names = names_to_send (self);
  json_builder_begin_object (builder);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      json_builder_set_member_name (builder, name);
      add_typed_value (builder, name, stok_stream_params_get (self, name));
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
