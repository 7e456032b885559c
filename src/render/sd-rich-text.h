/* sd-rich-text.h
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * Rich text in two halves.
 *
 * 1. SdRichDoc (GLib only): a flat list of render operations that a
 *    producer (the Markdown walker, later the Anki card HTML walker) appends
 *    in document order: push/pop style, text, paragraph end, link start/end,
 *    image, table, rule, heading mark, widget place (plus side tables of
 *    interned strings and named ranges). The builder keeps the whole text in one
 *    string (U+FFFC where an image, table or rule goes) and stamps every
 *    operation with its character offset, so links, headings and images have
 *    their final buffer offsets before any GTK object exists. Tests assert on
 *    it without a display; it can be built in a worker thread.
 *
 * 2. SdRichText (GTK): replays a doc into a fresh GtkTextBuffer that shares
 *    one process-wide GtkTextTagTable (sd_rich_text_get_tag_table()), with
 *    one tag per style (never one per link), a side table of links, a named
 *    left-gravity mark "heading:<slug>" per heading, image paintables that
 *    load off the main thread and child anchors for tables and rules. The
 *    buffer is filled while detached; SdRichView attaches it. All the text
 *    is there at once; the styles past the first screens of a longer
 *    document follow in idle time.
 *
 * Compiling with -DSD_RICH_TEXT_NO_GTK keeps only part 1 (no GTK headers
 * or symbols), for GTK-free programs and tests.
 */

typedef enum
{
  SD_RICH_STYLE_STRONG,
  SD_RICH_STYLE_EMPHASIS,
  SD_RICH_STYLE_UNDERLINE,
  SD_RICH_STYLE_STRIKE,
  SD_RICH_STYLE_CODE,
  SD_RICH_STYLE_KBD,
  SD_RICH_STYLE_MARK,
  SD_RICH_STYLE_SUBSCRIPT,
  SD_RICH_STYLE_SUPERSCRIPT,
  SD_RICH_STYLE_H1,
  SD_RICH_STYLE_H2,
  SD_RICH_STYLE_H3,
  SD_RICH_STYLE_H4,
  SD_RICH_STYLE_H5,
  SD_RICH_STYLE_H6,
  SD_RICH_STYLE_CODE_BLOCK,   /* monospace, shaded, char-wrapped; arg: x of the box */
  SD_RICH_STYLE_QUOTE,        /* dim text; arg: x of the quote bar in px */
  SD_RICH_STYLE_MARKER,       /* list bullets, numbers and task boxes */
  SD_RICH_STYLE_LITERAL,      /* markup shown as text (unsupported HTML): dim */
  SD_RICH_STYLE_IMAGE_ALT,    /* alt text of an image that is not shown */
  SD_RICH_STYLE_HIDDEN,       /* invisible (alt text behind a loading image) */
  SD_RICH_STYLE_INDENT,       /* arg: SD_RICH_INDENT (content_px, hang_px) */
  SD_RICH_STYLE_PAD_TOP,      /* extra space above the line (code blocks) */
  SD_RICH_STYLE_PAD_BOTTOM,   /* extra space below the line (code blocks) */
  /* Styles with a value, for HTML (card) producers; a producer must not
   * nest two pushes of one of these styles (pop the outer value first): a
   * tag's priority is its creation order, not the nesting. */
  SD_RICH_STYLE_FOREGROUND,   /* text colour; arg: 0xRRGGBBAA */
  SD_RICH_STYLE_BACKGROUND,   /* text background; arg: 0xRRGGBBAA */
  SD_RICH_STYLE_FAMILY,       /* font family list; arg: sd_rich_doc_intern() index */
  SD_RICH_STYLE_SCALE,        /* font size; arg: thousandths of the normal size */
  SD_RICH_STYLE_ALIGN,        /* paragraph alignment; arg: SdRichAlign */
  SD_RICH_N_STYLES
} SdRichStyle;

