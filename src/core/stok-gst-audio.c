/* stok-gst-audio.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The GStreamer side of the audio sources, built as a loadable module:
 * the only file of the project that includes GStreamer. It decodes a
 * file, or captures from a device, to 16-bit mono at the rate asked for,
 * and hands the audio over through an appsink. What to send and when is
 * the core's business (stok-audio-source.c), on the core's main context.
 *
 *   giosrc ! parsebin ! decodebin ! audioconvert ! audioresample ! capsfilter ! appsink
 *   pulsesrc                      ! audioconvert ! audioresample ! capsfilter ! queue ! appsink
 *
 * parsebin finds the file's streams and decodebin decodes the audio one,
 * rather than decodebin alone: after a demuxer (Ogg, Matroska, MP4),
 * decodebin puts a multiqueue, and the demuxer's thread then waits on it
 * and is woken for every packet the decoder takes (221 a second for the
 * sample's Vorbis). parsebin has no queue, so a file is read, demuxed,
 * decoded and converted on one thread, the one that new_sample_cb()
 * holds back.
 *
 * A file is decoded at most AHEAD_HIGH buffers ahead of what the core
 * has taken: then decoding waits until the core has taken all but
 * AHEAD_LOW of them, so a file of hours is never decoded into memory,
 * and the decoder's thread is woken once for every batch the core takes
 * (a second's worth), not for every buffer. GStreamer 1.22's appsink and
 * queue would wake it at every buffer taken, so the wait is this
 * module's, in the appsink's callback. The microphone never waits: its
 * queue holds at most MAX_AHEAD of audio, and the appsink
 * APPSINK_MAX_BUFFERS. Every bus message is handled
 * synchronously on the thread that posts it and dropped, so nothing
 * piles up on a bus that no main loop watches.
 *
 * Its few messages are the details under the core's (and GStreamer's
 * own are translated by GStreamer); the program that loads it has bound
 * the text domain. */

#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/gst.h>

#include "stok-gst-audio.h"

#define MAX_AHEAD (2 * GST_SECOND)
#define APPSINK_MAX_BUFFERS 4
#define AHEAD_HIGH 64
#define AHEAD_LOW 16
#define CLIENT_NAME "Streaming Token"
/* How long a stop waits for a file to finish opening: a few milliseconds
 * for a local one. */
#define SETTLE_TIMEOUT (500 * GST_MSECOND)
/* How often a chosen device's capture asks whether it was moved. */
#define DEVICE_CHECK_US G_USEC_PER_SEC

struct _StokGstStream
{
  GstElement *pipeline;
  /* A file's: parsebin finds its streams, decodebin decodes the audio
   * one. */
  GstElement *parsebin;
  GstElement *decodebin;
  GstElement *convert;
  GstElement *appsink;

  /* Set ready on the consumer's context from GStreamer's threads. */
  GSource *ready_source;
  /* A file's consumer found nothing to pull, so a new sample must wake it;
   * otherwise it pulls at its frames' due times and a sample arriving
   * between them need not wake it: that is one wake-up less for every
   * buffer the decoder makes. The microphone wakes it always: its frames
   * go out as they are captured. */
  int wake_wanted;

  /* Held while the file's streams are linked, and while the pipeline
   * goes to PAUSED: a bin orders a state change by its links, and a link
   * made while it does makes it see a loop (and say so). */
  GRecMutex graph_lock;
  /* Set under graph_lock once a stop has let the file finish opening:
   * no stream is linked after. Not a bit field beside those the lock
   * below guards. */
  gboolean linking_closed;

  GMutex lock;
  GCond cond;
  /* A file's buffers in the appsink, not taken yet; the decoder waits
   * for the core while decoding_held. The appsink queues a sample before
   * new_sample_cb() counts it, so the core may take it first: -1 for a
   * moment, not a count lost. */
  int n_ahead;
  guint decoding_held : 1;
  guint closing : 1;
  GError *error;
  guint native_rate;
  /* What parsebin or decodebin found no element for: a type that is not
   * audio, in a file without an audio stream, makes the file not audio,
   * rather than GStreamer incomplete. */
  char *missing_type;
  guint prerolled : 1;
  guint microphone : 1;

  /* The capture element, and the device asked of it, when one was: the
   * sound server moves a capture whose device is gone to another one,
   * the default input, and goes on (PulseAudio and PipeWire alike), so
   * that the session would stream a microphone never chosen. */
  GstElement *capture;
  char *device;
  /* When it was last asked, on the capture's thread: pulsesrc asks the
   * sound server twice for its current device. */
  gint64 device_checked_us;
};

