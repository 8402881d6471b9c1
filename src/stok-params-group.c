/* stok-params-group.c
 *
 * Copyright 2026 The Streaming Token developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The parameters of the next session's connection, bound to the session
 * setup: the speech model (a known one from the menu, or any typed),
 * Format turns, key terms, turn detection, and under Advanced the audio's
 * rate, encoding and frame length and any parameter by name. Titles say
 * what each is; subtitles and tooltips are the parameters' table's own
 * help, with the server's default. What the table refuses is marked on
 * its field and said under the group, and never sent.
 *
 * While a session runs, only turn detection can change: the rest is what
 * the session connected with. Apply, in the turn detection row, sends the
 * changes with UpdateConfiguration.
 *
 * The rows inside the two expanders (stok-params-rows.ui) are built when
 * either expander first opens. Closed, they can be neither seen nor
 * reached, yet they cost the first frame: GTK 4.8's revealer measures its
 * child even while it shows none of it, and those rows' wrapping
 * subtitles were laid out some 700 times before the window's first frame,
 * half of all its text layout. Hidden but built, they still took about
 * 3% of the time to the first frame, for five spin buttons, a combo row
 * and an entry. Once built they stay, so that closing animates as before.
 *
 * Format turns, the one row with a subtitle that shows at start-up, is
 * an AdwActionRow's CSS nodes with a StokRowTitle for its texts (see
 * stok-row-title.c), and works as an AdwActionRow with an activatable
 * widget would: a click anywhere on it goes to its switch. The
 * expanders' own title and subtitle, which libadwaita lays out, are put
 * in a StokRowTitle with stok_row_title_adopt_labels(): their summaries
 * were laid out some 50 times each before the first frame. */

#define G_LOG_DOMAIN "stok-params-group"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "stok-field-problem.h"
#include "stok-focus-keeper.h"
#include "stok-params-group.h"
#include "stok-row-title.h"
#include "stok-wheel.h"

struct _StokParamsGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Template widgets */
  AdwEntryRow         *speech_model_row;
  GtkMenuButton       *speech_model_button;
  GtkListBoxRow       *format_turns_row;
  GtkLabel            *format_turns_subtitle;
  GtkSwitch           *format_turns_switch;
  AdwEntryRow         *keyterms_row;
  AdwExpanderRow      *turn_row;
  GtkWidget           *apply_button;
  AdwExpanderRow      *advanced_row;

  /* The expanders' rows, from stok-params-rows.ui once built */
  AdwActionRow        *threshold_row;
  AdwActionRow        *min_silence_row;
  AdwActionRow        *max_silence_row;
  GtkAdjustment       *threshold_adjustment;
  GtkAdjustment       *min_silence_adjustment;
  GtkAdjustment       *max_silence_adjustment;
  AdwActionRow        *sample_rate_row;
  GtkAdjustment       *sample_rate_adjustment;
  AdwComboRow         *encoding_row;
  AdwActionRow        *frame_row;
  GtkAdjustment       *frame_adjustment;
  AdwEntryRow         *add_param_row;

  StokSessionSetup    *setup;
  GPtrArray           *bindings;
  /* The rows of the parameters added by name, after add_param_row. */
  GPtrArray           *extra_rows;
  /* Why the parameter typed in add_param_row was not added. */
  char                *add_problem;
  char                *problem;
  gboolean             running;

  /* Apply's keyboard focus, kept near when Apply goes insensitive. */
  StokFocusKeeper     *focus_keeper;
};

