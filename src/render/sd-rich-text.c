/* sd-rich-text.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-rich-text.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

/* U+FFFC OBJECT REPLACEMENT CHARACTER: what GtkTextBuffer reports for
 * paintables and child anchors, so the doc text matches the buffer text. */
#define OBJECT_CHAR "\xef\xbf\xbc"
#define OBJECT_CHAR_LEN 3

/* ------------------------------------------------------------------------
 * Part 1: the document model (GLib only)
 * ------------------------------------------------------------------------ */

struct _SdRichDoc
{
  gatomicrefcount  ref_count;
  GString         *text;
  int              length;       /* characters in text */
  GArray          *ops;          /* SdRichOp */
  /* NULL until used (a table cell is a doc of its own, mostly plain). */
  GArray          *links;        /* SdRichLink */
  GArray          *images;       /* SdRichImage */
  GPtrArray       *tables;       /* SdRichTable */
  GArray          *headings;     /* SdRichHeading */
  GPtrArray       *strings;      /* interned (char *); NULL until used */
  GHashTable      *string_index; /* string → index + 1 */
  GArray          *widgets;      /* SdRichWidget; NULL until used */
  GArray          *ranges;       /* SdRichRange; NULL until used */
  guint            link_depth;
  guint            open_link;
};

G_DEFINE_BOXED_TYPE (SdRichDoc, sd_rich_doc, sd_rich_doc_ref, sd_rich_doc_unref)

static void
clear_link (gpointer data)
{
  SdRichLink *link = data;

  g_free (link->uri);
}

static void
clear_image (gpointer data)
{
  SdRichImage *image = data;

  g_free (image->path);
  g_free (image->alt);
}

static void
clear_heading (gpointer data)
{
  SdRichHeading *heading = data;

  g_free (heading->text);
  g_free (heading->slug);
}

static void
clear_widget (gpointer data)
{
  SdRichWidget *widget = data;

  g_free (widget->kind);
  g_free (widget->data);
}

static void
clear_range (gpointer data)
{
  SdRichRange *range = data;

  g_free (range->name);
}

SdRichDoc *
sd_rich_doc_new (void)
{
  return sd_rich_doc_new_sized (0);
}

/* @size_hint: expected text length in bytes (e.g. the source's), so big
 * documents do not grow their buffers step by step. */
SdRichDoc *
sd_rich_doc_new_sized (gsize size_hint)
{
  SdRichDoc *doc = g_new0 (SdRichDoc, 1);

  g_atomic_ref_count_init (&doc->ref_count);
  doc->text = g_string_sized_new (size_hint + 16);
  doc->ops = g_array_sized_new (FALSE, FALSE, sizeof (SdRichOp), (guint) (size_hint / 8 + 16));

  return doc;
}

static GArray *
new_array (gsize          element_size,
           GDestroyNotify clear)
{
  GArray *array = g_array_new (FALSE, FALSE, (guint) element_size);

  g_array_set_clear_func (array, clear);

  return array;
}

SdRichDoc *
sd_rich_doc_ref (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  g_atomic_ref_count_inc (&doc->ref_count);

  return doc;
}

void
sd_rich_doc_unref (SdRichDoc *doc)
{
  g_return_if_fail (doc != NULL);

  if (!g_atomic_ref_count_dec (&doc->ref_count))
    return;

  g_string_free (doc->text, TRUE);
  g_array_unref (doc->ops);
  g_clear_pointer (&doc->links, g_array_unref);
  g_clear_pointer (&doc->images, g_array_unref);
  g_clear_pointer (&doc->tables, g_ptr_array_unref);
  g_clear_pointer (&doc->headings, g_array_unref);
  g_clear_pointer (&doc->strings, g_ptr_array_unref);
  g_clear_pointer (&doc->string_index, g_hash_table_unref);
  g_clear_pointer (&doc->widgets, g_array_unref);
  g_clear_pointer (&doc->ranges, g_array_unref);
  g_free (doc);
}

static SdRichOp *
append_op (SdRichDoc    *doc,
           SdRichOpKind  kind)
{
  SdRichOp op = { 0, };

  op.kind = kind;
  op.offset = doc->length;
  op.text_start = doc->text->len;
  g_array_append_val (doc->ops, op);

  return &g_array_index (doc->ops, SdRichOp, doc->ops->len - 1);
}

void
sd_rich_doc_push (SdRichDoc   *doc,
                  SdRichStyle  style,
                  guint        arg)
{
  SdRichOp *op;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (style < SD_RICH_N_STYLES);

  op = append_op (doc, SD_RICH_OP_PUSH);
  op->style = style;
  op->arg = arg;
}

void
sd_rich_doc_pop (SdRichDoc   *doc,
                 SdRichStyle  style,
                 guint        arg)
{
  SdRichOp *op;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (style < SD_RICH_N_STYLES);

  op = append_op (doc, SD_RICH_OP_POP);
  op->style = style;
  op->arg = arg;
}

/* Characters in valid UTF-8: the bytes that do not continue a sequence
 * (a plain loop the compiler vectorises; g_utf8_strlen() is much slower). */
static int
count_chars (const char *text,
             gsize       length)
{
  const guchar *p = (const guchar *) text;
  int n = 0;

  for (gsize i = 0; i < length; i++)
    n += (p[i] & 0xc0) != 0x80;

  return n;
}

/* Appends raw bytes that are known to be valid UTF-8 as one text op,
 * merging with a text op right before it. */
static void
append_text (SdRichDoc  *doc,
             const char *text,
             gsize       length)
{
  SdRichOp *last = NULL;

  if (length == 0)
    return;

  if (doc->ops->len > 0)
    last = &g_array_index (doc->ops, SdRichOp, doc->ops->len - 1);

  if (last != NULL && last->kind == SD_RICH_OP_TEXT)
    {
      last->text_len += length;
    }
  else
    {
      SdRichOp *op = append_op (doc, SD_RICH_OP_TEXT);

      op->text_len = length;
    }

  g_string_append_len (doc->text, text, length);
  doc->length += count_chars (text, length);
}

void
sd_rich_doc_text (SdRichDoc  *doc,
                  const char *text,
                  gssize      length)
{
  const char *end;

  g_return_if_fail (doc != NULL);

  if (text == NULL)
    return;
  if (length < 0)
    length = strlen (text);

  if (g_utf8_validate (text, length, &end))
    {
      append_text (doc, text, length);
    }
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, length);

      append_text (doc, valid, strlen (valid));
    }
}

void
sd_rich_doc_end_paragraph (SdRichDoc *doc,
                           gboolean   gap)
{
  SdRichOp *op;

  g_return_if_fail (doc != NULL);

  op = append_op (doc, SD_RICH_OP_PARAGRAPH_END);
  op->arg = !!gap;
  op->text_len = 1;
  g_string_append_c (doc->text, '\n');
  doc->length++;
}

static void
append_object (SdRichDoc    *doc,
               SdRichOpKind  kind,
               guint         index,
               guint         arg)
{
  SdRichOp *op = append_op (doc, kind);

  op->index = index;
  op->arg = arg;
  op->text_len = OBJECT_CHAR_LEN;
  g_string_append_len (doc->text, OBJECT_CHAR, OBJECT_CHAR_LEN);
  doc->length++;
}

guint
sd_rich_doc_link_start (SdRichDoc      *doc,
                        const char     *uri,
                        SdRichLinkKind  kind,
                        gboolean        broken)
{
  SdRichLink link = { 0, };
  SdRichOp *op;

  g_return_val_if_fail (doc != NULL, G_MAXUINT);

  /* Links do not nest (CommonMark forbids it; HTML <a> inside a Markdown
   * link is ignored): the outer link wins. */
  if (doc->link_depth++ > 0)
    return G_MAXUINT;

  link.uri = g_strdup (uri != NULL ? uri : "");
  link.kind = kind;
  link.broken = broken;
  link.start = doc->length;
  link.end = doc->length;
  if (doc->links == NULL)
    doc->links = new_array (sizeof (SdRichLink), clear_link);
  g_array_append_val (doc->links, link);
  doc->open_link = doc->links->len - 1;

  op = append_op (doc, SD_RICH_OP_LINK_START);
  op->index = doc->open_link;

  return doc->open_link;
}

void
sd_rich_doc_link_end (SdRichDoc *doc)
{
  SdRichLink *link;
  SdRichOp *op;

  g_return_if_fail (doc != NULL);

  if (doc->link_depth == 0 || --doc->link_depth > 0)
    return;

  link = &g_array_index (doc->links, SdRichLink, doc->open_link);
  link->end = doc->length;

  op = append_op (doc, SD_RICH_OP_LINK_END);
  op->index = doc->open_link;
}

gboolean
sd_rich_doc_in_link (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);

  return doc->link_depth > 0;
}

void
sd_rich_doc_set_link_broken (SdRichDoc *doc,
                             guint      index,
                             gboolean   broken)
{
  g_return_if_fail (doc != NULL);
  g_return_if_fail (index < sd_rich_doc_get_n_links (doc));

  g_array_index (doc->links, SdRichLink, index).broken = !!broken;
}

void
sd_rich_doc_image (SdRichDoc  *doc,
                   const char *path,
                   const char *alt,
                   int         indent_px)
{
  sd_rich_doc_image_sized (doc, path, alt, indent_px, 0, 0);
}

/* @width, @height: the size the document asks for, in px (0: the picture's
 * own, or in proportion to the other); the view still shrinks it to fit. */
void
sd_rich_doc_image_sized (SdRichDoc  *doc,
                         const char *path,
                         const char *alt,
                         int         indent_px,
                         int         width,
                         int         height)
{
  SdRichImage image = { 0, };
  SdRichImage *stored;

  g_return_if_fail (doc != NULL);

  image.path = g_strdup (path);
  image.alt = g_strdup (alt != NULL ? alt : "");
  image.offset = doc->length;
  image.indent_px = indent_px;
  image.width = MAX (width, 0);
  image.height = MAX (height, 0);
  if (doc->images == NULL)
    doc->images = new_array (sizeof (SdRichImage), clear_image);
  g_array_append_val (doc->images, image);
  append_object (doc, SD_RICH_OP_IMAGE, doc->images->len - 1, 0);

  /* The alt text follows the image, hidden; it is revealed if the image
   * cannot be decoded, and it keeps offsets independent of that outcome. */
  stored = &g_array_index (doc->images, SdRichImage, doc->images->len - 1);
  stored->alt_start = doc->length;
  sd_rich_doc_push (doc, SD_RICH_STYLE_HIDDEN, 0);
  sd_rich_doc_text (doc, stored->alt, -1);
  sd_rich_doc_pop (doc, SD_RICH_STYLE_HIDDEN, 0);
  stored = &g_array_index (doc->images, SdRichImage, doc->images->len - 1);
  stored->alt_end = doc->length;
}

SdRichTable *
sd_rich_table_new (guint n_rows,
                   guint n_cols)
{
  SdRichTable *table = g_new0 (SdRichTable, 1);

  table->n_rows = n_rows;
  table->n_cols = n_cols;
  table->align = g_new0 (SdRichAlign, n_cols);
  table->cells = g_new0 (SdRichDoc *, (gsize) n_rows * n_cols);

  return table;
}

