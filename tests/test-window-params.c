/* test-window-params.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The session's parameters in the window as a user sets them: a value
 * the table refuses is said beside its field and never sent; the speech
 * model chosen from the menu or typed, and a parameter added by name
 * (and removed), reach the fake server in the session's query; what is
 * set is remembered by the next window; the transcript follows new
 * turns unless the user scrolled up; and the microphone's level moves
 * the meter. A real window on the X server, the fake server on
 * loopback, the Sample (or a private PulseAudio) streamed in real
 * time. */

#include "config.h"

#include <adwaita.h>
#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "stok-fake-server.h"
#include "stok-level-meter.h"
#include "stok-session.h"
#include "stok-session-live.h"
#include "stok-session-setup.h"
#include "stok-session-view.h"
#include "stok-stream-params.h"
#include "stok-test-pulse.h"
#include "stok-test-session.h"
#include "stok-test-util.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

static char *tmp_dir;
static gboolean have_microphone;

static GtkWidget *
view_child (Fixture    *fixture,
            const char *path)
{
  g_autofree char *full = g_strconcat ("session_view/", path, NULL);

  return stok_test_child (fixture->window, full);
}

static StokSessionSetup *
window_setup (Fixture *fixture)
{
  return stok_session_view_get_setup (STOK_SESSION_VIEW (stok_test_child (fixture->window, "session_view")));
}

typedef struct
{
  Fixture *fixture;
  StokSession *before;
} NewSession;

/* A session other than the one before, streaming. */
static gboolean
has_new_streaming (gpointer data)
{
  NewSession *wait = data;
  StokSession *session = stok_test_window_session (wait->fixture->window);

  return session != NULL && session != wait->before &&
         stok_session_get_state (session) == STOK_SESSION_STATE_STREAMING;
}

/* The parameter @name of the last session's URL, as the fake server got
 * it, or NULL. */
static char *
dup_sent (Fixture    *fixture,
          const char *name)
{
  const char *query = stok_fake_server_get_last_websocket_query (fixture->server);
  g_autoptr(GHashTable) params = NULL;

  g_assert_nonnull (query);
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  g_assert_nonnull (params);

  return g_strdup (g_hash_table_lookup (params, name));
}

/* Start with the Sample, as Ctrl+R does it, until the session streams;
 * then Stop, until it has ended: its URL is then the fake server's last. */
static void
run_session (Fixture *fixture)
{
  NewSession wait = { fixture, stok_test_window_session (fixture->window) };

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  stok_test_set_key (fixture->window, "sk-good");
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (has_new_streaming, &wait, 15000));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 15000));
}

/* What the parameters' table says of @value for @name. */
static char *
dup_refusal (const char *name,
             const char *value)
{
  g_autoptr(StokStreamParams) scratch = stok_stream_params_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (stok_stream_params_set (scratch, name, value, &error));
  g_assert_nonnull (error);

  return g_strdup (error->message);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Opens Advanced, and waits until its rows show: slower builds (ASan)
 * take several frames to open the expander. */
static void
open_advanced (Fixture *fixture)
{
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (view_child (fixture, "params_group/advanced_row")), TRUE);
  g_assert_true (stok_test_wait_until (is_mapped, view_child (fixture, "params_group/add_param_row"), 5000));
}

/* Types @assignment in "Any parameter" and presses its apply button. */
static void
add_param (Fixture    *fixture,
           const char *assignment)
{
  GtkWidget *row = view_child (fixture, "params_group/add_param_row");

  g_assert_true (gtk_widget_get_visible (row));
  gtk_editable_set_text (GTK_EDITABLE (row), assignment);
  g_signal_emit_by_name (row, "apply");
}

/* The row of the parameter added by name whose title is @title, or NULL. */
static GtkWidget *
find_extra_row (Fixture    *fixture,
                const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  stok_test_collect_widgets (view_child (fixture, "params_group/advanced_row"), ADW_TYPE_ACTION_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (rows->pdata[i]), title) == 0 &&
        gtk_widget_get_visible (rows->pdata[i]))
      return rows->pdata[i];

  return NULL;
}

static gboolean
has_no_extra_row (gpointer data)
{
  return find_extra_row (data, "inactivity_timeout=600") == NULL;
}