G_DEFINE_FINAL_TYPE (StokParamsGroup, stok_params_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_SETUP,
  PROP_RUNNING,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* For the template's bindings. */

static gboolean
is_text (gpointer    this_object,
         const char *text)
{
  return text != NULL && *text != '\0';
}

/* The settings, or what is wrong with them: said at the row's head, in
 * view above the fields, where the group's problems below it may be out
 * of view under the Advanced rows. */
static char *
turn_summary (gpointer    this_object,
              double      threshold,
              int         min_silence,
              int         max_silence,
              const char *problem)
{
  if (problem != NULL)
    return g_strdup (problem);

  /* Translators: the turn detection settings: a confidence such as
   * "0.40", then two durations in milliseconds */
  return g_strdup_printf (_("Confidence %.2f, silence %d to %d ms"), threshold, min_silence, max_silence);
}

static char *
advanced_summary (gpointer           this_object,
                  int                sample_rate,
                  StokAudioEncoding  encoding,
                  int                frame_ms,
                  const char * const *extra)
{
  guint n_extra = extra != NULL ? g_strv_length ((char **) extra) : 0;
  g_autofree char *audio = NULL;

  /* Translators: a sample rate in Hz, an encoding such as "pcm_s16le",
   * and the milliseconds of audio in each frame */
  audio = g_strdup_printf (_("%d Hz, %s, frames of %d ms"), sample_rate,
                           stok_audio_encoding_to_string (encoding), frame_ms);
  if (n_extra == 0)
    return g_steal_pointer (&audio);

  /* Translators: the audio settings, then how many further parameters
   * are sent */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %u more parameter", "%s; %u more parameters", n_extra),
                          audio, n_extra);
}

/* The table's help for @name, and the server's default when it has one. */
static char *
dup_help (const char *name)
{
  const StokParamInfo *info = stok_stream_params_lookup (name);

  g_return_val_if_fail (info != NULL, NULL);

  if (info->default_value == NULL || (info->flags & STOK_PARAM_FLAGS_TURN) == 0)
    return g_strdup (_(info->help));

  /* Translators: a parameter's help, then the value the server takes
   * when it is not sent */
  return g_strdup_printf (_("%s. The server’s default: %s"), _(info->help), info->default_value);
}

static void
set_row_help (AdwActionRow *row,
              const char   *name)
{
  g_autofree char *help = dup_help (name);

  adw_action_row_set_subtitle (row, help);
}

static void
update_problem (StokParamsGroup *self)
{
  g_autoptr(GString) problem = g_string_new (NULL);
  const char *problems[5] = { NULL };

  g_assert (STOK_IS_PARAMS_GROUP (self));

  if (self->setup != NULL)
    g_object_get (self->setup,
                  "speech-model-problem", &problems[0],
                  "keyterms-problem", &problems[1],
                  "extra-params-problem", &problems[2],
                  "turn-problem", &problems[3],
                  NULL);
  problems[4] = self->add_problem;

  for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
    if (problems[i] != NULL)
      {
        if (problem->len > 0)
          g_string_append_c (problem, '\n');
        g_string_append (problem, problems[i]);
      }

  /* Marked on the fields themselves too. */
  stok_field_problem_show (GTK_WIDGET (self->speech_model_row), problems[0]);
  stok_field_problem_show (GTK_WIDGET (self->keyterms_row), problems[1]);
  /* Only the rows' entry can have made problems[4]. */
  if (self->add_param_row != NULL)
    stok_field_problem_show (GTK_WIDGET (self->add_param_row), problems[4]);
  /* The two silences are wrong together, not one of them. */
  if (self->min_silence_row != NULL)
    {
      stok_field_problem_show (GTK_WIDGET (self->min_silence_row), problems[3]);
      stok_field_problem_show (GTK_WIDGET (self->max_silence_row), problems[3]);
      stok_field_problem_show (adw_action_row_get_activatable_widget (self->min_silence_row), problems[3]);
      stok_field_problem_show (adw_action_row_get_activatable_widget (self->max_silence_row), problems[3]);
    }

  for (guint i = 0; i < 4; i++)
    g_free ((char *) problems[i]);

  if (g_strcmp0 (self->problem, problem->len > 0 ? problem->str : NULL) == 0)
    return;

  g_free (self->problem);
  self->problem = problem->len > 0 ? g_strdup (problem->str) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

static void
set_add_problem (StokParamsGroup *self,
                 const char      *problem)
{
  if (g_strcmp0 (self->add_problem, problem) == 0)
    return;

  g_free (self->add_problem);
  self->add_problem = g_strdup (problem);
  update_problem (self);
}

static void
add_param_cb (StokParamsGroup *self)
{
  g_autoptr(GError) error = NULL;
  const char *text;

  g_assert (STOK_IS_PARAMS_GROUP (self));

  text = gtk_editable_get_text (GTK_EDITABLE (self->add_param_row));
  if (self->setup == NULL || *text == '\0')
    return;

  /* Refused, it stays in the entry to be corrected. */
  if (!stok_session_setup_add_extra_param (self->setup, text, &error))
    {
      set_add_problem (self, error->message);
      return;
    }

  set_add_problem (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->add_param_row), "");
  /* Emptied, the entry has nothing to apply; but libadwaita 1.2 takes
   * the emptying for an edit and shows the apply button again, a Tab
   * stop that does nothing. Turning it off forgets the edit. */
  adw_entry_row_set_show_apply_button (self->add_param_row, FALSE);
  adw_entry_row_set_show_apply_button (self->add_param_row, TRUE);
}

