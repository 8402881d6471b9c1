/* stok-test-encode.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Files in the formats users bring (Ogg, Matroska, MP3, films), encoded
 * by GStreamer for the tests that decode them. */

#include "config.h"

#include <gst/gst.h>

#include "stok-test-encode.h"

/* Runs @pipeline, a gst-launch description whose last element is the
 * muxer or encoder, into @name in @dir; returns the file's path. */
char *
stok_test_encode (const char *dir,
                  const char *name,
                  const char *pipeline)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description = NULL;
  g_autoptr(GstElement) bin = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  gst_init (NULL, NULL);

  description = g_strdup_printf ("%s ! filesink location=\"%s\"", pipeline, path);
  bin = gst_parse_launch (description, &error);
  g_assert_no_error (error);

  bus = gst_element_get_bus (bin);
  g_assert_cmpint (gst_element_set_state (bin, GST_STATE_PLAYING), !=, GST_STATE_CHANGE_FAILURE);
  message = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      gst_message_parse_error (message, &error, NULL);
      g_error ("Encoding %s: %s", name, error->message);
    }
  gst_element_set_state (bin, GST_STATE_NULL);

  return g_steal_pointer (&path);
}

/* Whether this machine's GStreamer has a decoder for @caps. */
gboolean
stok_test_can_decode (const char *caps)
{
  g_autoptr(GstCaps) wanted = NULL;
  GList *decoders;
  GList *able;
  gboolean can;

  gst_init (NULL, NULL);

  wanted = gst_caps_from_string (caps);
  g_assert_nonnull (wanted);
  decoders = gst_element_factory_list_get_elements (GST_ELEMENT_FACTORY_TYPE_DECODER | GST_ELEMENT_FACTORY_TYPE_MEDIA_AUDIO, GST_RANK_NONE);
  able = gst_element_factory_list_filter (decoders, wanted, GST_PAD_SINK, FALSE);
  can = able != NULL;
  gst_plugin_feature_list_free (able);
  gst_plugin_feature_list_free (decoders);

  return can;
}