static GError *
make_error (StokGstErrorCode  code,
            const char       *format,
            ...) G_GNUC_PRINTF (2, 3);

static GError *
make_error (StokGstErrorCode  code,
            const char       *format,
            ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (STOK_GST_ERROR, code, format, args);
  va_end (args);

  return error;
}

static void
wake_consumer (StokGstStream *stream)
{
  if (stream->ready_source != NULL)
    g_source_set_ready_time (stream->ready_source, 0);
}

/* Called with the lock held. The first error is the one that says why. */
static void
set_error (StokGstStream *stream,
           GError        *error)
{
  if (stream->error == NULL)
    stream->error = error;
  else
    g_error_free (error);

  g_cond_broadcast (&stream->cond);
}

static gboolean
is_audio_type (const char *type)
{
  /* Containers (application/ogg, …) may hold audio: a missing demuxer is
   * GStreamer's lack, like a missing audio decoder. */
  return g_str_has_prefix (type, "audio/") || g_str_has_prefix (type, "application/");
}

/* Whether parsebin found an audio stream: it went on to decodebin. */
static gboolean
has_audio (StokGstStream *stream)
{
  g_autoptr(GstPad) sink_pad = NULL;

  if (stream->decodebin == NULL)
    return FALSE;

  sink_pad = gst_element_get_static_pad (stream->decodebin, "sink");
  return gst_pad_is_linked (sink_pad);
}

static StokGstErrorCode
classify_code (StokGstStream *stream,
               const GError  *error)
{
  if (stream->microphone)
    return error->domain == GST_RESOURCE_ERROR ? STOK_GST_ERROR_NO_DEVICE : STOK_GST_ERROR_FAILED;

  if (error->domain == GST_RESOURCE_ERROR)
    {
      switch ((GstResourceError) error->code)
        {
        case GST_RESOURCE_ERROR_NOT_FOUND:
        case GST_RESOURCE_ERROR_OPEN_READ:
        case GST_RESOURCE_ERROR_OPEN_READ_WRITE:
        case GST_RESOURCE_ERROR_READ:
        case GST_RESOURCE_ERROR_SEEK:
        case GST_RESOURCE_ERROR_NOT_AUTHORIZED:
          return STOK_GST_ERROR_UNREADABLE;

        case GST_RESOURCE_ERROR_FAILED:
        case GST_RESOURCE_ERROR_TOO_LAZY:
        case GST_RESOURCE_ERROR_BUSY:
        case GST_RESOURCE_ERROR_OPEN_WRITE:
        case GST_RESOURCE_ERROR_CLOSE:
        case GST_RESOURCE_ERROR_WRITE:
        case GST_RESOURCE_ERROR_SYNC:
        case GST_RESOURCE_ERROR_SETTINGS:
        case GST_RESOURCE_ERROR_NO_SPACE_LEFT:
        case GST_RESOURCE_ERROR_NUM_ERRORS:
        default:
          return STOK_GST_ERROR_FAILED;
        }
    }

  if (error->domain == GST_STREAM_ERROR)
    {
      switch ((GstStreamError) error->code)
        {
        case GST_STREAM_ERROR_TYPE_NOT_FOUND:
        case GST_STREAM_ERROR_WRONG_TYPE:
        case GST_STREAM_ERROR_DEMUX:
        case GST_STREAM_ERROR_DECODE:
        case GST_STREAM_ERROR_FORMAT:
        case GST_STREAM_ERROR_NOT_IMPLEMENTED:
          return STOK_GST_ERROR_NOT_AUDIO;

        /* Data that went nowhere: a stream that is not audio, when no
         * audio stream was found beside it. */
        case GST_STREAM_ERROR_FAILED:
          return has_audio (stream) ? STOK_GST_ERROR_FAILED : STOK_GST_ERROR_NOT_AUDIO;

        case GST_STREAM_ERROR_TOO_LAZY:
        case GST_STREAM_ERROR_CODEC_NOT_FOUND:
        case GST_STREAM_ERROR_ENCODE:
        case GST_STREAM_ERROR_MUX:
        case GST_STREAM_ERROR_DECRYPT:
        case GST_STREAM_ERROR_DECRYPT_NOKEY:
        case GST_STREAM_ERROR_NUM_ERRORS:
        default:
          return STOK_GST_ERROR_FAILED;
        }
    }

  return STOK_GST_ERROR_FAILED;
}