static const char *
problem_said (Fixture *fixture)
{
  GtkWidget *label = view_child (fixture, "params_group/problem_label");

  if (!gtk_widget_get_visible (label))
    return NULL;

  return gtk_label_get_label (GTK_LABEL (label));
}

/* A parameter typed by name with a value the table refuses, and one out
 * of its range: each is said at the field and under the group, stays in
 * the entry to be corrected, and is not sent. */
static void
test_refused_by_name (Fixture       *fixture,
                      gconstpointer  data)
{
  const struct
  {
    const char *name;
    const char *value;
  } cases[] = {
    { "inactivity_timeout", "soon" },
    { "vad_threshold", "1.5" },
  };
  GtkWidget *row;

  open_advanced (fixture);
  row = view_child (fixture, "params_group/add_param_row");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *assignment = g_strdup_printf ("%s=%s", cases[i].name, cases[i].value);
      g_autofree char *refusal = dup_refusal (cases[i].name, cases[i].value);

      add_param (fixture, assignment);
      stok_test_spin (20);
      g_test_message ("%s: %s", assignment, problem_said (fixture));
      g_assert_true (gtk_widget_has_css_class (row, "error"));
      g_assert_cmpstr (problem_said (fixture), ==, refusal);
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, assignment);
      g_assert_cmpuint (g_strv_length ((char **) stok_session_setup_get_extra_params (window_setup (fixture))), ==, 0);
      g_assert_null (find_extra_row (fixture, assignment));

      /* Editing it takes the mark away. */
      gtk_editable_set_text (GTK_EDITABLE (row), "");
      stok_test_spin (20);
      g_assert_false (gtk_widget_has_css_class (row, "error"));
      g_assert_null (problem_said (fixture));
      gtk_editable_set_text (GTK_EDITABLE (row), assignment);
    }

  /* What was refused is not in the session's URL. */
  run_session (fixture);
  {
    g_autofree char *threshold = dup_sent (fixture, "vad_threshold");
    g_autofree char *timeout = dup_sent (fixture, "inactivity_timeout");

    g_assert_cmpstr (threshold, !=, "1.5");
    g_assert_cmpstr (timeout, !=, "soon");
  }
}

/* A parameter typed by name that has its own row is refused, pointing
 * to that row: accepted, it would connect at 8000 Hz while the Sample
 * rate row still says 16000. */
static void
test_own_row_by_name (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *row;
  g_autofree char *rate = NULL;

  open_advanced (fixture);
  row = view_child (fixture, "params_group/add_param_row");

  add_param (fixture, "sample_rate=8000");
  stok_test_spin (20);
  g_assert_cmpstr (problem_said (fixture), ==, "Sample rate has its own row under Advanced.");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "sample_rate=8000");
  g_assert_null (find_extra_row (fixture, "sample_rate=8000"));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/sample_rate_spin"))),
                     ==, 16000);

  run_session (fixture);
  rate = dup_sent (fixture, "sample_rate");
  g_assert_cmpstr (rate, ==, "16000");
}

/* Minimum silence set above maximum silence: said under the group and
 * in the hint, both rows marked, Start insensitive, and Start anyway
 * (Ctrl+R) spends no token. */
static void
test_silences_together (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *expected = "Minimum silence (min_turn_silence, 20000 ms) must not be more than maximum silence (max_turn_silence, 1280 ms).";

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  stok_test_set_key (fixture->window, "sk-good");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (view_child (fixture, "params_group/turn_row")), TRUE);
  g_assert_true (stok_test_wait_until (is_mapped, view_child (fixture, "params_group/min_silence_spin"), 5000));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/min_silence_spin")), 20000);
  stok_test_spin (20);
  g_assert_cmpstr (problem_said (fixture), ==, expected);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "hint_label"))), ==, expected);
  g_assert_true (gtk_widget_has_css_class (view_child (fixture, "params_group/min_silence_row"), "error"));
  g_assert_true (gtk_widget_has_css_class (view_child (fixture, "params_group/max_silence_row"), "error"));
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  /* And at the head of the rows, above the fields: the group's problems
   * below may be out of view, under the Advanced rows. */
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (view_child (fixture, "params_group/turn_row"))), ==, expected);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
  stok_test_spin (300);
  g_assert_null (stok_test_window_session (fixture->window));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);

  /* Back under the maximum: nothing said, Start again. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/min_silence_spin")), 1000);
  stok_test_spin (20);
  g_assert_null (problem_said (fixture));
  g_assert_false (gtk_widget_has_css_class (view_child (fixture, "params_group/min_silence_row"), "error"));
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (view_child (fixture, "params_group/turn_row"))), ==,
                   "Confidence 0.40, silence 1000 to 1280 ms");
}

/* The wheel's notch over @spin, as GTK runs the page's handler first;
 * returns whether that handler kept it from the spin button. */
