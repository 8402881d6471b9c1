/* test-window-a11y.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What keyboard and screen reader users meet: every control has a name a
 * screen reader can say, and Tab walks the window top to bottom. Runs with
 * GTK_A11Y=test, GTK's own accessibility backend for tests. */

#include "config.h"

#include <adwaita.h>

#include "stok-announcer.h"
#include "stok-fake-server.h"
#include "stok-history-row.h"
#include "stok-inspector.h"
#include "stok-level-meter.h"
#include "stok-session.h"
#include "stok-session-view.h"
#include "stok-token-dialog.h"
#include "stok-timeline.h"
#include "stok-test-session.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

/* The fixture's window, with a token. */
static StokWindow *
window_with_token (Fixture *fixture)
{
  stok_test_set_key (fixture->window, "sk-a11y");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, fixture->window, 5000));

  return fixture->window;
}

static gboolean
has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

/* A control is named when it shows its own text or carries an accessible
 * label or labelled-by relation. */
static gboolean
is_named (GtkWidget *widget)
{
  GtkWidget *parent;

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
      gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;

  if (GTK_IS_BUTTON (widget) && has_text (gtk_button_get_label (GTK_BUTTON (widget))))
    return TRUE;

  if (GTK_IS_MENU_BUTTON (widget) && has_text (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget))))
    return TRUE;

  /* A button whose child is a label or AdwButtonContent shows its text. */
  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *content = gtk_button_get_child (GTK_BUTTON (widget));

      if (ADW_IS_BUTTON_CONTENT (content) && has_text (adw_button_content_get_label (ADW_BUTTON_CONTENT (content))))
        return TRUE;
      if (GTK_IS_LABEL (content) && has_text (gtk_label_get_label (GTK_LABEL (content))))
        return TRUE;
      for (GtkWidget *c = gtk_widget_get_first_child (content); c != NULL; c = gtk_widget_get_next_sibling (c))
        if (GTK_IS_LABEL (c) && has_text (gtk_label_get_label (GTK_LABEL (c))))
          return TRUE;
    }

  /* Check buttons of the preferences, the session's switches and spin
   * buttons, sit in a row whose title names them; an entry row's title
   * names its text. */
  for (parent = gtk_widget_get_parent (widget); parent != NULL; parent = gtk_widget_get_parent (parent))
    if (ADW_IS_ACTION_ROW (parent) || ADW_IS_ENTRY_ROW (parent))
      return has_text (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (parent)));

  return FALSE;
}

static gboolean
is_control (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) ||
         GTK_IS_SPIN_BUTTON (widget) || GTK_IS_LEVEL_BAR (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || ADW_IS_SPLIT_BUTTON (widget) ||
         GTK_IS_EXPANDER (widget) || GTK_IS_SWITCH (widget) || GTK_IS_TEXT (widget) ||
         GTK_IS_DROP_DOWN (widget) || GTK_IS_LIST_VIEW (widget) ||
         /* the session's: the microphone's level and the timeline */
         STOK_IS_LEVEL_METER (widget) || STOK_IS_TIMELINE (widget) ||
         /* e.g. a token in the history, which the keyboard can pick */
         (GTK_IS_LIST_BOX_ROW (widget) && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget)));
}

static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *unnamed)
{
  /* Shown: not in a folded search bar, as the preferences' is. */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_mapped (widget))
    return;

  if (is_control (widget) && !is_named (widget))
    {
      /* The arrows inside spin and split buttons belong to their parent. */
      GtkWidget *parent = gtk_widget_get_parent (widget);

      if (!(parent != NULL && (GTK_IS_SPIN_BUTTON (parent) || ADW_IS_SPLIT_BUTTON (parent))))
        g_ptr_array_add (unnamed, g_strdup_printf ("%s (%s) in %s in %s", G_OBJECT_TYPE_NAME (widget),
                                                   gtk_widget_get_tooltip_text (widget) ?: "no tooltip",
                                                   G_OBJECT_TYPE_NAME (parent),
                                                   G_OBJECT_TYPE_NAME (gtk_widget_get_parent (parent))));
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_unnamed (c, unnamed);
}