/* Paragraph indentation: text lines start at content_px; the first line of
 * a list item starts hang_px further left, where its marker goes, and a tab
 * after the marker jumps to content_px. */
#define SD_RICH_INDENT(content_px, hang_px) \
  ((((guint) (content_px) & 0xffff) << 16) | ((guint) (hang_px) & 0xffff))
#define SD_RICH_INDENT_CONTENT(arg) ((int) (((arg) >> 16) & 0xffff))
#define SD_RICH_INDENT_HANG(arg)    ((int) ((arg) & 0xffff))

/* Code block text sits this far inside its shaded box. */
#define SD_RICH_CODE_PAD_PX 12

typedef enum
{
  SD_RICH_OP_TEXT,          /* text: text_start/text_len bytes of the doc text */
  SD_RICH_OP_PUSH,          /* style, arg */
  SD_RICH_OP_POP,           /* style, arg (matches the push) */
  SD_RICH_OP_PARAGRAPH_END, /* a "\n"; arg: TRUE = space below the line */
  SD_RICH_OP_LINK_START,    /* index: link */
  SD_RICH_OP_LINK_END,      /* index: link */
  SD_RICH_OP_IMAGE,         /* index: image; one U+FFFC character */
  SD_RICH_OP_TABLE,         /* index: table; one U+FFFC character */
  SD_RICH_OP_RULE,          /* arg: left indent in px; one U+FFFC character */
  SD_RICH_OP_HEADING_MARK,  /* index: heading */
  SD_RICH_OP_WIDGET,        /* index: widget; one U+FFFC character */
} SdRichOpKind;

typedef struct
{
  SdRichOpKind kind;
  guint        style;       /* SdRichStyle for PUSH/POP */
  guint        arg;
  guint        index;
  int          offset;      /* character offset in the doc where the op applies */
  gsize        text_start;  /* TEXT: byte range in sd_rich_doc_get_text() */
  gsize        text_len;
} SdRichOp;

/*
 * Links carry a URI; the view routes on the kind:
 *
 * - EXTERNAL  "http://…", "https://…", "mailto:…" (opened by the app)
 * - RELATIVE  a path without scheme, relative to the document's folder, as
 *             written in the source (backslash escapes and entities undone,
 *             percent-escapes kept), optionally with "#slug": "Other.md#intro"
 * - WIKILINK  "wikilink:<target>" or "wikilink:<target>#<slug>" for
 *             [[target]], [[target#Heading]], [[target|alias]] (target as
 *             written, slug as sd_markdown_slugify() of the heading)
 * - ANCHOR    "#<slug>": a heading of this document (resolved by the renderer)
 * - OTHER     any other scheme (file:, javascript:, …): shown, never followed
 *             by the view itself
 */
typedef enum
{
  SD_RICH_LINK_EXTERNAL,
  SD_RICH_LINK_RELATIVE,
  SD_RICH_LINK_WIKILINK,
  SD_RICH_LINK_ANCHOR,
  SD_RICH_LINK_OTHER,
} SdRichLinkKind;

#define SD_RICH_WIKILINK_PREFIX "wikilink:"

typedef struct
{
  char           *uri;
  SdRichLinkKind  kind;
  gboolean        broken;   /* internal target that does not exist */
  int             start;    /* character offsets, end exclusive */
  int             end;
} SdRichLink;

typedef struct
{
  char *path;               /* absolute local file name; NULL = never loaded */
  char *alt;
  int   offset;             /* the U+FFFC of the image */
  int   alt_start;          /* the hidden alt text right after it */
  int   alt_end;
  int   indent_px;          /* left indent of its paragraph */
  int   width;              /* size asked for in px (HTML width=, CSS); 0: the */
  int   height;             /*   picture's own, or in proportion to the other */
} SdRichImage;

typedef struct
{
  int   level;              /* 1 … 6 */
  char *text;
  char *slug;
  int   offset;             /* start of the heading line */
} SdRichHeading;