/* Called with the lock held. */
static GError *
classify (StokGstStream *stream,
          const GError  *error)
{
  StokGstErrorCode code = STOK_GST_ERROR_FAILED;

  if ((error->domain == GST_CORE_ERROR && error->code == GST_CORE_ERROR_MISSING_PLUGIN) ||
      (error->domain == GST_STREAM_ERROR && error->code == GST_STREAM_ERROR_CODEC_NOT_FOUND))
    {
      if (!stream->microphone && !has_audio (stream) &&
          stream->missing_type != NULL && !is_audio_type (stream->missing_type))
        return make_error (STOK_GST_ERROR_NOT_AUDIO, _("The file holds %s, not audio."), stream->missing_type);
      /* GStreamer's own words do not say which: the type does. */
      if (stream->missing_type != NULL)
        return make_error (STOK_GST_ERROR_MISSING_PLUGIN, _("GStreamer has no plugin installed for %s."),
                           stream->missing_type);
      code = STOK_GST_ERROR_MISSING_PLUGIN;
    }
  else
    {
      code = classify_code (stream, error);
    }

  return g_error_new_literal (STOK_GST_ERROR, code, error->message);
}

static GstBusSyncReply
bus_sync_cb (GstBus     *bus,
             GstMessage *message,
             gpointer    user_data)
{
  StokGstStream *stream = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &gst_error, &debug);
      g_debug ("GStreamer error from %s: %s (%s)",
               GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), gst_error->message,
               debug != NULL ? debug : "no details");

      g_mutex_lock (&stream->lock);
      set_error (stream, classify (stream, gst_error));
      g_mutex_unlock (&stream->lock);
      wake_consumer (stream);
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ELEMENT &&
           gst_message_has_name (message, "missing-plugin"))
    {
      const GstStructure *structure = gst_message_get_structure (message);
      g_autoptr(GstCaps) caps = NULL;

      /* parsebin's or decodebin's word for the type it has no element
       * for; read without gst-pbutils, whose helpers would be one more
       * library. */
      if (gst_structure_get (structure, "detail", GST_TYPE_CAPS, &caps, NULL) &&
          caps != NULL && gst_caps_get_size (caps) > 0)
        {
          g_mutex_lock (&stream->lock);
          if (stream->missing_type == NULL)
            stream->missing_type = g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0)));
          g_mutex_unlock (&stream->lock);
        }
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_STREAM_COLLECTION &&
           GST_MESSAGE_SRC (message) == GST_OBJECT (stream->parsebin))
    {
      g_autoptr(GstStreamCollection) collection = NULL;
      gboolean audio = FALSE;

      /* parsebin's word for all the streams it found (a demuxer inside
       * may say its own): parsebin has no no-more-pads, and a file
       * without audio would otherwise never preroll. */
      gst_message_parse_stream_collection (message, &collection);
      for (guint i = 0; i < gst_stream_collection_get_size (collection); i++)
        {
          GstStream *found = gst_stream_collection_get_stream (collection, i);

          if (gst_stream_get_stream_type (found) & GST_STREAM_TYPE_AUDIO)
            audio = TRUE;
        }
      if (!audio)
        {
          g_mutex_lock (&stream->lock);
          set_error (stream, make_error (STOK_GST_ERROR_NOT_AUDIO, _("The file holds no audio stream.")));
          g_mutex_unlock (&stream->lock);
          wake_consumer (stream);
        }
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ASYNC_DONE &&
           GST_MESSAGE_SRC (message) == GST_OBJECT (stream->pipeline))
    {
      g_mutex_lock (&stream->lock);
      stream->prerolled = TRUE;
      g_cond_broadcast (&stream->cond);
      g_mutex_unlock (&stream->lock);
    }

  return GST_BUS_DROP;
}

/* On the capture's thread, once a second: still the device chosen? A
 * capture moved elsewhere fails, as one whose device closed would. Each
 * question is two round trips to the sound server: asked at every
 * buffer, they more than doubled the capture's wake-ups (139 to 361 a
 * second in all, a reviewer's measure). */
static void
check_device (StokGstStream *stream)
{
  g_autofree char *current = NULL;
  gint64 now = g_get_monotonic_time ();

  if (now - stream->device_checked_us < DEVICE_CHECK_US)
    return;
  stream->device_checked_us = now;

  g_object_get (stream->capture, "current-device", &current, NULL);
  if (current == NULL || *current == '\0' || g_str_equal (current, stream->device))
    return;

  g_mutex_lock (&stream->lock);
  set_error (stream, make_error (STOK_GST_ERROR_NO_DEVICE,
                                 /* Translators: %s is the device the sound server went on
                                  * capturing from, by its name in the sound server, such as
                                  * alsa_input.pci-0000_00_1f.3.analog-stereo */
                                 _("the sound server moved the capture to another input, %s, as it does when a device is unplugged"),
                                 current));
  g_mutex_unlock (&stream->lock);
}