static void
assert_all_named (GtkWidget *root)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);

  collect_unnamed (root, unnamed);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("unnamed control: %s", (char *) unnamed->pdata[i]);
  g_assert_cmpuint (unnamed->len, ==, 0);
}

static void
test_controls_are_named (Fixture       *fixture,
                         gconstpointer  data)
{
  StokWindow *window;
  GtkWidget *inspector = NULL;
  GtkWidget *preferences = NULL;
  g_autoptr(GListModel) toplevels = NULL;

  window = window_with_token (fixture);
  assert_all_named (GTK_WIDGET (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.inspector", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
  toplevels = g_object_ref (gtk_window_get_toplevels ());
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (g_str_equal (G_OBJECT_TYPE_NAME (toplevel), "StokInspector"))
        inspector = toplevel;
      else if (g_str_equal (G_OBJECT_TYPE_NAME (toplevel), "StokPreferencesWindow"))
        preferences = toplevel;
    }
  g_assert_nonnull (inspector);
  g_assert_nonnull (preferences);
  assert_all_named (inspector);
  assert_all_named (preferences);

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (inspector));
}

/* Streaming, with a turn in the transcript. */
static gboolean
session_has_turn (gpointer window)
{
  return stok_test_is_streaming (window) &&
         g_list_model_get_n_items (stok_session_get_turns (stok_test_window_session (window))) > 0;
}

/* The session pane: every control named, its groups open, before and
 * after a session from the Sample, with its transcript and timeline. */
static void
test_session_controls_named (Fixture       *fixture,
                             gconstpointer  data)
{
  StokWindow *window = window_with_token (fixture);
  const char *expanders[] = { "session_view/params_group/turn_row", "session_view/params_group/advanced_row" };
  const char *sources[] = { "microphone_button", "file_button", "sample_button" };

  for (guint i = 0; i < G_N_ELEMENTS (expanders); i++)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, expanders[i])), TRUE);

  /* Each source shows its own row. */
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *path = g_strconcat ("session_view/source_group/", sources[i], NULL);

      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (stok_test_child (window, path)), TRUE);
      stok_test_spin (20);
      assert_all_named (GTK_WIDGET (window));
    }

  /* Waited for, not timed: the first session of a run checks the
   * source while GStreamer builds its plugin registry, seconds on a
   * loaded machine, and Stop before Begin cancels the start. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (session_has_turn, window, 30000));
  stok_test_spin (100);
  assert_all_named (GTK_WIDGET (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, window, 15000));
  stok_test_spin (50);
  assert_all_named (GTK_WIDGET (window));
}

/* Alt and a letter does one thing: no two labels shown together share a
 * mnemonic, or the keys only move the focus between them. */
static void
test_mnemonics_unique (Fixture       *fixture,
                       gconstpointer  data)
{
  StokWindow *window = window_with_token (fixture);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  const char *expanders[] = { "session_view/params_group/turn_row", "session_view/params_group/advanced_row" };

  for (guint i = 0; i < G_N_ELEMENTS (expanders); i++)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, expanders[i])), TRUE);
  stok_test_spin (50);

  stok_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = labels->pdata[i];
      guint keyval = gtk_label_get_mnemonic_keyval (label);
      GtkWidget *owner;
      GtkWidget *other;

      if (keyval == GDK_KEY_VoidSymbol || !gtk_widget_get_mapped (GTK_WIDGET (label)))
        continue;

      /* An entry row draws its title twice, for one mnemonic. */
      owner = gtk_widget_get_ancestor (GTK_WIDGET (label), ADW_TYPE_PREFERENCES_ROW);
      if (owner == NULL)
        owner = GTK_WIDGET (label);

      keyval = gdk_keyval_to_lower (keyval);
      other = g_hash_table_lookup (seen, GUINT_TO_POINTER (keyval));
      g_test_message ("Alt+%s: %s", gdk_keyval_name (keyval), gtk_label_get_label (label));
      if (other != NULL && other != owner)
        g_error ("Alt+%s is both “%s” and “%s”", gdk_keyval_name (keyval),
                 GTK_IS_LABEL (other) ? gtk_label_get_label (GTK_LABEL (other)) : G_OBJECT_TYPE_NAME (other),
                 gtk_label_get_label (label));
      g_hash_table_insert (seen, GUINT_TO_POINTER (keyval), owner);
    }
}

