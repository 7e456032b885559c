/* sd-review-pane.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "sd-card-render.h"
#include "sd-card-view.h"
#include "sd-deck.h"
#include "sd-review-pane.h"
#include "sd-scheduler.h"

/* The deck overview, the reviewer and the finished state. Everything is
 * reachable from the keyboard: Space/Enter shows the answer, 1–4 answer
 * (Space is Good), Ctrl+Z undoes, - buries, @ suspends, Ctrl+1–7 flag, E
 * edits the note, O opens the note the card came from, Escape leaves. */

struct _SdReviewPane
{
  GtkWidget      parent_instance;

  SdCollection  *collection;
  gulong         changed_id;
  gint64         deck_id;
  SdScheduler   *scheduler;
  SdCard        *card;          /* the card on screen */
  SdRenderedCard *rendered;
  gboolean       revealed;
  gboolean       asking;
  gint64         shown_at;      /* monotonic time the front appeared */
  gboolean       answering;     /* our own writes; no refresh on ::changed */

  GtkStack      *stack;
  AdwStatusPage *overview_page;
  AdwStatusPage *finished_page;
  AdwStatusPage *error_page;
  GtkLabel      *new_label;
  GtkLabel      *learn_label;
  GtkLabel      *review_label;
  GtkWidget     *study_button;
  GtkLabel      *deck_label;
  GtkLabel      *remaining_new;
  GtkLabel      *remaining_learn;
  GtkLabel      *remaining_review;
  SdCardView    *card_view;
  GtkStack      *button_stack;
  GtkWidget     *show_answer_button;
  GtkBox        *answer_box;
  GtkWidget     *answer_buttons[4];
};

G_DEFINE_FINAL_TYPE (SdReviewPane, sd_review_pane, GTK_TYPE_WIDGET)

enum {
  CARD_SHOWN,
  EDIT_NOTE,
  OPEN_SOURCE,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_ASKING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Whether a card's front is on screen without its answer. */
static void
update_asking (SdReviewPane *self)
{
  gboolean asking = self->card != NULL && !self->revealed &&
                    g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "review") == 0;

  if (asking == self->asking)
    return;
  self->asking = asking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASKING]);
}

static void
message (SdReviewPane *self,
         const char   *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  g_signal_emit (self, signals[MESSAGE], 0, text);
}

static void
set_count (GtkLabel *label,
           int       count)
{
  g_autofree char *text = g_strdup_printf ("%d", count);
  gtk_label_set_text (label, text);
}

static void
update_actions (SdReviewPane *self)
{
  gboolean reviewing = self->card != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.reveal", reviewing && !self->revealed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.answer", reviewing && self->revealed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.bury", reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.suspend", reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.flag", reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.edit", reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.open-source", reviewing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.undo",
                                 self->scheduler != NULL && sd_scheduler_can_undo (self->scheduler));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.stop", self->scheduler != NULL);
}

/* ---- the deck overview -------------------------------------------------- */

static char *
describe_next_due (gint64 when)
{
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *wait = NULL;
  g_autofree char *clock = NULL;

  if (when <= 0)
    return g_strdup (_("No cards are scheduled in this deck."));

  then = g_date_time_new_from_unix_local (when);
  now = g_date_time_new_now_local ();
  wait = sd_scheduler_format_interval (MAX (0, when - g_date_time_to_unix (now)));
  if (g_date_time_get_day_of_year (then) == g_date_time_get_day_of_year (now)
      && g_date_time_get_year (then) == g_date_time_get_year (now))
    clock = g_date_time_format (then, "%H:%M");
  else
    clock = g_date_time_format (then, "%x %H:%M");
  /* Translators: "in 3h (at 15:40)" */
  return g_strdup_printf (_("The next card is due in %s (%s)."), wait, clock);
}