typedef enum
{
  SD_RICH_ALIGN_NONE,
  SD_RICH_ALIGN_LEFT,
  SD_RICH_ALIGN_CENTER,
  SD_RICH_ALIGN_RIGHT,
  SD_RICH_ALIGN_JUSTIFY,    /* paragraphs only (SD_RICH_STYLE_ALIGN) */
} SdRichAlign;

typedef struct _SdRichDoc SdRichDoc;

typedef struct
{
  guint         n_rows;     /* including the header row */
  guint         n_cols;
  SdRichAlign  *align;      /* n_cols */
  SdRichDoc   **cells;      /* n_rows * n_cols, row-major; inline content only */
  int           indent_px;
  int           offset;     /* the U+FFFC of the table */
  gboolean      no_header;  /* row 0 is an ordinary row (HTML without <th>) */
} SdRichTable;

/* A place for a widget the consumer makes itself (a text entry, a sound
 * button): @kind and @data are the producer's (see sd-card-html.h). */
typedef struct
{
  char *kind;
  char *data;
  int   offset;             /* the U+FFFC of the widget */
} SdRichWidget;

/* A named character range (end exclusive) a consumer acts on later, such
 * as the hidden content a hint link reveals. */
typedef struct
{
  char *name;
  int   start;
  int   end;
} SdRichRange;

#define SD_TYPE_RICH_DOC (sd_rich_doc_get_type ())

GType            sd_rich_doc_get_type          (void) G_GNUC_CONST;
SdRichDoc       *sd_rich_doc_new               (void);
SdRichDoc       *sd_rich_doc_new_sized         (gsize           size_hint);
SdRichDoc       *sd_rich_doc_ref               (SdRichDoc      *doc);
void             sd_rich_doc_unref             (SdRichDoc      *doc);

/* Building, in document order. */
void             sd_rich_doc_push              (SdRichDoc      *doc,
                                                SdRichStyle     style,
                                                guint           arg);
void             sd_rich_doc_pop               (SdRichDoc      *doc,
                                                SdRichStyle     style,
                                                guint           arg);
void             sd_rich_doc_text              (SdRichDoc      *doc,
                                                const char     *text,
                                                gssize          length);
void             sd_rich_doc_end_paragraph     (SdRichDoc      *doc,
                                                gboolean        gap);
guint            sd_rich_doc_link_start        (SdRichDoc      *doc,
                                                const char     *uri,
                                                SdRichLinkKind  kind,
                                                gboolean        broken);
void             sd_rich_doc_link_end          (SdRichDoc      *doc);
void             sd_rich_doc_set_link_broken   (SdRichDoc      *doc,
                                                guint           index,
                                                gboolean        broken);
void             sd_rich_doc_image             (SdRichDoc      *doc,
                                                const char     *path,
                                                const char     *alt,
                                                int             indent_px);
void             sd_rich_doc_image_sized       (SdRichDoc      *doc,
                                                const char     *path,
                                                const char     *alt,
                                                int             indent_px,
                                                int             width,
                                                int             height);
SdRichTable     *sd_rich_table_new             (guint           n_rows,
                                                guint           n_cols);
void             sd_rich_table_free            (SdRichTable    *table);
void             sd_rich_doc_table             (SdRichDoc      *doc,
                                                SdRichTable    *table);
void             sd_rich_doc_rule              (SdRichDoc      *doc,
                                                int             indent_px);
void             sd_rich_doc_heading           (SdRichDoc      *doc,
                                                int             level,
                                                const char     *text,
                                                const char     *slug);
guint            sd_rich_doc_intern            (SdRichDoc      *doc,
                                                const char     *string);
void             sd_rich_doc_widget            (SdRichDoc      *doc,
                                                const char     *kind,
                                                const char     *data);
void             sd_rich_doc_add_range         (SdRichDoc      *doc,
                                                const char     *name,
                                                int             start,
                                                int             end);
gboolean         sd_rich_doc_gap_last_paragraph (SdRichDoc     *doc);

