/* sd-cloze.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "sd-cloze.h"
#include "sd-html-text.h"

/* Deeper openings are treated as text of the innermost deletion, as Anki
 * does; it bounds the recursion below too. */
#define MAX_NESTING 10

typedef struct _ClozeNode ClozeNode;

/* A text run (ordinals == NULL) or a deletion.  Text pointers borrow from the
 * string being parsed. */
struct _ClozeNode
{
  const char *text;
  gsize       len;
  guint16    *ordinals;
  guint       n_ordinals;
  const char *hint;
  gsize       hint_len;
  GPtrArray  *children;
};

static void
cloze_node_free (gpointer data)
{
  ClozeNode *node = data;

  g_free (node->ordinals);
  if (node->children != NULL)
    g_ptr_array_unref (node->children);
  g_free (node);
}

static ClozeNode *
text_node_new (const char *text,
               gsize       len)
{
  ClozeNode *node = g_new0 (ClozeNode, 1);

  node->text = text;
  node->len = len;
  return node;
}

static int
cmp_u16 (const void *a,
         const void *b)
{
  return (int) *(const guint16 *) a - (int) *(const guint16 *) b;
}

/* `{{c` + digits and commas + `::`, with at least one number that fits in
 * 16 bits; numbers are deduplicated and sorted. */
static gboolean
open_cloze_at (const char *s,
               gsize       len,
               gsize       i,
               guint16   **ordinals,
               guint      *n_ordinals,
               gsize      *end)
{
  g_autofree guint16 *ords = NULL;
  guint n = 0, n_unique = 0;
  gsize j, start;

  if (i + 3 > len || memcmp (s + i, "{{c", 3) != 0)
    return FALSE;
  start = j = i + 3;
  while (j < len && (g_ascii_isdigit (s[j]) || s[j] == ','))
    j++;
  if (j + 2 > len || s[j] != ':' || s[j + 1] != ':')
    return FALSE;

  ords = g_new (guint16, (j - start) / 2 + 1);
  for (gsize k = start; k < j;)
    {
      guint32 value = 0;
      gboolean digits = FALSE, overflow = FALSE;

      while (k < j && s[k] != ',')
        {
          value = value * 10 + (s[k] - '0');
          if (value > G_MAXUINT16)
            {
              overflow = TRUE;
              value = G_MAXUINT16 + 1;
            }
          digits = TRUE;
          k++;
        }
      if (digits && !overflow)
        ords[n++] = (guint16) value;
      k++;
    }
  if (n == 0)
    return FALSE;

  qsort (ords, n, sizeof (guint16), cmp_u16);
  for (guint k = 0; k < n; k++)
    if (n_unique == 0 || ords[n_unique - 1] != ords[k])
      ords[n_unique++] = ords[k];

  *ordinals = g_steal_pointer (&ords);
  *n_ordinals = n_unique;
  *end = j + 2;
  return TRUE;
}

static gboolean
close_cloze_at (const char *s,
                gsize       len,
                gsize       i)
{
  return i + 2 <= len && s[i] == '}' && s[i + 1] == '}';
}

/* Attaches @node to the innermost open deletion, or to the top level. */
static void
push_node (GPtrArray *open,
           GPtrArray *output,
           ClozeNode *node)
{
  if (open->len > 0)
    {
      ClozeNode *parent = g_ptr_array_index (open, open->len - 1);

      g_ptr_array_add (parent->children, node);
    }
  else
    g_ptr_array_add (output, node);
}

static void
add_text (GPtrArray  *open,
          GPtrArray  *output,
          const char *text,
          gsize       len)
{
  if (open->len > 0 && !g_str_has_prefix (text, "image-occlusion:"))
    {
      ClozeNode *cloze = g_ptr_array_index (open, open->len - 1);

      for (gsize k = 0; k + 1 < len; k++)
        if (text[k] == ':' && text[k + 1] == ':')
          {
            cloze->hint = text + k + 2;
            cloze->hint_len = len - k - 2;
            len = k;
            break;
          }
    }
  push_node (open, output, text_node_new (text, len));
}