static void
show_overview (SdReviewPane *self)
{
  g_autoptr(SdDeck) deck = NULL;
  g_autoptr(GError) error = NULL;
  SdDueCounts counts = { 0 };
  int total;

  if (self->collection == NULL || self->deck_id == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  deck = sd_deck_load (self->collection, self->deck_id, &error);
  if (deck == NULL || !sd_scheduler_due_counts (self->collection, self->deck_id, &counts, &error))
    {
      /* The deck went away (deleted or merged). */
      self->deck_id = 0;
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  total = counts.new_count + counts.learn_count + counts.review_count;
  adw_status_page_set_title (self->overview_page, deck->full_name);
  if (total == 0)
    {
      g_autoptr(SdScheduler) scheduler = sd_scheduler_new (self->collection, self->deck_id, NULL);
      g_autofree char *next = describe_next_due (scheduler ? sd_scheduler_next_due_time (scheduler) : 0);
      g_autofree char *text = g_strdup_printf ("%s\n%s", _("Nothing is due in this deck today."), next);
      adw_status_page_set_description (self->overview_page, text);
    }
  else
    adw_status_page_set_description (self->overview_page, _("Due today"));
  set_count (self->new_label, counts.new_count);
  set_count (self->learn_label, counts.learn_count);
  set_count (self->review_label, counts.review_count);
  gtk_widget_set_sensitive (self->study_button, total > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.study", total > 0);
  gtk_stack_set_visible_child_name (self->stack, "overview");
}

/* ---- reviewing ---------------------------------------------------------- */

static void
update_remaining (SdReviewPane *self)
{
  SdDueCounts counts = { 0 };

  if (self->scheduler == NULL || !sd_scheduler_get_counts (self->scheduler, &counts, NULL))
    return;
  /* The card on screen counts too, as in Anki (learning cards are counted
   * by the query already, they stay in their queue until answered). */
  if (self->card != NULL && self->card->queue == SD_QUEUE_NEW)
    counts.new_count++;
  else if (self->card != NULL && self->card->queue == SD_QUEUE_REVIEW)
    counts.review_count++;
  set_count (self->remaining_new, counts.new_count);
  set_count (self->remaining_learn, counts.learn_count);
  set_count (self->remaining_review, counts.review_count);
}

static void
show_finished (SdReviewPane *self)
{
  g_autofree char *next = describe_next_due (sd_scheduler_next_due_time (self->scheduler));
  g_autofree char *text = g_strdup_printf ("%s\n%s",
                                           _("You have studied everything due in this deck today."),
                                           next);

  adw_status_page_set_description (self->finished_page, text);
  gtk_stack_set_visible_child_name (self->stack, "finished");
}

static void
set_answer_buttons (SdReviewPane *self)
{
  static const char *names[4] = { N_("Again"), N_("Hard"), N_("Good"), N_("Easy") };
  SdAnswerPreview previews[4];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean have = sd_scheduler_preview (self->scheduler, self->card, previews, NULL);

  for (int i = 0; i < 4; i++)
    {
      g_autofree char *wait = have ? sd_scheduler_format_interval (MAX (0, previews[i].due_time - now))
                                   : g_strdup ("");
      g_autofree char *markup = g_markup_printf_escaped ("%s\n<small>%s</small>", _(names[i]), wait);
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (self->answer_buttons[i]));
      g_autofree char *tooltip = g_strdup_printf (_("%s: %s (key %d)"), _(names[i]), wait, i + 1);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_widget_set_tooltip_text (self->answer_buttons[i], tooltip);
    }
}

static void focus_later (SdReviewPane *self, GtkWidget *widget);

static void
show_card (SdReviewPane *self,
           SdCard       *card)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdDeck) deck = NULL;

  g_clear_pointer (&self->card, sd_card_free);
  g_clear_pointer (&self->rendered, sd_rendered_card_free);
  self->card = card;
  self->revealed = FALSE;

  if (card == NULL)
    {
      show_finished (self);
      update_actions (self);
      update_asking (self);
      return;
    }

  self->rendered = sd_card_render (self->collection, card, NULL, &error);
  if (self->rendered == NULL)
    {
      message (self, error->message);
      show_finished (self);
      update_actions (self);
      update_asking (self);
      return;
    }

  deck = sd_deck_load (self->collection, card->deck_id, NULL);
  gtk_label_set_text (self->deck_label, deck ? deck->full_name : "");
  sd_card_view_set_card (self->card_view, self->rendered->question, self->rendered->css,
                         sd_collection_get_media_dir (self->collection));
  gtk_stack_set_visible_child_name (self->button_stack, "question");
  gtk_stack_set_visible_child_name (self->stack, "review");
  update_remaining (self);
  update_actions (self);
  self->shown_at = g_get_monotonic_time ();

  if (!self->rendered->has_type_answer)
    focus_later (self, self->show_answer_button);
  g_signal_emit (self, signals[CARD_SHOWN], 0, card->id, card->note_id);
  update_asking (self);
}