void
sd_rich_table_free (SdRichTable *table)
{
  if (table == NULL)
    return;

  for (gsize i = 0; i < (gsize) table->n_rows * table->n_cols; i++)
    g_clear_pointer (&table->cells[i], sd_rich_doc_unref);
  g_free (table->cells);
  g_free (table->align);
  g_free (table);
}

void
sd_rich_doc_table (SdRichDoc   *doc,
                   SdRichTable *table)
{
  g_return_if_fail (doc != NULL);
  g_return_if_fail (table != NULL);

  table->offset = doc->length;
  if (doc->tables == NULL)
    doc->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_rich_table_free);
  g_ptr_array_add (doc->tables, table);
  append_object (doc, SD_RICH_OP_TABLE, doc->tables->len - 1, 0);
}

void
sd_rich_doc_rule (SdRichDoc *doc,
                  int        indent_px)
{
  g_return_if_fail (doc != NULL);

  append_object (doc, SD_RICH_OP_RULE, 0, (guint) MAX (indent_px, 0));
}

void
sd_rich_doc_heading (SdRichDoc  *doc,
                     int         level,
                     const char *text,
                     const char *slug)
{
  SdRichHeading heading = { 0, };
  SdRichOp *op;

  g_return_if_fail (doc != NULL);

  heading.level = CLAMP (level, 1, 6);
  heading.text = g_strdup (text != NULL ? text : "");
  heading.slug = g_strdup (slug != NULL ? slug : "");
  heading.offset = doc->length;
  if (doc->headings == NULL)
    doc->headings = new_array (sizeof (SdRichHeading), clear_heading);
  g_array_append_val (doc->headings, heading);

  op = append_op (doc, SD_RICH_OP_HEADING_MARK);
  op->index = doc->headings->len - 1;
}

/**
 * sd_rich_doc_intern:
 * @string: a string a style refers to (SD_RICH_STYLE_FAMILY)
 *
 * Returns: the index of @string in the doc's string table, the same for
 *   equal strings
 */
guint
sd_rich_doc_intern (SdRichDoc  *doc,
                    const char *string)
{
  gpointer found;
  char *copy;

  g_return_val_if_fail (doc != NULL, 0);
  g_return_val_if_fail (string != NULL, 0);

  if (doc->strings == NULL)
    {
      doc->strings = g_ptr_array_new_with_free_func (g_free);
      doc->string_index = g_hash_table_new (g_str_hash, g_str_equal);
    }

  found = g_hash_table_lookup (doc->string_index, string);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  copy = g_strdup (string);
  g_ptr_array_add (doc->strings, copy);
  g_hash_table_insert (doc->string_index, copy, GUINT_TO_POINTER (doc->strings->len));

  return doc->strings->len - 1;
}

const char *
sd_rich_doc_get_string (SdRichDoc *doc,
                        guint      index)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (doc->strings != NULL && index < doc->strings->len, NULL);

  return g_ptr_array_index (doc->strings, index);
}

/**
 * sd_rich_doc_widget:
 * @kind: what the consumer should put there
 * @data: (nullable): its argument
 *
 * Appends the place of a widget the consumer creates (one U+FFFC).
 */
void
sd_rich_doc_widget (SdRichDoc  *doc,
                    const char *kind,
                    const char *data)
{
  SdRichWidget widget = { 0, };

  g_return_if_fail (doc != NULL);
  g_return_if_fail (kind != NULL);

  if (doc->widgets == NULL)
    {
      doc->widgets = g_array_new (FALSE, FALSE, sizeof (SdRichWidget));
      g_array_set_clear_func (doc->widgets, clear_widget);
    }

  widget.kind = g_strdup (kind);
  widget.data = g_strdup (data);
  widget.offset = doc->length;
  g_array_append_val (doc->widgets, widget);
  append_object (doc, SD_RICH_OP_WIDGET, doc->widgets->len - 1, 0);
}

guint
sd_rich_doc_get_n_widgets (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->widgets != NULL ? doc->widgets->len : 0;
}

const SdRichWidget *
sd_rich_doc_get_widget (SdRichDoc *doc,
                        guint      i)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (i < sd_rich_doc_get_n_widgets (doc), NULL);

  return &g_array_index (doc->widgets, SdRichWidget, i);
}

/* Names the character range [@start, @end). */
void
sd_rich_doc_add_range (SdRichDoc  *doc,
                       const char *name,
                       int         start,
                       int         end)
{
  SdRichRange range = { 0, };

  g_return_if_fail (doc != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (start <= end);

  if (doc->ranges == NULL)
    {
      doc->ranges = g_array_new (FALSE, FALSE, sizeof (SdRichRange));
      g_array_set_clear_func (doc->ranges, clear_range);
    }

  range.name = g_strdup (name);
  range.start = start;
  range.end = end;
  g_array_append_val (doc->ranges, range);
}

guint
sd_rich_doc_get_n_ranges (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->ranges != NULL ? doc->ranges->len : 0;
}

const SdRichRange *
sd_rich_doc_get_range (SdRichDoc *doc,
                       guint      i)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (i < sd_rich_doc_get_n_ranges (doc), NULL);

  return &g_array_index (doc->ranges, SdRichRange, i);
}

/* The first range called @name, or NULL. */
const SdRichRange *
sd_rich_doc_find_range (SdRichDoc  *doc,
                        const char *name)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < sd_rich_doc_get_n_ranges (doc); i++)
    {
      const SdRichRange *range = &g_array_index (doc->ranges, SdRichRange, i);

      if (g_str_equal (range->name, name))
        return range;
    }

  return NULL;
}

/**
 * sd_rich_doc_gap_last_paragraph:
 *
 * Gives the last paragraph end space below it, if nothing but style
 * changes came after it (an HTML block whose margin arrives after the line
 * was already ended by a <br>).
 *
 * Returns: FALSE if there is no such paragraph end
 */
gboolean
sd_rich_doc_gap_last_paragraph (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, FALSE);

  for (guint i = doc->ops->len; i > 0; i--)
    {
      SdRichOp *op = &g_array_index (doc->ops, SdRichOp, i - 1);

      if (op->kind == SD_RICH_OP_PARAGRAPH_END)
        {
          op->arg = TRUE;
          return TRUE;
        }
      if (op->kind != SD_RICH_OP_PUSH && op->kind != SD_RICH_OP_POP)
        return FALSE;
    }

  return FALSE;
}

const char *
sd_rich_doc_get_text (SdRichDoc *doc,
                      gsize     *length)
{
  g_return_val_if_fail (doc != NULL, NULL);

  if (length != NULL)
    *length = doc->text->len;

  return doc->text->str;
}

int
sd_rich_doc_get_length (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->length;
}

guint
sd_rich_doc_get_n_ops (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->ops->len;
}

const SdRichOp *
sd_rich_doc_get_op (SdRichDoc *doc,
                    guint      i)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (i < doc->ops->len, NULL);

  return &g_array_index (doc->ops, SdRichOp, i);
}

guint
sd_rich_doc_get_n_links (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->links != NULL ? doc->links->len : 0;
}

const SdRichLink *
sd_rich_doc_get_link (SdRichDoc *doc,
                      guint      i)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (i < sd_rich_doc_get_n_links (doc), NULL);

  return &g_array_index (doc->links, SdRichLink, i);
}

/* Links are stored in document order and do not overlap: binary search. */
const SdRichLink *
sd_rich_doc_find_link (SdRichDoc *doc,
                       int        offset)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (doc != NULL, NULL);

  hi = sd_rich_doc_get_n_links (doc);
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const SdRichLink *link = &g_array_index (doc->links, SdRichLink, mid);

      if (offset < link->start)
        hi = mid;
      else if (offset >= link->end)
        lo = mid + 1;
      else
        return link;
    }

  return NULL;
}

guint
sd_rich_doc_get_n_images (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->images != NULL ? doc->images->len : 0;
}

const SdRichImage *
sd_rich_doc_get_image (SdRichDoc *doc,
                       guint      i)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (i < sd_rich_doc_get_n_images (doc), NULL);

  return &g_array_index (doc->images, SdRichImage, i);
}

guint
sd_rich_doc_get_n_tables (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->tables != NULL ? doc->tables->len : 0;
}

const SdRichTable *
sd_rich_doc_get_table (SdRichDoc *doc,
                       guint      i)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (i < sd_rich_doc_get_n_tables (doc), NULL);

  return g_ptr_array_index (doc->tables, i);
}

guint
sd_rich_doc_get_n_headings (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->headings != NULL ? doc->headings->len : 0;
}

const SdRichHeading *
sd_rich_doc_get_heading (SdRichDoc *doc,
                         guint      i)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (i < sd_rich_doc_get_n_headings (doc), NULL);

  return &g_array_index (doc->headings, SdRichHeading, i);
}

const SdRichHeading *
sd_rich_doc_find_heading (SdRichDoc  *doc,
                          const char *slug)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (slug != NULL, NULL);

  for (guint i = 0; i < sd_rich_doc_get_n_headings (doc); i++)
    {
      const SdRichHeading *heading = &g_array_index (doc->headings, SdRichHeading, i);

      if (g_str_equal (heading->slug, slug))
        return heading;
    }

  return NULL;
}

static const char * const style_names[SD_RICH_N_STYLES] = {
  [SD_RICH_STYLE_STRONG] = "strong",
  [SD_RICH_STYLE_EMPHASIS] = "emphasis",
  [SD_RICH_STYLE_UNDERLINE] = "underline",
  [SD_RICH_STYLE_STRIKE] = "strike",
  [SD_RICH_STYLE_CODE] = "code",
  [SD_RICH_STYLE_KBD] = "kbd",
  [SD_RICH_STYLE_MARK] = "mark",
  [SD_RICH_STYLE_SUBSCRIPT] = "subscript",
  [SD_RICH_STYLE_SUPERSCRIPT] = "superscript",
  [SD_RICH_STYLE_H1] = "h1",
  [SD_RICH_STYLE_H2] = "h2",
  [SD_RICH_STYLE_H3] = "h3",
  [SD_RICH_STYLE_H4] = "h4",
  [SD_RICH_STYLE_H5] = "h5",
  [SD_RICH_STYLE_H6] = "h6",
  [SD_RICH_STYLE_CODE_BLOCK] = "code-block",
  [SD_RICH_STYLE_QUOTE] = "quote",
  [SD_RICH_STYLE_MARKER] = "marker",
  [SD_RICH_STYLE_LITERAL] = "literal",
  [SD_RICH_STYLE_IMAGE_ALT] = "image-alt",
  [SD_RICH_STYLE_HIDDEN] = "hidden",
  [SD_RICH_STYLE_INDENT] = "indent",
  [SD_RICH_STYLE_PAD_TOP] = "pad-top",
  [SD_RICH_STYLE_PAD_BOTTOM] = "pad-bottom",
  [SD_RICH_STYLE_FOREGROUND] = "fg",
  [SD_RICH_STYLE_BACKGROUND] = "bg",
  [SD_RICH_STYLE_FAMILY] = "family",
  [SD_RICH_STYLE_SCALE] = "scale",
  [SD_RICH_STYLE_ALIGN] = "align",
};