static void
add_param_changed_cb (StokParamsGroup *self)
{
  g_assert (STOK_IS_PARAMS_GROUP (self));

  /* What was said of the text before is no longer true of it. */
  set_add_problem (self, NULL);
}

static void
row_activated_cb (StokParamsGroup *self,
                  GtkListBoxRow   *row)
{
  g_assert (STOK_IS_PARAMS_GROUP (self));

  if (row == self->format_turns_row)
    gtk_widget_mnemonic_activate (GTK_WIDGET (self->format_turns_switch), FALSE);
}

/* A row for each parameter added by name, with a button that removes
 * it. */
static void
update_extra_rows (StokParamsGroup *self)
{
  const char * const *extra = self->setup != NULL ? stok_session_setup_get_extra_params (self->setup) : NULL;

  g_assert (STOK_IS_PARAMS_GROUP (self));

  /* Made with the other rows, when they are built. */
  if (self->add_param_row == NULL)
    return;

  for (guint i = 0; i < self->extra_rows->len; i++)
    adw_expander_row_remove (self->advanced_row, g_ptr_array_index (self->extra_rows, i));
  g_ptr_array_set_size (self->extra_rows, 0);

  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *name = g_strndup (extra[i], strcspn (extra[i], "="));
      /* Translators: %s is a parameter's name, such as max_turn_silence */
      g_autofree char *label = g_strdup_printf (_("Remove %s"), name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), extra[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "monospace");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "params.remove-extra");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", i);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      adw_expander_row_add_row (self->advanced_row, row);
      g_ptr_array_add (self->extra_rows, row);
    }
}

static void
speech_model_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StokParamsGroup *self = STOK_PARAMS_GROUP (widget);

  g_assert (STOK_IS_PARAMS_GROUP (self));

  gtk_editable_set_text (GTK_EDITABLE (self->speech_model_row), g_variant_get_string (parameter, NULL));
}

/* The remove button of a parameter's row. */
static GtkWidget *
find_remove_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "params.remove-extra") == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_remove_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
remove_extra_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  StokParamsGroup *self = STOK_PARAMS_GROUP (widget);
  guint position = g_variant_get_uint32 (parameter);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus;
  gboolean had_focus;

  g_assert (STOK_IS_PARAMS_GROUP (self));

  if (self->setup == NULL ||
      position >= g_strv_length ((char **) stok_session_setup_get_extra_params (self->setup)))
    return;

  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  had_focus = focus != NULL && position < self->extra_rows->len &&
              gtk_widget_is_ancestor (focus, g_ptr_array_index (self->extra_rows, position));

  /* The rows are made again, and the focus went with the row removed:
   * GTK 4.8 gave it to Sample rate, at the top of the group. It goes to
   * the next parameter's Remove instead, or after the last, to the entry
   * that adds them. */
  stok_session_setup_remove_extra_param (self->setup, position);
  if (!had_focus)
    return;

  if (position < self->extra_rows->len)
    gtk_widget_grab_focus (find_remove_button (g_ptr_array_index (self->extra_rows, position)));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_param_row));
}

