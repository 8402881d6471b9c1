/* stok-test-window.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "stok-history-row.h"
#include "stok-renderer.h"
#include "stok-test-window.h"

/**
 * stok_test_window_init:
 * @argc: main()'s argc
 * @argv: main()'s argv
 * @session: (nullable): a zeroed #StokTestSession, stopped by the caller
 *   at the end; %NULL in a subprocess that uses its parent's
 * @flags: whether the session has a keyring
 *
 * What every window test starts with: the renderer the app would pick,
 * no key from the environment, a private bus (with a real keyring if
 * asked), then GTK on the X server and libadwaita.
 */
void
stok_test_window_init (int                  *argc,
                       char               ***argv,
                       StokTestSession      *session,
                       StokTestWindowFlags   flags)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  /* The renderer the app picks on this machine, before any thread: with
   * no GPU, cairo, as a user here has it. With OpenGL on llvmpipe, LLVM
   * compiled shaders for each new kind of content for up to 1.5 s in
   * the middle of a test, which no user of the app waits through, and
   * LeakSanitizer found Mesa's driver leaking at exit. */
  stok_choose_renderer ();
  g_unsetenv ("ASSEMBLYAI_API_KEY");
  if (session != NULL)
    {
      stok_test_session_start (session);
      if (flags & STOK_TEST_WINDOW_KEYRING)
        stok_test_session_start_keyring (session);
    }

  gtk_test_init (argc, argv, NULL);
  adw_init ();

  /* The app's own style, as AdwApplication loads it for the app. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/streamingtoken/StreamingToken/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/**
 * stok_test_window_fixture_open:
 * @fixture: a #StokTestWindowFixture
 * @server: (nullable): the window's --server, or %NULL for the region of
 *   the preferences
 *
 * Closes the fixture's window, if any, and opens a new one on @server,
 * with the fixture's clock.
 */
void
stok_test_window_fixture_open (StokTestWindowFixture *fixture,
                               const char            *server)
{
  stok_test_window_fixture_close (fixture);

  fixture->window = g_object_new (STOK_TYPE_WINDOW,
                                  "server", server,
                                  NULL);
  stok_window_set_clock (fixture->window, fixture->clock);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

/* Closes the fixture's window, if any, and waits until it is gone. */
void
stok_test_window_fixture_close (StokTestWindowFixture *fixture)
{
  if (fixture->window != NULL)
    stok_test_close_window (g_steal_pointer (&fixture->window));
}

void
stok_test_window_fixture_set_up (StokTestWindowFixture *fixture,
                                 gconstpointer          data)
{
  fixture->server = stok_fake_server_new_listening ();
  fixture->server_clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);
  stok_fake_server_set_clock (fixture->server, fixture->server_clock);
  fixture->clock = stok_clock_new_manual (1000 * G_USEC_PER_SEC);

  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
}

void
stok_test_window_fixture_tear_down (StokTestWindowFixture *fixture,
                                    gconstpointer          data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* What is in flight comes back and finds the window closed. */
  stok_test_window_fixture_close (fixture);

  /* The memory backend lives as long as the process. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);

  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->server_clock);
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
}

/* The title of the toast on screen, or %NULL. */
const char *
stok_test_toast_title (StokWindow *window)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  stok_test_collect_widgets (stok_test_child (window, "toast_overlay"), GTK_TYPE_WIDGET, widgets);
  for (guint i = 0; i < widgets->len; i++)
    if (g_str_equal (gtk_widget_get_css_name (widgets->pdata[i]), "toast"))
      {
        g_autoptr(GPtrArray) labels = g_ptr_array_new ();

        stok_test_collect_widgets (widgets->pdata[i], GTK_TYPE_LABEL, labels);
        if (labels->len > 0)
          return gtk_label_get_label (labels->pdata[0]);
      }

  return NULL;
}

typedef struct
{
  StokWindow *window;
  StokToken *before;
} NewToken;

/* A token other than the one before is shown, and the window is done. */
static gboolean
has_new_token (gpointer data)
{
  NewToken *wait = data;

  return stok_window_get_token (wait->window) != wait->before &&
         stok_test_is_idle (wait->window);
}

/**
 * stok_test_generate:
 * @window: a #StokWindow with a key
 *
 * Generate, as Ctrl+Enter does it, until a new token shows.
 *
 * Returns: (transfer none): the new token
 */
StokToken *
stok_test_generate (StokWindow *window)
{
  NewToken wait = { window, stok_window_get_token (window) };

  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (has_new_token, &wait, 5000));

  return stok_window_get_token (window);
}

/**
 * stok_test_start_verify:
 * @window: a #StokWindow with a token shown
 *
 * Verify as the user does it: past the dialog that warns that the token
 * will be used, as its Verify button answers it. Returns at once.
 */