/* The name of the template child that holds @widget, for the controls
 * whose order matters. */
static const char *
describe (StokWindow *window,
          GtkWidget  *widget)
{
  static const char *names[] = {
    "key_group/key_row", "key_group/save_key_button", "key_group/forget_key_button", "durations_group/expires_spin",
    "durations_group/max_session_spin", "generate_button", "cancel_button", "token_panel/verify_button",
    "token_panel/copy_button", "token_panel/token_label", "history_group/list",
  };

  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      if (w == stok_test_child (window, names[i]))
        return names[i];

  return G_OBJECT_TYPE_NAME (widget);
}

static int
position_of (GPtrArray  *order,
             const char *name)
{
  for (guint i = 0; i < order->len; i++)
    if (g_str_equal (order->pdata[i], name))
      return (int) i;

  return -1;
}

static void
test_tab_order (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(GPtrArray) visited = g_ptr_array_new ();
  StokWindow *window;

  window = window_with_token (fixture);

  /* Tab from the top, once around the window. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  for (guint i = 0; i < 100; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        break;
      focus = gtk_root_get_focus (GTK_ROOT (window));
      /* Round once: stop where the walk comes back to. */
      if (focus == NULL || g_ptr_array_find (visited, focus, NULL))
        break;
      g_ptr_array_add (visited, focus);
      if (order->len == 0 || !g_str_equal (order->pdata[order->len - 1], describe (window, focus)))
        g_ptr_array_add (order, (gpointer) describe (window, focus));
    }

  for (guint i = 0; i < order->len; i++)
    g_test_message ("tab %u: %s", i, (char *) order->pdata[i]);

  /* Top to bottom, as the window reads. */
  g_assert_cmpint (position_of (order, "key_group/key_row"), >=, 0);
  g_assert_cmpint (position_of (order, "key_group/key_row"), <, position_of (order, "durations_group/expires_spin"));
  g_assert_cmpint (position_of (order, "durations_group/expires_spin"), <, position_of (order, "durations_group/max_session_spin"));
  g_assert_cmpint (position_of (order, "durations_group/max_session_spin"), <, position_of (order, "generate_button"));
  g_assert_cmpint (position_of (order, "generate_button"), <, position_of (order, "token_panel/verify_button"));
  g_assert_cmpint (position_of (order, "token_panel/verify_button"), <, position_of (order, "token_panel/copy_button"));
}

/* The mnemonic label of @row, which must name the row, and its target. */
static GtkWidget *
row_mnemonic_target (GtkWidget *row,
                     guint     *keyval)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *target = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (row); w != NULL; w = gtk_widget_get_first_child (w))
    for (GtkWidget *c = w; c != NULL; c = gtk_widget_get_next_sibling (c))
      if (GTK_IS_LABEL (c) && gtk_label_get_mnemonic_widget (GTK_LABEL (c)) != NULL)
        {
          target = gtk_label_get_mnemonic_widget (GTK_LABEL (c));
          *keyval = gtk_label_get_mnemonic_keyval (GTK_LABEL (c));
        }

  return target;
}

/* Each duration's row works as an AdwActionRow with an activatable widget
 * would: it is named by its title and described by its subtitle, a click
 * on it goes to its spin button, and so does its title's mnemonic. */
static void
test_duration_rows (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct { const char *row, *spin; guint keyval; } rows[] = {
    { "durations_group/expires_row", "durations_group/expires_spin", GDK_KEY_r },
    { "durations_group/max_session_row", "durations_group/max_session_spin", GDK_KEY_m },
  };
  StokWindow *window = fixture->window;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      GtkWidget *row = stok_test_child (window, rows[i].row);
      GtkWidget *spin = stok_test_child (window, rows[i].spin);
      GtkWidget *focus;
      guint keyval = 0;

      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY));
      g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY));
      g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));

      g_assert_true (row_mnemonic_target (row, &keyval) == spin);
      g_assert_cmpuint (gdk_keyval_to_lower (keyval), ==, rows[i].keyval);

      gtk_window_set_focus (GTK_WINDOW (window), NULL);
      g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      g_assert_true (focus == spin || gtk_widget_is_ancestor (focus, spin));
    }
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* @field, and the text inside it that has the focus while the user
 * types, are invalid and say @problem as their description; or, with
 * %NULL, neither. */