static gboolean
wheel_over (GtkWidget *spin)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (spin);
  gboolean handled = FALSE;
  guint n_scroll = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "stok-page-wheel") != 0)
        continue;
      g_assert_cmpint (gtk_event_controller_get_propagation_phase (controller), ==, GTK_PHASE_CAPTURE);
      g_signal_emit_by_name (controller, "scroll", 0.0, 1.0, &handled);
      n_scroll++;
    }
  g_assert_cmpuint (n_scroll, ==, 1);

  return handled;
}

/* The page scrolled with the wheel past a spin button leaves its value
 * as it was, beside Apply: the spin button takes the wheel only once
 * the user is in it. */
static void
test_wheel_past_spins (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *spins[] = { "params_group/threshold_spin", "params_group/min_silence_spin",
                          "params_group/max_silence_spin", "params_group/sample_rate_spin",
                          "params_group/frame_spin" };
  const char *durations[] = { "durations_group/expires_spin", "durations_group/max_session_spin" };
  GtkAdjustment *page = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
    stok_test_child (fixture->window, "session_scroller")));
  GtkWidget *min_silence;

  /* Their rows are built as the expanders first open. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (view_child (fixture, "params_group/turn_row")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (view_child (fixture, "params_group/advanced_row")), TRUE);
  min_silence = view_child (fixture, "params_group/min_silence_spin");
  g_assert_true (stok_test_wait_until (is_mapped, min_silence, 5000));
  stok_test_spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_upper (page), >, gtk_adjustment_get_page_size (page));
  gtk_adjustment_set_value (page, 0);

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    g_assert_true (wheel_over (view_child (fixture, spins[i])));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    g_assert_true (wheel_over (stok_test_child (fixture->window, durations[i])));

  /* In it, the wheel is the spin button's. */
  g_assert_true (gtk_widget_grab_focus (min_silence));
  stok_test_spin (50);
  g_assert_false (wheel_over (min_silence));
}

/* A speech model emptied, and a parameter by name refused that the
 * settings held: said beside the field, Start insensitive, and pressing
 * Start anyway (Ctrl+R) spends no token and opens no socket. */
static void
test_refused_blocks_start (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  const char *stored[] = { "inactivity_timeout=soon", NULL };
  g_autofree char *refusal = dup_refusal ("inactivity_timeout", "soon");
  GtkWidget *warning = view_child (fixture, "params_group/speech_model_warning");
  GtkWidget *model_row = view_child (fixture, "params_group/speech_model_row");
  const char *problem;

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  stok_test_set_key (fixture->window, "sk-good");
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  g_assert_false (gtk_widget_get_visible (warning));

  gtk_editable_set_text (GTK_EDITABLE (model_row), "");
  stok_test_spin (20);
  problem = stok_session_setup_get_problem (window_setup (fixture));
  g_assert_nonnull (problem);
  g_test_message ("empty speech model: %s", problem);
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (warning), ==, problem);
  g_assert_true (gtk_widget_has_css_class (model_row, "error"));
  g_assert_cmpstr (problem_said (fixture), ==, problem);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (fixture, "hint_label"))), ==, problem);
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "start_button")));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
  stok_test_spin (300);
  g_assert_null (stok_test_window_session (fixture->window));
  g_assert_cmpuint (stok_fake_server_get_n_tokens (fixture->server), ==, 0);
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);

  /* A model again; then a refused parameter from the settings. */
  gtk_editable_set_text (GTK_EDITABLE (model_row), "universal-streaming-english");
  stok_test_spin (20);
  g_assert_false (gtk_widget_get_visible (warning));
  g_assert_true (gtk_widget_is_sensitive (view_child (fixture, "start_button")));

  /* A window reads the settings as it opens: the next one finds the
   * refused parameter there. */
  g_settings_set_strv (settings, "extra-params", stored);
  stok_test_window_fixture_close (fixture);
  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
  stok_test_set_key (fixture->window, "sk-good");
  stok_test_spin (20);
  g_assert_nonnull (strstr (problem_said (fixture), refusal));
  g_assert_false (gtk_widget_is_sensitive (view_child (fixture, "start_button")));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
  stok_test_spin (300);
  g_assert_null (stok_test_window_session (fixture->window));
  g_assert_cmpuint (stok_fake_server_get_n_upgrade_requests (fixture->server), ==, 0);
}