const char *
sd_rich_style_to_string (SdRichStyle style)
{
  g_return_val_if_fail (style < SD_RICH_N_STYLES, NULL);

  return style_names[style];
}

static void
dump_text (GString    *out,
           const char *text,
           gsize       length)
{
  g_autofree char *copy = g_strndup (text, length);
  g_autofree char *escaped = g_strescape (copy, NULL);

  g_string_append_printf (out, " \"%s\"", escaped);
}

/* One line per op, for tests and debugging:
 *   push strong / pop strong / push indent 28/28 / text "abc" / end-paragraph gap
 *   link-start "https://x" external / link-end / image "/a.png" "alt" /
 *   table 2x3 / rule / heading 1 "slug" / widget "kind" "data" /
 *   push fg #rrggbbaa / push family "Arial" / push align center */
char *
sd_rich_doc_dump (SdRichDoc *doc)
{
  static const char * const kinds[] = { "external", "relative", "wikilink", "anchor", "other" };
  static const char * const align_names[] = { "none", "left", "center", "right", "justify" };
  GString *out;

  g_return_val_if_fail (doc != NULL, NULL);

  out = g_string_new (NULL);

  for (guint i = 0; i < doc->ops->len; i++)
    {
      const SdRichOp *op = &g_array_index (doc->ops, SdRichOp, i);

      switch (op->kind)
        {
        case SD_RICH_OP_TEXT:
          g_string_append (out, "text");
          dump_text (out, doc->text->str + op->text_start, op->text_len);
          break;

        case SD_RICH_OP_PUSH:
        case SD_RICH_OP_POP:
          g_string_append_printf (out, "%s %s", op->kind == SD_RICH_OP_PUSH ? "push" : "pop",
                                  style_names[op->style]);
          if (op->style == SD_RICH_STYLE_INDENT)
            g_string_append_printf (out, " %d/%d", SD_RICH_INDENT_CONTENT (op->arg),
                                    SD_RICH_INDENT_HANG (op->arg));
          else if (op->style == SD_RICH_STYLE_FOREGROUND ||
                   op->style == SD_RICH_STYLE_BACKGROUND)
            g_string_append_printf (out, " #%08x", op->arg);
          else if (op->style == SD_RICH_STYLE_FAMILY)
            dump_text (out, sd_rich_doc_get_string (doc, op->arg),
                       strlen (sd_rich_doc_get_string (doc, op->arg)));
          else if (op->style == SD_RICH_STYLE_ALIGN)
            g_string_append_printf (out, " %s", align_names[MIN (op->arg, 4)]);
          else if (op->arg != 0)
            g_string_append_printf (out, " %u", op->arg);
          break;

        case SD_RICH_OP_PARAGRAPH_END:
          g_string_append (out, op->arg ? "end-paragraph gap" : "end-paragraph");
          break;

        case SD_RICH_OP_LINK_START:
          {
            const SdRichLink *link = &g_array_index (doc->links, SdRichLink, op->index);

            g_string_append (out, "link-start");
            dump_text (out, link->uri, strlen (link->uri));
            g_string_append_printf (out, " %s%s", kinds[link->kind],
                                    link->broken ? " broken" : "");
          }
          break;

        case SD_RICH_OP_LINK_END:
          g_string_append (out, "link-end");
          break;

        case SD_RICH_OP_IMAGE:
          {
            const SdRichImage *image = &g_array_index (doc->images, SdRichImage, op->index);

            g_string_append (out, "image");
            if (image->path != NULL)
              dump_text (out, image->path, strlen (image->path));
            else
              g_string_append (out, " (none)");
            dump_text (out, image->alt, strlen (image->alt));
            if (image->width > 0 || image->height > 0)
              g_string_append_printf (out, " %dx%d", image->width, image->height);
          }
          break;

        case SD_RICH_OP_TABLE:
          {
            const SdRichTable *table = g_ptr_array_index (doc->tables, op->index);

            g_string_append_printf (out, "table %ux%u", table->n_rows, table->n_cols);
          }
          break;

        case SD_RICH_OP_RULE:
          g_string_append (out, "rule");
          break;

        case SD_RICH_OP_HEADING_MARK:
          {
            const SdRichHeading *heading = &g_array_index (doc->headings, SdRichHeading,
                                                           op->index);

            g_string_append_printf (out, "heading %d", heading->level);
            dump_text (out, heading->slug, strlen (heading->slug));
          }
          break;

        case SD_RICH_OP_WIDGET:
          {
            const SdRichWidget *widget = &g_array_index (doc->widgets, SdRichWidget, op->index);

            g_string_append (out, "widget");
            dump_text (out, widget->kind, strlen (widget->kind));
            if (widget->data != NULL)
              dump_text (out, widget->data, strlen (widget->data));
          }
          break;

        default:
          g_assert_not_reached ();
        }

      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

SdRichLinkKind
sd_rich_link_classify (const char *uri)
{
  const char *p;

  if (uri == NULL || uri[0] == '\0')
    return SD_RICH_LINK_OTHER;

  if (uri[0] == '#')
    return SD_RICH_LINK_ANCHOR;

  if (g_str_has_prefix (uri, SD_RICH_WIKILINK_PREFIX))
    return SD_RICH_LINK_WIKILINK;

  /* RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
  p = uri;
  if (g_ascii_isalpha (*p))
    {
      while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
        p++;

      /* One letter before ':' is a Windows drive, not a scheme. */
      if (*p == ':' && p - uri > 1)
        {
          gsize len = p - uri;

          if ((len == 4 && g_ascii_strncasecmp (uri, "http", 4) == 0) ||
              (len == 5 && g_ascii_strncasecmp (uri, "https", 5) == 0) ||
              (len == 6 && g_ascii_strncasecmp (uri, "mailto", 6) == 0))
            return SD_RICH_LINK_EXTERNAL;

          return SD_RICH_LINK_OTHER;
        }
    }

  /* "//host/path" is a network-path reference: not a note. */
  if (uri[0] == '/' && uri[1] == '/')
    return SD_RICH_LINK_OTHER;

  return SD_RICH_LINK_RELATIVE;
}

#ifndef SD_RICH_TEXT_NO_GTK

/* ------------------------------------------------------------------------
 * Part 2: the shared tag table
 * ------------------------------------------------------------------------ */

#define GAP_PX 10
#define PAD_PX 8

static GtkTextTagTable *shared_table;
static GtkTextTag *style_tags[SD_RICH_N_STYLES];
static GtkTextTag *gap_tag;
static GtkTextTag *gap_pad_tag;
static GtkTextTag *link_tag;
static GtkTextTag *link_broken_tag;
static gboolean table_dark;

static GtkTextTag *
add_tag (const char *name,
         const char *first_property,
         ...)
{
  GtkTextTag *tag = gtk_text_tag_new (name);
  va_list args;

  if (first_property != NULL)
    {
      va_start (args, first_property);
      g_object_set_valist (G_OBJECT (tag), first_property, args);
      va_end (args);
    }

  gtk_text_tag_table_add (shared_table, tag);
  g_object_unref (tag);

  return tag;
}

static void
set_rgba (GtkTextTag *tag,
          const char *property,
          const char *spec)
{
  GdkRGBA rgba;

  if (!gdk_rgba_parse (&rgba, spec))
    g_assert_not_reached ();

  g_object_set (tag, property, &rgba, NULL);
}

/* GtkTextTag colours are not CSS: the ones that must contrast with the
 * background are set per colour scheme; backgrounds are translucent and work
 * on both. */
static void
update_colors (void)
{
  gboolean dark = table_dark;
  const char *dim = dark ? "rgba(255,255,255,0.62)" : "rgba(0,0,0,0.58)";
  const char *dimmer = dark ? "rgba(255,255,255,0.5)" : "rgba(0,0,0,0.45)";

  set_rgba (style_tags[SD_RICH_STYLE_QUOTE], "foreground-rgba", dim);
  set_rgba (style_tags[SD_RICH_STYLE_MARKER], "foreground-rgba", dim);
  set_rgba (style_tags[SD_RICH_STYLE_LITERAL], "foreground-rgba", dimmer);
  set_rgba (style_tags[SD_RICH_STYLE_IMAGE_ALT], "foreground-rgba", dim);
  set_rgba (style_tags[SD_RICH_STYLE_H6], "foreground-rgba", dim);
  set_rgba (link_tag, "foreground-rgba", dark ? "#78aeed" : "#1c71d8");
  set_rgba (link_broken_tag, "foreground-rgba", dark ? "#ff7b63" : "#c01c28");
  set_rgba (link_broken_tag, "underline-rgba", dark ? "#ff7b63" : "#c01c28");
}

static void
ensure_table (void)
{
  static const double heading_scale[] = { 2.0, 1.6, 1.3, 1.15, 1.0, 0.9 };
  static const int heading_above[] = { 18, 16, 14, 12, 10, 10 };

  if (shared_table != NULL)
    return;

  shared_table = gtk_text_tag_table_new ();

  /* Creation order is priority order: later tags win. */
  gap_tag = add_tag ("gap", "pixels-below-lines", GAP_PX, NULL);
  style_tags[SD_RICH_STYLE_PAD_TOP] = add_tag ("pad-top", "pixels-above-lines", PAD_PX, NULL);
  style_tags[SD_RICH_STYLE_PAD_BOTTOM] = add_tag ("pad-bottom",
                                                  "pixels-below-lines", PAD_PX, NULL);
  gap_pad_tag = add_tag ("gap-pad", "pixels-below-lines", GAP_PX + PAD_PX, NULL);

  for (int level = 0; level < 6; level++)
    {
      char name[4] = { 'h', (char) ('1' + level), '\0' };

      style_tags[SD_RICH_STYLE_H1 + level] =
        add_tag (name,
                 "weight", level == 0 ? 800 : 700,
                 "scale", heading_scale[level],
                 "pixels-above-lines", heading_above[level],
                 NULL);
    }

  style_tags[SD_RICH_STYLE_QUOTE] = add_tag ("quote", NULL);
  /* The shaded box behind code blocks is drawn by SdRichView. */
  style_tags[SD_RICH_STYLE_CODE_BLOCK] =
    add_tag ("code-block",
             "family", "monospace",
             "wrap-mode", GTK_WRAP_CHAR,
             "right-margin", SD_RICH_TEXT_MARGIN + SD_RICH_CODE_PAD_PX,
             NULL);
  style_tags[SD_RICH_STYLE_MARKER] = add_tag ("marker", NULL);
  style_tags[SD_RICH_STYLE_STRONG] = add_tag ("strong", "weight", PANGO_WEIGHT_BOLD, NULL);
  style_tags[SD_RICH_STYLE_EMPHASIS] = add_tag ("emphasis", "style", PANGO_STYLE_ITALIC, NULL);
  style_tags[SD_RICH_STYLE_UNDERLINE] = add_tag ("underline",
                                                 "underline", PANGO_UNDERLINE_SINGLE, NULL);
  style_tags[SD_RICH_STYLE_STRIKE] = add_tag ("strike", "strikethrough", TRUE, NULL);
  style_tags[SD_RICH_STYLE_CODE] = add_tag ("code", "family", "monospace", NULL);
  set_rgba (style_tags[SD_RICH_STYLE_CODE], "background-rgba", "rgba(127,127,127,0.18)");
  style_tags[SD_RICH_STYLE_KBD] = add_tag ("kbd", "family", "monospace", NULL);
  set_rgba (style_tags[SD_RICH_STYLE_KBD], "background-rgba", "rgba(127,127,127,0.3)");
  style_tags[SD_RICH_STYLE_MARK] = add_tag ("mark", NULL);
  set_rgba (style_tags[SD_RICH_STYLE_MARK], "background-rgba", "rgba(246,211,45,0.45)");
  style_tags[SD_RICH_STYLE_SUBSCRIPT] = add_tag ("subscript",
                                                 "rise", -3 * PANGO_SCALE,
                                                 "scale", 0.8,
                                                 NULL);
  style_tags[SD_RICH_STYLE_SUPERSCRIPT] = add_tag ("superscript",
                                                   "rise", 6 * PANGO_SCALE,
                                                   "scale", 0.8,
                                                   NULL);
  style_tags[SD_RICH_STYLE_LITERAL] = add_tag ("literal", "family", "monospace", NULL);
  style_tags[SD_RICH_STYLE_IMAGE_ALT] = add_tag ("image-alt",
                                                 "style", PANGO_STYLE_ITALIC, NULL);
  link_tag = add_tag ("link", "underline", PANGO_UNDERLINE_SINGLE, NULL);
  link_broken_tag = add_tag ("link-broken", "underline", PANGO_UNDERLINE_ERROR, NULL);
  style_tags[SD_RICH_STYLE_HIDDEN] = add_tag ("hidden", "invisible", TRUE, NULL);

  update_colors ();
}

/**
 * sd_rich_text_get_tag_table:
 *
 * The tag table every rendered buffer shares (main thread only).
 *
 * Returns: (transfer none): the table
 */
GtkTextTagTable *
sd_rich_text_get_tag_table (void)
{
  ensure_table ();

  return shared_table;
}

/* Called by SdRichView on AdwStyleManager:dark. */
void
sd_rich_text_set_dark (gboolean dark)
{
  ensure_table ();

  if (table_dark == !!dark)
    return;

  table_dark = !!dark;
  update_colors ();
}

/* Indentation tags are few distinct (content, hang) pairs: created on
 * first use and kept in the shared table. */
static GtkTextTag *
get_indent_tag (guint arg)
{
  int content = SD_RICH_INDENT_CONTENT (arg);
  int hang = SD_RICH_INDENT_HANG (arg);
  char name[64];
  GtkTextTag *tag;

  g_snprintf (name, sizeof name, "indent-%d-%d", content, hang);
  tag = gtk_text_tag_table_lookup (shared_table, name);
  if (tag != NULL)
    return tag;

  /* A negative indent moves the wrapped lines right, so the first line
   * starts at content - hang (the marker) and the tab after the marker
   * reaches content. */
  tag = add_tag (name,
                 "left-margin", SD_RICH_TEXT_MARGIN + MAX (content - hang, 0),
                 "indent", -hang,
                 NULL);
  if (hang > 0)
    {
      PangoTabArray *tabs = pango_tab_array_new_with_positions (1, TRUE, PANGO_TAB_LEFT, hang);

      g_object_set (tag, "tabs", tabs, NULL);
      pango_tab_array_free (tabs);
    }

  return tag;
}

/* Styles with a value: one tag per distinct value, made on first use and
 * kept in the shared table (a card has a handful of colours and sizes). */
static GtkTextTag *
get_value_tag (SdRichDoc *doc,
               guint      style,
               guint      arg)
{
  static const char * const align_names[] = { "left", "left", "center", "right", "justify" };
  static const GtkJustification justify[] = {
    GTK_JUSTIFY_LEFT, GTK_JUSTIFY_LEFT, GTK_JUSTIFY_CENTER, GTK_JUSTIFY_RIGHT, GTK_JUSTIFY_FILL
  };
  g_autofree char *name = NULL;
  GtkTextTag *tag;

  switch (style)
    {
    case SD_RICH_STYLE_FOREGROUND:
      name = g_strdup_printf ("fg:#%08x", arg);
      break;
    case SD_RICH_STYLE_BACKGROUND:
      name = g_strdup_printf ("bg:#%08x", arg);
      break;
    case SD_RICH_STYLE_FAMILY:
      name = g_strconcat ("family:", sd_rich_doc_get_string (doc, arg), NULL);
      break;
    case SD_RICH_STYLE_SCALE:
      name = g_strdup_printf ("scale:%u", CLAMP (arg, 100u, 10000u));
      break;
    case SD_RICH_STYLE_ALIGN:
      name = g_strconcat ("align:", align_names[MIN (arg, 4u)], NULL);
      break;
    default:
      g_assert_not_reached ();
    }

  tag = gtk_text_tag_table_lookup (shared_table, name);
  if (tag != NULL)
    return tag;

  switch (style)
    {
    case SD_RICH_STYLE_FOREGROUND:
    case SD_RICH_STYLE_BACKGROUND:
      {
        GdkRGBA rgba = {
          ((arg >> 24) & 0xff) / 255.f,
          ((arg >> 16) & 0xff) / 255.f,
          ((arg >> 8) & 0xff) / 255.f,
          (arg & 0xff) / 255.f,
        };

        tag = add_tag (name, NULL);
        g_object_set (tag, style == SD_RICH_STYLE_FOREGROUND ? "foreground-rgba"
                                                             : "background-rgba", &rgba, NULL);
      }
      break;
    case SD_RICH_STYLE_FAMILY:
      tag = add_tag (name, "family", sd_rich_doc_get_string (doc, arg), NULL);
      break;
    case SD_RICH_STYLE_SCALE:
      tag = add_tag (name, "scale", CLAMP (arg, 100u, 10000u) / 1000.0, NULL);
      break;
    case SD_RICH_STYLE_ALIGN:
      tag = add_tag (name, "justification", justify[MIN (arg, 4u)], NULL);
      break;
    default:
      g_assert_not_reached ();
    }

  return tag;
}

static GtkTextTag *
get_style_tag (SdRichDoc *doc,
               guint      style,
               guint      arg)
{
  if (style == SD_RICH_STYLE_INDENT)
    return get_indent_tag (arg);
  if (style >= SD_RICH_STYLE_FOREGROUND)
    return get_value_tag (doc, style, arg);

  return style_tags[style];
}

/* ------------------------------------------------------------------------
 * Part 3: image paintables
 * ------------------------------------------------------------------------ */

/* A texture drawn at its own size, or scaled down (keeping its aspect
 * ratio) to the width the view gives it. Empty until the texture arrives. */
#define SD_TYPE_RICH_IMAGE (sd_rich_image_get_type ())
G_DECLARE_FINAL_TYPE (SdRichImagePaintable, sd_rich_image, SD, RICH_IMAGE, GObject)

struct _SdRichImagePaintable
{
  GObject     parent_instance;
  GdkTexture *texture;
  int         max_width;
  int         want_width;   /* asked for by the document; 0: natural */
  int         want_height;
};

static void sd_rich_image_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdRichImagePaintable, sd_rich_image, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      sd_rich_image_paintable_init))