static gboolean
encoding_to_position (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_uint (to, g_value_get_enum (from) == STOK_AUDIO_ENCODING_PCM_MULAW ? 1 : 0);
  return TRUE;
}

static gboolean
position_to_encoding (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_set_enum (to, g_value_get_uint (from) == 1 ? STOK_AUDIO_ENCODING_PCM_MULAW
                                                     : STOK_AUDIO_ENCODING_PCM_S16LE);
  return TRUE;
}

static void
bind (StokParamsGroup *self,
      const char      *property,
      gpointer         target,
      const char      *target_property)
{
  g_ptr_array_add (self->bindings,
                   g_object_bind_property (self->setup, property, target, target_property,
                                           G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE));
}

/* The expanders' rows to the setup, once both are there. */
static void
bind_rows (StokParamsGroup *self)
{
  if (self->setup == NULL || self->add_param_row == NULL)
    return;

  bind (self, "end-of-turn-confidence-threshold", self->threshold_adjustment, "value");
  bind (self, "min-turn-silence", self->min_silence_adjustment, "value");
  bind (self, "max-turn-silence", self->max_silence_adjustment, "value");
  bind (self, "sample-rate", self->sample_rate_adjustment, "value");
  bind (self, "frame-ms", self->frame_adjustment, "value");
  g_ptr_array_add (self->bindings,
                   g_object_bind_property_full (self->setup, "encoding", self->encoding_row, "selected",
                                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                encoding_to_position, position_to_encoding,
                                                NULL, NULL));
}

/* Builds the rows of both expanders as either first opens: see the top
 * of this file. */