static void
assert_field_problem (GtkWidget  *field,
                      const char *problem)
{
  GtkAccessible *targets[2] = { GTK_ACCESSIBLE (field), NULL };

  if (GTK_IS_EDITABLE (field))
    targets[1] = GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (field)));

  for (guint i = 0; i < G_N_ELEMENTS (targets) && targets[i] != NULL; i++)
    if (problem != NULL)
      {
        gtk_test_accessible_assert_state (targets[i], GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE);
        gtk_test_accessible_assert_property (targets[i], GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem);
      }
    else
      {
        gtk_test_accessible_assert_state (targets[i], GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE);
        g_assert_false (gtk_test_accessible_has_property (targets[i], GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      }
}

/* What the session's parameters refuse reaches a screen reader on the
 * field itself, not only as red text under the group or a warning
 * icon's tooltip: the invalid state, and the reason as the field's
 * description. */
static void
test_param_problems_exposed (Fixture       *fixture,
                             gconstpointer  data)
{
  StokWindow *window = fixture->window;
  GtkWidget *model_row = stok_test_child (window, "session_view/params_group/speech_model_row");
  GtkWidget *add_row;
  GtkWidget *min_row;
  const char *problem;

  gtk_editable_set_text (GTK_EDITABLE (model_row), "my model");
  stok_test_spin (20);
  problem = stok_session_setup_get_problem (stok_session_view_get_setup (STOK_SESSION_VIEW (stok_test_child (window, "session_view"))));
  g_assert_nonnull (problem);
  assert_field_problem (model_row, problem);
  gtk_editable_set_text (GTK_EDITABLE (model_row), "u3-pro");
  stok_test_spin (20);
  assert_field_problem (model_row, NULL);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, "session_view/params_group/advanced_row")), TRUE);
  add_row = stok_test_child (window, "session_view/params_group/add_param_row");
  g_assert_true (stok_test_wait_until (is_mapped, add_row, 5000));
  gtk_editable_set_text (GTK_EDITABLE (add_row), "no equals sign");
  g_signal_emit_by_name (add_row, "apply");
  stok_test_spin (20);
  assert_field_problem (add_row, "Type NAME=VALUE, such as max_turn_silence=800, not “no equals sign”.");
  gtk_editable_set_text (GTK_EDITABLE (add_row), "");
  stok_test_spin (20);
  assert_field_problem (add_row, NULL);

  min_row = stok_test_child (window, "session_view/params_group/min_silence_row");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (stok_test_child (window, "session_view/params_group/min_silence_spin")), 20000);
  stok_test_spin (20);
  assert_field_problem (min_row, "Minimum silence (min_turn_silence, 20000 ms) must not be more than maximum silence (max_turn_silence, 1280 ms).");
}

/* "Use a Token…": why the text pasted is no token, as the field's
 * description: GTK 4.8 makes none of a described-by relation. */
static void
test_token_problem_exposed (Fixture       *fixture,
                            gconstpointer  data)
{
  GtkWindow *dialog;
  GtkWidget *row;
  GtkWidget *label;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.use-token", NULL);
  dialog = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_TOKEN_DIALOG);
  g_assert_nonnull (dialog);
  row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), STOK_TYPE_TOKEN_DIALOG, "token_row"));
  label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), STOK_TYPE_TOKEN_DIALOG, "problem_label"));

  gtk_editable_set_text (GTK_EDITABLE (row), "eyJhbGciOi JIUzI1NiJ9");
  g_assert_true (gtk_widget_get_visible (label));
  assert_field_problem (row, gtk_label_get_label (GTK_LABEL (label)));

  gtk_editable_set_text (GTK_EDITABLE (row), "eyJhbGciOiJIUzI1NiJ9");
  assert_field_problem (row, NULL);

  gtk_window_destroy (dialog);
}

