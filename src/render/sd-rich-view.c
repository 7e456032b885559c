/* sd-rich-view.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-rich-view.h"

#include <adwaita.h>
#include <string.h>

#define MARGIN_X SD_RICH_TEXT_MARGIN
#define MARGIN_TOP 12
#define MARGIN_BOTTOM 24
#define QUOTE_BAR_WIDTH 3
#define MIN_LINE_PX 12
/* The narrowest text column a view asks for. */
#define MIN_TEXT_WIDTH 120
/* Time slices for freeing what the text shown before leaves behind, and
 * from what length that text waits for them (freeing a short one is quick,
 * and makes it go at once). */
#define RETIRE_SLICE_USEC 4000
#define RETIRE_MIN_CHARS 16384

/* Table and rule widgets are created when their anchor comes near the
 * visible part (a note with a thousand tables would otherwise spend seconds
 * measuring and allocating labels nobody sees): the ones that may be in
 * view before the next frame, the ones a screen or two away after it. */
typedef struct
{
  GtkTextChildAnchor *anchor;
  GtkWidget          *widget;      /* NULL until created */
  SdRichAnchorKind    kind;
  const SdRichTable  *table;
  int                 indent_px;
  int                 offset;
} Child;

struct _SdRichView
{
  GtkTextView  parent_instance;

  SdRichText  *text;
  GArray      *children;        /* Child */
  char        *current_heading;
  int          text_width;
  int          top_hint;        /* offset at the top while its lines are not laid out, or -1 */
  guint        children_idle;
  guint        margin_idle;
  guint        widths_idle;
  int          pending_width;
  gulong       vadj_handler;
  GtkAdjustment *vadj;
  char        *pending_slug;   /* a heading to place exactly once lines are measured */
  guint        place_id;
  GPtrArray   *retired;        /* the text shown before and its children, freed after the next frame */
  gulong       retire_handler;
  GdkFrameClock *retire_clock;
  guint        retire_id;
};

G_DEFINE_FINAL_TYPE (SdRichView, sd_rich_view, GTK_TYPE_TEXT_VIEW)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_CURRENT_HEADING,
  N_PROPS
};

enum {
  LINK_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const SdRichLink *
link_at_iter (SdRichView        *self,
              const GtkTextIter *iter)
{
  if (self->text == NULL)
    return NULL;

  return sd_rich_text_get_link_at_iter (self->text, iter);
}

/* Widget coordinates → the link under them, if the point is really over
 * the character (not past the end of a line). */
static const SdRichLink *
link_at_point (SdRichView *self,
               double      x,
               double      y)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextIter iter;
  GdkRectangle rect;
  int bx, by;

  if (self->text == NULL)
    return NULL;

  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by))
    return NULL;

  gtk_text_view_get_iter_location (view, &iter, &rect);
  if (bx < rect.x || bx > rect.x + MAX (rect.width, 1))
    return NULL;

  return link_at_iter (self, &iter);
}

gboolean
sd_rich_view_activate_link_at (SdRichView        *self,
                               const GtkTextIter *iter)
{
  const SdRichLink *link;
  g_autofree char *uri = NULL;
  gboolean handled = FALSE;

  g_return_val_if_fail (SD_IS_RICH_VIEW (self), FALSE);
  g_return_val_if_fail (iter != NULL, FALSE);

  link = link_at_iter (self, iter);
  if (link == NULL)
    return FALSE;

  /* The handler may replace the text (and free the link). */
  uri = g_strdup (link->uri);
  g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri, &handled);

  return TRUE;
}

static void
on_click_released (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   SdRichView      *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  const SdRichLink *link;
  g_autofree char *uri = NULL;
  gboolean handled = FALSE;

  if (n_press != 1 || gtk_text_buffer_get_has_selection (buffer))
    return;

  link = link_at_point (self, x, y);
  if (link == NULL)
    return;

  uri = g_strdup (link->uri);
  g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri, &handled);
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           SdRichView               *self)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   link_at_point (self, x, y) != NULL ? "pointer" : "text");
}

/**
 * sd_rich_view_focus_link:
 * @forward: the next link after the selection, or the one before it
 *
 * Selects the next (or previous) link and scrolls to it, so Enter opens it
 * (Tab and Shift+Tab do this in the view).
 *
 * Returns: FALSE if there is no link in that direction
 */