/* Reading. */
const char      *sd_rich_doc_get_text          (SdRichDoc      *doc,
                                                gsize          *length);
int              sd_rich_doc_get_length        (SdRichDoc      *doc);
gboolean         sd_rich_doc_in_link           (SdRichDoc      *doc);
guint            sd_rich_doc_get_n_ops         (SdRichDoc      *doc);
const SdRichOp  *sd_rich_doc_get_op            (SdRichDoc      *doc,
                                                guint           i);
guint            sd_rich_doc_get_n_links       (SdRichDoc      *doc);
const SdRichLink *sd_rich_doc_get_link         (SdRichDoc      *doc,
                                                guint           i);
const SdRichLink *sd_rich_doc_find_link        (SdRichDoc      *doc,
                                                int             offset);
guint            sd_rich_doc_get_n_images      (SdRichDoc      *doc);
const SdRichImage *sd_rich_doc_get_image       (SdRichDoc      *doc,
                                                guint           i);
guint            sd_rich_doc_get_n_tables      (SdRichDoc      *doc);
const SdRichTable *sd_rich_doc_get_table       (SdRichDoc      *doc,
                                                guint           i);
guint            sd_rich_doc_get_n_headings    (SdRichDoc      *doc);
const SdRichHeading *sd_rich_doc_get_heading   (SdRichDoc      *doc,
                                                guint           i);
const SdRichHeading *sd_rich_doc_find_heading  (SdRichDoc      *doc,
                                                const char     *slug);
const char      *sd_rich_doc_get_string        (SdRichDoc      *doc,
                                                guint           index);
guint            sd_rich_doc_get_n_widgets     (SdRichDoc      *doc);
const SdRichWidget *sd_rich_doc_get_widget     (SdRichDoc      *doc,
                                                guint           i);
guint            sd_rich_doc_get_n_ranges      (SdRichDoc      *doc);
const SdRichRange *sd_rich_doc_get_range       (SdRichDoc      *doc,
                                                guint           i);
const SdRichRange *sd_rich_doc_find_range      (SdRichDoc      *doc,
                                                const char     *name);
char            *sd_rich_doc_dump              (SdRichDoc      *doc);
const char      *sd_rich_style_to_string       (SdRichStyle     style);

SdRichLinkKind   sd_rich_link_classify         (const char     *uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdRichDoc, sd_rich_doc_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdRichTable, sd_rich_table_free)

G_END_DECLS

#ifndef SD_RICH_TEXT_NO_GTK

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Style → tag name in the shared table. Tags: "strong", "emphasis",
 * "underline", "strike", "code", "kbd", "mark", "subscript", "superscript",
 * "h1" … "h6", "code-block", "quote", "marker", "literal", "image-alt",
 * "hidden", "pad-top", "pad-bottom", "gap" (space below a block), "gap-pad",
 * "link", "link-broken"; indentation tags are "indent-<content>-<hang>".
 * Styles with a value get one tag per distinct value, made on first use:
 * "fg:#rrggbbaa", "bg:#rrggbbaa", "family:<families>", "scale:<thousandths>",
 * "align:left|center|right|justify".
 * Colours that must contrast with the background follow sd_rich_text_set_dark();
 * backgrounds are translucent. */

/* The text's left and right margin in a view: indentation tags set their
 * left margin absolutely (a tag's margin replaces the view's), so they
 * include it, and SdRichView uses it for its own margins. */
#define SD_RICH_TEXT_MARGIN 18

#define SD_TYPE_RICH_TEXT (sd_rich_text_get_type ())

G_DECLARE_FINAL_TYPE (SdRichText, sd_rich_text, SD, RICH_TEXT, GObject)

typedef enum
{
  SD_RICH_ANCHOR_TABLE,
  SD_RICH_ANCHOR_RULE,
} SdRichAnchorKind;

GtkTextTagTable   *sd_rich_text_get_tag_table      (void);
void               sd_rich_text_set_dark           (gboolean            dark);