static GstFlowReturn
new_sample_cb (GstAppSink *appsink,
               gpointer    user_data)
{
  StokGstStream *stream = user_data;

  if (stream->device != NULL)
    check_device (stream);

  if (stream->microphone || g_atomic_int_compare_and_exchange (&stream->wake_wanted, TRUE, FALSE))
    wake_consumer (stream);

  if (stream->microphone)
    return GST_FLOW_OK;

  /* On the decoder's thread: far enough ahead, it waits until the core
   * has taken all but AHEAD_LOW. */
  g_mutex_lock (&stream->lock);
  stream->n_ahead++;
  if (stream->n_ahead >= AHEAD_HIGH)
    stream->decoding_held = TRUE;
  while (stream->decoding_held && !stream->closing)
    g_cond_wait (&stream->cond, &stream->lock);
  g_mutex_unlock (&stream->lock);

  return GST_FLOW_OK;
}

static void
eos_cb (GstAppSink *appsink,
        gpointer    user_data)
{
  wake_consumer (user_data);
}

static GstPadProbeReturn
drop_cb (GstPad          *pad,
         GstPadProbeInfo *info,
         gpointer         user_data)
{
  return GST_PAD_PROBE_DROP;
}

/* A stream that goes nowhere is dropped as it comes, on the thread that
 * reads the file: a sink would wait there from its first buffer until
 * the pipeline plays, which it never would, the audio being held up
 * behind it. */
static void
drop_stream (GstPad *pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_DATA_DOWNSTREAM, drop_cb, NULL, NULL);
}

/* The first audio stream goes on to @next; any other (a video track, a
 * second audio track) is read and dropped, so that it neither blocks the
 * file nor fails it. Returns whether @pad went to @next, and then its
 * caps in @out_caps. */
static gboolean
link_audio_pad (StokGstStream  *stream,
                GstPad         *pad,
                GstElement     *next,
                GstCaps       **out_caps)
{
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (next, "sink");
  g_autoptr(GstCaps) caps = NULL;
  const char *name;

  g_rec_mutex_lock (&stream->graph_lock);

  if (stream->linking_closed)
    goto out;

  caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_caps_get_size (caps) > 0 ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";

  if (!g_str_has_prefix (name, "audio/") || gst_pad_is_linked (sink_pad))
    {
      drop_stream (pad);
      g_clear_pointer (&caps, gst_caps_unref);
    }
  else if (gst_pad_link (pad, sink_pad) != GST_PAD_LINK_OK)
    {
      g_clear_pointer (&caps, gst_caps_unref);
    }

out:
  g_rec_mutex_unlock (&stream->graph_lock);

  if (caps == NULL)
    return FALSE;
  if (out_caps != NULL)
    *out_caps = g_steal_pointer (&caps);

  return TRUE;
}

static void
parsed_pad_added_cb (GstElement *parsebin,
                     GstPad     *pad,
                     gpointer    user_data)
{
  StokGstStream *stream = user_data;

  link_audio_pad (stream, pad, stream->decodebin, NULL);
}

static void
decoded_pad_added_cb (GstElement *decodebin,
                      GstPad     *pad,
                      gpointer    user_data)
{
  StokGstStream *stream = user_data;
  g_autoptr(GstCaps) caps = NULL;
  GstAudioInfo info;

  /* Caps only queried, as on a file cut off in its headers, may not be
   * fixed yet: the rate is then not known here. */
  if (!link_audio_pad (stream, pad, stream->convert, &caps) || !gst_caps_is_fixed (caps) ||
      !gst_audio_info_from_caps (&info, caps))
    return;

  g_mutex_lock (&stream->lock);
  stream->native_rate = GST_AUDIO_INFO_RATE (&info);
  g_mutex_unlock (&stream->lock);
}

static void
no_more_pads_cb (GstElement *decodebin,
                 gpointer    user_data)
{
  StokGstStream *stream = user_data;
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (stream->convert, "sink");

  g_mutex_lock (&stream->lock);
  if (!gst_pad_is_linked (sink_pad))
    set_error (stream, make_error (STOK_GST_ERROR_NOT_AUDIO, _("The file holds no audio stream.")));
  g_mutex_unlock (&stream->lock);

  wake_consumer (stream);
}

static GstElement *
make_element (const char  *factory,
              GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, STOK_GST_ERROR, STOK_GST_ERROR_MISSING_PLUGIN,
                 _("GStreamer has no “%s” element."), factory);

  return element;
}