/* A failed Generate, its error card shown: a key the server rejects. */
static void
show_rejected_key (Fixture *fixture)
{
  stok_fake_server_set_api_key (fixture->server, "sk-right");
  stok_test_set_key (fixture->window, "sk-wrong");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 5000));
  stok_test_spin (50);
}

/* Tab from the error card's Details moves on while it is folded, and
 * into the details once open; and Details says its name, not its type. */
static void
test_error_details_tab (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *expander;
  GtkWidget *details;
  GtkWidget *focus;

  show_rejected_key (fixture);
  expander = stok_test_child (fixture->window, "error_card/expander");
  details = stok_test_child (fixture->window, "error_card/details_label");

  g_assert_true (gtk_widget_grab_focus (expander));
  gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_test_message ("Tab from a folded Details: %s", focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "nothing");
  g_assert_true (focus != expander);
  g_assert_false (focus != NULL && gtk_widget_is_ancestor (focus, expander));
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (expander), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                     "Details"));

  /* Open, the details are text to select, as the rest of the card. */
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  g_assert_true (gtk_widget_grab_focus (expander));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == details);
}

typedef struct
{
  GtkWidget *widget;
  const char *text;
} Described;

/* The description is changed back from an idle, which a slow run (a
 * memory checker) reaches late. */
static gboolean
has_description (gpointer data)
{
  Described *described = data;
  g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (described->widget),
                                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                                   described->text);

  return mismatch == NULL;
}

/* With nothing focused, as when the focused button has just gone
 * insensitive, a message is said where the focus last was, where a
 * screen reader still is; that widget has its own description back once
 * the focus lands elsewhere, and not before, or a screen reader would
 * say it. */
static void
test_announce_without_focus (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(StokAnnouncer) announcer = stok_announcer_new (GTK_WINDOW (fixture->window));
  GtkWidget *generate = stok_test_child (fixture->window, "generate_button");
  const char *tooltip = gtk_widget_get_tooltip_text (generate);

  stok_test_set_key (fixture->window, "sk-a11y");
  g_assert_true (gtk_widget_grab_focus (generate));
  gtk_window_set_focus (GTK_WINDOW (fixture->window), NULL);
  stok_test_spin (50);

  stok_announcer_announce (announcer, "Token ready");
  g_assert_true (stok_test_wait_until (has_description, &(Described) { generate, "Token ready" }, 2000));

  g_assert_true (gtk_widget_grab_focus (stok_test_child (fixture->window, "durations_group/expires_spin")));
  g_assert_true (stok_test_wait_until (has_description, &(Described) { generate, tooltip }, 2000));
}

typedef struct
{
  Fixture    *fixture;
  const char *name;
} FocusWait;

/* The focus is on the window's @name, or inside it, as in a split
 * button. */
static gboolean
focus_is (gpointer data)
{
  FocusWait *wait = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (wait->fixture->window));
  GtkWidget *widget = stok_test_child (wait->fixture->window, wait->name);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
assert_focus_comes_to (Fixture    *fixture,
                       const char *name)
{
  FocusWait wait = { fixture, name };
  GtkWidget *focus;

  stok_test_wait_until (focus_is, &wait, 3000);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_test_message ("focus on %s, expected %s", focus != NULL ? describe (fixture->window, focus) : "nothing", name);
  g_assert_true (focus_is (&wait));
}

static gboolean
is_laid_out_below_generate (gpointer window)
{
  GtkWidget *card = stok_test_child (window, "error_card");
  graphene_rect_t bounds;

  return gtk_widget_get_mapped (card) && gtk_widget_get_height (card) > 0 &&
         gtk_widget_compute_bounds (card, stok_test_child (window, "generate_button"), &bounds) &&
         bounds.origin.y > 0;
}

static gboolean
busy_is_shown (gpointer window)
{
  return gtk_widget_get_visible (stok_test_child (window, "cancel_button"));
}

/* Space on Generate, with a server slow enough for it to go insensitive
 * meanwhile: the focus goes to Cancel, where Space cancels, then back to
 * Generate; and after a new token, to Copy. Not nowhere, where the next
 * Tab went to the main menu. */