static void
build_rows (StokParamsGroup *self)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *frame_help = NULL;

  gtk_builder_cscope_add_callback (scope, add_param_cb);
  gtk_builder_cscope_add_callback (scope, add_param_changed_cb);
  gtk_builder_set_scope (builder, scope);
  /* The signals in the file, swapped, go to the group. */
  gtk_builder_set_current_object (builder, G_OBJECT (self));
  if (!gtk_builder_add_from_resource (builder, "/io/github/streamingtoken/StreamingToken/stok-params-rows.ui", &error))
    g_error ("The parameters' rows: %s", error->message);

  self->threshold_row = ADW_ACTION_ROW (gtk_builder_get_object (builder, "threshold_row"));
  self->min_silence_row = ADW_ACTION_ROW (gtk_builder_get_object (builder, "min_silence_row"));
  self->max_silence_row = ADW_ACTION_ROW (gtk_builder_get_object (builder, "max_silence_row"));
  self->threshold_adjustment = GTK_ADJUSTMENT (gtk_builder_get_object (builder, "threshold_adjustment"));
  self->min_silence_adjustment = GTK_ADJUSTMENT (gtk_builder_get_object (builder, "min_silence_adjustment"));
  self->max_silence_adjustment = GTK_ADJUSTMENT (gtk_builder_get_object (builder, "max_silence_adjustment"));
  self->sample_rate_row = ADW_ACTION_ROW (gtk_builder_get_object (builder, "sample_rate_row"));
  self->sample_rate_adjustment = GTK_ADJUSTMENT (gtk_builder_get_object (builder, "sample_rate_adjustment"));
  self->encoding_row = ADW_COMBO_ROW (gtk_builder_get_object (builder, "encoding_row"));
  self->frame_row = ADW_ACTION_ROW (gtk_builder_get_object (builder, "frame_row"));
  self->frame_adjustment = GTK_ADJUSTMENT (gtk_builder_get_object (builder, "frame_adjustment"));
  self->add_param_row = ADW_ENTRY_ROW (gtk_builder_get_object (builder, "add_param_row"));

  set_row_help (self->threshold_row, "end_of_turn_confidence_threshold");
  set_row_help (self->min_silence_row, "min_turn_silence");
  set_row_help (self->max_silence_row, "max_turn_silence");
  set_row_help (self->sample_rate_row, "sample_rate");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->encoding_row),
                               _(stok_stream_params_lookup ("encoding")->help));
  frame_help = g_strdup_printf (_("The audio in each binary frame; the server takes %d to %d ms"),
                                STOK_AUDIO_FRAME_MS_MIN, STOK_AUDIO_FRAME_MS_MAX);
  adw_action_row_set_subtitle (self->frame_row, frame_help);

  /* A page scrolled past the spin buttons leaves their values. */
  {
    AdwActionRow *spin_rows[] = { self->threshold_row, self->min_silence_row, self->max_silence_row,
                                  self->sample_rate_row, self->frame_row };

    for (guint i = 0; i < G_N_ELEMENTS (spin_rows); i++)
      stok_wheel_only_when_focused (adw_action_row_get_activatable_widget (spin_rows[i]));
  }

  /* The expanders hold the rows from here on; the builder lets go. */
  adw_expander_row_add_row (self->turn_row, GTK_WIDGET (self->threshold_row));
  adw_expander_row_add_row (self->turn_row, GTK_WIDGET (self->min_silence_row));
  adw_expander_row_add_row (self->turn_row, GTK_WIDGET (self->max_silence_row));
  adw_expander_row_add_row (self->advanced_row, GTK_WIDGET (self->sample_rate_row));
  adw_expander_row_add_row (self->advanced_row, GTK_WIDGET (self->encoding_row));
  adw_expander_row_add_row (self->advanced_row, GTK_WIDGET (self->frame_row));
  adw_expander_row_add_row (self->advanced_row, GTK_WIDGET (self->add_param_row));

  bind_rows (self);
  update_extra_rows (self);
  update_problem (self);
}

static void
expanded_cb (StokParamsGroup *self,
             GParamSpec      *pspec,
             AdwExpanderRow  *expander)
{
  g_assert (STOK_IS_PARAMS_GROUP (self));

  if (self->add_param_row == NULL && adw_expander_row_get_expanded (expander))
    build_rows (self);
}

/* GTK 4.8 drops the focus when the focused widget goes insensitive, as
 * Apply does once the session has the settings: the focus stays on its
 * row, with the settings. */
static void
refocus_cb (GtkWidget *last_focus,
            gpointer   user_data)
{
  StokParamsGroup *self = user_data;

  g_assert (STOK_IS_PARAMS_GROUP (self));

  if (last_focus == self->apply_button)
    gtk_widget_child_focus (GTK_WIDGET (self->turn_row), GTK_DIR_TAB_FORWARD);
}

static void
stok_params_group_root (GtkWidget *widget)
{
  StokParamsGroup *self = STOK_PARAMS_GROUP (widget);

  GTK_WIDGET_CLASS (stok_params_group_parent_class)->root (widget);

  stok_focus_keeper_set_root (self->focus_keeper, gtk_widget_get_root (widget));
}

static void
stok_params_group_unroot (GtkWidget *widget)
{
  StokParamsGroup *self = STOK_PARAMS_GROUP (widget);

  stok_focus_keeper_set_root (self->focus_keeper, NULL);

  GTK_WIDGET_CLASS (stok_params_group_parent_class)->unroot (widget);
}