/* The model chosen from the menu of known ones, then one typed that the
 * menu does not list, each reach the server as speech_model. */
static void
test_speech_model (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (view_child (fixture, "params_group/speech_model_button"));
  GMenuModel *menu = gtk_menu_button_get_menu_model (button);
  const char * const *known = stok_stream_params_get_speech_models ();
  g_autoptr(GVariant) target = NULL;
  g_autofree char *action = NULL;
  g_autofree char *chosen = NULL;
  g_autofree char *typed = NULL;
  const char *model;

  /* The menu lists the known models; the second is not the default. */
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, g_strv_length ((char **) known));
  g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  target = g_menu_model_get_item_attribute_value (menu, 1, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
  g_assert_nonnull (target);
  model = g_variant_get_string (target, NULL);
  g_assert_cmpstr (model, ==, known[1]);
  g_assert_cmpstr (model, !=, stok_session_setup_get_speech_model (window_setup (fixture)));

  /* As the menu's item does when clicked. */
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (button), action, target));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (view_child (fixture, "params_group/speech_model_row"))),
                   ==, model);
  run_session (fixture);
  chosen = dup_sent (fixture, "speech_model");
  g_assert_cmpstr (chosen, ==, model);

  /* Typed: one the app does not list, which the server knows. */
  for (guint i = 0; known[i] != NULL; i++)
    g_assert_cmpstr (known[i], !=, "u3-pro");
  gtk_editable_set_text (GTK_EDITABLE (view_child (fixture, "params_group/speech_model_row")), "u3-pro");
  run_session (fixture);
  typed = dup_sent (fixture, "speech_model");
  g_assert_cmpstr (typed, ==, "u3-pro");
}

/* A parameter added by name under Advanced gets a row and is sent;
 * removed with its row's button, it is no longer sent. */
static void
test_param_by_name (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *row;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autofree char *sent = NULL;
  g_autofree char *after = NULL;

  open_advanced (fixture);
  add_param (fixture, "inactivity_timeout=600");
  stok_test_spin (20);
  g_assert_null (problem_said (fixture));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (view_child (fixture, "params_group/add_param_row"))), ==, "");
  row = find_extra_row (fixture, "inactivity_timeout=600");
  g_assert_nonnull (row);

  run_session (fixture);
  sent = dup_sent (fixture, "inactivity_timeout");
  g_assert_cmpstr (sent, ==, "600");

  stok_test_collect_widgets (row, GTK_TYPE_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (buttons->pdata[0]), ==, "Remove inactivity_timeout");
  /* A button is clicked only once it is on screen (GtkButton ignores an
   * activation before), and clicks once its pressed look has shown. */
  g_assert_true (stok_test_wait_until (is_mapped, buttons->pdata[0], 5000));
  gtk_widget_activate (buttons->pdata[0]);
  g_assert_true (stok_test_wait_until (has_no_extra_row, fixture, 5000));

  run_session (fixture);
  after = dup_sent (fixture, "inactivity_timeout");
  g_assert_null (after);
}

/* The remove button of the parameter added by name whose title is
 * @title. */
static GtkWidget *
remove_button (Fixture    *fixture,
               const char *title)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *row = find_extra_row (fixture, title);

  g_assert_nonnull (row);
  stok_test_collect_widgets (row, GTK_TYPE_BUTTON, buttons);
  g_assert_cmpuint (buttons->len, ==, 1);
  g_assert_true (stok_test_wait_until (is_mapped, buttons->pdata[0], 5000));

  return buttons->pdata[0];
}

static gboolean
has_third_param (gpointer data)
{
  return find_extra_row (data, "speaker_labels=true") != NULL;
}

