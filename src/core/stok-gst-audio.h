/* stok-gst-audio.h
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The boundary between the core and the GStreamer module
 * (stok-gst-audio.so), which the core opens only when audio is first
 * needed, so that minting a token never maps GStreamer. GLib types only on
 * this side: the module needs nothing from the executable, and the core
 * nothing from GStreamer. The module returns a table of these functions
 * from its one exported symbol. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Raised whenever the table below changes shape. */
#define STOK_GST_AUDIO_ABI_VERSION 3
#define STOK_GST_AUDIO_ENTRY_POINT "stok_gst_audio_get_funcs"
#define STOK_GST_AUDIO_MODULE_NAME "stok-gst-audio"

/* The module's errors say what kind of failure it was; their messages are
 * GStreamer's own, for the details. The core words them for people. */
#define STOK_GST_ERROR (g_quark_from_static_string ("stok-gst-error-quark"))

typedef enum
{
  STOK_GST_ERROR_UNREADABLE,      /* the file could not be opened or read */
  STOK_GST_ERROR_NOT_AUDIO,       /* no audio could be decoded from it */
  STOK_GST_ERROR_MISSING_PLUGIN,  /* GStreamer lacks an element or decoder */
  STOK_GST_ERROR_NO_DEVICE,       /* no capture device, or no sound server */
  STOK_GST_ERROR_FAILED,          /* anything else */
} StokGstErrorCode;

/* One pipeline: a file (any GFile, resource:// included) or a capture
 * device, decoded to signed 16-bit little-endian mono. */
typedef struct _StokGstStream StokGstStream;

typedef struct
{
  guint abi_version;

  /* Initializes GStreamer; the first call may scan its plugins. */
  gboolean        (*init)            (GError        **error);

  /* @rate: the rate to convert to, or 0 for the source's own. */
  StokGstStream * (*open_file)       (GFile          *file,
                                      guint           rate,
                                      GError        **error);
  /* @device: (nullable): a capture device's name, or the default one;
   * @frame_ms: the length of the frames the core sends, which the device
   * is read in, or 0 for GStreamer's own 10 ms */
  StokGstStream * (*open_microphone) (const char     *device,
                                      guint           rate,
                                      guint           frame_ms,
                                      GError        **error);

  /* The capture devices open_microphone() can open, as the sound server
   * has them now, by their labels: their names in @out_names and what
   * they are called for people in @out_labels, NULL-terminated alike;
   * none without a sound server. Blocks while it asks. */
  void            (*list_microphones) (char         ***out_names,
                                       char         ***out_labels);

  /* Blocks until the file's format is known, or it fails. Then the
   * getters below answer (0 and -1 when unknown). */
  gboolean        (*preroll)         (StokGstStream  *stream,
                                      GCancellable   *cancellable,
                                      GError        **error);
  guint           (*get_native_rate) (StokGstStream  *stream);
  gint64          (*get_duration_us) (StokGstStream  *stream);

  /* Starts decoding or capturing. With a @context, @ready is called on
   * it whenever pull() may have something new (audio, the end, an
   * error); never from a GStreamer thread. */
  gboolean        (*play)            (StokGstStream  *stream,
                                      GMainContext   *context,
                                      GSourceFunc     ready,
                                      gpointer        ready_data,
                                      GError        **error);

  /* Audio decoded so far, in the order it comes; NULL with *@out_eos set
   * at the end, NULL with @error set on a failure, NULL alone when
   * nothing came within @timeout_us (0: do not wait). Decoding stops
   * while a few seconds wait to be pulled, which bounds the memory. */
  GBytes *        (*pull)            (StokGstStream  *stream,
                                      gint64          timeout_us,
                                      gboolean       *out_eos,
                                      GError        **error);

  /* Stops the pipeline, joins its threads and frees it. */
  void            (*free)            (StokGstStream  *stream);
} StokGstAudioFuncs;

typedef const StokGstAudioFuncs *(*StokGstAudioGetFuncs) (guint abi_version);

G_END_DECLS