static void
test_generate_keeps_focus (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkWidget *generate = stok_test_child (fixture->window, "generate_button");

  stok_test_set_key (fixture->window, "sk-a11y");
  stok_fake_server_set_delay (fixture->server, 3000);

  g_assert_true (gtk_widget_grab_focus (generate));
  gtk_widget_activate (generate);
  g_assert_true (stok_test_wait_until (busy_is_shown, fixture->window, 2000));
  assert_focus_comes_to (fixture, "cancel_button");

  gtk_widget_activate (stok_test_child (fixture->window, "cancel_button"));
  assert_focus_comes_to (fixture, "generate_button");

  gtk_widget_activate (generate);
  g_assert_true (stok_test_wait_until (busy_is_shown, fixture->window, 2000));
  assert_focus_comes_to (fixture, "cancel_button");
  g_assert_true (stok_test_wait_until (stok_test_has_token, fixture->window, 5000));
  assert_focus_comes_to (fixture, "token_panel/copy_button");
}

/* Space on Generate, with a server slow enough for it to go insensitive,
 * that answers with an error: the focus on Cancel meanwhile. */
static void
generate_to_error (Fixture *fixture)
{
  GtkWidget *generate = stok_test_child (fixture->window, "generate_button");

  stok_fake_server_set_delay (fixture->server, 3000);
  g_assert_true (gtk_widget_grab_focus (generate));
  gtk_widget_activate (generate);
  g_assert_true (stok_test_wait_until (busy_is_shown, fixture->window, 2000));
  assert_focus_comes_to (fixture, "cancel_button");
  g_assert_true (stok_test_wait_until (stok_test_has_error, fixture->window, 5000));
}

/* The same with a key the server rejects: back on Generate, with the
 * error card next in the Tab order. */
static void
test_error_keeps_focus (Fixture       *fixture,
                        gconstpointer  data)
{
  stok_fake_server_set_api_key (fixture->server, "sk-right");
  stok_test_set_key (fixture->window, "sk-wrong");
  generate_to_error (fixture);
  assert_focus_comes_to (fixture, "generate_button");

  /* Tab follows the layout: a card not yet laid out under Generate, as
   * on a slow run, is not where Tab looks. */
  g_assert_true (stok_test_wait_until (is_laid_out_below_generate, fixture->window, 5000));
  g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
  g_test_message ("Tab from Generate: %s", describe (fixture->window, gtk_root_get_focus (GTK_ROOT (fixture->window))));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         stok_test_child (fixture->window, "error_card")));
}

/* The same when the server asks to wait: Generate waits too, and the
 * focus goes to the card that says why, not nowhere. */
static void
test_wait_keeps_focus (Fixture       *fixture,
                       gconstpointer  data)
{
  stok_fake_server_set_reply (fixture->server, 429, "application/json", "{\"error\": \"Too many requests\"}", -1);
  stok_fake_server_set_extra_header (fixture->server, "Retry-After", "30");
  stok_test_set_key (fixture->window, "sk-a11y");
  generate_to_error (fixture);
  g_assert_false (gtk_widget_is_sensitive (stok_test_child (fixture->window, "generate_button")));
  assert_focus_comes_to (fixture, "error_card");
}

static gboolean
has_verdict (gpointer window)
{
  return stok_test_is_idle (window) &&
         gtk_widget_get_visible (stok_test_child (window, "token_panel/verification_box"));
}