static GstElement *
add_element (StokGstStream  *stream,
             const char     *factory,
             GError        **error)
{
  GstElement *element = make_element (factory, error);

  if (element != NULL)
    gst_bin_add (GST_BIN (stream->pipeline), element);

  return element;
}

/* Until the file has prerolled or failed, @cancellable is cancelled, or
 * the monotonic time reaches @deadline_us (-1 for none). Woken by the bus
 * handler; the timeout of each wait only lets cancellation in. */
static void
wait_settled (StokGstStream *stream,
              GCancellable  *cancellable,
              gint64         deadline_us)
{
  g_mutex_lock (&stream->lock);
  while (!stream->prerolled && stream->error == NULL &&
         !g_cancellable_is_cancelled (cancellable))
    {
      gint64 until = g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND;

      if (deadline_us >= 0 && g_get_monotonic_time () >= deadline_us)
        break;
      g_cond_wait_until (&stream->cond, &stream->lock, deadline_us >= 0 ? MIN (until, deadline_us) : until);
    }
  g_mutex_unlock (&stream->lock);
}

static void
stream_free (StokGstStream *stream)
{
  g_autoptr(GstBus) bus = NULL;

  if (stream == NULL)
    return;

  /* Lets a decoder waiting for the core go, then joins the streaming
   * threads: none of them touches the stream after. */
  g_mutex_lock (&stream->lock);
  stream->closing = TRUE;
  g_cond_broadcast (&stream->cond);
  g_mutex_unlock (&stream->lock);
  /* A file still opening is let finish, or fail: parsebin's typefinder
   * starts and stops the source to ask it whether it can seek, and doing
   * so while the pipeline stops the source too frees its stream twice.
   * Its streams are linked meanwhile, as found: unlinked, it could not
   * finish, and would be waited for until SETTLE_TIMEOUT. A file that
   * failed never finishes opening, and was waited for so (500 ms of a
   * window's main thread for every file that is not audio): an error
   * ends the wait as prerolling does. */
  if (gst_element_get_state (stream->pipeline, NULL, NULL, 0) == GST_STATE_CHANGE_ASYNC)
    wait_settled (stream, NULL, g_get_monotonic_time () + SETTLE_TIMEOUT / GST_USECOND);
  /* Waits for a stream being linked; no other will be. The lock is not
   * held through the state change: that joins the threads that take it. */
  g_rec_mutex_lock (&stream->graph_lock);
  stream->linking_closed = TRUE;
  g_rec_mutex_unlock (&stream->graph_lock);
  gst_element_set_state (stream->pipeline, GST_STATE_NULL);
  /* The handler has the stream, which goes now; the bus may not. */
  bus = gst_element_get_bus (stream->pipeline);
  gst_bus_set_sync_handler (bus, NULL, NULL, NULL);

  if (stream->ready_source != NULL)
    {
      g_source_destroy (stream->ready_source);
      g_clear_pointer (&stream->ready_source, g_source_unref);
    }

  g_clear_pointer (&stream->pipeline, gst_object_unref);
  g_clear_error (&stream->error);
  g_clear_pointer (&stream->missing_type, g_free);
  g_clear_pointer (&stream->device, g_free);
  g_clear_object (&stream->capture);
  g_rec_mutex_clear (&stream->graph_lock);
  g_mutex_clear (&stream->lock);
  g_cond_clear (&stream->cond);
  g_free (stream);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StokGstStream, stream_free)

/* Builds the part from the conversion to the appsink, which both kinds of
 * source share, and links @source to it, through @parsebin and a
 * decodebin for a file. */