/* A button on a stack page that was just switched to can take the focus
 * only once it is mapped. */
static gboolean
grab_focus_cb (gpointer user_data)
{
  g_autoptr(GtkWidget) widget = user_data;

  if (gtk_widget_get_mapped (widget))
    gtk_widget_grab_focus (widget);
  return G_SOURCE_REMOVE;
}

static void
focus_later (SdReviewPane *self,
             GtkWidget    *widget)
{
  if (!gtk_widget_grab_focus (widget))
    g_idle_add (grab_focus_cb, g_object_ref (widget));
}

static void
next_card (SdReviewPane *self)
{
  g_autoptr(GError) error = NULL;
  SdCard *card = sd_scheduler_next_card (self->scheduler, &error);

  if (error != NULL)
    message (self, error->message);
  show_card (self, card);
}

static void
reveal (SdReviewPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRenderedCard) with_answer = NULL;
  const char *typed;

  if (self->card == NULL || self->revealed)
    return;

  /* The answer side compares what was typed when the card asked for it. */
  typed = self->rendered->has_type_answer ? sd_card_view_get_typed_text (self->card_view) : NULL;
  if (typed != NULL)
    with_answer = sd_card_render (self->collection, self->card, typed, &error);

  self->revealed = TRUE;
  sd_card_view_set_card (self->card_view,
                         with_answer ? with_answer->answer : self->rendered->answer,
                         self->rendered->css, sd_collection_get_media_dir (self->collection));
  set_answer_buttons (self);
  gtk_stack_set_visible_child_name (self->button_stack, "answer");
  focus_later (self, self->answer_buttons[2]);
  update_actions (self);
  update_asking (self);
}

static void
answer (SdReviewPane *self,
        int           rating)
{
  g_autoptr(GError) error = NULL;
  guint duration_ms;

  if (self->card == NULL || !self->revealed)
    return;

  duration_ms = (guint) MIN ((g_get_monotonic_time () - self->shown_at) / 1000, G_MAXUINT);
  self->answering = TRUE;
  if (!sd_scheduler_answer (self->scheduler, self->card->id, rating, duration_ms, &error))
    {
      self->answering = FALSE;
      message (self, error->message);
      return;
    }
  self->answering = FALSE;
  next_card (self);
}

static void
answer_requested_cb (SdReviewPane *self)
{
  if (!self->revealed)
    reveal (self);
}

static void
stop_reviewing (SdReviewPane *self)
{
  g_clear_pointer (&self->card, sd_card_free);
  g_clear_pointer (&self->rendered, sd_rendered_card_free);
  g_clear_object (&self->scheduler);
  show_overview (self);
  update_actions (self);
  update_asking (self);
}

/* ---- actions ------------------------------------------------------------ */

static void
study_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdReviewPane *self = SD_REVIEW_PANE (widget);
  g_autoptr(GError) error = NULL;

  sd_review_pane_study (self, &error);
  if (error != NULL)
    message (self, error->message);
}

static void
reveal_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reveal (SD_REVIEW_PANE (widget));
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  answer (SD_REVIEW_PANE (widget), g_variant_get_int32 (parameter));
}

/* Space and Enter: the answer on the front, Good on the back. */
static void
space_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdReviewPane *self = SD_REVIEW_PANE (widget);

  if (self->card == NULL)
    return;
  if (!self->revealed)
    reveal (self);
  else
    answer (self, 3);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdReviewPane *self = SD_REVIEW_PANE (widget);
  g_autoptr(GError) error = NULL;
  gint64 card_id;

  if (self->scheduler == NULL || !sd_scheduler_can_undo (self->scheduler))
    return;

  self->answering = TRUE;
  card_id = sd_scheduler_undo (self->scheduler, &error);
  self->answering = FALSE;
  if (error != NULL)
    {
      message (self, error->message);
      return;
    }
  message (self, _("Undone"));
  if (card_id != 0)
    next_card (self);
  else
    update_actions (self);
}