SdRichText        *sd_rich_text_new                (SdRichDoc          *doc);
SdRichDoc         *sd_rich_text_get_doc            (SdRichText         *self);
/* Documents longer than about a screen (4 096 characters) get the styles
 * of their start at once and the others in idle time slices, in the same
 * buffer (then ::notify::complete); a view asks for the part it shows
 * first. Short ones are complete at once. */
gboolean           sd_rich_text_is_complete        (SdRichText         *self);
void               sd_rich_text_complete           (SdRichText         *self);
void               sd_rich_text_ensure_styled      (SdRichText         *self,
                                                    int                 start,
                                                    int                 end);
GtkTextBuffer     *sd_rich_text_get_buffer         (SdRichText         *self);
const SdRichLink  *sd_rich_text_get_link_at_iter   (SdRichText         *self,
                                                    const GtkTextIter  *iter);
gboolean           sd_rich_text_get_heading_iter   (SdRichText         *self,
                                                    const char         *slug,
                                                    GtkTextIter        *iter);
const SdRichHeading *sd_rich_text_get_heading_at_offset (SdRichText   *self,
                                                    int                 offset);
guint              sd_rich_text_get_n_anchors      (SdRichText         *self);
GtkTextChildAnchor *sd_rich_text_get_anchor        (SdRichText         *self,
                                                    guint               i,
                                                    SdRichAnchorKind   *kind,
                                                    const SdRichTable **table,
                                                    int                *indent_px);
int                sd_rich_text_get_anchor_offset  (SdRichText         *self,
                                                    guint               i);
/* Widget places (SD_RICH_OP_WIDGET), in the order of the doc's widgets;
 * the consumer adds its widgets there (gtk_text_view_add_child_at_anchor). */
guint              sd_rich_text_get_n_widgets      (SdRichText         *self);
GtkTextChildAnchor *sd_rich_text_get_widget_anchor (SdRichText         *self,
                                                    guint               i);
guint              sd_rich_text_get_n_images       (SdRichText         *self);
GdkPaintable      *sd_rich_text_get_image          (SdRichText         *self,
                                                    guint               i);
gboolean           sd_rich_text_image_is_loaded    (SdRichText         *self,
                                                    guint               i);
void               sd_rich_text_set_max_width      (SdRichText         *self,
                                                    int                 width);
/* Blocks the view decorates (quote bars, code block boxes) as character
 * ranges; @x_px is the block's left edge (without SD_RICH_TEXT_MARGIN),
 * @trim_bottom the space below the last line that is not part of the box. */
typedef enum
{
  SD_RICH_BLOCK_QUOTE,
  SD_RICH_BLOCK_CODE,
} SdRichBlockKind;

guint              sd_rich_text_get_n_blocks       (SdRichText         *self);
void               sd_rich_text_get_block          (SdRichText         *self,
                                                    guint               i,
                                                    SdRichBlockKind    *kind,
                                                    int                *start,
                                                    int                *end,
                                                    int                *x_px,
                                                    int                *trim_bottom);

/* A table as a GtkGrid of GtkLabels (Pango markup from the cells' docs),
 * inside a horizontal GtkScrolledWindow; link clicks in cells call
 * @activate. Style classes: "sd-table-frame", "sd-table", "sd-table-cell",
 * "sd-table-header", "sd-table-stripe" (every second body row),
 * "sd-table-last-col", "sd-table-last-row". */
typedef void (*SdRichLinkFunc) (const char *uri,
                                gpointer    user_data);

GtkWidget         *sd_rich_text_create_table       (const SdRichTable  *table,
                                                    SdRichLinkFunc      activate,
                                                    gpointer            user_data);
GtkGrid           *sd_rich_text_table_get_grid     (GtkWidget          *table_widget);
char              *sd_rich_doc_to_markup           (SdRichDoc          *doc);

G_END_DECLS

#endif /* SD_RICH_TEXT_NO_GTK */