static StokGstStream *
stream_new (GstElement  *source,
            GstElement  *parsebin,
            guint        rate,
            gboolean     microphone,
            GError     **error)
{
  g_autoptr(StokGstStream) stream = g_new0 (StokGstStream, 1);
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstElement *resample, *capsfilter, *queue = NULL;
  GstAppSinkCallbacks callbacks = { NULL, };

  g_rec_mutex_init (&stream->graph_lock);
  g_mutex_init (&stream->lock);
  g_cond_init (&stream->cond);
  stream->microphone = !!microphone;
  stream->wake_wanted = TRUE;
  stream->pipeline = gst_object_ref_sink (gst_pipeline_new ("stok-audio"));

  gst_bin_add (GST_BIN (stream->pipeline), source);
  if (parsebin != NULL)
    gst_bin_add (GST_BIN (stream->pipeline), parsebin);
  stream->parsebin = parsebin;

  if ((parsebin != NULL && !(stream->decodebin = add_element (stream, "decodebin", error))) ||
      !(stream->convert = add_element (stream, "audioconvert", error)) ||
      !(resample = add_element (stream, "audioresample", error)) ||
      !(capsfilter = add_element (stream, "capsfilter", error)) ||
      (microphone && !(queue = add_element (stream, "queue", error))) ||
      !(stream->appsink = add_element (stream, "appsink", error)))
    return NULL;

  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "channels", G_TYPE_INT, 1,
                              NULL);
  if (rate > 0)
    gst_caps_set_simple (caps, "rate", G_TYPE_INT, (int) rate, NULL);
  g_object_set (capsfilter, "caps", caps, NULL);

  if (queue != NULL)
    g_object_set (queue,
                  "max-size-time", (guint64) MAX_AHEAD,
                  "max-size-buffers", 0,
                  "max-size-bytes", 0,
                  NULL);

  /* The core paces the audio: the sink hands it over as fast as it is
   * pulled, and keeps no copy of the last buffer. A file's is held back
   * by new_sample_cb(). At the end of a file, the decoder's thread need
   * not wait for the last buffers to be taken (it would wake at every
   * one): the core knows the end once it has taken them. */
  g_object_set (stream->appsink,
                "sync", FALSE,
                "max-buffers", microphone ? APPSINK_MAX_BUFFERS : 0,
                "drop", FALSE,
                "enable-last-sample", FALSE,
                "wait-on-eos", FALSE,
                NULL);
  callbacks.new_sample = new_sample_cb;
  callbacks.eos = eos_cb;
  gst_app_sink_set_callbacks (GST_APP_SINK (stream->appsink), &callbacks, stream, NULL);

  if (!gst_element_link_many (stream->convert, resample, capsfilter, NULL) ||
      (queue != NULL && !gst_element_link_many (capsfilter, queue, stream->appsink, NULL)) ||
      (queue == NULL && !gst_element_link (capsfilter, stream->appsink)) ||
      (parsebin != NULL && !gst_element_link (source, parsebin)) ||
      (parsebin == NULL && !gst_element_link (source, stream->convert)))
    {
      g_set_error_literal (error, STOK_GST_ERROR, STOK_GST_ERROR_FAILED,
                           _("The audio pipeline could not be linked."));
      return NULL;
    }

  if (parsebin != NULL)
    {
      g_signal_connect (parsebin, "pad-added", G_CALLBACK (parsed_pad_added_cb), stream);
      g_signal_connect (stream->decodebin, "pad-added", G_CALLBACK (decoded_pad_added_cb), stream);
      g_signal_connect (stream->decodebin, "no-more-pads", G_CALLBACK (no_more_pads_cb), stream);
    }

  bus = gst_element_get_bus (stream->pipeline);
  gst_bus_set_sync_handler (bus, bus_sync_cb, stream, NULL);

  return g_steal_pointer (&stream);
}

static StokGstStream *
stream_open_file (GFile   *file,
                  guint    rate,
                  GError **error)
{
  GstElement *source, *parsebin;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!(source = make_element ("giosrc", error)))
    return NULL;
  if (!(parsebin = make_element ("parsebin", error)))
    {
      gst_object_unref (gst_object_ref_sink (source));
      return NULL;
    }

  g_object_set (source, "file", file, NULL);

  return stream_new (source, parsebin, rate, FALSE, error);
}

static StokGstStream *
stream_open_microphone (const char  *device,
                        guint        rate,
                        guint        frame_ms,
                        GError     **error)
{
  StokGstStream *stream;
  GstElement *source;

  /* pulsesrc names its devices, and PipeWire serves it too. autoaudiosrc
   * picks whatever there is, but cannot be told which device. */
  source = gst_element_factory_make ("pulsesrc", NULL);
  if (source == NULL)
    {
      if (device != NULL)
        {
          g_set_error (error, STOK_GST_ERROR, STOK_GST_ERROR_MISSING_PLUGIN,
                       _("GStreamer has no “pulsesrc” element to capture from “%s”."), device);
          return NULL;
        }
      if (!(source = make_element ("autoaudiosrc", error)))
        return NULL;
    }
  else
    {
      g_object_set (source, "client-name", CLIENT_NAME, NULL);
      /* Read a frame at a time: each wakes the capture's threads and the
       * core once, where GStreamer's 10 ms reads woke them five times a
       * frame of 50 ms (about 715 wake-ups a second in all, 147 now). A
       * frame goes out as soon as before: it is whole only at its last
       * sample. The device's buffer holds a few of them. */
      if (frame_ms > 0)
        g_object_set (source,
                      "latency-time", (gint64) frame_ms * 1000,
                      "buffer-time", (gint64) MAX (frame_ms * 4, 200) * 1000,
                      NULL);
      if (device != NULL)
        g_object_set (source, "device", device, NULL);
    }

  stream = stream_new (source, NULL, rate, TRUE, error);
  if (stream != NULL && device != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (source), "current-device"))
    {
      stream->capture = gst_object_ref (source);
      stream->device = g_strdup (device);
    }

  return stream;
}