static void
stok_params_group_dispose (GObject *object)
{
  StokParamsGroup *self = (StokParamsGroup *)object;

  stok_params_group_set_setup (self, NULL);
  g_clear_object (&self->focus_keeper);

  gtk_widget_dispose_template (GTK_WIDGET (self), STOK_TYPE_PARAMS_GROUP);
  /* The rows are their expanders' children, not references of ours:
   * they are taken down with the template's widgets. */
  self->threshold_row = self->min_silence_row = self->max_silence_row = NULL;
  self->threshold_adjustment = self->min_silence_adjustment = self->max_silence_adjustment = NULL;
  self->sample_rate_row = self->frame_row = NULL;
  self->sample_rate_adjustment = self->frame_adjustment = NULL;
  self->encoding_row = NULL;
  self->add_param_row = NULL;

  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  g_clear_pointer (&self->extra_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (stok_params_group_parent_class)->dispose (object);
}

static void
stok_params_group_finalize (GObject *object)
{
  StokParamsGroup *self = (StokParamsGroup *)object;

  g_clear_pointer (&self->add_problem, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (stok_params_group_parent_class)->finalize (object);
}

static void
stok_params_group_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  StokParamsGroup *self = STOK_PARAMS_GROUP (object);

  switch (prop_id)
    {
    case PROP_SETUP:
      g_value_set_object (value, self->setup);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_params_group_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  StokParamsGroup *self = STOK_PARAMS_GROUP (object);

  switch (prop_id)
    {
    case PROP_SETUP:
      stok_params_group_set_setup (self, g_value_get_object (value));
      break;

    case PROP_RUNNING:
      stok_params_group_set_running (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
stok_params_group_class_init (StokParamsGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = stok_params_group_dispose;
  object_class->finalize = stok_params_group_finalize;
  object_class->get_property = stok_params_group_get_property;
  object_class->set_property = stok_params_group_set_property;

  widget_class->root = stok_params_group_root;
  widget_class->unroot = stok_params_group_unroot;

  properties[PROP_SETUP] =
    g_param_spec_object ("setup", NULL, NULL,
                         STOK_TYPE_SESSION_SETUP,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokParamsGroup:running:
   *
   * Whether a session runs, or is starting: then only turn detection
   * can change.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * StokParamsGroup:problem:
   *
   * What the parameters' table refuses in the fields, a line each, or
   * %NULL.
   */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (STOK_TYPE_ROW_TITLE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/streamingtoken/StreamingToken/stok-params-group.ui");
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, speech_model_row);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, speech_model_button);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, format_turns_row);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, format_turns_subtitle);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, format_turns_switch);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, keyterms_row);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, turn_row);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, StokParamsGroup, apply_button);
  gtk_widget_class_bind_template_child_full (widget_class, "problem_label", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "speech_model_warning", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "keyterms_warning", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, is_text);
  gtk_widget_class_bind_template_callback (widget_class, turn_summary);
  gtk_widget_class_bind_template_callback (widget_class, advanced_summary);
  gtk_widget_class_bind_template_callback (widget_class, expanded_cb);

  gtk_widget_class_install_action (widget_class, "params.speech-model", "s", speech_model_action);
  gtk_widget_class_install_action (widget_class, "params.remove-extra", "u", remove_extra_action);
}

static void
stok_params_group_init (StokParamsGroup *self)
{
  g_autoptr(GMenu) models = g_menu_new ();
  const char * const *known = stok_stream_params_get_speech_models ();
  g_autofree char *format_turns_help = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bindings = g_ptr_array_new ();
  self->extra_rows = g_ptr_array_new ();
  self->focus_keeper = stok_focus_keeper_new (refocus_cb, self);

  /* The known models; any other can be typed, since the API moves
   * faster than releases. */
  for (guint i = 0; known[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (known[i], NULL);

      g_menu_item_set_action_and_target (item, "params.speech-model", "s", known[i]);
      g_menu_append_item (models, item);
    }
  gtk_menu_button_set_menu_model (self->speech_model_button, G_MENU_MODEL (models));

  stok_row_title_adopt_labels (GTK_WIDGET (self->turn_row));
  stok_row_title_adopt_labels (GTK_WIDGET (self->advanced_row));

  /* The rows sit in the group's list. */
  g_signal_connect_object (gtk_widget_get_parent (GTK_WIDGET (self->format_turns_row)), "row-activated",
                           G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->speech_model_row),
                               _(stok_stream_params_lookup ("speech_model")->help));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->keyterms_row),
                               _(stok_stream_params_lookup ("keyterms_prompt")->help));
  format_turns_help = dup_help ("format_turns");
  gtk_label_set_label (self->format_turns_subtitle, format_turns_help);
}

