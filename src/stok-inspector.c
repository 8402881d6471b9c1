/* stok-inspector.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Shows the last exchange with the token server as a developer would want
 * to read it: the request (key masked) and the curl command that repeats
 * it, the status, the latency, the headers and the body, and the WebSocket
 * frames of a verify or a live session. Every text is selectable and each
 * section can be copied whole. */

#define G_LOG_DOMAIN "stok-inspector"

#include "config.h"

#include <glib/gi18n.h>

#include "stok-clipboard.h"
#include "stok-inspector.h"
#include "stok-nested-list.h"

struct _StokInspector
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *stack;
  GtkWidget           *request_group;
  GtkWidget           *curl_group;
  AdwPreferencesGroup *response_group;
  GtkWidget           *body_group;
  AdwPreferencesGroup *websocket_group;
  GtkLabel            *request_label;
  GtkLabel            *curl_label;
  GtkLabel            *response_label;
  GtkLabel            *body_label;
  GtkLabel            *websocket_label;
  GtkListView         *frames_view;

  /* The session shown: its frames a row each, and what sums them up. The
   * rows follow the session's messages at most every REFRESH_MS while it
   * runs, in one change each time: a busy session sends a hundred
   * messages a second, and the list view binds all of its two hundred
   * rows again whenever messages leave its front. */
  StokSession         *session;
  GListStore          *frames;
  guint                frames_dropped;
  guint                refresh_id;
  /* Whether an exchange is shown: without one, a pasted token's session
   * is shown alone. */
  gboolean             has_exchange;
};

#define REFRESH_MS 500

G_DEFINE_FINAL_TYPE (StokInspector, stok_inspector, ADW_TYPE_WINDOW)

/* What sums the session's frames up: its URL, the audio frames, since a
 * minute holds 1200 of them, and the messages no longer kept. */
static void
append_session_summary (StokInspector *self,
                        GString       *text)
{
  StokSessionFigures figures;
  guint dropped = stok_session_get_n_dropped_messages (self->session);

  g_string_append_printf (text, "GET %s", stok_session_get_uri (self->session) != NULL
                                            ? stok_session_get_uri (self->session) : "");

  stok_session_get_figures (self->session, &figures);
  if (figures.n_frames_sent > 0)
    {
      g_autofree char *size = g_format_size (figures.audio_bytes_sent);
      gint64 frame_us = 0;
      gint64 first_us, last_us;
      guint n_levels;
      double rate = 0;

      /* The pace of the sending itself, from the first frame sent to the
       * last and its length: the wait for Begin before it, and for
       * Termination after, are no slowness of the audio. */
      stok_session_get_levels (self->session, &n_levels, &frame_us);
      first_us = stok_session_get_audio_sent_at (self->session, 0);
      last_us = stok_session_get_audio_sent_at (self->session, (gint64) (figures.n_frames_sent - 1) * frame_us);
      if (frame_us > 0 && first_us >= 0 && last_us >= first_us)
        rate = (double) figures.audio_sent_us / (double) (last_us - first_us + frame_us);

      g_string_append (text, "\n\n");
      /* Translators: binary frames sent: their count, their size, the
       * seconds of audio they hold, and how fast they were sent against
       * real time, such as "1.00x real time" */
      g_string_append_printf (text, _("→ %u audio frames, %s, %.2f s of audio, %.2fx real time"),
                              figures.n_frames_sent, size, figures.audio_sent_us / (double) G_USEC_PER_SEC, rate);
    }

  if (dropped > 0)
    {
      g_string_append (text, "\n\n");
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "(%u earlier message not kept)",
                                           "(%u earlier messages not kept)", dropped),
                              dropped);
    }
}

/* The whole WebSocket section as text, for Copy: the summary, then each
 * text frame in full, in order, with its time. */
static char *
dup_session_text (StokInspector *self)
{
  GString *text = g_string_new (NULL);
  GListModel *messages;

  if (self->session == NULL)
    return g_string_free (text, FALSE);

  append_session_summary (self, text);
  g_string_append_c (text, '\n');

  messages = stok_session_get_messages (self->session);
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(StokSessionMessage) message = g_list_model_get_item (messages, i);
      g_autofree char *line = stok_session_message_dup_line (message);

      g_string_append_c (text, '\n');
      g_string_append (text, line);
    }

  return g_string_free (text, FALSE);
}