static void
image_size (SdRichImagePaintable *self,
            int                  *width,
            int                  *height)
{
  int w = 0;
  int h = 0;

  if (self->texture != NULL)
    {
      w = gdk_texture_get_width (self->texture);
      h = gdk_texture_get_height (self->texture);

      if (self->want_width > 0 && self->want_height > 0)
        {
          w = self->want_width;
          h = self->want_height;
        }
      else if (self->want_width > 0)
        {
          h = MAX (1, (int) ((double) h * self->want_width / MAX (w, 1) + 0.5));
          w = self->want_width;
        }
      else if (self->want_height > 0)
        {
          w = MAX (1, (int) ((double) w * self->want_height / MAX (h, 1) + 0.5));
          h = self->want_height;
        }

      if (self->max_width > 0 && w > self->max_width)
        {
          h = MAX (1, (int) ((double) h * self->max_width / w + 0.5));
          w = self->max_width;
        }
    }

  *width = w;
  *height = h;
}

static int
sd_rich_image_get_intrinsic_width (GdkPaintable *paintable)
{
  int w, h;

  image_size (SD_RICH_IMAGE (paintable), &w, &h);

  return w;
}

static int
sd_rich_image_get_intrinsic_height (GdkPaintable *paintable)
{
  int w, h;

  image_size (SD_RICH_IMAGE (paintable), &w, &h);

  return h;
}