/* Sorts the devices by their labels, as a menu reads. */
static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  g_autofree char *label_a = gst_device_get_display_name (*(GstDevice **) a);
  g_autofree char *label_b = gst_device_get_display_name (*(GstDevice **) b);

  return g_utf8_collate (label_a, label_b);
}

/* The capture devices pulsesrc can open, as PulseAudio's device provider
 * finds them (PipeWire serves it too): each made into the element that
 * would capture from it, whose "device" is the name open_microphone()
 * takes. The provider is asked itself, not through a device monitor:
 * where PipeWire's GStreamer plugin is installed, its provider ranks
 * first and hides PulseAudio's from a monitor, and its devices are not
 * pulsesrc's. It probes once and is not started, so nothing stays
 * connected to the sound server. No sound server, or no pulsesrc: no
 * devices. */
static void
list_microphones (char ***out_names,
                  char ***out_labels)
{
  g_autoptr(GstDeviceProvider) provider = gst_device_provider_factory_get_by_name ("pulsedeviceprovider");
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (gst_object_unref);
  GPtrArray *names = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  GPtrArray *labels = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  GList *probed = provider != NULL ? gst_device_provider_get_devices (provider) : NULL;

  for (GList *l = probed; l != NULL; l = l->next)
    {
      if (gst_device_has_classes (l->data, "Audio/Source"))
        g_ptr_array_add (devices, l->data);
      else
        gst_object_unref (l->data);
    }
  g_list_free (probed);
  g_ptr_array_sort (devices, compare_labels);

  for (guint i = 0; i < devices->len; i++)
    {
      GstElement *element = gst_device_create_element (devices->pdata[i], NULL);
      GstElementFactory *factory;
      char *name = NULL;

      if (element == NULL)
        continue;

      gst_object_ref_sink (element);
      factory = gst_element_get_factory (element);
      if (factory != NULL &&
          g_strcmp0 (gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory)), "pulsesrc") == 0)
        g_object_get (element, "device", &name, NULL);
      gst_object_unref (element);

      if (name == NULL)
        continue;

      g_ptr_array_add (names, name);
      g_ptr_array_add (labels, gst_device_get_display_name (devices->pdata[i]));
    }

  *out_names = (char **) g_ptr_array_free (names, FALSE);
  *out_labels = (char **) g_ptr_array_free (labels, FALSE);
}

static gboolean
take_error (StokGstStream  *stream,
            GError        **error)
{
  gboolean failed;

  g_mutex_lock (&stream->lock);
  failed = stream->error != NULL;
  if (failed)
    g_propagate_error (error, g_error_copy (stream->error));
  g_mutex_unlock (&stream->lock);

  return failed;
}

/* To PAUSED or PLAYING, with no stream linked meanwhile. Either starts
 * no thread it then waits for, so the streams a file's bins find meanwhile
 * are linked just after. Not for NULL: see stream_free(). */
static GstStateChangeReturn
change_state (StokGstStream *stream,
              GstState       state)
{
  GstStateChangeReturn ret;

  g_rec_mutex_lock (&stream->graph_lock);
  ret = gst_element_set_state (stream->pipeline, state);
  g_rec_mutex_unlock (&stream->graph_lock);

  return ret;
}

static gboolean
stream_preroll (StokGstStream  *stream,
                GCancellable   *cancellable,
                GError        **error)
{
  gboolean done;

  g_return_val_if_fail (stream != NULL, FALSE);

  if (change_state (stream, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
    {
      if (!take_error (stream, error))
        g_set_error_literal (error, STOK_GST_ERROR, STOK_GST_ERROR_FAILED,
                             _("The audio pipeline could not start."));
      return FALSE;
    }

  wait_settled (stream, cancellable, -1);
  g_mutex_lock (&stream->lock);
  done = stream->prerolled && stream->error == NULL;
  g_mutex_unlock (&stream->lock);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!done)
    {
      take_error (stream, error);
      return FALSE;
    }

  return TRUE;
}

static guint
stream_get_native_rate (StokGstStream *stream)
{
  guint rate;

  g_return_val_if_fail (stream != NULL, 0);

  g_mutex_lock (&stream->lock);
  rate = stream->native_rate;
  g_mutex_unlock (&stream->lock);

  return rate;
}

static gint64
stream_get_duration_us (StokGstStream *stream)
{
  gint64 duration = -1;

  g_return_val_if_fail (stream != NULL, -1);

  if (!gst_element_query_duration (stream->pipeline, GST_FORMAT_TIME, &duration) ||
      duration < 0)
    return -1;

  return duration / GST_USECOND;
}

static gboolean
ready_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  /* Cleared before the callback pulls, so that audio arriving meanwhile
   * wakes the consumer again instead of being missed. */
  g_source_set_ready_time (source, -1);

  if (callback == NULL)
    return G_SOURCE_CONTINUE;

  return callback (user_data);
}