static void
card_change (SdReviewPane *self,
             gboolean      suspend)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->card == NULL)
    return;
  self->answering = TRUE;
  ok = suspend ? sd_scheduler_suspend_card (self->scheduler, self->card->id, &error)
               : sd_scheduler_bury_card (self->scheduler, self->card->id, &error);
  self->answering = FALSE;
  if (!ok)
    {
      message (self, error->message);
      return;
    }
  message (self, suspend ? _("Card suspended") : _("Card buried until tomorrow"));
  next_card (self);
}

static void
bury_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  card_change (SD_REVIEW_PANE (widget), FALSE);
}

static void
suspend_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  card_change (SD_REVIEW_PANE (widget), TRUE);
}

static void
flag_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdReviewPane *self = SD_REVIEW_PANE (widget);
  g_autoptr(GError) error = NULL;
  int flag = g_variant_get_int32 (parameter);

  if (self->card == NULL)
    return;
  /* The same flag again takes it off, as in Anki. */
  if ((self->card->flags & 7) == flag)
    flag = 0;
  self->answering = TRUE;
  if (!sd_scheduler_set_flag (self->scheduler, self->card->id, flag, &error))
    message (self, error->message);
  else
    self->card->flags = (self->card->flags & ~7) | flag;
  self->answering = FALSE;
  update_actions (self);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdReviewPane *self = SD_REVIEW_PANE (widget);

  if (self->card != NULL)
    g_signal_emit (self, signals[EDIT_NOTE], 0, self->card->note_id, self->card->id);
}

static void
open_source_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdReviewPane *self = SD_REVIEW_PANE (widget);

  if (self->card != NULL)
    g_signal_emit (self, signals[OPEN_SOURCE], 0, self->card->id);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  stop_reviewing (SD_REVIEW_PANE (widget));
}

/* Another part of the app changed the collection (an import, a rescan):
 * the overview shows fresh counts; a running review keeps its card. */
static void
collection_changed_cb (SdReviewPane *self)
{
  if (self->answering)
    return;
  if (self->scheduler == NULL)
    show_overview (self);
  else if (self->card != NULL)
    update_remaining (self);
}

/* ---- public API --------------------------------------------------------- */

void
sd_review_pane_set_collection (SdReviewPane *self,
                               SdCollection *collection)
{
  g_return_if_fail (SD_IS_REVIEW_PANE (self));

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  stop_reviewing (self);
  g_set_object (&self->collection, collection);
  if (collection != NULL)
    self->changed_id = g_signal_connect_object (collection, "changed",
                                                G_CALLBACK (collection_changed_cb), self,
                                                G_CONNECT_SWAPPED);
  show_overview (self);
}

void
sd_review_pane_show_deck (SdReviewPane *self,
                          gint64        deck_id)
{
  g_return_if_fail (SD_IS_REVIEW_PANE (self));

  g_clear_pointer (&self->card, sd_card_free);
  g_clear_object (&self->scheduler);
  self->deck_id = deck_id;
  show_overview (self);
  update_actions (self);
  update_asking (self);
}

/**
 * sd_review_pane_study:
 *
 * Starts reviewing the shown deck.
 */
gboolean
sd_review_pane_study (SdReviewPane  *self,
                      GError       **error)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), FALSE);

  if (self->collection == NULL || self->deck_id == 0)
    return FALSE;

  g_clear_object (&self->scheduler);
  self->scheduler = sd_scheduler_new (self->collection, self->deck_id, error);
  if (self->scheduler == NULL)
    return FALSE;
  next_card (self);
  return TRUE;
}

/**
 * sd_review_pane_study_cards:
 * @card_ids: (element-type gint64): the cards
 *
 * Reviews a chosen set of cards, such as those written in one note.
 */