static void
sd_rich_image_snapshot (GdkPaintable *paintable,
                        GdkSnapshot  *snapshot,
                        double        width,
                        double        height)
{
  SdRichImagePaintable *self = SD_RICH_IMAGE (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static void
sd_rich_image_paintable_init (GdkPaintableInterface *iface)
{
  iface->get_intrinsic_width = sd_rich_image_get_intrinsic_width;
  iface->get_intrinsic_height = sd_rich_image_get_intrinsic_height;
  iface->snapshot = sd_rich_image_snapshot;
}

static void
sd_rich_image_finalize (GObject *object)
{
  SdRichImagePaintable *self = SD_RICH_IMAGE (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (sd_rich_image_parent_class)->finalize (object);
}

static void
sd_rich_image_class_init (SdRichImagePaintableClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_rich_image_finalize;
}

static void
sd_rich_image_init (SdRichImagePaintable *self)
{
}

static void
sd_rich_image_set_texture (SdRichImagePaintable *self,
                           GdkTexture           *texture)
{
  g_set_object (&self->texture, texture);
  gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

static void
sd_rich_image_set_max_width (SdRichImagePaintable *self,
                             int                   max_width)
{
  int old_w, old_h, new_w, new_h;

  if (self->max_width == max_width)
    return;

  image_size (self, &old_w, &old_h);
  self->max_width = max_width;
  image_size (self, &new_w, &new_h);

  if (old_w != new_w || old_h != new_h)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
}

/* Decoded textures, by file name and modification time, so re-rendering a
 * note (it changed on disk) does not decode its images again or make them
 * flicker. Main thread only; bounded in count and pixel bytes (very big
 * pictures are not kept), simply emptied when full. A replaced entry's
 * bytes stay counted until then. */
#define TEXTURE_CACHE_MAX 64
#define TEXTURE_CACHE_MAX_BYTES (192 * 1024 * 1024)
#define SYNC_LOAD_MAX_BYTES (256 * 1024)

typedef struct
{
  GdkTexture *texture;
  gint64      mtime;
} CachedTexture;

static GHashTable *texture_cache;
static gsize texture_cache_bytes;

static void
cached_texture_free (gpointer data)
{
  CachedTexture *cached = data;

  g_clear_object (&cached->texture);
  g_free (cached);
}

static GdkTexture *
texture_cache_lookup (const char *path,
                      gint64      mtime)
{
  CachedTexture *cached;

  if (texture_cache == NULL)
    return NULL;

  cached = g_hash_table_lookup (texture_cache, path);
  if (cached == NULL || cached->mtime != mtime)
    return NULL;

  return cached->texture;
}

static void
texture_cache_insert (const char *path,
                      gint64      mtime,
                      GdkTexture *texture)
{
  CachedTexture *cached;
  gsize bytes;

  if (texture_cache == NULL)
    texture_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cached_texture_free);

  bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  if (bytes > TEXTURE_CACHE_MAX_BYTES / 4)
    return;

  if (g_hash_table_size (texture_cache) >= TEXTURE_CACHE_MAX ||
      texture_cache_bytes + bytes > TEXTURE_CACHE_MAX_BYTES)
    {
      g_hash_table_remove_all (texture_cache);
      texture_cache_bytes = 0;
    }
  texture_cache_bytes += bytes;

  cached = g_new0 (CachedTexture, 1);
  cached->texture = g_object_ref (texture);
  cached->mtime = mtime;
  g_hash_table_insert (texture_cache, g_strdup (path), cached);
}

/* ------------------------------------------------------------------------
 * Part 4: SdRichText, the replay
 * ------------------------------------------------------------------------ */

typedef struct
{
  GtkTextChildAnchor *anchor;
  SdRichAnchorKind    kind;
  guint               table;
  int                 indent_px;
  int                 offset;
} AnchorEntry;

typedef struct
{
  GtkTextChildAnchor *anchor;
} WidgetEntry;

typedef struct
{
  SdRichImagePaintable *paintable;
  gint64                mtime;
  gboolean              loaded;
  gboolean              failed;
} ImageEntry;

struct _SdRichText
{
  GObject        parent_instance;

  SdRichDoc     *doc;
  GtkTextBuffer *buffer;
  GArray        *anchors;      /* AnchorEntry */
  GArray        *widgets;      /* WidgetEntry, parallel to the doc's widgets */
  GArray        *images;       /* ImageEntry, parallel to the doc's images */
  GArray        *blocks;       /* BlockRange */
  GCancellable  *cancellable;
  int            max_width;
  GArray        *objects;      /* ObjectPos: images and anchors in text order */
  GArray        *late;         /* TagRange by start, not applied yet; NULL when complete */
  guint          next_late;    /* the ones before it are applied */
  guint          late_source;
};

enum {
  PROP_0,
  PROP_BUFFER,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Applying a tag range costs GtkTextBuffer 1–2 µs, and a 100 KB note has
 * some 5 000 of them: more than the text itself. So the buffer gets all of
 * its text at once (offsets, marks and anchors are final at once), but only
 * the styles of its first SYNC_STYLE_CHARS characters, about a screen. The
 * others follow in idle time slices of LATE_SLICE_USEC, at a priority
 * between drawing a frame and GtkTextView's layout of the lines nobody sees
 * yet, so no frame waits long and no line is laid out twice. A view asks
 * for the styles of the part it shows first (sd_rich_text_ensure_styled()). */
#define SYNC_STYLE_CHARS 4096
#define LATE_SLICE_USEC 4000
#define LATE_PRIORITY (GDK_PRIORITY_REDRAW + 2)

G_DEFINE_FINAL_TYPE (SdRichText, sd_rich_text, G_TYPE_OBJECT)

typedef struct
{
  GtkTextTag *tag;          /* NULL once applied (or no longer wanted) */
  int         start;
  int         end;
} TagRange;

typedef struct
{
  SdRichBlockKind kind;
  int             start;
  int             end;
  int             x_px;
  int             trim_bottom;
} BlockRange;

typedef struct
{
  guint style;
  guint arg;
  int   start;
} OpenStyle;

typedef enum
{
  OBJECT_IMAGE,
  OBJECT_ANCHOR,
  OBJECT_WIDGET,
} ObjectKind;

typedef struct
{
  gsize      byte_pos;   /* of its U+FFFC in the doc text */
  ObjectKind kind;
  guint      index;      /* into images, anchors or widgets */
} ObjectPos;

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const TagRange *ra = a;
  const TagRange *rb = b;

  return (ra->start > rb->start) - (ra->start < rb->start);
}

static void
add_range (GArray     *ranges,
           GtkTextTag *tag,
           int         start,
           int         end)
{
  TagRange range = { tag, start, end };

  if (tag != NULL && end > start)
    g_array_append_val (ranges, range);
}

/* Sorts @ranges by start and joins the ones of a tag that touch or overlap
 * (the gaps of consecutive paragraphs, the indents of consecutive list
 * items): a character has a tag or not, however many ranges gave it, and
 * each range applied is a few toggles in the buffer's tree. */
static void
merge_ranges (GArray *ranges)
{
  /* The last kept range of each tag; a document uses a few dozen tags. */
  g_autoptr(GArray) last = g_array_new (FALSE, FALSE, sizeof (TagRange *));
  guint n = 0;

  g_array_sort (ranges, compare_ranges);

  for (guint i = 0; i < ranges->len; i++)
    {
      TagRange range = g_array_index (ranges, TagRange, i);
      TagRange *kept = &g_array_index (ranges, TagRange, n);
      guint j;

      for (j = 0; j < last->len; j++)
        if (g_array_index (last, TagRange *, j)->tag == range.tag)
          break;

      if (j < last->len && g_array_index (last, TagRange *, j)->end >= range.start)
        {
          TagRange *open = g_array_index (last, TagRange *, j);

          open->end = MAX (open->end, range.end);
          continue;
        }

      *kept = range;
      n++;
      if (j < last->len)
        g_array_index (last, TagRange *, j) = kept;
      else
        g_array_append_val (last, kept);
    }

  g_array_set_size (ranges, n);
}

/* Inserts the doc's text, images and anchors at the end of @buffer. */
static void
fill_text (SdRichText    *self,
           GtkTextBuffer *buffer)
{
  gsize text_len = 0;
  const char *text = sd_rich_doc_get_text (self->doc, &text_len);
  gsize pending = 0;
  GtkTextIter end;

  for (guint i = 0; i < self->objects->len; i++)
    {
      const ObjectPos *obj = &g_array_index (self->objects, ObjectPos, i);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (obj->byte_pos > pending)
        gtk_text_buffer_insert (buffer, &end, text + pending, obj->byte_pos - pending);

      if (obj->kind == OBJECT_IMAGE)
        {
          ImageEntry *entry = &g_array_index (self->images, ImageEntry, obj->index);

          gtk_text_buffer_insert_paintable (buffer, &end, GDK_PAINTABLE (entry->paintable));
        }
      else if (obj->kind == OBJECT_WIDGET)
        {
          WidgetEntry *entry = &g_array_index (self->widgets, WidgetEntry, obj->index);

          gtk_text_buffer_insert_child_anchor (buffer, &end, entry->anchor);
        }
      else
        {
          AnchorEntry *entry = &g_array_index (self->anchors, AnchorEntry, obj->index);

          gtk_text_buffer_insert_child_anchor (buffer, &end, entry->anchor);
        }

      pending = obj->byte_pos + OBJECT_CHAR_LEN;
    }

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (text_len > pending)
    gtk_text_buffer_insert (buffer, &end, text + pending, text_len - pending);
}

static void drop_late_range (SdRichText *self,
                             GtkTextTag *tag,
                             int         start);

static void
reveal_alt_text (SdRichText    *self,
                 GtkTextBuffer *buffer,
                 guint          i)
{
  const SdRichImage *image = sd_rich_doc_get_image (self->doc, i);
  GtkTextIter start, end;

  /* Its hidden style may not be applied yet: it must not come later. */
  drop_late_range (self, style_tags[SD_RICH_STYLE_HIDDEN], image->alt_start);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, image->alt_start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, image->alt_end);
  gtk_text_buffer_remove_tag (buffer, style_tags[SD_RICH_STYLE_HIDDEN], &start, &end);
  gtk_text_buffer_apply_tag (buffer, style_tags[SD_RICH_STYLE_IMAGE_ALT], &start, &end);
}

static void
load_image_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  GdkTexture *texture;

  texture = gdk_texture_new_from_filename (path, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
image_loaded (SdRichText *self,
              guint       i,
              GdkTexture *texture)
{
  ImageEntry *entry = &g_array_index (self->images, ImageEntry, i);

  if (texture == NULL)
    {
      entry->failed = TRUE;
      reveal_alt_text (self, self->buffer, i);
      return;
    }

  entry->loaded = TRUE;
  sd_rich_image_set_texture (entry->paintable, texture);
}

static void
load_image_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SdRichText *self = SD_RICH_TEXT (source);
  guint i = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (texture != NULL)
    {
      const SdRichImage *image = sd_rich_doc_get_image (self->doc, i);
      ImageEntry *entry = &g_array_index (self->images, ImageEntry, i);

      texture_cache_insert (image->path, entry->mtime, texture);
    }
  else
    {
      g_debug ("Cannot load image: %s", error->message);
    }

  image_loaded (self, i, texture);
}

/* Cached or small images are shown at once (no jump on the first frame);
 * big ones are decoded in a worker while their hidden alt text holds the
 * place. A missing file was already turned into alt text by the producer
 * (path NULL) or is found missing here. */
static void
start_image_loads (SdRichText *self)
{
  for (guint i = 0; i < self->images->len; i++)
    {
      const SdRichImage *image = sd_rich_doc_get_image (self->doc, i);
      ImageEntry *entry = &g_array_index (self->images, ImageEntry, i);
      GStatBuf st;
      GdkTexture *cached;
      g_autoptr(GTask) task = NULL;

      if (image->path == NULL || g_stat (image->path, &st) != 0 || !S_ISREG (st.st_mode))
        {
          image_loaded (self, i, NULL);
          continue;
        }

      entry->mtime = (gint64) st.st_mtime;
      cached = texture_cache_lookup (image->path, entry->mtime);
      if (cached != NULL)
        {
          image_loaded (self, i, cached);
          continue;
        }

      if (st.st_size <= SYNC_LOAD_MAX_BYTES)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (image->path, &error);

          if (texture != NULL)
            texture_cache_insert (image->path, entry->mtime, texture);
          else
            g_debug ("Cannot load image: %s", error->message);
          image_loaded (self, i, texture);
          continue;
        }

      task = g_task_new (self, self->cancellable, load_image_done, GUINT_TO_POINTER (i));
      g_task_set_source_tag (task, start_image_loads);
      g_task_set_task_data (task, g_strdup (image->path), g_free);
      g_task_run_in_thread (task, load_image_thread);
    }
}

static void
apply_range (GtkTextBuffer *buffer,
             TagRange      *range)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, range->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, range->end);
  gtk_text_buffer_apply_tag (buffer, range->tag, &start, &end);
  range->tag = NULL;
}

/* Applies the ranges [from, to) of @ranges that are still to apply, last
 * first: the buffer then finds the next toggle of each tag close by
 * (a tenth faster than in text order). */
static void
apply_ranges (GtkTextBuffer *buffer,
              GArray        *ranges,
              guint          from,
              guint          to)
{
  for (guint i = to; i > from; i--)
    {
      TagRange *range = &g_array_index (ranges, TagRange, i - 1);

      if (range->tag != NULL)
        apply_range (buffer, range);
    }
}

/* The first late range starting at or after @offset. */
static guint
find_late (SdRichText *self,
           int         offset)
{
  guint lo = self->next_late, hi = self->late->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->late, TagRange, mid).start < offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