typedef struct
{
  Fixture *fixture;
  const char *title;
} ExtraRow;

/* A row removed is gone once its removal has run: a fixed wait was too
 * short for a machine under load (AddressSanitizer beside other tests). */
static gboolean
has_no_row (gpointer data)
{
  ExtraRow *row = data;

  return find_extra_row (row->fixture, row->title) == NULL;
}

static gboolean
focus_in (Fixture   *fixture,
          GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* From the keyboard: a parameter added with the entry's own apply button
 * leaves no apply button on the empty entry, where Tab stopped for
 * nothing; and Remove keeps the focus among the parameters added, on
 * the next one's Remove, then on the entry, not up on Sample rate. */
static void
test_param_keyboard (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *added[] = { "inactivity_timeout=600", "vad_threshold=0.5" };
  GtkWidget *entry;
  GtkWidget *button;

  open_advanced (fixture);
  entry = view_child (fixture, "params_group/add_param_row");
  for (guint i = 0; i < G_N_ELEMENTS (added); i++)
    add_param (fixture, added[i]);
  stok_test_spin (50);

  /* The entry's apply button, once typed in. */
  g_assert_true (gtk_widget_grab_focus (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "speaker_labels=true");
  stok_test_spin (400);
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
  button = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (GTK_IS_BUTTON (button) && gtk_widget_is_ancestor (button, entry));
  gtk_widget_activate (button);
  g_assert_true (stok_test_wait_until (has_third_param, fixture, 5000));
  g_test_message ("%s", problem_said (fixture));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* Empty, Tab from the entry goes on to the parameters added. */
  stok_test_spin (400);
  g_assert_true (gtk_widget_grab_focus (entry));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
  g_test_message ("Tab from the empty entry: %s", G_OBJECT_TYPE_NAME (gtk_root_get_focus (GTK_ROOT (fixture->window))));
  g_assert_false (focus_in (fixture, entry));

  /* Remove the first: the next one's Remove. */
  button = remove_button (fixture, added[0]);
  g_assert_true (gtk_widget_grab_focus (button));
  gtk_widget_activate (button);
  g_assert_true (stok_test_wait_until (has_no_row, &(ExtraRow) { fixture, added[0] }, 5000));
  g_assert_true (focus_in (fixture, remove_button (fixture, added[1])));

  /* Remove the last: the entry. */
  button = remove_button (fixture, "speaker_labels=true");
  g_assert_true (gtk_widget_grab_focus (button));
  gtk_widget_activate (button);
  g_assert_true (stok_test_wait_until (has_no_row, &(ExtraRow) { fixture, "speaker_labels=true" }, 5000));
  g_assert_true (focus_in (fixture, entry));
}

/* What is set in one window is what the next window of the app shows,
 * and what its session sends. */
static void
test_remembered (Fixture       *fixture,
                 gconstpointer  data)
{
  StokSessionSetup *setup;
  StokTurnSettings turn;
  const char * const *extra;
  g_autofree char *model = NULL;
  g_autofree char *timeout = NULL;
  g_autofree char *silence = NULL;

  gtk_editable_set_text (GTK_EDITABLE (view_child (fixture, "params_group/speech_model_row")), "u3-rt-pro");
  gtk_editable_set_text (GTK_EDITABLE (view_child (fixture, "params_group/keyterms_row")), "Streaming Token, GNOME");
  gtk_switch_set_active (GTK_SWITCH (view_child (fixture, "params_group/format_turns_switch")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (view_child (fixture, "params_group/turn_row")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/max_silence_spin")), 2000);
  open_advanced (fixture);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/frame_spin")), 100);
  add_param (fixture, "inactivity_timeout=600");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);

  stok_test_window_fixture_open (fixture, stok_fake_server_get_url (fixture->server));
  stok_test_spin (50);

  setup = window_setup (fixture);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (view_child (fixture, "params_group/speech_model_row"))),
                   ==, "u3-rt-pro");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (view_child (fixture, "params_group/keyterms_row"))),
                   ==, "Streaming Token, GNOME");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (view_child (fixture, "params_group/format_turns_switch"))));
  stok_session_setup_get_turn_settings (setup, &turn);
  g_assert_cmpint (turn.max_silence_ms, ==, 2000);
  open_advanced (fixture);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (view_child (fixture, "params_group/frame_spin"))),
                     ==, 100);
  extra = stok_session_setup_get_extra_params (setup);
  g_assert_cmpuint (g_strv_length ((char **) extra), ==, 1);
  g_assert_cmpstr (extra[0], ==, "inactivity_timeout=600");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button"))));
  g_assert_cmpint (stok_session_setup_get_source_kind (setup), ==, STOK_AUDIO_SOURCE_SAMPLE);

  /* And the new window's session sends them. */
  run_session (fixture);
  model = dup_sent (fixture, "speech_model");
  timeout = dup_sent (fixture, "inactivity_timeout");
  silence = dup_sent (fixture, "max_turn_silence");
  g_assert_cmpstr (model, ==, "u3-rt-pro");
  g_assert_cmpstr (timeout, ==, "600");
  g_assert_cmpstr (silence, ==, "2000");
}