static void
copy_section_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StokInspector *self = STOK_INSPECTOR (widget);
  const char *section = g_variant_get_string (parameter, NULL);
  GtkLabel *label = NULL;
  gboolean whole;

  g_assert (STOK_IS_INSPECTOR (self));

  if (g_str_equal (section, "request"))
    label = self->request_label;
  else if (g_str_equal (section, "curl"))
    label = self->curl_label;
  else if (g_str_equal (section, "response"))
    label = self->response_label;
  else if (g_str_equal (section, "body"))
    label = self->body_label;
  else if (!g_str_equal (section, "websocket"))
    g_return_if_reached ();

  if (label != NULL)
    {
      whole = stok_clipboard_set_text (widget, gtk_label_get_label (label));
    }
  else
    {
      g_autofree char *frames = dup_session_text (self);

      whole = stok_clipboard_set_text (widget, frames);
    }
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (whole ? _("Copied") : _("Copied the last 240 KiB")));
}

static void
stok_inspector_dispose (GObject *object)
{
  StokInspector *self = STOK_INSPECTOR (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (stok_session_get_messages (self->session), self);
    }
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (object), STOK_TYPE_INSPECTOR);
  g_clear_object (&self->frames);

  G_OBJECT_CLASS (stok_inspector_parent_class)->dispose (object);
}

static void
stok_inspector_class_init (StokInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_inspector_dispose;

  g_type_ensure (STOK_TYPE_NESTED_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, StokInspector, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, request_group);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, curl_group);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, response_group);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, body_group);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, websocket_group);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, request_label);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, curl_label);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, response_label);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, body_label);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, websocket_label);
  gtk_widget_class_bind_template_child (widget_class, StokInspector, frames_view);

  gtk_widget_class_install_action (widget_class, "inspector.copy-section", "s", copy_section_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
setup_frame_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);
  g_autoptr(PangoAttrList) attributes = NULL;

  g_assert (GTK_IS_LIST_ITEM (item));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* GTK 4.8 finds a wrapping label's minimum width by laying it out at
   * its width-chars, else at no width at all: a Turn's words, a kilobyte
   * of JSON without a space, then take a line a character, 11 ms here
   * against 1.4 ms at 30 characters, for each of the two hundred rows a
   * list view holds. */
  gtk_label_set_width_chars (GTK_LABEL (label), 30);
  /* A JSON key broken across lines is not hyphenated. */
  attributes = pango_attr_list_new ();
  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (GTK_LABEL (label), attributes);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (item, label);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_frame_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  g_autofree char *line = stok_session_message_dup_line (gtk_list_item_get_item (item));

  g_assert (GTK_IS_LIST_ITEM (item));

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), line);
}

static void
stok_inspector_init (StokInspector *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->frames = g_list_store_new (STOK_TYPE_SESSION_MESSAGE);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->frames)));
  gtk_list_view_set_model (self->frames_view, GTK_SELECTION_MODEL (selection));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_frame_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_frame_cb), NULL);
  gtk_list_view_set_factory (self->frames_view, factory);
}

/* The exchange's sections when there is one, the session's when there
 * is one: a token pasted from elsewhere has a session and no exchange,
 * and the sections of a token minted before it were not its own. */
static void
update_page (StokInspector *self)
{
  GtkWidget *exchange_groups[] = { self->request_group, self->curl_group,
                                   GTK_WIDGET (self->response_group), self->body_group };

  gtk_stack_set_visible_child_name (self->stack, self->has_exchange || self->session != NULL ? "exchange" : "empty");
  for (guint i = 0; i < G_N_ELEMENTS (exchange_groups); i++)
    gtk_widget_set_visible (exchange_groups[i], self->has_exchange);
  gtk_widget_set_visible (GTK_WIDGET (self->websocket_group), self->session != NULL);
  adw_preferences_group_set_description (self->websocket_group,
                                         self->has_exchange ? NULL
                                         : _("A token pasted from elsewhere: no request for it was made here."));
}

StokInspector *
stok_inspector_new (GtkWindow *parent)
{
  return g_object_new (STOK_TYPE_INSPECTOR,
                       "transient-for", parent,
                       NULL);
}

/**
 * stok_inspector_set_exchange:
 * @self: a #StokInspector
 * @exchange: (nullable): the exchange to show
 */