gboolean
sd_rich_view_focus_link (SdRichView *self,
                         gboolean    forward)
{
  GtkTextBuffer *buffer;
  GtkTextIter sel_start, sel_end, start, end;
  SdRichDoc *doc;
  const SdRichLink *found = NULL;
  int from;

  g_return_val_if_fail (SD_IS_RICH_VIEW (self), FALSE);

  if (self->text == NULL)
    return FALSE;

  buffer = sd_rich_text_get_buffer (self->text);
  doc = sd_rich_text_get_doc (self->text);
  gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end);

  if (forward)
    {
      /* With nothing selected, the link the caret is on counts. */
      from = gtk_text_buffer_get_has_selection (buffer) ? gtk_text_iter_get_offset (&sel_end)
                                                        : gtk_text_iter_get_offset (&sel_start);
      for (guint i = 0; i < sd_rich_doc_get_n_links (doc) && found == NULL; i++)
        if (sd_rich_doc_get_link (doc, i)->start >= from &&
            sd_rich_doc_get_link (doc, i)->end > sd_rich_doc_get_link (doc, i)->start)
          found = sd_rich_doc_get_link (doc, i);
    }
  else
    {
      from = gtk_text_iter_get_offset (&sel_start);
      for (guint i = sd_rich_doc_get_n_links (doc); i > 0 && found == NULL; i--)
        if (sd_rich_doc_get_link (doc, i - 1)->end <= from &&
            sd_rich_doc_get_link (doc, i - 1)->end > sd_rich_doc_get_link (doc, i - 1)->start)
          found = sd_rich_doc_get_link (doc, i - 1);
    }

  if (found == NULL)
    return FALSE;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, found->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, found->end);
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self), gtk_text_buffer_get_insert (buffer),
                                0.1, FALSE, 0.0, 0.0);

  return TRUE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SdRichView            *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;

  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab || keyval == GDK_KEY_ISO_Left_Tab) &&
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      /* Past the last link, Tab moves the focus on as usual. */
      return sd_rich_view_focus_link (self, keyval != GDK_KEY_ISO_Left_Tab &&
                                            (state & GDK_SHIFT_MASK) == 0);
    }

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);

  return sd_rich_view_activate_link_at (self, &start);
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  SdRichView *self)
{
  const SdRichLink *link;
  const char *shown;
  g_autofree char *owned = NULL;

  if (keyboard)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
      GtkTextIter iter;

      gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
      link = link_at_iter (self, &iter);
    }
  else
    {
      link = link_at_point (self, x, y);
    }

  if (link == NULL)
    return FALSE;

  shown = link->uri;
  if (link->kind == SD_RICH_LINK_WIKILINK)
    {
      /* "wikilink:Note#slug" reads as "Note › slug". */
      const char *target = link->uri + strlen (SD_RICH_WIKILINK_PREFIX);
      const char *hash = strchr (target, '#');

      if (hash != NULL)
        shown = owned = g_strdup_printf ("%.*s \u203a %s", (int) (hash - target), target, hash + 1);
      else
        shown = target;
    }

  /* A warning sign marks targets that do not exist (no words: nothing
   * here needs translating). */
  if (link->broken)
    {
      char *text = g_strdup_printf ("\u26a0 %s", shown);

      g_free (owned);
      shown = owned = text;
    }

  gtk_tooltip_set_text (tooltip, shown);

  return TRUE;
}

static void
update_current_heading (SdRichView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  const SdRichHeading *heading = NULL;
  const char *slug;
  GdkRectangle visible;
  GtkTextIter iter;

  if (self->text != NULL)
    {
      gtk_text_view_get_visible_rect (view, &visible);

      /* Scrolled to the end, the last sections can never reach the top:
       * then the last heading in view is the current one. */
      if (self->vadj != NULL &&
          gtk_adjustment_get_value (self->vadj) > 0 &&
          gtk_adjustment_get_value (self->vadj) >=
          gtk_adjustment_get_upper (self->vadj) - gtk_adjustment_get_page_size (self->vadj) - 1)
        gtk_text_view_get_line_at_y (view, &iter, visible.y + visible.height - 1, NULL);
      else
        gtk_text_view_get_line_at_y (view, &iter, visible.y + 4, NULL);

      heading = sd_rich_text_get_heading_at_offset (self->text, gtk_text_iter_get_offset (&iter));
    }

  slug = heading != NULL ? heading->slug : NULL;
  if (g_strcmp0 (slug, self->current_heading) == 0)
    return;

  g_free (self->current_heading);
  self->current_heading = g_strdup (slug);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_HEADING]);
}

static void queue_near_children (SdRichView *self);