/* The transcript's rows, as the list view has them. */
static guint
n_rows (Fixture *fixture)
{
  GtkListView *view = GTK_LIST_VIEW (view_child (fixture, "StokSessionLive/transcript_view"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view)));
}

typedef struct
{
  Fixture *fixture;
  guint n_rows;
  GtkAdjustment *adjustment;
} MoreRows;

/* More rows than before, and laid out: the list is taller than its view. */
static gboolean
has_more_rows (gpointer data)
{
  MoreRows *wait = data;

  return n_rows (wait->fixture) > wait->n_rows &&
         gtk_adjustment_get_upper (wait->adjustment) > gtk_adjustment_get_page_size (wait->adjustment) + 50;
}

static double
scroll_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
}

/* Scrolled to the end of a list taller than its view. Rows keep
 * arriving, and a slow build (ASan) may draw one after the next has
 * come: the view must get there, not be there at one given instant. */
static gboolean
is_at_end (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return scroll_end (adjustment) > 0 && G_APPROX_VALUE (gtk_adjustment_get_value (adjustment), scroll_end (adjustment), 1.0);
}

typedef struct
{
  GtkAdjustment *adjustment;
  double value;
  gboolean done;
} Scroll;

static gboolean
scroll_cb (gpointer data)
{
  Scroll *scroll = data;

  gtk_adjustment_set_value (scroll->adjustment, scroll->value);
  scroll->done = TRUE;

  return G_SOURCE_REMOVE;
}

static gboolean
scrolled (gpointer data)
{
  return ((Scroll *) data)->done;
}

/* The user scrolls to @value. A scroll comes as an input event, at the
 * priority GDK gives events: never in the same turn of the main loop as
 * the list's layout, nor before what that layout set going at a higher
 * priority (the list's own moves of the view are told apart by it). */
static void
user_scrolls (GtkAdjustment *adjustment,
              double         value)
{
  Scroll scroll = { adjustment, value, FALSE };

  g_idle_add_full (GDK_PRIORITY_EVENTS, scroll_cb, &scroll, NULL);
  g_assert_true (stok_test_wait_until (scrolled, &scroll, 5000));
}

/* Final turns come faster than anyone reads: the newest is kept in view
 * as they arrive; scrolled up, the transcript stays where the user put
 * it while more come; scrolled back to the end, it follows again. */