gboolean
sd_review_pane_study_cards (SdReviewPane  *self,
                            GArray        *card_ids,
                            GError       **error)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), FALSE);

  if (self->collection == NULL || card_ids == NULL || card_ids->len == 0)
    return FALSE;

  g_clear_object (&self->scheduler);
  self->scheduler = sd_scheduler_new_for_cards (self->collection, card_ids, error);
  if (self->scheduler == NULL)
    return FALSE;
  next_card (self);
  return TRUE;
}

void
sd_review_pane_show_error (SdReviewPane *self,
                           const char   *text)
{
  g_return_if_fail (SD_IS_REVIEW_PANE (self));

  adw_status_page_set_description (self->error_page, text);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/**
 * sd_review_pane_get_deck:
 *
 * Returns: the deck shown or studied, or 0 for none
 */
gint64
sd_review_pane_get_deck (SdReviewPane *self)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), 0);

  return self->deck_id;
}

const char *
sd_review_pane_get_page (SdReviewPane *self)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * sd_review_pane_get_card:
 *
 * Returns: (nullable): the card on screen
 */
const SdCard *
sd_review_pane_get_card (SdReviewPane *self)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), NULL);

  return self->card;
}

gboolean
sd_review_pane_is_revealed (SdReviewPane *self)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), FALSE);

  return self->revealed;
}

SdCardView *
sd_review_pane_get_card_view (SdReviewPane *self)
{
  g_return_val_if_fail (SD_IS_REVIEW_PANE (self), NULL);

  return self->card_view;
}

/* ---- GObject ------------------------------------------------------------ */

static void
sd_review_pane_dispose (GObject *object)
{
  SdReviewPane *self = SD_REVIEW_PANE (object);

  if (self->collection != NULL)
    g_clear_signal_handler (&self->changed_id, self->collection);
  g_clear_object (&self->collection);
  g_clear_object (&self->scheduler);
  g_clear_pointer (&self->card, sd_card_free);
  g_clear_pointer (&self->rendered, sd_rendered_card_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_REVIEW_PANE);

  G_OBJECT_CLASS (sd_review_pane_parent_class)->dispose (object);
}