/* The styles a long text has not applied yet, for the lines from @iter
 * down @height pixels: in lines, as in near_range(), since lines not laid
 * out yet have no height, but a line is at least MIN_LINE_PX high. */
static void
style_lines (SdRichView        *self,
             const GtkTextIter *iter,
             int                height)
{
  GtkTextIter end = *iter;

  if (self->text == NULL || sd_rich_text_is_complete (self->text) || height <= 0)
    return;

  gtk_text_iter_forward_lines (&end, height / MIN_LINE_PX + 1);
  sd_rich_text_ensure_styled (self->text, gtk_text_iter_get_offset (iter),
                              gtk_text_iter_get_offset (&end));
}

/* Before GtkTextView lays out the lines of a new buffer (or of a heading
 * scrolled to): the styles of the ones that can be in view. */
static void
style_top (SdRichView *self,
           int         height)
{
  GtkTextIter iter;

  if (self->text == NULL || self->top_hint < 0)
    return;

  /* Not allocated yet: a screen of a usual size, which it will need. */
  if (height <= 0)
    height = 900;

  gtk_text_buffer_get_iter_at_offset (sd_rich_text_get_buffer (self->text), &iter,
                                      self->top_hint);
  style_lines (self, &iter, height);
}

static void
on_vadjustment_value_changed (GtkAdjustment *adjustment,
                              SdRichView    *self)
{
  /* Scrolled past the styled start before idle time styled the rest (the
   * next screen too; GtkTextView lays the lines out again, in this frame). */
  if (self->text != NULL && !sd_rich_text_is_complete (self->text))
    {
      GdkRectangle visible;
      GtkTextIter iter;

      gtk_text_view_get_visible_rect (GTK_TEXT_VIEW (self), &visible);
      gtk_text_view_get_line_at_y (GTK_TEXT_VIEW (self), &iter, visible.y, NULL);
      style_lines (self, &iter, 2 * visible.height);
    }

  update_current_heading (self);
  queue_near_children (self);
}

static gboolean scroll_to_heading_now (SdRichView *self, const char *slug);

static void
on_notify_vadjustment (SdRichView *self)
{
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self));

  if (vadj == self->vadj)
    return;

  if (self->vadj != NULL)
    {
      g_clear_signal_handler (&self->vadj_handler, self->vadj);
    }
  g_set_object (&self->vadj, vadj);
  if (vadj != NULL)
    {
      self->vadj_handler = g_signal_connect (vadj, "value-changed",
                                             G_CALLBACK (on_vadjustment_value_changed), self);
    }
}

static void
on_dark_changed (AdwStyleManager *manager,
                 GParamSpec      *pspec,
                 SdRichView      *self)
{
  sd_rich_text_set_dark (adw_style_manager_get_dark (manager));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_table_link (const char *uri,
               gpointer    user_data)
{
  SdRichView *self = user_data;
  gboolean handled = FALSE;

  g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri, &handled);
}

static void
size_child (SdRichView *self,
            Child      *child)
{
  int avail;

  if (child->widget == NULL || self->text_width <= 0)
    return;

  /* A little slack: a child exactly as wide as the line would wrap. */
  avail = MAX (self->text_width - child->indent_px - 4, 8);

  if (child->kind == SD_RICH_ANCHOR_RULE)
    {
      gtk_widget_set_size_request (child->widget, avail, -1);
    }
  else
    {
      /* GtkTextView gives a child its minimum size, and the minimum height
       * of wrapping labels is the one for their narrowest width: set the
       * table's natural width (or all there is; wider tables scroll) and
       * the height for that width. */
      GtkScrolledWindow *frame = GTK_SCROLLED_WINDOW (child->widget);
      GtkWidget *grid = gtk_scrolled_window_get_child (frame);
      int min_width, natural, height;

      gtk_widget_measure (grid, GTK_ORIENTATION_HORIZONTAL, -1,
                          &min_width, &natural, NULL, NULL);
      natural = MIN (natural, avail);
      gtk_widget_measure (grid, GTK_ORIENTATION_VERTICAL, MAX (natural, min_width),
                          NULL, &height, NULL, NULL);
      /* A minimum above the old maximum is refused: lift the maximum first. */
      gtk_scrolled_window_set_max_content_width (frame, -1);
      gtk_scrolled_window_set_min_content_width (frame, natural);
      gtk_scrolled_window_set_max_content_width (frame, natural);
      gtk_scrolled_window_set_max_content_height (frame, -1);
      gtk_scrolled_window_set_min_content_height (frame, height);
      gtk_scrolled_window_set_max_content_height (frame, height);
    }
}