void
stok_test_start_verify (StokWindow *window)
{
  GtkWindow *dialog;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.verify", NULL);
  dialog = stok_test_find_toplevel (GTK_WINDOW (window), ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "response", "verify");
  gtk_window_destroy (dialog);
}

gboolean
stok_test_has_token (gpointer window)
{
  return stok_window_get_token (window) != NULL;
}

/* The error card shows. */
gboolean
stok_test_has_error (gpointer window)
{
  return gtk_widget_get_visible (stok_test_child (window, "error_card"));
}

StokSession *
stok_test_window_session (StokWindow *window)
{
  g_autoptr(StokSession) session = NULL;

  g_object_get (window, "session", &session, NULL);

  /* The window holds it as long as it shows it. */
  return session;
}

/* The session shown has begun and not yet ended. */
gboolean
stok_test_is_streaming (gpointer window)
{
  StokSession *session = stok_test_window_session (window);

  return session != NULL && stok_session_get_state (session) == STOK_SESSION_STATE_STREAMING;
}

/* The session shown has ended, however it ended. */
gboolean
stok_test_session_ended (gpointer window)
{
  StokSession *session = stok_test_window_session (window);

  return session != NULL && stok_session_get_state (session) == STOK_SESSION_STATE_ENDED;
}

/* The widget under @widget that a GtkBuilder file built with the ID @id,
 * or the first of type @id, or %NULL. */
static GtkWidget *
find_built (GtkWidget  *widget,
            const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (child)), id) == 0 ||
          g_str_equal (G_OBJECT_TYPE_NAME (child), id))
        return child;
      if ((found = find_built (child, id)) != NULL)
        return found;
    }

  return NULL;
}

/**
 * stok_test_child:
 * @window: a #StokWindow
 * @path: a template child's name, or a path of them: "token_panel/copy_button"
 *   is the copy_button of the template of the window's token_panel. A
 *   widget built later, once built, is found by its ID in its own file
 *   (the parameters' rows) or by its type ("session_view/StokSessionLive");
 *   either way only widgets are found, not other objects a file builds
 *
 * Returns: (transfer none): the widget
 */
GtkWidget *
stok_test_child (StokWindow *window,
                 const char *path)
{
  g_auto(GStrv) names = g_strsplit (path, "/", -1);
  GObject *object = G_OBJECT (window);

  for (guint i = 0; names[i] != NULL; i++)
    {
      GObject *parent = object;

      g_assert_true (GTK_IS_WIDGET (object));
      object = gtk_widget_get_template_child (GTK_WIDGET (parent), G_OBJECT_TYPE (parent), names[i]);
      if (object == NULL)
        object = G_OBJECT (find_built (GTK_WIDGET (parent), names[i]));
      if (object == NULL)
        g_error ("No child %s in %s", names[i], path);
    }

  return GTK_WIDGET (object);
}

/* The text of a label, or of an inscription (which the window uses for
 * what ticks, so that a tick only redraws). */
const char *
stok_test_label (StokWindow *window,
                 const char *name)
{
  GtkWidget *child = stok_test_child (window, name);

  if (GTK_IS_INSCRIPTION (child))
    return gtk_inscription_get_text (GTK_INSCRIPTION (child));

  return gtk_label_get_label (GTK_LABEL (child));
}

/* No request out, and none shown: idle as a user would see it. Takes a
 * gpointer, to serve as a stok_test_wait_until() condition. */
gboolean
stok_test_is_idle (gpointer window)
{
  return !stok_window_get_busy (window) &&
         !gtk_widget_get_visible (stok_test_child (window, "cancel_button"));
}

/* The shortcut of @widget's own controllers for @keyval with exactly
 * @modifiers, owned by its controller, or %NULL; @phase, unless %NULL,
 * gets the phase in which that controller sees the key. */
GtkShortcut *
stok_test_find_shortcut (GtkWidget           *widget,
                         guint                keyval,
                         GdkModifierType      modifiers,
                         GtkPropagationPhase *phase)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            {
              if (phase != NULL)
                *phase = gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller));
              return shortcut;
            }
        }
    }

  return NULL;
}

/* The open toplevel of @type, transient for @transient_for unless that is
 * %NULL, or %NULL if there is none. */
GtkWindow *
stok_test_find_toplevel (GtkWindow *transient_for,
                         GType      type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) &&
        (transient_for == NULL || gtk_window_get_transient_for (l->data) == transient_for))
      return l->data;

  return NULL;
}

/* The line under the key row that says where the key is kept, or why it
 * could not be. */
const char *
stok_test_key_status (StokWindow *window)
{
  return adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (stok_test_child (window, "key_group")));
}

void
stok_test_set_key (StokWindow *window,
                   const char *key)
{
  gtk_editable_set_text (GTK_EDITABLE (stok_test_child (window, "key_group/key_row")), key);
}