GtkWidget *
stok_params_group_new (void)
{
  return g_object_new (STOK_TYPE_PARAMS_GROUP, NULL);
}

/**
 * stok_params_group_get_setup:
 * @self: a #StokParamsGroup
 *
 * Returns: (transfer none) (nullable): the setup whose parameters are
 *   shown
 */
StokSessionSetup *
stok_params_group_get_setup (StokParamsGroup *self)
{
  g_return_val_if_fail (STOK_IS_PARAMS_GROUP (self), NULL);

  return self->setup;
}

void
stok_params_group_set_setup (StokParamsGroup  *self,
                             StokSessionSetup *setup)
{
  const char *problems[] = { "notify::speech-model-problem", "notify::keyterms-problem", "notify::extra-params-problem",
                             "notify::turn-problem" };

  g_return_if_fail (STOK_IS_PARAMS_GROUP (self));
  g_return_if_fail (!setup || STOK_IS_SESSION_SETUP (setup));

  if (self->setup == setup)
    return;

  if (self->setup != NULL)
    {
      for (guint i = 0; i < self->bindings->len; i++)
        g_binding_unbind (g_ptr_array_index (self->bindings, i));
      g_ptr_array_set_size (self->bindings, 0);
      g_signal_handlers_disconnect_by_data (self->setup, self);
    }

  g_set_object (&self->setup, setup);

  if (setup != NULL)
    {
      bind (self, "speech-model", self->speech_model_row, "text");
      bind (self, "format-turns", self->format_turns_switch, "active");
      bind (self, "keyterms", self->keyterms_row, "text");
      bind_rows (self);

      for (guint i = 0; i < G_N_ELEMENTS (problems); i++)
        g_signal_connect_object (setup, problems[i], G_CALLBACK (update_problem), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (setup, "notify::extra-params", G_CALLBACK (update_extra_rows),
                               self, G_CONNECT_SWAPPED);
    }

  if (self->extra_rows != NULL)
    {
      update_extra_rows (self);
      update_problem (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETUP]);
}

gboolean
stok_params_group_get_running (StokParamsGroup *self)
{
  g_return_val_if_fail (STOK_IS_PARAMS_GROUP (self), FALSE);

  return self->running;
}

/**
 * stok_params_group_set_running:
 * @self: a #StokParamsGroup
 * @running: whether a session runs, or is starting
 *
 * Leaves only turn detection to change while a session runs.
 */
void
stok_params_group_set_running (StokParamsGroup *self,
                               gboolean         running)
{
  GtkWidget *fixed[] = {
    GTK_WIDGET (self->speech_model_row), GTK_WIDGET (self->format_turns_row),
    GTK_WIDGET (self->keyterms_row), GTK_WIDGET (self->advanced_row),
  };

  g_return_if_fail (STOK_IS_PARAMS_GROUP (self));

  running = !!running;
  if (self->running == running)
    return;

  self->running = running;
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    gtk_widget_set_sensitive (fixed[i], !running);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * stok_params_group_get_problem:
 * @self: a #StokParamsGroup
 *
 * Returns: (nullable): what the parameters' table refuses in the fields
 */
const char *
stok_params_group_get_problem (StokParamsGroup *self)
{
  g_return_val_if_fail (STOK_IS_PARAMS_GROUP (self), NULL);

  return self->problem;
}