/* Verify's dialog, which warns that the token will be used up. */
static gboolean
has_dialog (gpointer window)
{
  return stok_test_find_toplevel (GTK_WINDOW (window), ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* Space on Verify, then Verify in the dialog: once the token is used up
 * and Verify goes insensitive, the focus is on Copy, beside it. */
static void
test_verify_keeps_focus (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *verify;
  GtkWindow *dialog;

  window_with_token (fixture);
  verify = stok_test_child (fixture->window, "token_panel/verify_button");
  g_assert_true (gtk_widget_grab_focus (verify));
  gtk_widget_activate (verify);
  g_assert_true (stok_test_wait_until (has_dialog, fixture->window, 2000));
  dialog = stok_test_find_toplevel (GTK_WINDOW (fixture->window), ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "response", "verify");
  gtk_window_destroy (dialog);

  g_assert_true (stok_test_wait_until (has_verdict, fixture->window, 5000));
  g_assert_false (gtk_widget_is_sensitive (verify));
  assert_focus_comes_to (fixture, "token_panel/copy_button");
}

/* An icon alone says nothing to a screen reader: each of the
 * inspector's copy buttons says what it copies, and Copy As's arrow says
 * what it opens; the button inside it that takes the focus is labelled by
 * the arrow, and says it once (an AT-SPI dump read "Copy As Copy As"
 * when it had a label of its own). */
static void
test_icon_buttons_say_what (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *names[] = {
    "Copy Request", "Copy curl Command", "Copy Response Headers", "Copy Body", "Copy WebSocket Frames",
  };
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) arrows = g_ptr_array_new ();
  GtkWindow *inspector;
  guint n_copy = 0;

  window_with_token (fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.inspector", NULL);
  inspector = stok_test_find_toplevel (GTK_WINDOW (fixture->window), STOK_TYPE_INSPECTOR);
  g_assert_nonnull (inspector);

  stok_test_collect_widgets (GTK_WIDGET (inspector), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (buttons->pdata[i]), "inspector.copy-section") == 0)
      {
        g_assert_cmpuint (n_copy, <, G_N_ELEMENTS (names));
        g_assert_null (gtk_test_accessible_check_property (buttons->pdata[i], GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                           names[n_copy]));
        n_copy++;
      }
  g_assert_cmpuint (n_copy, ==, G_N_ELEMENTS (names));

  stok_test_collect_widgets (stok_test_child (fixture->window, "token_panel/copy_button"), GTK_TYPE_MENU_BUTTON, arrows);
  g_assert_cmpuint (arrows->len, ==, 1);
  g_assert_null (gtk_test_accessible_check_property (arrows->pdata[0], GTK_ACCESSIBLE_PROPERTY_LABEL, "Copy As"));
  for (GtkWidget *inner = gtk_widget_get_first_child (arrows->pdata[0]); inner != NULL; inner = gtk_widget_get_next_sibling (inner))
    if (GTK_IS_BUTTON (inner))
      {
        g_assert_null (gtk_test_accessible_check_relation (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                           arrows->pdata[0], NULL));
        g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (inner), GTK_ACCESSIBLE_PROPERTY_LABEL));
      }

  gtk_window_destroy (inspector);
}

/* A message said on a token of the history, which describes itself by
 * its state, when it was minted and its durations: once the focus moves
 * on, the row says that again, not nothing. */
static void
test_announce_keeps_description (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(StokAnnouncer) announcer = stok_announcer_new (GTK_WINDOW (fixture->window));
  GtkListBoxRow *row;
  const char *subtitle;
  g_autofree char *description = NULL;

  window_with_token (fixture);
  row = stok_test_history_row (fixture->window, stok_window_get_token (fixture->window));
  subtitle = gtk_inscription_get_text (GTK_INSCRIPTION (gtk_widget_get_template_child (GTK_WIDGET (row),
                                                                                      STOK_TYPE_HISTORY_ROW,
                                                                                      "subtitle_inscription")));
  g_assert_nonnull (subtitle);
  description = g_strconcat ("Redeemable. ", subtitle, NULL);
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                     description));

  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (row)));
  stok_announcer_announce (announcer, "Session completed");
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                     "Session completed"));

  /* The row said back from an idle, once the history's animations are
   * done. */
  g_assert_true (gtk_widget_grab_focus (stok_test_child (fixture->window, "generate_button")));
  g_assert_true (stok_test_wait_until (has_description, &(Described) { GTK_WIDGET (row), description }, 5000));
}

/* GTK 4.8 names a control by its accessible label and then by the
 * labels it is labelled by, one after the other; and a label with a
 * mnemonic labels the control it acts on. A button with a mnemonic was
 * said as "_Save Save", its label's text as written and then as shown,
 * and a spin button as "Redemption window in seconds Redemption
 * window". No control of the window, shown or not, that a mnemonic
 * acts on has an accessible label of its own besides. */