/* Depth first, every widget under @widget, @widget included. */
void
stok_test_collect_widgets (GtkWidget *widget,
                           GType      type,
                           GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);

  for (GtkWidget *child_widget = gtk_widget_get_first_child (widget);
       child_widget != NULL;
       child_widget = gtk_widget_get_next_sibling (child_widget))
    stok_test_collect_widgets (child_widget, type, found);
}

/* The history row of @token. */
GtkListBoxRow *
stok_test_history_row (StokWindow *window,
                       StokToken  *token)
{
  GtkWidget *list = stok_test_child (window, "history_group/list");

  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (STOK_IS_HISTORY_ROW (row) &&
        stok_mint_get_token (stok_history_row_get_mint (STOK_HISTORY_ROW (row))) == token)
      return GTK_LIST_BOX_ROW (row);

  g_error ("No history row for %s", stok_token_get_token (token));
}

/* The state at the end of the history row of @token. */
const char *
stok_test_history_state (StokWindow *window,
                         StokToken  *token)
{
  GtkListBoxRow *row = stok_test_history_row (window, token);
  GObject *state = gtk_widget_get_template_child (GTK_WIDGET (row), STOK_TYPE_HISTORY_ROW, "state_inscription");

  return gtk_inscription_get_text (GTK_INSCRIPTION (state));
}

static void
layout_cb (GdkSurface     *surface,
           int             width,
           int             height,
           StokTestFrames *frames)
{
  frames->layouts++;
}

static void
paint_cb (GdkFrameClock  *frame_clock,
          StokTestFrames *frames)
{
  frames->paints++;
}

/* Counts @window's layouts and frames in @frames, from zero, until
 * stok_test_frames_stop(). */
void
stok_test_frames_start (StokTestFrames *frames,
                        GtkWindow      *window)
{
  frames->layouts = 0;
  frames->paints = 0;
  frames->surface = gtk_native_get_surface (GTK_NATIVE (window));
  frames->frame_clock = gdk_surface_get_frame_clock (frames->surface);
  g_signal_connect (frames->surface, "layout", G_CALLBACK (layout_cb), frames);
  g_signal_connect (frames->frame_clock, "paint", G_CALLBACK (paint_cb), frames);
}

void
stok_test_frames_stop (StokTestFrames *frames)
{
  g_signal_handlers_disconnect_by_data (frames->surface, frames);
  g_signal_handlers_disconnect_by_data (frames->frame_clock, frames);
}

/* Spins until two whole seconds went by without a new layout and with no
 * more frames than a countdown's ticks draw, or ten seconds: what a
 * change sets off is over. A scroll, for one, shows the overlay
 * scrollbar, which a second later fades out over two seconds of frames
 * with no new layout. */
void
stok_test_frames_wait_for_quiet (StokTestFrames *frames)
{
  guint paints_at[2000 / 50] = { 0 };

  for (guint quiet_ms = 0, ms = 0, i = 0; ms < 10000; ms += 50, i = (i + 1) % G_N_ELEMENTS (paints_at))
    {
      guint layouts_before = frames->layouts;

      paints_at[i] = frames->paints;
      stok_test_spin (50);
      quiet_ms = frames->layouts == layouts_before ? quiet_ms + 50 : 0;
      /* paints_at[i + 1] is the count two seconds ago. */
      if (quiet_ms >= 2000 &&
          frames->paints - paints_at[(i + 1) % G_N_ELEMENTS (paints_at)] <= 3)
        break;
    }
}

/**
 * stok_test_use_translations:
 * @language: (nullable): what LANGUAGE says, "de" or "fr", or %NULL to
 *   leave it to each test
 *
 * Translates with the catalogues built in this tree (STOK_LOCALEDIR), as
 * a user whose LANGUAGE is @language sees the app. Call it first in main().
 */