/* Splits @s into text runs and (nested) deletions. */
static GPtrArray *
parse_clozes (const char *s)
{
  GPtrArray *output = g_ptr_array_new_with_free_func (cloze_node_free);
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (cloze_node_free);
  gsize len = strlen (s);
  gsize i = 0;

  while (i < len)
    {
      guint16 *ords;
      guint n_ords;
      gsize end, j;

      if (open_cloze_at (s, len, i, &ords, &n_ords, &end))
        {
          if (open->len < MAX_NESTING)
            {
              ClozeNode *cloze = g_new0 (ClozeNode, 1);

              cloze->ordinals = ords;
              cloze->n_ordinals = n_ords;
              cloze->children = g_ptr_array_new_with_free_func (cloze_node_free);
              g_ptr_array_add (open, cloze);
            }
          else
            g_free (ords);
          i = end;
          continue;
        }

      if (close_cloze_at (s, len, i))
        {
          if (open->len > 0)
            {
              ClozeNode *cloze = g_ptr_array_steal_index (open, open->len - 1);

              push_node (open, output, cloze);
            }
          else
            push_node (open, output, text_node_new (s + i, 2));
          i += 2;
          continue;
        }

      /* text up to the next opening or closing marker */
      for (j = i + g_utf8_skip[(guchar) s[i]]; j < len; j++)
        {
          if (s[j] == '}' && close_cloze_at (s, len, j))
            break;
          if (s[j] == '{' && open_cloze_at (s, len, j, &ords, &n_ords, &end))
            {
              g_free (ords);
              break;
            }
        }
      add_text (open, output, s + i, j - i);
      i = j;
    }

  /* deletions still open at the end are dropped, text and all */
  return output;
}

static gboolean
contains_ordinal (const ClozeNode *cloze,
                  guint            number)
{
  for (guint i = 0; i < cloze->n_ordinals; i++)
    if (cloze->ordinals[i] == number)
      return TRUE;
  return FALSE;
}

static void
append_ordinals (GString         *buf,
                 const ClozeNode *cloze)
{
  for (guint i = 0; i < cloze->n_ordinals; i++)
    g_string_append_printf (buf, i == 0 ? "%u" : ",%u", cloze->ordinals[i]);
}

static void
append_hint (GString         *buf,
             const ClozeNode *cloze)
{
  if (cloze->hint != NULL)
    g_string_append_len (buf, cloze->hint, cloze->hint_len);
  else
    g_string_append (buf, "...");
}

static const char *
image_occlusion (const ClozeNode *cloze,
                 gsize           *len)
{
  const ClozeNode *first;

  if (cloze->children->len == 0)
    return NULL;
  first = g_ptr_array_index (cloze->children, 0);
  if (first->ordinals != NULL || first->len < strlen ("image-occlusion:")
      || !g_str_has_prefix (first->text, "image-occlusion:"))
    return NULL;
  *len = first->len - strlen ("image-occlusion:");
  return first->text + strlen ("image-occlusion:");
}

static void reveal_cloze (const ClozeNode *cloze,
                          guint            number,
                          gboolean         question,
                          gboolean        *found,
                          GString         *buf);

static void
reveal_children (const ClozeNode *cloze,
                 guint            number,
                 gboolean         question,
                 gboolean        *found,
                 GString         *buf)
{
  for (guint i = 0; i < cloze->children->len; i++)
    {
      const ClozeNode *child = g_ptr_array_index (cloze->children, i);

      if (child->ordinals == NULL)
        g_string_append_len (buf, child->text, child->len);
      else
        reveal_cloze (child, number, question, found, buf);
    }
}

static void
reveal_cloze (const ClozeNode *cloze,
              guint            number,
              gboolean         question,
              gboolean        *found,
              GString         *buf)
{
  gboolean active = contains_ordinal (cloze, number);
  const char *io;
  gsize io_len;

  *found |= active;

  io = image_occlusion (cloze, &io_len);
  if (io != NULL)
    {
      const char *klass;

      if ((question && active) || contains_ordinal (cloze, 0))
        klass = "cloze";
      else if (!active)
        klass = "cloze-inactive";
      else
        klass = "cloze-highlight";
      g_string_append_printf (buf, "<div class=\"%s\" data-ordinal=\"", klass);
      append_ordinals (buf, cloze);
      g_string_append (buf, "\" data-image-occlusion=\"");
      sd_html_text_append_escaped_attribute (buf, io, io_len);
      g_string_append (buf, "\"></div>");
      return;
    }

  if (question && active)
    {
      /* everything inside is hidden; keep it for the renderer to reveal */
      g_autoptr(GString) content = g_string_new (NULL);

      reveal_children (cloze, number, question, found, content);
      g_string_append (buf, "<span class=\"cloze\" data-cloze=\"");
      sd_html_text_append_escaped_attribute (buf, content->str, content->len);
      g_string_append (buf, "\" data-ordinal=\"");
      append_ordinals (buf, cloze);
      g_string_append (buf, "\">[");
      append_hint (buf, cloze);
      g_string_append (buf, "]</span>");
    }
  else
    {
      g_string_append (buf, active ? "<span class=\"cloze\" data-ordinal=\""
                                   : "<span class=\"cloze-inactive\" data-ordinal=\"");
      append_ordinals (buf, cloze);
      g_string_append (buf, "\">");
      reveal_children (cloze, number, question, found, buf);
      g_string_append (buf, "</span>");
    }
}