static void
create_child (SdRichView *self,
              Child      *child)
{
  if (child->kind == SD_RICH_ANCHOR_TABLE)
    {
      child->widget = sd_rich_text_create_table (child->table, on_table_link, self);
    }
  else
    {
      child->widget = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
      gtk_widget_add_css_class (child->widget, "sd-rule");
      gtk_widget_set_valign (child->widget, GTK_ALIGN_CENTER);
    }

  gtk_text_view_add_child_at_anchor (GTK_TEXT_VIEW (self), child->widget, child->anchor);
  size_child (self, child);
}

/* Binary search: the first child at or after @offset. */
static guint
find_child (SdRichView *self,
            int         offset)
{
  guint lo = 0, hi = self->children->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->children, Child, mid).offset < offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* The character range from @before screens above the top of the view to
 * @after screens below it, in lines, not pixels: lines not laid out yet
 * have no height, so a pixel range would reach the end of a long document.
 * A line is at least MIN_LINE_PX high. Where GtkTextView has laid the
 * lines out already, the end is the one it shows. FALSE before the view
 * has a size. */
static gboolean
near_range (SdRichView *self,
            int         before,
            int         after,
            int        *first,
            int        *last)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GdkRectangle visible;
  GtkTextIter top, iter;
  int y, height, bottom;

  gtk_text_view_get_visible_rect (view, &visible);
  if (visible.height <= 0)
    return FALSE;

  if (self->top_hint >= 0)
    gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (view), &top, self->top_hint);
  else
    gtk_text_view_get_line_at_y (view, &top, visible.y, NULL);

  iter = top;
  gtk_text_iter_backward_lines (&iter, before * visible.height / MIN_LINE_PX);
  *first = gtk_text_iter_get_offset (&iter);
  iter = top;
  gtk_text_iter_forward_lines (&iter, after * visible.height / MIN_LINE_PX + 1);
  *last = gtk_text_iter_get_offset (&iter);

  /* A line not laid out has no height: the line found at a y must cover
   * that y to count. */
  gtk_text_view_get_line_yrange (view, &top, &y, &height);
  bottom = MAX (y, visible.y) + after * visible.height;
  gtk_text_view_get_line_at_y (view, &iter, bottom, NULL);
  gtk_text_view_get_line_yrange (view, &iter, &y, &height);
  if (y <= bottom && bottom < y + height)
    {
      if (!gtk_text_iter_ends_line (&iter))
        gtk_text_iter_forward_to_line_end (&iter);
      *last = MIN (*last, gtk_text_iter_get_offset (&iter));
    }

  return TRUE;
}

/* Creates the children in [@first, @last]; with @budget_usec, stops after
 * that long. TRUE if it stopped before the end. */
static gboolean
create_children (SdRichView *self,
                 int         first,
                 int         last,
                 gint64      budget_usec)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = find_child (self, first); i < self->children->len; i++)
    {
      Child *child = &g_array_index (self->children, Child, i);

      if (child->offset > last)
        break;
      if (child->widget != NULL)
        continue;
      if (budget_usec > 0 && g_get_monotonic_time () - start > budget_usec)
        return TRUE;
      create_child (self, child);
    }

  return FALSE;
}

/* The children a screen above to two below, after the frame. */
static gboolean
create_margin_children (gpointer user_data)
{
  SdRichView *self = user_data;
  int first, last;

  if (self->text != NULL && near_range (self, 1, 3, &first, &last) &&
      create_children (self, first, last, 4000))
    return G_SOURCE_CONTINUE;

  self->margin_idle = 0;

  return G_SOURCE_REMOVE;
}

/* The children that may be in view: before the next frame's layout. */
static gboolean
create_near_children (gpointer user_data)
{
  SdRichView *self = user_data;
  int first, last;

  self->children_idle = 0;

  if (self->text == NULL || self->children->len == 0 ||
      !near_range (self, 0, 1, &first, &last))
    return G_SOURCE_REMOVE;

  create_children (self, first, last, 0);

  if (self->margin_idle == 0)
    {
      /* After the frame, not in one main loop step with late styles. */
      self->margin_idle = g_idle_add_full (GDK_PRIORITY_REDRAW + 3, create_margin_children,
                                           self, NULL);
      g_source_set_name_by_id (self->margin_idle, "[studydeck] rich view margin children");
    }

  return G_SOURCE_REMOVE;
}

