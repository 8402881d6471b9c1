/* test-window-mnemonics.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Alt with a letter, in English, German and French: no two controls shown
 * at once answer to the same letter. When two do, GTK only moves the
 * focus between them, and neither is pressed: a translation that gives
 * "_Stop" and "_Start" the same letter breaks the keyboard. Checked in
 * each state the window goes through, with the parameters' groups open:
 * a key, a token, a session streaming the Sample, and its ending; then in
 * the windows of the menu, Use a Token and Preferences. */

#include "config.h"

#include <adwaita.h>
#include <locale.h>

#include "stok-fake-server.h"
#include "stok-test-session.h"
#include "stok-test-window.h"
#include "stok-window.h"

typedef StokTestWindowFixture Fixture;

/* What a label's mnemonic acts on: its mnemonic widget, else what holds
 * it, as a button holds its label. */
static GtkWidget *
mnemonic_target (GtkLabel *label)
{
  GtkWidget *target = gtk_label_get_mnemonic_widget (label);

  return target != NULL ? target : gtk_widget_get_parent (GTK_WIDGET (label));
}

/* The labels with a mnemonic that GTK would act on now: shown, in a
 * window that is mapped. Two labels for one control (an entry row's title
 * is drawn twice, floating and in place) are one mnemonic. */
static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *by_key,
                   GPtrArray  *clashes)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget) &&
      gtk_label_get_use_underline (GTK_LABEL (widget)) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      GtkLabel *before = g_hash_table_lookup (by_key, GUINT_TO_POINTER (key));

      if (before == NULL)
        g_hash_table_insert (by_key, GUINT_TO_POINTER (key), widget);
      else if (mnemonic_target (before) != mnemonic_target (GTK_LABEL (widget)))
        g_ptr_array_add (clashes, g_strdup_printf ("“%s” and “%s”", gtk_label_get_label (before),
                                                   gtk_label_get_label (GTK_LABEL (widget))));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, by_key, clashes);
}

/* Fails with the labels that share a letter, if any do; returns how many
 * mnemonics were shown, so that a state without any is noticed too. */
static guint
assert_no_clash (GtkWindow  *window,
                 const char *state)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) clashes = g_ptr_array_new_with_free_func (g_free);

  /* Laid out and mapped: the expanders' rows are once they start to
   * slide open. */
  stok_test_spin (400);
  collect_mnemonics (GTK_WIDGET (window), by_key, clashes);
  g_test_message ("%s, %s: %u mnemonics", g_getenv ("LANGUAGE"), state, g_hash_table_size (by_key));

  for (guint i = 0; i < clashes->len; i++)
    g_test_message ("%s: %s share a mnemonic", state, (const char *) clashes->pdata[i]);
  if (clashes->len > 0)
    g_test_fail_printf ("%s, %s: %s share a mnemonic", g_getenv ("LANGUAGE"), state,
                        (const char *) clashes->pdata[0]);

  return g_hash_table_size (by_key);
}

static void
set_up (Fixture       *fixture,
        gconstpointer  data)
{
  /* Templates are translated as they are built: before the window. */
  g_setenv ("LANGUAGE", data, TRUE);
  setlocale (LC_ALL, "");

  stok_test_window_fixture_set_up (fixture, NULL);
}

/* A window shown on top of @window, as a dialog is. */
static GtkWindow *
find_dialog (StokWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window) &&
          gtk_widget_get_mapped (GTK_WIDGET (toplevel)))
        return toplevel;
    }

  return NULL;
}

static gboolean
has_dialog (gpointer window)
{
  return find_dialog (window) != NULL;
}

static void
test_no_clash (Fixture       *fixture,
               gconstpointer  data)
{
  const char *dialogs[] = { "win.use-token", "win.preferences" };
  StokWindow *window = fixture->window;

  /* The Sample, with the turn parameters and the advanced ones open. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (stok_test_child (window, "session_view/source_group/sample_button")),
                                TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, "session_view/params_group/turn_row")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, "session_view/params_group/advanced_row")),
                                 TRUE);
  g_assert_cmpuint (assert_no_clash (GTK_WINDOW (window), "no key"), >, 0);

  stok_test_set_key (window, "sk-mnemonics");
  assert_no_clash (GTK_WINDOW (window), "a key");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 5000));
  assert_no_clash (GTK_WINDOW (window), "a token");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_is_streaming, window, 20000));
  assert_no_clash (GTK_WINDOW (window), "streaming");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-session", NULL);
  g_assert_true (stok_test_wait_until (stok_test_session_ended, window, 20000));
  assert_no_clash (GTK_WINDOW (window), "ended");

  /* The windows of the menu: Use a Token… and Preferences. */
  for (guint i = 0; i < G_N_ELEMENTS (dialogs); i++)
    {
      GtkWindow *dialog;

      gtk_widget_activate_action (GTK_WIDGET (window), dialogs[i], NULL);
      g_assert_true (stok_test_wait_until (has_dialog, window, 5000));
      dialog = find_dialog (window);
      g_assert_cmpuint (assert_no_clash (dialog, dialogs[i]), >, 0);
      stok_test_close_window (dialog);
    }
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_use_translations (NULL);

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_KEYRING);

  g_test_add ("/mnemonics/english", Fixture, "en", set_up, test_no_clash, stok_test_window_fixture_tear_down);
  g_test_add ("/mnemonics/german", Fixture, "de", set_up, test_no_clash, stok_test_window_fixture_tear_down);
  g_test_add ("/mnemonics/french", Fixture, "fr", set_up, test_no_clash, stok_test_window_fixture_tear_down);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