late_done (SdRichText *self)
{
  while (self->next_late < self->late->len &&
         g_array_index (self->late, TagRange, self->next_late).tag == NULL)
    self->next_late++;

  if (self->next_late < self->late->len)
    return;

  g_clear_pointer (&self->late, g_array_unref);
  g_clear_handle_id (&self->late_source, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
drop_late_range (SdRichText *self,
                 GtkTextTag *tag,
                 int         start)
{
  if (self->late == NULL)
    return;

  for (guint i = find_late (self, start); i < self->late->len; i++)
    {
      TagRange *range = &g_array_index (self->late, TagRange, i);

      if (range->start != start)
        break;
      if (range->tag == tag)
        range->tag = NULL;
    }
}

/* One time slice of late styles; FALSE when all are applied. */
static gboolean
late_step (SdRichText *self)
{
  gint64 start = g_get_monotonic_time ();

  while (self->late != NULL)
    {
      guint from = self->next_late;
      guint to = MIN (from + 128, self->late->len);

      apply_ranges (self->buffer, self->late, from, to);
      self->next_late = to;
      late_done (self);

      if (g_get_monotonic_time () - start > LATE_SLICE_USEC)
        break;
    }

  return self->late != NULL;
}

static gboolean
late_styles_cb (gpointer user_data)
{
  SdRichText *self = user_data;

  if (late_step (self))
    return G_SOURCE_CONTINUE;

  self->late_source = 0;

  return G_SOURCE_REMOVE;
}

/* Heading marks, the cursor at the start. */
static void
finish_buffer (SdRichText    *self,
               GtkTextBuffer *buffer)
{
  GtkTextIter iter;

  for (guint i = 0; i < sd_rich_doc_get_n_headings (self->doc); i++)
    {
      const SdRichHeading *heading = sd_rich_doc_get_heading (self->doc, i);
      g_autofree char *name = g_strconcat ("heading:", heading->slug, NULL);

      if (gtk_text_buffer_get_mark (buffer, name) != NULL)
        continue;

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, heading->offset);
      gtk_text_buffer_create_mark (buffer, name, &iter, TRUE);
    }

  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
}

static GtkTextBuffer *
new_buffer (void)
{
  GtkTextBuffer *buffer = gtk_text_buffer_new (sd_rich_text_get_tag_table ());

  gtk_text_buffer_set_enable_undo (buffer, FALSE);

  return buffer;
}

static void
replay (SdRichText *self)
{
  SdRichDoc *doc = self->doc;
  const char *text = sd_rich_doc_get_text (doc, NULL);
  g_autoptr(GArray) ranges = g_array_sized_new (FALSE, FALSE, sizeof (TagRange), 1024);
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (OpenStyle));
  int line_start = 0;
  int pad_bottom = 0;
  gboolean last_gap = FALSE;
  guint n_sync;

  for (guint i = 0; i < sd_rich_doc_get_n_ops (doc); i++)
    {
      const SdRichOp *op = sd_rich_doc_get_op (doc, i);

      switch (op->kind)
        {
        case SD_RICH_OP_TEXT:
          {
            /* Multi-line text (code blocks): the last line starts after the
             * last newline. */
            const char *start = text + op->text_start;
            const char *nl = NULL;

            for (const char *p = start + op->text_len; p > start; p--)
              if (p[-1] == '\n')
                {
                  nl = p - 1;
                  break;
                }

            if (nl != NULL)
              line_start = op->offset + (int) g_utf8_strlen (start, nl + 1 - start);
          }
          break;

        case SD_RICH_OP_PUSH:
          {
            OpenStyle o = { op->style, op->arg, op->offset };

            g_array_append_val (open, o);
            if (op->style == SD_RICH_STYLE_PAD_BOTTOM)
              pad_bottom++;
          }
          break;

        case SD_RICH_OP_POP:
          for (guint j = open->len; j > 0; j--)
            {
              OpenStyle *o = &g_array_index (open, OpenStyle, j - 1);

              if (o->style == op->style && o->arg == op->arg)
                {
                  if (o->style == SD_RICH_STYLE_QUOTE || o->style == SD_RICH_STYLE_CODE_BLOCK)
                    {
                      BlockRange b = { 0, };

                      b.kind = o->style == SD_RICH_STYLE_QUOTE ? SD_RICH_BLOCK_QUOTE
                                                               : SD_RICH_BLOCK_CODE;
                      b.start = o->start;
                      b.end = op->offset;
                      b.x_px = (int) o->arg;
                      b.trim_bottom = o->style == SD_RICH_STYLE_CODE_BLOCK && last_gap ? GAP_PX : 0;
                      g_array_append_val (self->blocks, b);
                    }

                  if (o->style == SD_RICH_STYLE_PAD_BOTTOM)
                    pad_bottom--;
                  else
                    add_range (ranges, get_style_tag (doc, o->style, o->arg), o->start,
                               op->offset);
                  g_array_remove_index (open, j - 1);
                  break;
                }
            }
          break;

        case SD_RICH_OP_PARAGRAPH_END:
          last_gap = op->arg;
          if (pad_bottom > 0)
            add_range (ranges, op->arg ? gap_pad_tag : style_tags[SD_RICH_STYLE_PAD_BOTTOM],
                       line_start, op->offset + 1);
          else if (op->arg)
            add_range (ranges, gap_tag, line_start, op->offset + 1);
          line_start = op->offset + 1;
          break;

        case SD_RICH_OP_LINK_START:
        case SD_RICH_OP_LINK_END:
        case SD_RICH_OP_HEADING_MARK:
          break;

        case SD_RICH_OP_IMAGE:
          {
            ImageEntry entry = { 0, };
            ObjectPos obj = { op->text_start, OBJECT_IMAGE, self->images->len };

            entry.paintable = g_object_new (SD_TYPE_RICH_IMAGE, NULL);
            entry.paintable->want_width = sd_rich_doc_get_image (doc, op->index)->width;
            entry.paintable->want_height = sd_rich_doc_get_image (doc, op->index)->height;
            g_array_append_val (self->images, entry);
            g_array_append_val (self->objects, obj);
          }
          break;

        case SD_RICH_OP_TABLE:
        case SD_RICH_OP_RULE:
          {
            AnchorEntry entry = { 0, };
            ObjectPos obj = { op->text_start, OBJECT_ANCHOR, self->anchors->len };

            entry.anchor = gtk_text_child_anchor_new ();
            entry.offset = op->offset;
            if (op->kind == SD_RICH_OP_TABLE)
              {
                entry.kind = SD_RICH_ANCHOR_TABLE;
                entry.table = op->index;
                entry.indent_px = sd_rich_doc_get_table (doc, op->index)->indent_px;
              }
            else
              {
                entry.kind = SD_RICH_ANCHOR_RULE;
                entry.indent_px = (int) op->arg;
              }
            g_array_append_val (self->anchors, entry);
            g_array_append_val (self->objects, obj);
          }
          break;

        case SD_RICH_OP_WIDGET:
          {
            WidgetEntry entry = { 0, };
            ObjectPos obj = { op->text_start, OBJECT_WIDGET, self->widgets->len };

            entry.anchor = gtk_text_child_anchor_new ();
            g_array_append_val (self->widgets, entry);
            g_array_append_val (self->objects, obj);
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  /* Styles a producer left open end with the document. */
  for (guint j = 0; j < open->len; j++)
    {
      OpenStyle *o = &g_array_index (open, OpenStyle, j);

      if (o->style != SD_RICH_STYLE_PAD_BOTTOM)
        add_range (ranges, get_style_tag (doc, o->style, o->arg), o->start,
                   sd_rich_doc_get_length (doc));
    }

  for (guint i = 0; i < sd_rich_doc_get_n_links (doc); i++)
    {
      const SdRichLink *link = sd_rich_doc_get_link (doc, i);

      add_range (ranges, link_tag, link->start, link->end);
      if (link->broken)
        add_range (ranges, link_broken_tag, link->start, link->end);
    }

  merge_ranges (ranges);

  self->buffer = new_buffer ();
  fill_text (self, self->buffer);

  for (n_sync = 0; n_sync < ranges->len; n_sync++)
    if (g_array_index (ranges, TagRange, n_sync).start >= SYNC_STYLE_CHARS)
      break;
  apply_ranges (self->buffer, ranges, 0, n_sync);
  finish_buffer (self, self->buffer);

  if (n_sync < ranges->len)
    {
      self->late = g_steal_pointer (&ranges);
      self->next_late = n_sync;
      self->late_source = g_idle_add_full (LATE_PRIORITY, late_styles_cb, self, NULL);
      g_source_set_name_by_id (self->late_source, "[studydeck] late styles");
    }
}

/* Freeing a GtkTextBuffer takes about as long as styling it did (it takes
 * every tag of the table off the whole text, one at a time); deleting its
 * text from the end, a few pages at a time, takes a third of that and can
 * wait: long buffers that nobody else holds are freed that way, in low
 * priority idle time slices, after the text that showed them is gone. */
#define BURY_MIN_CHARS 16384
#define BURY_CHUNK_CHARS 8192
#define BURY_SLICE_USEC 4000

static GQueue buried = G_QUEUE_INIT;
static guint bury_source;

static gboolean
bury_step (gpointer user_data)
{
  gint64 start = g_get_monotonic_time ();

  while (!g_queue_is_empty (&buried))
    {
      GtkTextBuffer *buffer = g_queue_peek_head (&buried);
      int length = gtk_text_buffer_get_char_count (buffer);

      if (length > 0)
        {
          GtkTextIter from, to;

          gtk_text_buffer_get_iter_at_offset (buffer, &from, MAX (length - BURY_CHUNK_CHARS, 0));
          gtk_text_buffer_get_end_iter (buffer, &to);
          gtk_text_buffer_delete (buffer, &from, &to);
        }
      else
        {
          g_object_unref (g_queue_pop_head (&buried));
        }

      if (g_get_monotonic_time () - start > BURY_SLICE_USEC)
        return G_SOURCE_CONTINUE;
    }

  bury_source = 0;

  return G_SOURCE_REMOVE;
}

static void
release_buffer (GtkTextBuffer *buffer)
{
  if (G_OBJECT (buffer)->ref_count > 1 ||
      gtk_text_buffer_get_char_count (buffer) < BURY_MIN_CHARS)
    {
      g_object_unref (buffer);
      return;
    }

  g_queue_push_tail (&buried, buffer);
  if (bury_source == 0)
    {
      /* Not in one main loop step with other low priority work. */
      bury_source = g_idle_add_full (G_PRIORITY_LOW + 10, bury_step, NULL, NULL);
      g_source_set_name_by_id (bury_source, "[studydeck] free buffers");
    }
}

static void
sd_rich_text_dispose (GObject *object)
{
  SdRichText *self = SD_RICH_TEXT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->late_source, g_source_remove);
  g_clear_pointer (&self->late, g_array_unref);

  G_OBJECT_CLASS (sd_rich_text_parent_class)->dispose (object);
}

static void
sd_rich_text_finalize (GObject *object)
{
  SdRichText *self = SD_RICH_TEXT (object);

  for (guint i = 0; i < self->anchors->len; i++)
    g_object_unref (g_array_index (self->anchors, AnchorEntry, i).anchor);
  g_array_unref (self->anchors);
  for (guint i = 0; i < self->widgets->len; i++)
    g_object_unref (g_array_index (self->widgets, WidgetEntry, i).anchor);
  g_array_unref (self->widgets);
  g_array_unref (self->objects);
  for (guint i = 0; i < self->images->len; i++)
    g_object_unref (g_array_index (self->images, ImageEntry, i).paintable);
  g_array_unref (self->images);
  g_array_unref (self->blocks);
  if (self->buffer != NULL)
    release_buffer (g_steal_pointer (&self->buffer));
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->doc, sd_rich_doc_unref);

  G_OBJECT_CLASS (sd_rich_text_parent_class)->finalize (object);
}

static void
sd_rich_text_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SdRichText *self = SD_RICH_TEXT (object);

  switch (prop_id)
    {
    case PROP_BUFFER:
      g_value_set_object (value, self->buffer);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, sd_rich_text_is_complete (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_rich_text_class_init (SdRichTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_rich_text_dispose;
  object_class->finalize = sd_rich_text_finalize;
  object_class->get_property = sd_rich_text_get_property;

  /**
   * SdRichText:buffer:
   *
   * The buffer to show (always the same one).
   */
  properties[PROP_BUFFER] =
    g_param_spec_object ("buffer", NULL, NULL,
                         GTK_TYPE_TEXT_BUFFER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * SdRichText:complete:
   *
   * Whether every style is applied (longer documents get the styles past
   * their first screens in idle time).
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

gboolean
sd_rich_text_is_complete (SdRichText *self)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), FALSE);

  return self->late == NULL;
}

/* Applies every style now (tests, benchmarks, printing). */
void
sd_rich_text_complete (SdRichText *self)
{
  g_return_if_fail (SD_IS_RICH_TEXT (self));

  if (self->late == NULL)
    return;

  apply_ranges (self->buffer, self->late, self->next_late, self->late->len);
  self->next_late = self->late->len;
  late_done (self);
}

/**
 * sd_rich_text_ensure_styled:
 * @start: a character offset
 * @end: a character offset after it
 *
 * Applies the styles of the characters [@start, @end) that idle time has
 * not applied yet, such as the part a view is about to show.
 */
void
sd_rich_text_ensure_styled (SdRichText *self,
                            int         start,
                            int         end)
{
  guint to;

  g_return_if_fail (SD_IS_RICH_TEXT (self));

  if (self->late == NULL || end <= start)
    return;

  /* Ranges start in order, but a long one (a code block, paragraphs
   * merged) may begin well before @start. */
  to = find_late (self, end);
  for (guint i = to; i > self->next_late; i--)
    {
      TagRange *range = &g_array_index (self->late, TagRange, i - 1);

      if (range->tag != NULL && range->end > start)
        apply_range (self->buffer, range);
    }

  late_done (self);
}

static void
sd_rich_text_init (SdRichText *self)
{
  self->anchors = g_array_new (FALSE, FALSE, sizeof (AnchorEntry));
  self->widgets = g_array_new (FALSE, FALSE, sizeof (WidgetEntry));
  self->images = g_array_new (FALSE, FALSE, sizeof (ImageEntry));
  self->blocks = g_array_new (FALSE, FALSE, sizeof (BlockRange));
  self->objects = g_array_new (FALSE, FALSE, sizeof (ObjectPos));
  self->cancellable = g_cancellable_new ();
}

/**
 * sd_rich_text_new:
 * @doc: the operations to replay
 *
 * Fills a new buffer (not attached to any view) from @doc and starts
 * loading its images. Main thread.
 *
 * Returns: (transfer full): the rendered text
 */
SdRichText *
sd_rich_text_new (SdRichDoc *doc)
{
  SdRichText *self;

  g_return_val_if_fail (doc != NULL, NULL);

  self = g_object_new (SD_TYPE_RICH_TEXT, NULL);
  self->doc = sd_rich_doc_ref (doc);

  ensure_table ();
  replay (self);
  start_image_loads (self);

  return self;
}

SdRichDoc *
sd_rich_text_get_doc (SdRichText *self)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), NULL);

  return self->doc;
}