static const char *
valid_text (const char *text,
            char      **tmp)
{
  *tmp = NULL;
  if (text == NULL)
    return "";
  if (g_utf8_validate (text, -1, NULL))
    return text;
  *tmp = g_utf8_make_valid (text, -1);
  return *tmp;
}

char *
sd_cloze_reveal (const char *text,
                 guint       number,
                 gboolean    question)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_text (text, &tmp);
  g_autoptr(GPtrArray) nodes = parse_clozes (s);
  g_autoptr(GString) buf = g_string_sized_new (strlen (s) + 64);
  gboolean found = FALSE;

  for (guint i = 0; i < nodes->len; i++)
    {
      const ClozeNode *node = g_ptr_array_index (nodes, i);

      if (node->ordinals == NULL)
        g_string_append_len (buf, node->text, node->len);
      else
        reveal_cloze (node, number, question, &found, buf);
    }

  /* no deletion for this card: the text counts as empty */
  if (!found)
    return g_strdup ("");
  return g_string_free (g_steal_pointer (&buf), FALSE);
}

static void
append_clozed_text (GString         *buf,
                    const ClozeNode *cloze)
{
  for (guint i = 0; i < cloze->children->len; i++)
    {
      const ClozeNode *child = g_ptr_array_index (cloze->children, i);

      if (child->ordinals == NULL)
        g_string_append_len (buf, child->text, child->len);
      else
        append_clozed_text (buf, child);
    }
}

/* The hint (question) or the text (answer) of every deletion for @number,
 * outer ones first. */
static void
collect_revealed (const ClozeNode *node,
                  guint            number,
                  gboolean         question,
                  GPtrArray       *out)
{
  if (node->ordinals == NULL)
    return;
  if (contains_ordinal (node, number))
    {
      GString *buf = g_string_new (NULL);

      if (question)
        append_hint (buf, node);
      else
        append_clozed_text (buf, node);
      g_ptr_array_add (out, g_string_free (buf, FALSE));
    }
  for (guint i = 0; i < node->children->len; i++)
    collect_revealed (g_ptr_array_index (node->children, i), number, question, out);
}

static GPtrArray *
revealed_texts (const char *text,
                guint       number,
                gboolean    question)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_text (text, &tmp);
  g_autoptr(GPtrArray) nodes = parse_clozes (s);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < nodes->len; i++)
    collect_revealed (g_ptr_array_index (nodes, i), number, question, out);
  g_ptr_array_add (out, NULL);
  return out;
}

char *
sd_cloze_reveal_only (const char *text,
                      guint       number,
                      gboolean    question)
{
  g_autoptr(GPtrArray) texts = revealed_texts (text, number, question);

  return g_strjoinv (", ", (char **) texts->pdata);
}

char *
sd_cloze_extract_for_typing (const char *text,
                             guint       number)
{
  g_autoptr(GPtrArray) texts = revealed_texts (text, number, FALSE);
  guint n = texts->len - 1;
  gboolean all_same = TRUE;

  if (n == 0)
    return g_strdup ("");
  for (guint i = 1; i < n; i++)
    if (strcmp (g_ptr_array_index (texts, i), g_ptr_array_index (texts, 0)) != 0)
      all_same = FALSE;
  if (all_same)
    return g_strdup (g_ptr_array_index (texts, 0));
  return g_strjoinv (", ", (char **) texts->pdata);
}

static void
collect_numbers (const ClozeNode *node,
                 GArray          *numbers)
{
  if (node->ordinals == NULL)
    return;
  for (guint i = 0; i < node->n_ordinals; i++)
    {
      guint number = node->ordinals[i];
      gboolean seen = FALSE;

      if (number == 0)
        continue;
      for (guint k = 0; k < numbers->len && !seen; k++)
        seen = g_array_index (numbers, guint, k) == number;
      if (!seen)
        g_array_append_val (numbers, number);
    }
  for (guint i = 0; i < node->children->len; i++)
    collect_numbers (g_ptr_array_index (node->children, i), numbers);
}

static int
cmp_uint (gconstpointer a,
          gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

static void
add_numbers (const char *text,
             GArray     *numbers)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_text (text, &tmp);
  g_autoptr(GPtrArray) nodes = NULL;

  if (strstr (s, "{{c") == NULL)
    return;
  nodes = parse_clozes (s);
  for (guint i = 0; i < nodes->len; i++)
    collect_numbers (g_ptr_array_index (nodes, i), numbers);
}

