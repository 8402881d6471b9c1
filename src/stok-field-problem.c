/* stok-field-problem.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What is wrong with a field's value, said to everyone: the error colour
 * for the eye, and for a screen reader the invalid state with the reason
 * as the description. GTK 4.8 makes no description of a described-by
 * relation, and Orca speaks a new description of the focused widget,
 * which in an entry row is its text, not the row: both carry it. */

#define G_LOG_DOMAIN "stok-field-problem"

#include "config.h"

#include "stok-field-problem.h"

/**
 * stok_field_problem_show:
 * @field: a row or another field, editable or not
 * @problem: (nullable): what is wrong with its value, or %NULL for nothing
 */
void
stok_field_problem_show (GtkWidget  *field,
                         const char *problem)
{
  GtkWidget *targets[2] = { field, NULL };

  g_return_if_fail (GTK_IS_WIDGET (field));

  if (problem != NULL)
    gtk_widget_add_css_class (field, "error");
  else
    gtk_widget_remove_css_class (field, "error");

  if (GTK_IS_EDITABLE (field))
    targets[1] = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (field)));

  for (guint i = 0; i < G_N_ELEMENTS (targets) && targets[i] != NULL; i++)
    {
      gtk_accessible_update_state (GTK_ACCESSIBLE (targets[i]), GTK_ACCESSIBLE_STATE_INVALID,
                                   problem != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
      if (problem != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (targets[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem, -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (targets[i]), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}