GtkTextBuffer *
sd_rich_text_get_buffer (SdRichText *self)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), NULL);

  return self->buffer;
}

const SdRichLink *
sd_rich_text_get_link_at_iter (SdRichText        *self,
                               const GtkTextIter *iter)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), NULL);
  g_return_val_if_fail (iter != NULL, NULL);

  return sd_rich_doc_find_link (self->doc, gtk_text_iter_get_offset (iter));
}

gboolean
sd_rich_text_get_heading_iter (SdRichText  *self,
                               const char  *slug,
                               GtkTextIter *iter)
{
  g_autofree char *name = NULL;
  GtkTextMark *mark;

  g_return_val_if_fail (SD_IS_RICH_TEXT (self), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);

  name = g_strconcat ("heading:", slug, NULL);
  mark = gtk_text_buffer_get_mark (self->buffer, name);
  if (mark == NULL)
    return FALSE;

  if (iter != NULL)
    gtk_text_buffer_get_iter_at_mark (self->buffer, iter, mark);

  return TRUE;
}

/* The last heading that starts at or before @offset, or NULL. */
const SdRichHeading *
sd_rich_text_get_heading_at_offset (SdRichText *self,
                                    int         offset)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (SD_IS_RICH_TEXT (self), NULL);

  hi = sd_rich_doc_get_n_headings (self->doc);
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (sd_rich_doc_get_heading (self->doc, mid)->offset <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo > 0 ? sd_rich_doc_get_heading (self->doc, lo - 1) : NULL;
}

guint
sd_rich_text_get_n_anchors (SdRichText *self)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), 0);

  return self->anchors->len;
}

GtkTextChildAnchor *
sd_rich_text_get_anchor (SdRichText         *self,
                         guint               i,
                         SdRichAnchorKind   *kind,
                         const SdRichTable **table,
                         int                *indent_px)
{
  const AnchorEntry *entry;

  g_return_val_if_fail (SD_IS_RICH_TEXT (self), NULL);
  g_return_val_if_fail (i < self->anchors->len, NULL);

  entry = &g_array_index (self->anchors, AnchorEntry, i);
  if (kind != NULL)
    *kind = entry->kind;
  if (table != NULL)
    *table = entry->kind == SD_RICH_ANCHOR_TABLE ?
             sd_rich_doc_get_table (self->doc, entry->table) : NULL;
  if (indent_px != NULL)
    *indent_px = entry->indent_px;

  return entry->anchor;
}

/* The character offset of anchor @i (without asking the buffer). */
int
sd_rich_text_get_anchor_offset (SdRichText *self,
                                guint       i)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), -1);
  g_return_val_if_fail (i < self->anchors->len, -1);

  return g_array_index (self->anchors, AnchorEntry, i).offset;
}

guint
sd_rich_text_get_n_widgets (SdRichText *self)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), 0);

  return self->widgets->len;
}

/* The anchor of the doc's widget @i. */
GtkTextChildAnchor *
sd_rich_text_get_widget_anchor (SdRichText *self,
                                guint       i)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), NULL);
  g_return_val_if_fail (i < self->widgets->len, NULL);

  return g_array_index (self->widgets, WidgetEntry, i).anchor;
}

guint
sd_rich_text_get_n_images (SdRichText *self)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), 0);

  return self->images->len;
}

GdkPaintable *
sd_rich_text_get_image (SdRichText *self,
                        guint       i)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), NULL);
  g_return_val_if_fail (i < self->images->len, NULL);

  return GDK_PAINTABLE (g_array_index (self->images, ImageEntry, i).paintable);
}

gboolean
sd_rich_text_image_is_loaded (SdRichText *self,
                              guint       i)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), FALSE);
  g_return_val_if_fail (i < self->images->len, FALSE);

  return g_array_index (self->images, ImageEntry, i).loaded;
}

/* The width images may take (the view's text width); each image also
 * leaves out its paragraph's indent. */
void
sd_rich_text_set_max_width (SdRichText *self,
                            int         width)
{
  g_return_if_fail (SD_IS_RICH_TEXT (self));

  if (self->max_width == width)
    return;

  self->max_width = width;
  for (guint i = 0; i < self->images->len; i++)
    {
      const SdRichImage *image = sd_rich_doc_get_image (self->doc, i);
      ImageEntry *entry = &g_array_index (self->images, ImageEntry, i);

      sd_rich_image_set_max_width (entry->paintable, MAX (width - image->indent_px, 16));
    }
}

guint
sd_rich_text_get_n_blocks (SdRichText *self)
{
  g_return_val_if_fail (SD_IS_RICH_TEXT (self), 0);

  return self->blocks->len;
}

void
sd_rich_text_get_block (SdRichText      *self,
                        guint            i,
                        SdRichBlockKind *kind,
                        int             *start,
                        int             *end,
                        int             *x_px,
                        int             *trim_bottom)
{
  const BlockRange *b;

  g_return_if_fail (SD_IS_RICH_TEXT (self));
  g_return_if_fail (i < self->blocks->len);

  b = &g_array_index (self->blocks, BlockRange, i);
  *kind = b->kind;
  *start = b->start;
  *end = b->end;
  *x_px = b->x_px;
  *trim_bottom = b->trim_bottom;
}

/* ------------------------------------------------------------------------
 * Part 5: tables
 * ------------------------------------------------------------------------ */

typedef struct
{
  guint    style;
  gboolean link;
  guint    arg;
} MarkupOpen;

/* Block styles have no meaning in a label. */
static gboolean
markup_has_style (guint style)
{
  return style < SD_RICH_STYLE_H1 ||
         style == SD_RICH_STYLE_LITERAL ||
         style == SD_RICH_STYLE_IMAGE_ALT ||
         style == SD_RICH_STYLE_MARKER ||
         (style >= SD_RICH_STYLE_FOREGROUND && style != SD_RICH_STYLE_ALIGN);
}