static void
test_transcript_follows (Fixture       *fixture,
                         gconstpointer  data)
{
  const StokFakeFaultSpec flood = {
    .fault = STOK_FAKE_FAULT_FLOOD, .n_partials = 120, .n_finals = 60, .rate = 20,
  };
  GtkScrolledWindow *scroller;
  GtkAdjustment *adjustment;
  MoreRows wait = { fixture, 0, NULL };
  NewSession streaming = { fixture, NULL };

  stok_fake_server_set_fault (fixture->server, &flood, FALSE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/sample_button")), TRUE);
  stok_test_set_key (fixture->window, "sk-good");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (has_new_streaming, &streaming, 15000));

  /* Built with the first session. */
  scroller = GTK_SCROLLED_WINDOW (view_child (fixture, "StokSessionLive/transcript_scroller"));
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  wait.adjustment = adjustment;

  /* Following: at the end, as rows arrive. */
  for (guint i = 0; i < 3; i++)
    {
      wait.n_rows = n_rows (fixture);
      g_assert_true (stok_test_wait_until (has_more_rows, &wait, 15000));
      g_assert_true (stok_test_wait_until (is_at_end, adjustment, 3000));
      g_test_message ("%u rows, follows %d, at %.0f of %.0f", n_rows (fixture),
                      stok_session_live_get_follows (STOK_SESSION_LIVE (view_child (fixture, "StokSessionLive"))),
                      gtk_adjustment_get_value (adjustment), scroll_end (adjustment));
    }

  /* The user scrolls to the top: it stays there as more come. */
  user_scrolls (adjustment, 0);
  wait.n_rows = n_rows (fixture) + 2;
  g_assert_true (stok_test_wait_until (has_more_rows, &wait, 15000));
  stok_test_spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  g_assert_cmpfloat (scroll_end (adjustment), >, 0);

  /* Back at the end, it follows again. */
  user_scrolls (adjustment, scroll_end (adjustment));
  wait.n_rows = n_rows (fixture) + 2;
  g_assert_true (stok_test_wait_until (has_more_rows, &wait, 15000));
  g_assert_true (stok_test_wait_until (is_at_end, adjustment, 3000));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 15000));
}

static gboolean
meter_moves (gpointer data)
{
  Fixture *fixture = data;
  StokLevelMeter *meter = STOK_LEVEL_METER (view_child (fixture, "source_group/level_meter"));

  return stok_level_meter_get_level (meter) > STOK_LEVEL_METER_FLOOR + 10;
}

/* The microphone (the monitor of a private PulseAudio's null sink, into
 * which a spoken clip plays): its level reaches the meter while the
 * session streams, which falls back to the floor once it has ended. */
static void
test_level_meter (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *paplay = g_find_program_in_path ("paplay");
  g_autofree char *clip = g_test_build_filename (G_TEST_DIST, "data", "two-turns.wav", NULL);
  StokLevelMeter *meter = STOK_LEVEL_METER (view_child (fixture, "source_group/level_meter"));
  NewSession wait = { fixture, NULL };
  g_autoptr(GSubprocess) player = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_microphone || paplay == NULL)
    {
      g_test_skip ("No PulseAudio here");
      return;
    }

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (view_child (fixture, "source_group/microphone_button")), TRUE);
  g_assert_cmpfloat (stok_level_meter_get_level (meter), <=, STOK_LEVEL_METER_FLOOR);
  /* Shown only while the microphone is captured. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (meter)));
  stok_test_set_key (fixture->window, "sk-good");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (has_new_streaming, &wait, 15000));

  player = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, paplay, "--device=virt", clip, NULL);
  g_assert_no_error (error);
  g_assert_true (stok_test_wait_until (meter_moves, fixture, 10000));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (meter)));
  g_test_message ("level %.1f dBFS", stok_level_meter_get_level (meter));
  g_subprocess_force_exit (player);
  g_subprocess_wait (player, NULL, NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, fixture->window, 15000));
  g_assert_cmpfloat (stok_level_meter_get_level (meter), <=, STOK_LEVEL_METER_FLOOR);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (meter)));
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  g_autoptr(GError) error = NULL;
  StokTestPulse pulse = { 0 };
  int status;

  tmp_dir = g_dir_make_tmp ("stok-window-params-XXXXXX", &error);
  g_assert_no_error (error);
  have_microphone = stok_test_pulse_start (&pulse, tmp_dir);

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_NO_KEYRING);

#define ADD(path, func) \
  g_test_add ("/window-params/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("refused-by-name", test_refused_by_name);
  ADD ("refused-blocks-start", test_refused_blocks_start);
  ADD ("own-row-by-name", test_own_row_by_name);
  ADD ("silences-together", test_silences_together);
  ADD ("wheel-past-spins", test_wheel_past_spins);
  ADD ("speech-model", test_speech_model);
  ADD ("param-by-name", test_param_by_name);
  ADD ("param-keyboard", test_param_keyboard);
  ADD ("remembered", test_remembered);
  ADD ("transcript-follows", test_transcript_follows);
  ADD ("level-meter", test_level_meter);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);
  stok_test_pulse_stop (&pulse);
  stok_test_rm_rf (tmp_dir);
  g_free (tmp_dir);

  return status;
}