void
stok_inspector_set_exchange (StokInspector *self,
                             StokExchange  *exchange)
{
  g_autoptr(GString) request = NULL;
  g_autoptr(GString) response = NULL;
  g_autofree char *body = NULL;
  g_autofree char *curl = NULL;

  g_return_if_fail (STOK_IS_INSPECTOR (self));

  self->has_exchange = exchange != NULL;
  update_page (self);
  if (exchange == NULL)
    return;

  request = g_string_new (NULL);
  g_string_append_printf (request, "%s %s\n%s",
                          stok_exchange_get_method (exchange),
                          stok_exchange_get_uri (exchange),
                          stok_exchange_get_request_headers (exchange));
  g_strchomp (request->str);
  gtk_label_set_label (self->request_label, request->str);

  curl = stok_exchange_dup_curl_command (exchange);
  gtk_label_set_label (self->curl_label, curl);

  response = g_string_new (NULL);
  if (stok_exchange_get_status (exchange) != 0)
    {
      g_autofree char *title = NULL;

      g_string_append_printf (response, "HTTP %u %s\n%s",
                              stok_exchange_get_status (exchange),
                              stok_exchange_get_reason (exchange) ? stok_exchange_get_reason (exchange) : "",
                              stok_exchange_get_response_headers (exchange));
      g_strchomp (response->str);
      /* Translators: the latency of the exchange, in milliseconds */
      title = g_strdup_printf (_("Response · %.1f ms"), stok_exchange_get_latency (exchange) / 1000.0);
      adw_preferences_group_set_title (self->response_group, title);
    }
  else
    {
      g_string_append (response, _("No reply was received."));
      adw_preferences_group_set_title (self->response_group, _("Response"));
    }
  gtk_label_set_label (self->response_label, response->str);

  body = stok_exchange_dup_body_text (exchange);
  gtk_label_set_label (self->body_label, *body != '\0' ? body : _("(empty)"));
}

/* The frames' rows made the session's messages again: those dropped
 * since, then those that came, each in one change. */
static void
sync_frames (StokInspector *self)
{
  GListModel *messages = stok_session_get_messages (self->session);
  guint n_messages = g_list_model_get_n_items (messages);
  guint dropped = stok_session_get_n_dropped_messages (self->session);
  guint n_frames = g_list_model_get_n_items (G_LIST_MODEL (self->frames));
  guint gone = MIN (dropped - self->frames_dropped, n_frames);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);

  if (gone > 0)
    g_list_store_splice (self->frames, 0, gone, NULL, 0);
  self->frames_dropped = dropped;
  n_frames -= gone;

  for (guint i = n_frames; i < n_messages; i++)
    g_ptr_array_add (added, g_list_model_get_item (messages, i));
  if (added->len > 0)
    g_list_store_splice (self->frames, n_frames, 0, added->pdata, added->len);
}

static void
show_session (StokInspector *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert (STOK_IS_INSPECTOR (self));

  append_session_summary (self, text);
  gtk_label_set_label (self->websocket_label, text->str);
  sync_frames (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  StokInspector *self = user_data;

  g_assert (STOK_IS_INSPECTOR (self));

  self->refresh_id = 0;
  if (self->session != NULL)
    show_session (self);

  return G_SOURCE_REMOVE;
}

static void
session_changed_cb (StokInspector *self)
{
  g_assert (STOK_IS_INSPECTOR (self));

  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_MS, refresh_cb, self);
}

/**
 * stok_inspector_set_session:
 * @self: a #StokInspector
 * @session: (nullable): the streaming session to show, a verify or one
 *   with audio, followed while it runs
 */
void
stok_inspector_set_session (StokInspector *self,
                            StokSession   *session)
{
  g_return_if_fail (STOK_IS_INSPECTOR (self));
  g_return_if_fail (!session || STOK_IS_SESSION (session));

  if (self->session != session)
    {
      g_clear_handle_id (&self->refresh_id, g_source_remove);
      if (self->session != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->session, self);
          g_signal_handlers_disconnect_by_data (stok_session_get_messages (self->session), self);
        }
      g_set_object (&self->session, session);
      g_list_store_remove_all (self->frames);
      self->frames_dropped = session != NULL ? stok_session_get_n_dropped_messages (session) : 0;
      if (session != NULL)
        {
          g_signal_connect_object (stok_session_get_messages (session), "items-changed",
                                   G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
          /* The audio's summary moves on through a silence too, when no
           * message comes: still, it would read as audio no longer sent. */
          g_signal_connect_object (session, "notify::audio-sent",
                                   G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (session, "notify::state",
                                   G_CALLBACK (show_session), self, G_CONNECT_SWAPPED);
        }
    }

  update_page (self);
  if (session != NULL)
    show_session (self);
}