static GSourceFuncs ready_source_funcs = {
  NULL, NULL, ready_dispatch, NULL, NULL, NULL,
};

static gboolean
stream_play (StokGstStream  *stream,
             GMainContext   *context,
             GSourceFunc     ready,
             gpointer        ready_data,
             GError        **error)
{
  g_return_val_if_fail (stream != NULL, FALSE);
  g_return_val_if_fail (stream->ready_source == NULL, FALSE);

  if (context != NULL)
    {
      stream->ready_source = g_source_new (&ready_source_funcs, sizeof (GSource));
      g_source_set_static_name (stream->ready_source, "[stok] audio ready");
      g_source_set_callback (stream->ready_source, ready, ready_data, NULL);
      g_source_attach (stream->ready_source, context);
    }

  if (change_state (stream, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (!take_error (stream, error))
        g_set_error_literal (error, STOK_GST_ERROR, stream->microphone ? STOK_GST_ERROR_NO_DEVICE : STOK_GST_ERROR_FAILED,
                             _("The audio pipeline could not start."));
      return FALSE;
    }

  return TRUE;
}

static GBytes *
stream_pull (StokGstStream  *stream,
             gint64          timeout_us,
             gboolean       *out_eos,
             GError        **error)
{
  g_autoptr(GstSample) sample = NULL;
  GstBuffer *buffer;
  GstMapInfo map;
  GBytes *bytes;

  g_return_val_if_fail (stream != NULL, NULL);

  if (out_eos != NULL)
    *out_eos = FALSE;

  if (take_error (stream, error))
    return NULL;

  /* Wanted before pulling, so that a sample coming just after an empty
   * pull wakes the consumer; one that comes during a pull that finds one
   * wakes it for nothing, which is harmless. */
  g_atomic_int_set (&stream->wake_wanted, TRUE);
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (stream->appsink),
                                         MAX (timeout_us, 0) * GST_USECOND);
  if (sample != NULL)
    {
      g_atomic_int_set (&stream->wake_wanted, FALSE);

      /* Taken down to AHEAD_LOW, the decoder goes on. */
      g_mutex_lock (&stream->lock);
      if (!stream->microphone)
        stream->n_ahead--;
      if (stream->decoding_held && stream->n_ahead <= AHEAD_LOW)
        {
          stream->decoding_held = FALSE;
          g_cond_broadcast (&stream->cond);
        }
      g_mutex_unlock (&stream->lock);
    }
  if (sample == NULL)
    {
      if (take_error (stream, error))
        return NULL;
      if (out_eos != NULL)
        *out_eos = gst_app_sink_is_eos (GST_APP_SINK (stream->appsink));
      return NULL;
    }

  buffer = gst_sample_get_buffer (sample);
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return g_bytes_new (NULL, 0);

  bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (buffer, &map);

  return bytes;
}

static gboolean
init (GError **error)
{
  GError *local_error = NULL;

  if (!gst_init_check (NULL, NULL, &local_error))
    {
      g_set_error (error, STOK_GST_ERROR, STOK_GST_ERROR_MISSING_PLUGIN,
                   _("GStreamer could not start: %s"), local_error->message);
      g_clear_error (&local_error);
      return FALSE;
    }

  return TRUE;
}

static const StokGstAudioFuncs funcs = {
  STOK_GST_AUDIO_ABI_VERSION,
  init,
  stream_open_file,
  stream_open_microphone,
  list_microphones,
  stream_preroll,
  stream_get_native_rate,
  stream_get_duration_us,
  stream_play,
  stream_pull,
  stream_free,
};

G_MODULE_EXPORT const StokGstAudioFuncs *stok_gst_audio_get_funcs (guint abi_version);

G_MODULE_EXPORT const StokGstAudioFuncs *
stok_gst_audio_get_funcs (guint abi_version)
{
  if (abi_version != STOK_GST_AUDIO_ABI_VERSION)
    return NULL;

  return &funcs;
}