static void
test_names_said_once (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) doubled = g_ptr_array_new_with_free_func (g_free);

  window_with_token (fixture);
  stok_test_collect_widgets (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *target = gtk_label_get_mnemonic_widget (labels->pdata[i]);

      if (target != NULL &&
          gtk_test_accessible_has_property (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
          gtk_test_accessible_has_relation (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_RELATION_LABELLED_BY))
        g_ptr_array_add (doubled, g_strdup_printf ("%s labelled by “%s”", G_OBJECT_TYPE_NAME (target),
                                                   gtk_label_get_label (labels->pdata[i])));
    }

  for (guint i = 0; i < doubled->len; i++)
    g_test_message ("named twice: %s", (char *) doubled->pdata[i]);
  g_assert_cmpuint (doubled->len, ==, 0);
}

/* The window's Ctrl+C, and the phase in which the window sees it. */
static GtkShortcut *
find_ctrl_c (StokWindow          *window,
             GtkPropagationPhase *phase)
{
  GtkShortcut *shortcut = stok_test_find_shortcut (GTK_WIDGET (window), GDK_KEY_c, GDK_CONTROL_MASK, phase);

  if (shortcut == NULL)
    g_error ("The window has no Ctrl+C");

  return shortcut;
}

static gboolean
press_ctrl_c (StokWindow  *window,
              GtkShortcut *shortcut)
{
  return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), GTK_SHORTCUT_ACTION_EXCLUSIVE,
                                       GTK_WIDGET (window), gtk_shortcut_get_arguments (shortcut));
}

/* Ctrl+C copies the token when no text is selected, as DESIGN.md says,
 * even from a text field: the window sees it before the field does, which
 * took it with nothing selected and copied nothing. With text selected,
 * it is left to the field, which copies that. */
static void
test_ctrl_c_in_field (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkPropagationPhase phase = GTK_PHASE_NONE;
  GtkShortcut *shortcut;
  GtkWidget *field;
  g_autofree char *copied = NULL;

  window_with_token (fixture);
  shortcut = find_ctrl_c (fixture->window, &phase);
  g_assert_cmpint (phase, ==, GTK_PHASE_CAPTURE);

  g_assert_true (gtk_widget_grab_focus (stok_test_child (fixture->window, "durations_group/expires_spin")));
  field = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (GTK_IS_EDITABLE (field));
  gtk_editable_select_region (GTK_EDITABLE (field), 0, 0);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (fixture->window)), "");
  g_assert_true (press_ctrl_c (fixture->window, shortcut));
  copied = stok_test_read_clipboard (GTK_WIDGET (fixture->window));
  g_assert_cmpstr (copied, ==, stok_token_get_token (stok_window_get_token (fixture->window)));

  gtk_editable_select_region (GTK_EDITABLE (field), 0, -1);
  g_assert_false (press_ctrl_c (fixture->window, shortcut));
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  g_setenv ("GTK_A11Y", "test", TRUE);
  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_KEYRING);

#define ADD(path, func) \
  g_test_add ("/a11y/" path, Fixture, NULL, stok_test_window_fixture_set_up, func, \
              stok_test_window_fixture_tear_down)

  ADD ("controls-are-named", test_controls_are_named);
  ADD ("tab-order", test_tab_order);
  ADD ("duration-rows", test_duration_rows);
  ADD ("session-controls-named", test_session_controls_named);
  ADD ("mnemonics-unique", test_mnemonics_unique);
  ADD ("param-problems-exposed", test_param_problems_exposed);
  ADD ("token-problem-exposed", test_token_problem_exposed);
  ADD ("error-details-tab", test_error_details_tab);
  ADD ("announce-without-focus", test_announce_without_focus);
  ADD ("generate-keeps-focus", test_generate_keeps_focus);
  ADD ("error-keeps-focus", test_error_keeps_focus);
  ADD ("wait-keeps-focus", test_wait_keeps_focus);
  ADD ("verify-keeps-focus", test_verify_keeps_focus);
  ADD ("icon-buttons-say-what", test_icon_buttons_say_what);
  ADD ("announce-keeps-description", test_announce_keeps_description);
  ADD ("names-said-once", test_names_said_once);
  ADD ("ctrl-c-in-field", test_ctrl_c_in_field);

#undef ADD

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