static void
markup_open (GString          *out,
             const MarkupOpen *o,
             SdRichDoc        *doc,
             guint             link_index)
{
  if (o->link)
    {
      const SdRichLink *link = sd_rich_doc_get_link (doc, link_index);
      g_autofree char *href = g_markup_escape_text (link->uri, -1);

      g_string_append_printf (out, "<a href=\"%s\">", href);
      if (link->broken)
        g_string_append (out, "<span underline=\"error\">");
      return;
    }

  switch (o->style)
    {
    case SD_RICH_STYLE_STRONG: g_string_append (out, "<b>"); break;
    case SD_RICH_STYLE_EMPHASIS: g_string_append (out, "<i>"); break;
    case SD_RICH_STYLE_UNDERLINE: g_string_append (out, "<u>"); break;
    case SD_RICH_STYLE_STRIKE: g_string_append (out, "<s>"); break;
    case SD_RICH_STYLE_SUBSCRIPT: g_string_append (out, "<sub>"); break;
    case SD_RICH_STYLE_SUPERSCRIPT: g_string_append (out, "<sup>"); break;
    case SD_RICH_STYLE_CODE:
    case SD_RICH_STYLE_KBD:
      g_string_append (out, "<span font_family=\"monospace\" bgcolor=\"#7f7f7f\" bgalpha=\"20%\">");
      break;
    case SD_RICH_STYLE_MARK:
      g_string_append (out, "<span bgcolor=\"#f6d32d\" bgalpha=\"45%\">");
      break;
    case SD_RICH_STYLE_LITERAL:
    case SD_RICH_STYLE_MARKER:
      g_string_append (out, "<span alpha=\"60%\">");
      break;
    case SD_RICH_STYLE_IMAGE_ALT:
      g_string_append (out, "<span alpha=\"70%\" style=\"italic\">");
      break;
    case SD_RICH_STYLE_FOREGROUND:
    case SD_RICH_STYLE_BACKGROUND:
      g_string_append_printf (out, "<span %s=\"#%08x\">",
                              o->style == SD_RICH_STYLE_FOREGROUND ? "foreground" : "background",
                              o->arg);
      break;
    case SD_RICH_STYLE_FAMILY:
      {
        g_autofree char *family = g_markup_escape_text (sd_rich_doc_get_string (doc, o->arg), -1);

        g_string_append_printf (out, "<span font_family=\"%s\">", family);
      }
      break;
    case SD_RICH_STYLE_SCALE:
      g_string_append_printf (out, "<span size=\"%u%%\">", CLAMP (o->arg, 100u, 10000u) / 10);
      break;
    default:
      g_string_append (out, "<span>");
      break;
    }
}

static void
markup_close (GString          *out,
              const MarkupOpen *o,
              SdRichDoc        *doc,
              guint             link_index)
{
  if (o->link)
    {
      if (sd_rich_doc_get_link (doc, link_index)->broken)
        g_string_append (out, "</span>");
      g_string_append (out, "</a>");
      return;
    }

  switch (o->style)
    {
    case SD_RICH_STYLE_STRONG: g_string_append (out, "</b>"); break;
    case SD_RICH_STYLE_EMPHASIS: g_string_append (out, "</i>"); break;
    case SD_RICH_STYLE_UNDERLINE: g_string_append (out, "</u>"); break;
    case SD_RICH_STYLE_STRIKE: g_string_append (out, "</s>"); break;
    case SD_RICH_STYLE_SUBSCRIPT: g_string_append (out, "</sub>"); break;
    case SD_RICH_STYLE_SUPERSCRIPT: g_string_append (out, "</sup>"); break;
    default: g_string_append (out, "</span>"); break;
    }
}

/**
 * sd_rich_doc_to_markup:
 * @doc: inline content (table cells, short card fields)
 *
 * Pango markup for @doc. Pops that do not match the innermost push (HTML
 * written out of order) close and reopen the spans in between, so the
 * markup always nests. Block structure becomes newlines; images their alt
 * text.
 *
 * Returns: (transfer full): markup
 */
static char *to_markup (SdRichDoc *doc,
                        gboolean   links);

char *
sd_rich_doc_to_markup (SdRichDoc *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return to_markup (doc, TRUE);
}

/* Without links: what pango_parse_markup() can check (GtkLabel handles
 * <a> itself). */
static gboolean
markup_is_valid (SdRichDoc *doc)
{
  g_autofree char *markup = to_markup (doc, FALSE);
  g_autofree char *bold = g_strconcat ("<b>", markup, "</b>", NULL);

  return pango_parse_markup (bold, -1, 0, NULL, NULL, NULL, NULL);
}

static char *
to_markup (SdRichDoc *doc,
           gboolean   links)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (MarkupOpen));
  GString *out = g_string_new (NULL);
  const char *text = sd_rich_doc_get_text (doc, NULL);
  guint link_index = 0;
  int hidden = 0;

  for (guint i = 0; i < sd_rich_doc_get_n_ops (doc); i++)
    {
      const SdRichOp *op = sd_rich_doc_get_op (doc, i);

      switch (op->kind)
        {
        case SD_RICH_OP_TEXT:
          if (hidden == 0)
            {
              g_autofree char *escaped = g_markup_escape_text (text + op->text_start,
                                                               op->text_len);

              g_string_append (out, escaped);
            }
          break;

        case SD_RICH_OP_PARAGRAPH_END:
          if (i + 1 < sd_rich_doc_get_n_ops (doc))
            g_string_append_c (out, '\n');
          break;

        case SD_RICH_OP_PUSH:
        case SD_RICH_OP_LINK_START:
          {
            MarkupOpen o = { op->style, op->kind == SD_RICH_OP_LINK_START, op->arg };

            if (o.link && !links)
              break;

            if (op->kind == SD_RICH_OP_PUSH && op->style == SD_RICH_STYLE_HIDDEN)
              {
                hidden++;
                break;
              }
            if (o.link)
              link_index = op->index;
            else if (!markup_has_style (op->style))
              break;
            g_array_append_val (stack, o);
            markup_open (out, &o, doc, link_index);
          }
          break;

        case SD_RICH_OP_POP:
        case SD_RICH_OP_LINK_END:
          {
            gboolean is_link = op->kind == SD_RICH_OP_LINK_END;
            guint j;

            if (is_link && !links)
              break;

            if (!is_link && op->style == SD_RICH_STYLE_HIDDEN)
              {
                hidden = MAX (hidden - 1, 0);
                break;
              }

            for (j = stack->len; j > 0; j--)
              {
                const MarkupOpen *o = &g_array_index (stack, MarkupOpen, j - 1);

                if (o->link == is_link &&
                    (is_link || (o->style == op->style && o->arg == op->arg)))
                  break;
              }
            if (j == 0)
              break;

            /* Close down to the match, drop it, reopen what was above. */
            for (guint k = stack->len; k >= j; k--)
              markup_close (out, &g_array_index (stack, MarkupOpen, k - 1), doc, link_index);
            g_array_remove_index (stack, j - 1);
            for (guint k = j - 1; k < stack->len; k++)
              markup_open (out, &g_array_index (stack, MarkupOpen, k), doc, link_index);
          }
          break;

        case SD_RICH_OP_IMAGE:
          {
            const SdRichImage *image = sd_rich_doc_get_image (doc, op->index);
            g_autofree char *escaped = g_markup_escape_text (image->alt, -1);

            g_string_append_printf (out, "<i>%s</i>", escaped);
          }
          break;

        case SD_RICH_OP_TABLE:
        case SD_RICH_OP_RULE:
        case SD_RICH_OP_HEADING_MARK:
        case SD_RICH_OP_WIDGET:
          break;

        default:
          g_assert_not_reached ();
        }
    }

  for (guint k = stack->len; k > 0; k--)
    markup_close (out, &g_array_index (stack, MarkupOpen, k - 1), doc, link_index);

  return g_string_free (out, FALSE);
}

typedef struct
{
  SdRichLinkFunc activate;
  gpointer       user_data;
} TableLinkData;

static gboolean
on_cell_activate_link (GtkLabel   *label,
                       const char *uri,
                       gpointer    user_data)
{
  TableLinkData *data = user_data;

  if (data->activate != NULL)
    data->activate (uri, data->user_data);

  return TRUE;
}

/* Cells up to this long do not wrap. */
#define TABLE_NOWRAP_CHARS 24

GtkWidget *
sd_rich_text_create_table (const SdRichTable *table,
                           SdRichLinkFunc     activate,
                           gpointer           user_data)
{
  GtkWidget *frame;
  GtkWidget *grid;
  TableLinkData *data;

  g_return_val_if_fail (table != NULL, NULL);

  data = g_new0 (TableLinkData, 1);
  data->activate = activate;
  data->user_data = user_data;

  frame = gtk_scrolled_window_new ();
  /* Its size is set by SdRichView from the grid's size at the text width
   * (a GtkTextView child gets its minimum size, and the minimum height of
   * wrapping labels is the one for their narrowest width). */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (frame),
                                  GTK_POLICY_AUTOMATIC, GTK_POLICY_EXTERNAL);
  gtk_widget_add_css_class (frame, "sd-table-frame");
  g_object_set_data_full (G_OBJECT (frame), "sd-table-link-data", data, g_free);

  grid = gtk_grid_new ();
  gtk_widget_add_css_class (grid, "sd-table");
  gtk_widget_set_halign (grid, GTK_ALIGN_START);

  for (guint r = 0; r < table->n_rows; r++)
    for (guint c = 0; c < table->n_cols; c++)
      {
        SdRichDoc *cell = table->cells[r * table->n_cols + c];
        g_autofree char *markup = cell != NULL ? sd_rich_doc_to_markup (cell) : g_strdup ("");
        GtkWidget *label = gtk_label_new (NULL);
        float xalign = 0.0f;

        if (r == 0 && !table->no_header)
          {
            char *bold = g_strconcat ("<b>", markup, "</b>", NULL);

            g_free (markup);
            markup = bold;
          }

        if (cell == NULL || markup_is_valid (cell))
          gtk_label_set_markup (GTK_LABEL (label), markup);
        else if (cell != NULL)
          gtk_label_set_text (GTK_LABEL (label), sd_rich_doc_get_text (cell, NULL));

        switch (table->align[c])
          {
          case SD_RICH_ALIGN_CENTER: xalign = 0.5f; break;
          case SD_RICH_ALIGN_RIGHT: xalign = 1.0f; break;
          case SD_RICH_ALIGN_NONE:
          case SD_RICH_ALIGN_LEFT:
          default: xalign = 0.0f; break;
          }
        gtk_label_set_xalign (GTK_LABEL (label), xalign);
        gtk_label_set_justify (GTK_LABEL (label),
                               xalign == 0.5f ? GTK_JUSTIFY_CENTER :
                               xalign == 1.0f ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
        /* Measuring a wrapping label lays it out at several widths: short
         * cells (most) do not wrap, a table too wide scrolls. */
        if (cell != NULL && sd_rich_doc_get_length (cell) > TABLE_NOWRAP_CHARS)
          {
            gtk_label_set_wrap (GTK_LABEL (label), TRUE);
            gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
            gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
          }
        gtk_widget_set_hexpand (label, FALSE);
        gtk_widget_set_valign (label, GTK_ALIGN_FILL);
        gtk_label_set_yalign (GTK_LABEL (label), 0.0f);
        gtk_widget_add_css_class (label, "sd-table-cell");
        if (r == 0 && !table->no_header)
          gtk_widget_add_css_class (label, "sd-table-header");
        else if (r % 2 == 0)
          gtk_widget_add_css_class (label, "sd-table-stripe");
        if (c == table->n_cols - 1)
          gtk_widget_add_css_class (label, "sd-table-last-col");
        if (r == table->n_rows - 1)
          gtk_widget_add_css_class (label, "sd-table-last-row");
        g_signal_connect (label, "activate-link", G_CALLBACK (on_cell_activate_link), data);

        gtk_grid_attach (GTK_GRID (grid), label, (int) c, (int) r, 1, 1);
      }

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (frame), grid);

  return frame;
}

GtkGrid *
sd_rich_text_table_get_grid (GtkWidget *table_widget)
{
  GtkWidget *child;

  g_return_val_if_fail (GTK_IS_SCROLLED_WINDOW (table_widget), NULL);

  child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (table_widget));
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));

  return GTK_IS_GRID (child) ? GTK_GRID (child) : NULL;
}

#endif /* SD_RICH_TEXT_NO_GTK */