/* Sorted, distinct cloze numbers (guint) in @text; c0 is left out. */
GArray *
sd_cloze_numbers_in_text (const char *text)
{
  GArray *numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  add_numbers (text, numbers);
  g_array_sort (numbers, cmp_uint);
  return numbers;
}

/* The numbers found in any of the fields: the cards a cloze note has. */
GArray *
sd_cloze_numbers_in_fields (const char * const *fields,
                            guint               n_fields)
{
  GArray *numbers = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < n_fields; i++)
    add_numbers (fields[i], numbers);
  g_array_sort (numbers, cmp_uint);
  return numbers;
}

gboolean
sd_cloze_text_has_number (const char *text,
                          guint       number)
{
  g_autoptr(GArray) numbers = sd_cloze_numbers_in_text (text);

  for (guint i = 0; i < numbers->len; i++)
    if (g_array_index (numbers, guint, i) == number)
      return TRUE;
  return FALSE;
}

/* Whether a top-level deletion has a number other than 0. */
gboolean
sd_cloze_contains_cloze (const char *text)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_text (text, &tmp);
  g_autoptr(GPtrArray) nodes = NULL;

  if (strstr (s, "{{c") == NULL)
    return FALSE;
  nodes = parse_clozes (s);
  for (guint i = 0; i < nodes->len; i++)
    {
      const ClozeNode *node = g_ptr_array_index (nodes, i);

      for (guint k = 0; k < node->n_ordinals; k++)
        if (node->ordinals[k] != 0)
          return TRUE;
    }
  return FALSE;
}

guint
sd_cloze_card_ord_for_number (guint number)
{
  if (number == 0)
    return 0;
  return MIN (number, SD_CLOZE_MAX_CARDS) - 1;
}

/* `{{c[\d,]+::(.*?)(::.*?)?}}` replaced by its first group. */
char *
sd_cloze_strip (const char *text)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_text (text, &tmp);
  gsize len = strlen (s);
  GString *out = g_string_sized_new (len);
  gsize copy_from = 0;
  const char *p = s;

  while ((p = strstr (p, "{{c")) != NULL)
    {
      const char *q = p + 3, *body, *close, *sep;

      while (*q != '\0' && (*q == ',' || g_unichar_isdigit (g_utf8_get_char (q))))
        q = g_utf8_next_char (q);
      if (q == p + 3 || !g_str_has_prefix (q, "::"))
        {
          p++;
          continue;
        }
      body = q + 2;
      close = strstr (body, "}}");
      if (close == NULL)
        break;
      sep = strstr (body, "::");
      if (sep == NULL || sep > close)
        sep = close;

      g_string_append_len (out, s + copy_from, p - (s + copy_from));
      g_string_append_len (out, body, sep - body);
      p = close + 2;
      copy_from = p - s;
    }
  g_string_append_len (out, s + copy_from, len - copy_from);
  return g_string_free (out, FALSE);
}

/* Removes tags (keeping entities) between \( \) or \[ \] delimiters. */
static char *
strip_html_inside_mathjax (const char *s)
{
  GString *out = g_string_sized_new (strlen (s));
  const char *copy_from = s;
  const char *p = s;

  while ((p = strchr (p, '\\')) != NULL)
    {
      const char *inner, *close;

      if (p[1] != '(' && p[1] != '[')
        {
          p++;
          continue;
        }
      inner = p + 2;
      for (close = strchr (inner, '\\'); close != NULL; close = strchr (close + 1, '\\'))
        if (close[1] == ')' || close[1] == ']')
          break;
      if (close == NULL)
        break;

      {
        g_autofree char *body = g_strndup (inner, close - inner);
        g_autofree char *stripped = sd_html_text_strip_preserving_entities (body);

        g_string_append_len (out, copy_from, inner - copy_from);
        g_string_append (out, stripped);
        g_string_append_len (out, close, 2);
      }
      copy_from = p = close + 2;
    }
  g_string_append (out, copy_from);
  return g_string_free (out, FALSE);
}

char *
sd_cloze_filter (const char *text,
                 guint       card_ord,
                 gboolean    question)
{
  g_autofree char *revealed = sd_cloze_reveal (text, card_ord + 1, question);

  if (strchr (revealed, '\\') == NULL)
    return g_steal_pointer (&revealed);
  return strip_html_inside_mathjax (revealed);
}

char *
sd_cloze_only_filter (const char *text,
                      guint       card_ord,
                      gboolean    question)
{
  return sd_cloze_reveal_only (text, card_ord + 1, question);
}