static void
queue_near_children (SdRichView *self)
{
  if (self->children_idle != 0 || self->children->len == 0)
    return;

  /* Before the next frame's layout, and before GtkTextView's own idle
   * layout of the lines in view: a child added to lines laid out already
   * makes the frame lay them out and draw them again, which takes longer
   * (measured) than making a few children more by the line estimate. */
  self->children_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, create_near_children, self, NULL);
  g_source_set_name_by_id (self->children_idle, "[studydeck] rich view children");
}

/* Children and images follow the width text can take. */
static void
update_widths (SdRichView *self,
               int         view_width)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  int width = view_width - gtk_text_view_get_left_margin (view) -
              gtk_text_view_get_right_margin (view);

  width = MAX (width, 32);
  if (width == self->text_width)
    return;
  self->text_width = width;

  /* The same slack as children: an image as wide as the line would make
   * the view one pixel too wide. */
  if (self->text != NULL)
    sd_rich_text_set_max_width (self->text, width - 4);

  for (guint i = 0; i < self->children->len; i++)
    size_child (self, &g_array_index (self->children, Child, i));
}

/* Children are sized to the width the text has, and GtkTextView counts
 * them in its minimum: left alone, a view could grow but never shrink
 * again. Its minimum is the narrowest text; children follow the width. */
static void
sd_rich_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  GTK_WIDGET_CLASS (sd_rich_view_parent_class)->measure (widget, orientation, for_size,
                                                         minimum, natural,
                                                         minimum_baseline, natural_baseline);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      GtkTextView *view = GTK_TEXT_VIEW (widget);
      int narrowest = gtk_text_view_get_left_margin (view) +
                      gtk_text_view_get_right_margin (view) + MIN_TEXT_WIDTH;

      *minimum = MIN (*minimum, narrowest);
      *natural = MAX (*natural, *minimum);
    }
}

static gboolean
apply_pending_width (gpointer user_data)
{
  SdRichView *self = user_data;

  self->widths_idle = 0;
  update_widths (self, self->pending_width);

  return G_SOURCE_REMOVE;
}

static void
sd_rich_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  SdRichView *self = SD_RICH_VIEW (widget);

  /* Resizing children and images queues resizes up to the window; done
   * while the window is being allocated, the frame would paint ancestors
   * that lost their allocation. The next frame picks the new sizes up. */
  self->pending_width = width;
  if (self->widths_idle == 0)
    {
      self->widths_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_pending_width, self, NULL);
      g_source_set_name_by_id (self->widths_idle, "[studydeck] rich view widths");
    }

  /* A new view, or a taller one: lines not laid out yet, styled first. */
  style_top (self, height);

  GTK_WIDGET_CLASS (sd_rich_view_parent_class)->size_allocate (widget, width, height, baseline);

  /* The lines in view are laid out now. */
  self->top_hint = -1;

  update_current_heading (self);
  queue_near_children (self);
}

static void
sd_rich_view_snapshot_layer (GtkTextView      *view,
                             GtkTextViewLayer  layer,
                             GtkSnapshot      *snapshot)
{
  SdRichView *self = SD_RICH_VIEW (view);
  GtkTextBuffer *buffer;
  GdkRectangle visible;
  GdkRGBA bar_color = { 0.5f, 0.5f, 0.5f, 0.45f };
  GdkRGBA box_color = { 0.5f, 0.5f, 0.5f, 0.12f };
  int right;

  if (layer != GTK_TEXT_VIEW_LAYER_BELOW_TEXT || self->text == NULL)
    return;

  buffer = sd_rich_text_get_buffer (self->text);
  gtk_text_view_get_visible_rect (view, &visible);
  right = MAX (gtk_widget_get_width (GTK_WIDGET (self)), 2 * MARGIN_X) - MARGIN_X;

  for (guint i = 0; i < sd_rich_text_get_n_blocks (self->text); i++)
    {
      SdRichBlockKind kind;
      int start, end, x_px, trim, y0, h0, y1, h1;
      GtkTextIter it_start, it_end;

      sd_rich_text_get_block (self->text, i, &kind, &start, &end, &x_px, &trim);
      gtk_text_buffer_get_iter_at_offset (buffer, &it_start, start);
      gtk_text_view_get_line_yrange (view, &it_start, &y0, &h0);
      if (y0 > visible.y + visible.height)
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &it_end, MAX (end - 1, start));
      gtk_text_view_get_line_yrange (view, &it_end, &y1, &h1);
      if (y1 + h1 < visible.y)
        continue;

      if (kind == SD_RICH_BLOCK_QUOTE)
        {
          gtk_snapshot_append_color (snapshot, &bar_color,
                                     &GRAPHENE_RECT_INIT (MARGIN_X + x_px + 4, y0,
                                                          QUOTE_BAR_WIDTH, y1 + h1 - y0));
        }
      else
        {
          GskRoundedRect box;
          graphene_rect_t rect = GRAPHENE_RECT_INIT (MARGIN_X + x_px, y0,
                                                     MAX (right - (MARGIN_X + x_px), 1),
                                                     MAX (y1 + h1 - trim - y0, 1));

          gsk_rounded_rect_init_from_rect (&box, &rect, 6);
          gtk_snapshot_push_rounded_clip (snapshot, &box);
          gtk_snapshot_append_color (snapshot, &box_color, &rect);
          gtk_snapshot_pop (snapshot);
        }
    }
}