static void
sd_review_pane_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SdReviewPane *self = SD_REVIEW_PANE (object);

  switch (prop_id)
    {
    case PROP_ASKING:
      g_value_set_boolean (value, self->asking);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_review_pane_class_init (SdReviewPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_review_pane_dispose;
  object_class->get_property = sd_review_pane_get_property;

  /**
   * SdReviewPane:asking:
   *
   * Whether a card's front is on screen and its answer is not yet: what
   * else is on screen should not give the answer away.
   */
  properties[PROP_ASKING] =
    g_param_spec_boolean ("asking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdReviewPane::card-shown:
   * @card_id: the card
   * @note_id: its note
   *
   * Emitted when a card's front appears, so its source note can be shown.
   */
  signals[CARD_SHOWN] = g_signal_new ("card-shown", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * SdReviewPane::edit-note:
   *
   * Emitted when the user asks to edit the note of the card on screen.
   */
  signals[EDIT_NOTE] = g_signal_new ("edit-note", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * SdReviewPane::open-source:
   *
   * Emitted when the user asks for the Markdown note the card came from.
   */
  signals[OPEN_SOURCE] = g_signal_new ("open-source", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * SdReviewPane::message:
   *
   * Emitted with what the pane told the user (also shown as a toast).
   */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, APP_PATH "/ui/sd-review-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, stack);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, overview_page);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, finished_page);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, error_page);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, new_label);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, learn_label);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, review_label);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, study_button);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, deck_label);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, remaining_new);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, remaining_learn);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, remaining_review);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, card_view);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, button_stack);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, show_answer_button);
  gtk_widget_class_bind_template_child (widget_class, SdReviewPane, answer_box);
  gtk_widget_class_bind_template_callback (widget_class, answer_requested_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "review.study", NULL, study_action);
  gtk_widget_class_install_action (widget_class, "review.reveal", NULL, reveal_action);
  gtk_widget_class_install_action (widget_class, "review.answer", "i", answer_action);
  gtk_widget_class_install_action (widget_class, "review.space", NULL, space_action);
  gtk_widget_class_install_action (widget_class, "review.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "review.bury", NULL, bury_action);
  gtk_widget_class_install_action (widget_class, "review.suspend", NULL, suspend_action);
  gtk_widget_class_install_action (widget_class, "review.flag", "i", flag_action);
  gtk_widget_class_install_action (widget_class, "review.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "review.open-source", NULL, open_source_action);
  gtk_widget_class_install_action (widget_class, "review.stop", NULL, stop_action);

  g_type_ensure (SD_TYPE_CARD_VIEW);
}

/* The review keys work wherever the focus is inside the pane (a button
 * that was just clicked, the card text), so they are caught on the way in;
 * while the type-answer entry has the focus, typing wins. */
static gboolean
key_cb (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  const char *action = user_data;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = GTK_IS_WINDOW (root) ? gtk_window_get_focus (GTK_WINDOW (root)) : NULL;
  gboolean typing = focus != NULL && GTK_IS_EDITABLE (focus);
  gboolean modified = g_str_has_prefix (action, "review.undo") || g_str_has_prefix (action, "review.flag");
  g_autofree char *name = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GError) error = NULL;

  if (typing && !modified)
    return FALSE;
  if (!g_action_parse_detailed_name (action, &name, &target, &error))
    return FALSE;
  return gtk_widget_activate_action_variant (widget, name, target);
}

static void
add_key (GtkShortcutController *controller,
         guint                  key,
         GdkModifierType        mods,
         const char            *detailed_action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (key, mods),
                                                          gtk_callback_action_new (key_cb,
                                                                                   (gpointer) detailed_action,
                                                                                   NULL)));
}

static void
add_review_keys (SdReviewPane *self)
{
  static const char *answers[4] = { "review.answer(1)", "review.answer(2)", "review.answer(3)",
                                    "review.answer(4)" };
  static const char *flags[7] = { "review.flag(1)", "review.flag(2)", "review.flag(3)",
                                  "review.flag(4)", "review.flag(5)", "review.flag(6)",
                                  "review.flag(7)" };
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *keys = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  add_key (keys, GDK_KEY_space, 0, "review.space");
  add_key (keys, GDK_KEY_Return, 0, "review.space");
  add_key (keys, GDK_KEY_KP_Enter, 0, "review.space");
  for (int i = 0; i < 4; i++)
    {
      add_key (keys, GDK_KEY_1 + i, 0, answers[i]);
      add_key (keys, GDK_KEY_KP_1 + i, 0, answers[i]);
    }
  for (int i = 0; i < 7; i++)
    add_key (keys, GDK_KEY_1 + i, GDK_CONTROL_MASK, flags[i]);
  add_key (keys, GDK_KEY_z, GDK_CONTROL_MASK, "review.undo");
  add_key (keys, GDK_KEY_minus, 0, "review.bury");
  add_key (keys, GDK_KEY_KP_Subtract, 0, "review.bury");
  add_key (keys, GDK_KEY_at, 0, "review.suspend");
  add_key (keys, GDK_KEY_at, GDK_SHIFT_MASK, "review.suspend");
  add_key (keys, GDK_KEY_e, 0, "review.edit");
  add_key (keys, GDK_KEY_o, 0, "review.open-source");
  add_key (keys, GDK_KEY_Escape, 0, "review.stop");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
sd_review_pane_init (SdReviewPane *self)
{
  static const char *names[4] = { N_("Again"), N_("Hard"), N_("Good"), N_("Easy") };
  static const char *styles[4] = { "answer-again", "answer-hard", "answer-good", "answer-easy" };

  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = 0; i < 4; i++)
    {
      GtkWidget *label = gtk_label_new (_(names[i]));
      GtkWidget *button = gtk_button_new ();

      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "review.answer");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", i + 1);
      gtk_widget_set_size_request (button, 96, 52);
      gtk_widget_add_css_class (button, styles[i]);
      gtk_box_append (self->answer_box, button);
      self->answer_buttons[i] = button;
    }
  add_review_keys (self);
  update_actions (self);
}