void
stok_test_use_translations (const char *language)
{
  const char *localedir = g_getenv ("STOK_LOCALEDIR");

  /* LANGUAGE is ignored in the C locale; C.UTF-8 is always there. */
  if (language != NULL)
    g_setenv ("LANGUAGE", language, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/**
 * stok_test_read_clipboard:
 * @widget: a widget of the display whose clipboard to read
 *
 * Returns: (transfer full): the text on the clipboard, as a paste reads it
 */
char *
stok_test_read_clipboard (GtkWidget *widget)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  gdk_clipboard_read_text_async (clipboard, NULL, stok_test_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  text = gdk_clipboard_read_text_finish (clipboard, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (text);

  return text;
}

static gboolean
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/**
 * stok_test_paste_elsewhere:
 * @target: (nullable): the X11 target to ask for, such as "text/plain",
 *   or %NULL for xclip's UTF8_STRING
 * @text: (out) (transfer full) (nullable): the text pasted, or %NULL if
 *   none came within 10 s
 *
 * Reads the clipboard as another program does, with xclip through the X
 * server, the test's main loop turning meanwhile: the window answers
 * from it. The tests share one X server, and another test's window may
 * own the clipboard meanwhile, or not answer: callers copy and paste
 * again then. A window that hangs as it answers hangs the test itself.
 *
 * Returns: %FALSE, with the test skipped, without xclip
 */
gboolean
stok_test_paste_elsewhere (const char  *target,
                           char       **text)
{
  g_autofree char *program = g_find_program_in_path ("xclip");
  g_autoptr(GSubprocess) xclip = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean timed_out = FALSE;
  guint timeout_id;

  *text = NULL;
  if (program == NULL)
    {
      g_test_skip ("xclip is not installed");
      return FALSE;
    }

  if (target != NULL)
    xclip = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              program, "-o", "-selection", "clipboard", "-t", target, NULL);
  else
    xclip = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              program, "-o", "-selection", "clipboard", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (xclip, NULL, NULL, stok_test_result_cb, &result);
  timeout_id = g_timeout_add_seconds (10, set_true_cb, &timed_out);
  while (result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);

  if (result == NULL)
    {
      g_test_message ("Nothing was pasted within 10 s");
      g_subprocess_force_exit (xclip);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      return TRUE;
    }

  if (!g_subprocess_communicate_utf8_finish (xclip, result, text, NULL, &error))
    g_test_message ("xclip: %s", error->message);

  return TRUE;
}

/**
 * stok_test_assert_pasted_elsewhere:
 * @widget: a widget whose clipboard @copy fills
 * @copy: puts the text on the clipboard, as the user does
 * @data: for @copy
 * @marker: a part of the text that only it has
 *
 * What @copy puts on the clipboard is pasted by another program (xclip),
 * as UTF-8 and as the plain ASCII GTK converts it to for a program that
 * asks for it, each time whole and under the 256 KiB past which GTK 4.8
 * hangs on X11 (the window's test hangs with it). Copied again if the
 * paste did not bring the text: the tests share one X server.
 */
void
stok_test_assert_pasted_elsewhere (GtkWidget         *widget,
                                   StokTestCopyFunc   copy,
                                   gpointer           data,
                                   const char        *marker)
{
  const char *targets[] = { NULL, "text/plain" };
  g_autofree char *xclip = g_find_program_in_path ("xclip");

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      gboolean pasted_whole = FALSE;

      for (guint attempt = 0; attempt < 5 && !pasted_whole; attempt++)
        {
          g_autofree char *copied = NULL;
          g_autofree char *pasted = NULL;

          copy (data);
          copied = stok_test_read_clipboard (widget);
          g_assert_nonnull (strstr (copied, marker));
          if (!stok_test_paste_elsewhere (targets[i], &pasted))
            return;
          if (pasted == NULL || strstr (pasted, marker) == NULL)
            continue;
          g_assert_cmpuint (strlen (pasted), <, 262144);
          if (targets[i] == NULL)
            g_assert_cmpstr (pasted, ==, copied);
          pasted_whole = TRUE;
        }
      if (xclip != NULL)
        g_assert_true (pasted_whole);
    }
}

/**
 * stok_test_assert_wheel_goes_on:
 * @inner: a scrolled window nested in a scrolled page
 * @page: the page's adjustment
 *
 * A wheel's notch down over @inner, scrolled to its end: the nested
 * list's handler runs first, as GTK would run it in the capture phase,
 * and scrolls the page on.
 */
void
stok_test_assert_wheel_goes_on (GtkWidget     *inner,
                                GtkAdjustment *page)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (inner));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (gtk_widget_get_parent (inner));
  gboolean handled = FALSE;
  guint n_scroll = 0;

  gtk_adjustment_set_value (page, 0);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  stok_test_spin (100);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "stok-page-wheel") != 0)
        continue;
      g_signal_emit_by_name (controller, "scroll", 0.0, 1.0, &handled);
      n_scroll++;
    }
  g_assert_cmpuint (n_scroll, ==, 1);
  g_assert_true (handled);
  g_test_message ("page scrolled to %g", gtk_adjustment_get_value (page));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, 0);
}

/* Waits until @window has drawn what it was set to and is still. */
void
stok_test_window_settle (StokWindow *window)
{
  StokTestFrames frames;

  stok_test_frames_start (&frames, GTK_WINDOW (window));
  stok_test_frames_wait_for_quiet (&frames);
  stok_test_frames_stop (&frames);
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closes @window, which the caller holds no reference to, and waits for
 * it to be freed: what it had in flight is cancelled, but the callbacks
 * still have to run to let go of it, which takes a while under valgrind. */
void
stok_test_close_window (gpointer window)
{
  gpointer alive = window;

  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (stok_test_wait_until (is_gone, &alive, 20000));
}
