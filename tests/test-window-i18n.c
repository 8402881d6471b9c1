/* test-window-i18n.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The window in German, with the translations built in this tree: what a
 * user with LANGUAGE=de sees. */

#include "config.h"

#include <adwaita.h>

#include "stok-fake-server.h"
#include "stok-test-session.h"
#include "stok-test-window.h"
#include "stok-window.h"

static void
test_german (StokTestWindowFixture *fixture,
             gconstpointer          data)
{
  StokWindow *window = fixture->window;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) december = NULL;
  g_autofree char *date = NULL;

  /* From the template… */
  g_assert_cmpstr (stok_test_label (window, "generate_label"), ==, "_Token erzeugen");
  /* …and from the code. */
  g_assert_cmpstr (stok_test_label (window, "generate_hint_label"), ==,
                   "Einen API-Schlüssel eingeben, um ein Token zu erzeugen.");
  /* …and from a file built when it is first needed. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (stok_test_child (window, "session_view/params_group/advanced_row")),
                                 TRUE);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (stok_test_child (window, "session_view/params_group/frame_row"))),
                   ==, "Frame-Länge, ms");

  stok_test_set_key (window, "sk-deutsch");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.generate", NULL);
  g_assert_true (stok_test_wait_until (stok_test_has_token, window, 5000));

  /* Durations in German abbreviations, and the expired state. */
  g_assert_cmpstr (stok_test_label (window, "durations_group/max_session_human_label"), ==, "3 h");
  stok_clock_advance (fixture->clock, 61 * G_USEC_PER_SEC);
  g_assert_cmpstr (stok_test_label (window, "token_panel/countdown_inscription"), ==, "Abgelaufen");

  /* Dates as German readers write them, "2. Dez., 18:49:02": the month's
   * name is the C locale's here, which is all the test can count on. */
  december = g_date_time_new (utc, 2026, 12, 2, 18, 49, 2);
  date = stok_format_date_time (december);
  g_assert_true (g_str_has_prefix (date, "2. "));
}

int
main (int   argc,
      char *argv[])
{
  StokTestSession session = { 0 };
  int status;

  stok_test_use_translations ("de");

  stok_test_window_init (&argc, &argv, &session, STOK_TEST_WINDOW_KEYRING);

  g_test_add ("/i18n/german", StokTestWindowFixture, NULL,
              stok_test_window_fixture_set_up, test_german,
              stok_test_window_fixture_tear_down);

  status = g_test_run ();
  stok_test_session_stop (&session);

  return status;
}