static gboolean
sd_rich_view_real_link_activated (SdRichView *self,
                                  const char *uri)
{
  if (sd_rich_link_classify (uri) == SD_RICH_LINK_ANCHOR)
    {
      sd_rich_view_scroll_to_heading (self, uri + 1);
      return TRUE;
    }

  return FALSE;
}

/* A frame clock drops its handlers when its window goes. */
static void
disconnect_retire_clock (SdRichView *self)
{
  if (self->retire_handler != 0 &&
      g_signal_handler_is_connected (self->retire_clock, self->retire_handler))
    g_signal_handler_disconnect (self->retire_clock, self->retire_handler);
  self->retire_handler = 0;
  g_clear_object (&self->retire_clock);
}

static void
release_retired (SdRichView *self)
{
  g_clear_handle_id (&self->retire_id, g_source_remove);
  disconnect_retire_clock (self);
  g_ptr_array_set_size (self->retired, 0);
}

static gboolean
release_retired_cb (gpointer user_data)
{
  SdRichView *self = user_data;
  gint64 start = g_get_monotonic_time ();

  while (self->retired->len > 0)
    {
      g_ptr_array_remove_index (self->retired, self->retired->len - 1);
      if (g_get_monotonic_time () - start > RETIRE_SLICE_USEC)
        return G_SOURCE_CONTINUE;
    }

  self->retire_id = 0;

  return G_SOURCE_REMOVE;
}

static void
on_retire_after_paint (GdkFrameClock *clock,
                       SdRichView    *self)
{
  disconnect_retire_clock (self);
  if (self->retire_id == 0)
    {
      self->retire_id = g_idle_add_full (G_PRIORITY_LOW, release_retired_cb, self, NULL);
      g_source_set_name_by_id (self->retire_id, "[studydeck] rich view release");
    }
}

/* Keeps @object (the caller's reference) until after the next frame: the
 * table widgets and the doc of a long text take milliseconds to free, and
 * what the view shows next should not wait for that. */
static void
retire (SdRichView *self,
        gpointer    object)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  /* Not shown: no frame to wait for (nor, maybe, to come). */
  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_object_unref (object);
      return;
    }

  g_ptr_array_add (self->retired, object);
  if (self->retire_id != 0)
    return;
  if (self->retire_clock != clock)
    {
      disconnect_retire_clock (self);
      self->retire_clock = g_object_ref (clock);
    }
  if (self->retire_handler == 0)
    self->retire_handler = g_signal_connect (clock, "after-paint",
                                             G_CALLBACK (on_retire_after_paint), self);
}

static void
clear_children (SdRichView *self)
{
  g_clear_handle_id (&self->children_idle, g_source_remove);
  g_clear_handle_id (&self->margin_idle, g_source_remove);
  g_clear_handle_id (&self->widths_idle, g_source_remove);
  g_array_set_size (self->children, 0);
}

static void
sd_rich_view_dispose (GObject *object)
{
  SdRichView *self = SD_RICH_VIEW (object);

  clear_children (self);
  release_retired (self);
  if (self->vadj != NULL)
    {
      g_clear_signal_handler (&self->vadj_handler, self->vadj);
    }
  g_clear_object (&self->vadj);
  g_clear_handle_id (&self->place_id, g_source_remove);
  g_clear_pointer (&self->pending_slug, g_free);

  G_OBJECT_CLASS (sd_rich_view_parent_class)->dispose (object);
}

