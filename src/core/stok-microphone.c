/* stok-microphone.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A capture device a session can stream from: its name as the sound
 * server knows it (alsa_input.usb-…, or a sink's monitor such as
 * alsa_output.pci-….monitor, which captures what the computer plays),
 * and what the sound server calls it for people. Listing them loads
 * GStreamer, so it is done when asked for, on a thread of its own: the
 * sound server may take a moment to answer, and GStreamer's first start
 * scans its plugins. */

#include "config.h"

#include "stok-audio-backend.h"
#include "stok-microphone.h"

struct _StokMicrophone
{
  GObject parent_instance;

  char *name;
  char *label;
};

G_DEFINE_FINAL_TYPE (StokMicrophone, stok_microphone, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
stok_microphone_finalize (GObject *object)
{
  StokMicrophone *self = (StokMicrophone *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (stok_microphone_parent_class)->finalize (object);
}

static void
stok_microphone_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  StokMicrophone *self = STOK_MICROPHONE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_microphone_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  StokMicrophone *self = STOK_MICROPHONE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_LABEL:
      self->label = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_microphone_class_init (StokMicrophoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = stok_microphone_finalize;
  object_class->get_property = stok_microphone_get_property;
  object_class->set_property = stok_microphone_set_property;

  /* The device's name, which the session's source opens. */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* What the sound server calls it for people, e.g. "Built-in Audio
   * Analog Stereo". */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
stok_microphone_init (StokMicrophone *self)
{
}

/**
 * stok_microphone_new:
 * @name: the device's name as the sound server knows it
 * @label: (nullable): what it is called for people, or %NULL for @name
 *
 * Returns: (transfer full): a new #StokMicrophone
 */
StokMicrophone *
stok_microphone_new (const char *name,
                     const char *label)
{
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  return g_object_new (STOK_TYPE_MICROPHONE,
                       "name", name,
                       "label", label != NULL && *label != '\0' ? label : name,
                       NULL);
}

/**
 * stok_microphone_get_name:
 * @self: a #StokMicrophone
 *
 * Returns: the device's name as the sound server knows it
 */
const char *
stok_microphone_get_name (StokMicrophone *self)
{
  g_return_val_if_fail (STOK_IS_MICROPHONE (self), NULL);

  return self->name;
}

/**
 * stok_microphone_get_label:
 * @self: a #StokMicrophone
 *
 * Returns: what the sound server calls the device for people, or its
 *   name when it gave nothing
 */
const char *
stok_microphone_get_label (StokMicrophone *self)
{
  g_return_val_if_fail (STOK_IS_MICROPHONE (self), NULL);

  return self->label;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const StokGstAudioFuncs *gst;
  g_autoptr(GListStore) store = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) labels = NULL;
  GError *error = NULL;

  if (!(gst = stok_audio_backend_get (&error)))
    {
      g_task_return_error (task, error);
      return;
    }

  gst->list_microphones (&names, &labels);

  store = g_list_store_new (STOK_TYPE_MICROPHONE);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(StokMicrophone) microphone = stok_microphone_new (names[i], labels[i]);

      g_list_store_append (store, microphone);
    }

  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

/**
 * stok_microphone_list_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context once listed
 * @user_data: for @callback
 *
 * Asks the sound server for the capture devices there are now, loading
 * GStreamer if it is not yet.
 */
void
stok_microphone_list_async (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, stok_microphone_list_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_thread);
}

/**
 * stok_microphone_list_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a #GListModel of #StokMicrophone,
 *   by their labels, empty when the sound server has none (or there is
 *   no sound server); %NULL with %STOK_ERROR_AUDIO_UNAVAILABLE when
 *   GStreamer cannot be loaded
 */
GListModel *
stok_microphone_list_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