static void
sd_rich_view_finalize (GObject *object)
{
  SdRichView *self = SD_RICH_VIEW (object);

  g_clear_object (&self->text);
  g_array_unref (self->children);
  g_ptr_array_unref (self->retired);
  g_free (self->current_heading);

  G_OBJECT_CLASS (sd_rich_view_parent_class)->finalize (object);
}

static void
sd_rich_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SdRichView *self = SD_RICH_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_object (value, self->text);
      break;

    case PROP_CURRENT_HEADING:
      g_value_set_string (value, self->current_heading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_rich_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SdRichView *self = SD_RICH_VIEW (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      sd_rich_view_set_text (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_rich_view_class_init (SdRichViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkTextViewClass *text_view_class = GTK_TEXT_VIEW_CLASS (klass);

  object_class->dispose = sd_rich_view_dispose;
  object_class->finalize = sd_rich_view_finalize;
  object_class->get_property = sd_rich_view_get_property;
  object_class->set_property = sd_rich_view_set_property;

  widget_class->measure = sd_rich_view_measure;
  widget_class->size_allocate = sd_rich_view_size_allocate;

  text_view_class->snapshot_layer = sd_rich_view_snapshot_layer;

  properties[PROP_TEXT] =
    g_param_spec_object ("text", NULL, NULL,
                         SD_TYPE_RICH_TEXT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  properties[PROP_CURRENT_HEADING] =
    g_param_spec_string ("current-heading", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdRichView::link-activated:
   * @uri: the link target (see SdRichLinkKind for the forms)
   *
   * Returns: TRUE if the link was handled
   */
  signals[LINK_ACTIVATED] =
    g_signal_new_class_handler ("link-activated",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (sd_rich_view_real_link_activated),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "textview");
}

static void
sd_rich_view_init (SdRichView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkGesture *click;
  GtkEventController *motion;
  GtkEventController *key;
  AdwStyleManager *manager;

  self->children = g_array_new (FALSE, FALSE, sizeof (Child));
  self->top_hint = -1;
  self->retired = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_text_view_set_editable (view, FALSE);
  gtk_text_view_set_cursor_visible (view, FALSE);
  gtk_text_view_set_wrap_mode (view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (view, MARGIN_X);
  gtk_text_view_set_right_margin (view, MARGIN_X);
  gtk_text_view_set_top_margin (view, MARGIN_TOP);
  gtk_text_view_set_bottom_margin (view, MARGIN_BOTTOM);
  gtk_text_view_set_pixels_below_lines (view, 0);
  gtk_text_view_set_pixels_inside_wrap (view, 2);
  gtk_widget_add_css_class (GTK_WIDGET (self), "sd-rich-view");

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);

  g_signal_connect (self, "notify::vadjustment", G_CALLBACK (on_notify_vadjustment), NULL);

  manager = adw_style_manager_get_default ();
  sd_rich_text_set_dark (adw_style_manager_get_dark (manager));
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_dark_changed), self, 0);

  /* Until a text is set: an empty buffer on the shared table. */
  {
    g_autoptr(GtkTextBuffer) empty = gtk_text_buffer_new (sd_rich_text_get_tag_table ());

    gtk_text_view_set_buffer (view, empty);
  }
}

GtkWidget *
sd_rich_view_new (void)
{
  return g_object_new (SD_TYPE_RICH_VIEW, NULL);
}

/* Shows the text's buffer and sets up its anchors. */
static void
attach_buffer (SdRichView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer;

  /* GtkTextView drops the children of the buffer it lets go of; they go
   * after the next frame too. */
  for (guint i = 0; i < self->children->len; i++)
    {
      GtkWidget *widget = g_array_index (self->children, Child, i).widget;

      if (widget != NULL)
        retire (self, g_object_ref (widget));
    }
  clear_children (self);
  self->text_width = 0;
  self->top_hint = 0;

  if (self->text == NULL)
    {
      g_autoptr(GtkTextBuffer) empty = gtk_text_buffer_new (sd_rich_text_get_tag_table ());

      gtk_text_view_set_buffer (view, empty);
      return;
    }

  buffer = sd_rich_text_get_buffer (self->text);
  style_top (self, gtk_widget_get_height (GTK_WIDGET (self)));
  gtk_text_view_set_buffer (view, buffer);

  for (guint i = 0; i < sd_rich_text_get_n_anchors (self->text); i++)
    {
      Child child = { 0, };

      child.anchor = sd_rich_text_get_anchor (self->text, i, &child.kind, &child.table,
                                              &child.indent_px);
      child.offset = sd_rich_text_get_anchor_offset (self->text, i);
      g_array_append_val (self->children, child);
    }

  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    update_widths (self, gtk_widget_get_width (GTK_WIDGET (self)));
  queue_near_children (self);
}

/**
 * sd_rich_view_set_text:
 * @text: (nullable): the rendered text to show
 *
 * Attaches @text's buffer (filled while detached) and creates the table and
 * rule widgets at its anchors as they come into view.
 */
void
sd_rich_view_set_text (SdRichView *self,
                       SdRichText *text)
{
  SdRichText *old;

  g_return_if_fail (SD_IS_RICH_VIEW (self));
  g_return_if_fail (text == NULL || SD_IS_RICH_TEXT (text));

  if (self->text == text)
    return;

  g_clear_pointer (&self->pending_slug, g_free);
  old = g_steal_pointer (&self->text);
  self->text = text != NULL ? g_object_ref (text) : NULL;

  attach_buffer (self);
  /* One still styling itself goes at once, which stops that. */
  if (old != NULL && sd_rich_text_is_complete (old) &&
      sd_rich_doc_get_length (sd_rich_text_get_doc (old)) >= RETIRE_MIN_CHARS)
    retire (self, g_steal_pointer (&old));
  g_clear_object (&old);

  update_current_heading (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

SdRichText *
sd_rich_view_get_text (SdRichView *self)
{
  g_return_val_if_fail (SD_IS_RICH_VIEW (self), NULL);

  return self->text;
}

/**
 * sd_rich_view_scroll_to_heading:
 * @slug: a heading slug ("intro", "intro-1")
 *
 * Scrolls so the heading is at the top.
 *
 * Returns: FALSE if there is no such heading
 */
gboolean
sd_rich_view_scroll_to_heading (SdRichView *self,
                                const char *slug)
{
  g_return_val_if_fail (SD_IS_RICH_VIEW (self), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);

  return scroll_to_heading_now (self, slug);
}

static gboolean
place_heading_cb (gpointer user_data)
{
  SdRichView *self = user_data;
  g_autofree char *slug = g_steal_pointer (&self->pending_slug);
  g_autofree char *name = NULL;
  GtkTextMark *mark;
  GtkTextIter iter;
  int y, height;

  self->place_id = 0;
  if (slug == NULL || self->text == NULL || self->vadj == NULL)
    return G_SOURCE_REMOVE;

  name = g_strconcat ("heading:", slug, NULL);
  mark = gtk_text_buffer_get_mark (sd_rich_text_get_buffer (self->text), name);
  if (mark == NULL)
    return G_SOURCE_REMOVE;

  /* scroll_to_mark() aligns the glyphs, cutting off the heading's space
   * above; once the lines are measured, put the whole line at the top. */
  gtk_text_buffer_get_iter_at_mark (sd_rich_text_get_buffer (self->text), &iter, mark);
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (self), &iter, &y, &height);
  gtk_adjustment_set_value (self->vadj, y + gtk_text_view_get_top_margin (GTK_TEXT_VIEW (self)));
  return G_SOURCE_REMOVE;
}

static gboolean
scroll_to_heading_now (SdRichView *self,
                       const char *slug)
{
  g_autofree char *name = NULL;
  GtkTextMark *mark;

  if (self->text == NULL)
    return FALSE;

  name = g_strconcat ("heading:", slug, NULL);
  mark = gtk_text_buffer_get_mark (sd_rich_text_get_buffer (self->text), name);
  if (mark == NULL)
    return FALSE;

  /* Its section is laid out with its styles (and children) right away. */
  {
    GtkTextIter iter;

    gtk_text_buffer_get_iter_at_mark (sd_rich_text_get_buffer (self->text), &iter, mark);
    self->top_hint = gtk_text_iter_get_offset (&iter);
    style_top (self, gtk_widget_get_height (GTK_WIDGET (self)));
    queue_near_children (self);
  }

  /* Lines are measured lazily: scroll_to_mark() waits for the measuring,
   * and the exact placement follows when the view is idle again. */
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self), mark, 0.0, TRUE, 0.0, 0.0);
  g_free (self->pending_slug);
  self->pending_slug = g_strdup (slug);
  g_clear_handle_id (&self->place_id, g_source_remove);
  self->place_id = g_idle_add_full (G_PRIORITY_LOW, place_heading_cb, self, NULL);
  return TRUE;
}

const char *
sd_rich_view_get_current_heading (SdRichView *self)
{
  g_return_val_if_fail (SD_IS_RICH_VIEW (self), NULL);

  return self->current_heading;
}
