/* sd-card-html.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sd-card-html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

/* The theme colours the page falls back to (libadwaita's view colours). */
#define LIGHT_BG 0xffffffffu
#define LIGHT_FG 0x000000ffu
#define DARK_BG  0x1e1e1effu
#define DARK_FG  0xffffffffu

#define BASE_PX          16.0
#define LIST_BULLET_PX   22
#define LIST_NUMBER_PX   28
#define QUOTE_INDENT_PX  22
#define DD_INDENT_PX     22
#define MAX_INDENT_PX    600
#define MAX_DEPTH        400
#define MIN_CONTRAST     4.5

/* Colours a note type does not set (Anki's reviewer has similar ones). */
static const char builtin_css[] =
  "#typeans { font-family: monospace }\n"
  ".typeGood { background-color: #a3e4a0 }\n"
  ".typeBad { background-color: #f5a3a3 }\n"
  ".typeMissed { background-color: #d6d6d6 }\n"
  ".nightMode .typeGood { background-color: #2b6b33 }\n"
  ".nightMode .typeBad { background-color: #8f2b2b }\n"
  ".nightMode .typeMissed { background-color: #5e5c64 }\n"
  "body.nightMode { color: -sd-default; background-color: -sd-default }\n";

/* Only when the note type has no rules of its own for clozes. */
static const char builtin_cloze_css[] =
  ".cloze { font-weight: bold; color: blue }\n"
  ".nightMode .cloze { color: lightblue }\n";

/* ------------------------------------------------------------------------
 * Colours
 * ------------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  guint32     rgb;
} NamedColor;

/* CSS named colours, sorted for bsearch. */
static const NamedColor named_colors[] = {
  { "aliceblue", 0xf0f8ff }, { "antiquewhite", 0xfaebd7 }, { "aqua", 0x00ffff },
  { "aquamarine", 0x7fffd4 }, { "azure", 0xf0ffff }, { "beige", 0xf5f5dc },
  { "bisque", 0xffe4c4 }, { "black", 0x000000 }, { "blanchedalmond", 0xffebcd },
  { "blue", 0x0000ff }, { "blueviolet", 0x8a2be2 }, { "brown", 0xa52a2a },
  { "burlywood", 0xdeb887 }, { "cadetblue", 0x5f9ea0 }, { "chartreuse", 0x7fff00 },
  { "chocolate", 0xd2691e }, { "coral", 0xff7f50 }, { "cornflowerblue", 0x6495ed },
  { "cornsilk", 0xfff8dc }, { "crimson", 0xdc143c }, { "cyan", 0x00ffff },
  { "darkblue", 0x00008b }, { "darkcyan", 0x008b8b }, { "darkgoldenrod", 0xb8860b },
  { "darkgray", 0xa9a9a9 }, { "darkgreen", 0x006400 }, { "darkgrey", 0xa9a9a9 },
  { "darkkhaki", 0xbdb76b }, { "darkmagenta", 0x8b008b }, { "darkolivegreen", 0x556b2f },
  { "darkorange", 0xff8c00 }, { "darkorchid", 0x9932cc }, { "darkred", 0x8b0000 },
  { "darksalmon", 0xe9967a }, { "darkseagreen", 0x8fbc8f }, { "darkslateblue", 0x483d8b },
  { "darkslategray", 0x2f4f4f }, { "darkslategrey", 0x2f4f4f }, { "darkturquoise", 0x00ced1 },
  { "darkviolet", 0x9400d3 }, { "deeppink", 0xff1493 }, { "deepskyblue", 0x00bfff },
  { "dimgray", 0x696969 }, { "dimgrey", 0x696969 }, { "dodgerblue", 0x1e90ff },
  { "firebrick", 0xb22222 }, { "floralwhite", 0xfffaf0 }, { "forestgreen", 0x228b22 },
  { "fuchsia", 0xff00ff }, { "gainsboro", 0xdcdcdc }, { "ghostwhite", 0xf8f8ff },
  { "gold", 0xffd700 }, { "goldenrod", 0xdaa520 }, { "gray", 0x808080 },
  { "green", 0x008000 }, { "greenyellow", 0xadff2f }, { "grey", 0x808080 },
  { "honeydew", 0xf0fff0 }, { "hotpink", 0xff69b4 }, { "indianred", 0xcd5c5c },
  { "indigo", 0x4b0082 }, { "ivory", 0xfffff0 }, { "khaki", 0xf0e68c },
  { "lavender", 0xe6e6fa }, { "lavenderblush", 0xfff0f5 }, { "lawngreen", 0x7cfc00 },
  { "lemonchiffon", 0xfffacd }, { "lightblue", 0xadd8e6 }, { "lightcoral", 0xf08080 },
  { "lightcyan", 0xe0ffff }, { "lightgoldenrodyellow", 0xfafad2 }, { "lightgray", 0xd3d3d3 },
  { "lightgreen", 0x90ee90 }, { "lightgrey", 0xd3d3d3 }, { "lightpink", 0xffb6c1 },
  { "lightsalmon", 0xffa07a }, { "lightseagreen", 0x20b2aa }, { "lightskyblue", 0x87cefa },
  { "lightslategray", 0x778899 }, { "lightslategrey", 0x778899 }, { "lightsteelblue", 0xb0c4de },
  { "lightyellow", 0xffffe0 }, { "lime", 0x00ff00 }, { "limegreen", 0x32cd32 },
  { "linen", 0xfaf0e6 }, { "magenta", 0xff00ff }, { "maroon", 0x800000 },
  { "mediumaquamarine", 0x66cdaa }, { "mediumblue", 0x0000cd }, { "mediumorchid", 0xba55d3 },
  { "mediumpurple", 0x9370db }, { "mediumseagreen", 0x3cb371 }, { "mediumslateblue", 0x7b68ee },
  { "mediumspringgreen", 0x00fa9a }, { "mediumturquoise", 0x48d1cc },
  { "mediumvioletred", 0xc71585 }, { "midnightblue", 0x191970 }, { "mintcream", 0xf5fffa },
  { "mistyrose", 0xffe4e1 }, { "moccasin", 0xffe4b5 }, { "navajowhite", 0xffdead },
  { "navy", 0x000080 }, { "oldlace", 0xfdf5e6 }, { "olive", 0x808000 },
  { "olivedrab", 0x6b8e23 }, { "orange", 0xffa500 }, { "orangered", 0xff4500 },
  { "orchid", 0xda70d6 }, { "palegoldenrod", 0xeee8aa }, { "palegreen", 0x98fb98 },
  { "paleturquoise", 0xafeeee }, { "palevioletred", 0xdb7093 }, { "papayawhip", 0xffefd5 },
  { "peachpuff", 0xffdab9 }, { "peru", 0xcd853f }, { "pink", 0xffc0cb },
  { "plum", 0xdda0dd }, { "powderblue", 0xb0e0e6 }, { "purple", 0x800080 },
  { "rebeccapurple", 0x663399 }, { "red", 0xff0000 }, { "rosybrown", 0xbc8f8f },
  { "royalblue", 0x4169e1 }, { "saddlebrown", 0x8b4513 }, { "salmon", 0xfa8072 },
  { "sandybrown", 0xf4a460 }, { "seagreen", 0x2e8b57 }, { "seashell", 0xfff5ee },
  { "sienna", 0xa0522d }, { "silver", 0xc0c0c0 }, { "skyblue", 0x87ceeb },
  { "slateblue", 0x6a5acd }, { "slategray", 0x708090 }, { "slategrey", 0x708090 },
  { "snow", 0xfffafa }, { "springgreen", 0x00ff7f }, { "steelblue", 0x4682b4 },
  { "tan", 0xd2b48c }, { "teal", 0x008080 }, { "thistle", 0xd8bfd8 },
  { "tomato", 0xff6347 }, { "turquoise", 0x40e0d0 }, { "violet", 0xee82ee },
  { "wheat", 0xf5deb3 }, { "white", 0xffffff }, { "whitesmoke", 0xf5f5f5 },
  { "yellow", 0xffff00 }, { "yellowgreen", 0x9acd32 },
};

static int
compare_named_color (const void *key,
                     const void *item)
{
  return g_ascii_strcasecmp (key, ((const NamedColor *) item)->name);
}

static int
hex_digit (char c)
{
  return g_ascii_xdigit_value (c);
}

/* A number, optionally a percentage of @percent_of; advances @p. */
static gboolean
parse_color_number (const char **p,
                    double       percent_of,
                    double      *out)
{
  char *end;
  double v;

  while (g_ascii_isspace (**p) || **p == ',' || **p == '/')
    (*p)++;
  v = g_ascii_strtod (*p, &end);
  if (end == *p)
    return FALSE;
  *p = end;
  if (**p == '%')
    {
      v = v * percent_of / 100.0;
      (*p)++;
    }
  else if (g_ascii_strncasecmp (*p, "deg", 3) == 0)
    {
      *p += 3;
    }
  *out = v;

  return TRUE;
}

static double
hue_to_rgb (double m1,
            double m2,
            double h)
{
  if (h < 0)
    h += 1;
  if (h > 1)
    h -= 1;
  if (h * 6 < 1)
    return m1 + (m2 - m1) * h * 6;
  if (h * 2 < 1)
    return m2;
  if (h * 3 < 2)
    return m1 + (m2 - m1) * (2.0 / 3 - h) * 6;
  return m1;
}

static guint32
pack_rgba (double r,
           double g,
           double b,
           double a)
{
  guint R = (guint) CLAMP (round (r), 0, 255);
  guint G = (guint) CLAMP (round (g), 0, 255);
  guint B = (guint) CLAMP (round (b), 0, 255);
  guint A = (guint) CLAMP (round (a * 255), 0, 255);

  return (R << 24) | (G << 16) | (B << 8) | A;
}

/**
 * sd_card_html_parse_color:
 * @value: a CSS colour ("red", "#f00", "rgb(255 0 0 / 50%)", "hsl(0,100%,50%)")
 * @rgba: (out): 0xRRGGBBAA
 *
 * Returns: FALSE if @value is not a colour this reader knows
 */
gboolean
sd_card_html_parse_color (const char *value,
                          guint32    *rgba)
{
  g_autofree char *v = NULL;
  gsize len;

  g_return_val_if_fail (rgba != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  v = g_strstrip (g_strdup (value));
  len = strlen (v);

  if (v[0] == '#')
    {
      int d[8];

      if (len != 4 && len != 5 && len != 7 && len != 9)
        return FALSE;
      for (gsize i = 1; i < len; i++)
        if ((d[i - 1] = hex_digit (v[i])) < 0)
          return FALSE;

      if (len == 4 || len == 5)
        *rgba = ((guint32) (d[0] * 17) << 24) | ((guint32) (d[1] * 17) << 16) |
                ((guint32) (d[2] * 17) << 8) | (len == 5 ? (guint32) (d[3] * 17) : 0xff);
      else
        *rgba = ((guint32) (d[0] * 16 + d[1]) << 24) | ((guint32) (d[2] * 16 + d[3]) << 16) |
                ((guint32) (d[4] * 16 + d[5]) << 8) |
                (len == 9 ? (guint32) (d[6] * 16 + d[7]) : 0xff);
      return TRUE;
    }

  if (g_ascii_strncasecmp (v, "rgb", 3) == 0 || g_ascii_strncasecmp (v, "hsl", 3) == 0)
    {
      gboolean hsl = g_ascii_tolower (v[0]) == 'h';
      const char *p = strchr (v, '(');
      double c[3];
      double a = 1.0;

      if (p == NULL || strchr (p, ')') == NULL)
        return FALSE;
      p++;
      for (int i = 0; i < 3; i++)
        if (!parse_color_number (&p, hsl ? (i == 0 ? 360 : 1) : 255, &c[i]))
          return FALSE;
      {
        const char *q = p;

        while (g_ascii_isspace (*q))
          q++;
        if (*q != ')' && !parse_color_number (&p, 1, &a))
          return FALSE;
      }

      if (hsl)
        {
          double h = fmod (fmod (c[0], 360) + 360, 360) / 360;
          double s = CLAMP (c[1], 0, 1);
          double l = CLAMP (c[2], 0, 1);
          double m2 = l <= 0.5 ? l * (s + 1) : l + s - l * s;
          double m1 = l * 2 - m2;

          *rgba = pack_rgba (hue_to_rgb (m1, m2, h + 1.0 / 3) * 255, hue_to_rgb (m1, m2, h) * 255,
                             hue_to_rgb (m1, m2, h - 1.0 / 3) * 255, CLAMP (a, 0, 1));
        }
      else
        {
          *rgba = pack_rgba (c[0], c[1], c[2], CLAMP (a, 0, 1));
        }
      return TRUE;
    }

  if (g_ascii_strcasecmp (v, "transparent") == 0)
    {
      *rgba = 0;
      return TRUE;
    }

  {
    const NamedColor *found = bsearch (v, named_colors, G_N_ELEMENTS (named_colors),
                                       sizeof (NamedColor), compare_named_color);

    if (found != NULL)
      {
        *rgba = (found->rgb << 8) | 0xff;
        return TRUE;
      }
  }

  return FALSE;
}

static double
channel (guint32 rgba,
         int     shift)
{
  return ((rgba >> shift) & 0xff) / 255.0;
}

static double
linear (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
luminance (guint32 rgba)
{
  return 0.2126 * linear (channel (rgba, 24)) + 0.7152 * linear (channel (rgba, 16)) +
         0.0722 * linear (channel (rgba, 8));
}

static double
contrast (guint32 a,
          guint32 b)
{
  double la = luminance (a);
  double lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* @top drawn over the opaque @bottom. */
static guint32
blend (guint32 top,
       guint32 bottom)
{
  double a = channel (top, 0);

  return pack_rgba ((channel (top, 24) * a + channel (bottom, 24) * (1 - a)) * 255,
                    (channel (top, 16) * a + channel (bottom, 16) * (1 - a)) * 255,
                    (channel (top, 8) * a + channel (bottom, 8) * (1 - a)) * 255, 1.0);
}

static guint32
mix (guint32 a,
     guint32 b,
     double  t)
{
  return pack_rgba ((channel (a, 24) * (1 - t) + channel (b, 24) * t) * 255,
                    (channel (a, 16) * (1 - t) + channel (b, 16) * t) * 255,
                    (channel (a, 8) * (1 - t) + channel (b, 8) * t) * 255, 1.0);
}

/* @fg, or @fg mixed towards white or black just enough to be read on the
 * opaque @bg. */
static guint32
readable (guint32 fg,
          guint32 bg)
{
  guint32 solid = blend (fg, bg);
  guint32 best = solid;
  double best_contrast;
  guint32 targets[2];

  if (contrast (solid, bg) >= MIN_CONTRAST)
    return fg;

  targets[0] = luminance (bg) < 0.2 ? 0xffffffffu : 0x000000ffu;
  targets[1] = targets[0] == 0xffffffffu ? 0x000000ffu : 0xffffffffu;
  best_contrast = contrast (solid, bg);

  for (int i = 0; i < 2; i++)
    for (int step = 1; step <= 10; step++)
      {
        guint32 candidate = mix (solid, targets[i], step / 10.0);
        double c = contrast (candidate, bg);

        if (c > best_contrast)
          {
            best = candidate;
            best_contrast = c;
          }
        if (c >= MIN_CONTRAST)
          return candidate;
      }

  return best;
}

/* ------------------------------------------------------------------------
 * CSS
 * ------------------------------------------------------------------------ */

typedef enum
{
  PROP_COLOR,
  PROP_BACKGROUND_COLOR,
  PROP_BACKGROUND,
  PROP_FONT_WEIGHT,
  PROP_FONT_STYLE,
  PROP_TEXT_DECORATION,
  PROP_FONT_SIZE,
  PROP_FONT_FAMILY,
  PROP_TEXT_ALIGN,
  PROP_DISPLAY,
  PROP_VERTICAL_ALIGN,
  PROP_WHITE_SPACE,
  PROP_LIST_STYLE_TYPE,
  PROP_LIST_STYLE,
  PROP_WIDTH,
  PROP_HEIGHT,
  N_PROPS
} Prop;

static const char * const prop_names[N_PROPS] = {
  [PROP_COLOR] = "color",
  [PROP_BACKGROUND_COLOR] = "background-color",
  [PROP_BACKGROUND] = "background",
  [PROP_FONT_WEIGHT] = "font-weight",
  [PROP_FONT_STYLE] = "font-style",
  [PROP_TEXT_DECORATION] = "text-decoration",
  [PROP_FONT_SIZE] = "font-size",
  [PROP_FONT_FAMILY] = "font-family",
  [PROP_TEXT_ALIGN] = "text-align",
  [PROP_DISPLAY] = "display",
  [PROP_VERTICAL_ALIGN] = "vertical-align",
  [PROP_WHITE_SPACE] = "white-space",
  [PROP_LIST_STYLE_TYPE] = "list-style-type",
  [PROP_LIST_STYLE] = "list-style",
  [PROP_WIDTH] = "width",
  [PROP_HEIGHT] = "height",
};

typedef struct
{
  Prop      prop;
  gboolean  important;
  char     *value;
} Decl;

typedef struct
{
  char      *tag;        /* NULL: any */
  char      *id;
  char     **classes;    /* NULL-terminated; NULL: none */
  gboolean   child;      /* joined to the compound before it by ">" */
} Compound;

typedef struct
{
  Compound *parts;
  guint     n_parts;
  guint     specificity;
  guint     order;
  GArray   *decls;       /* Decl; shared by the selectors of a rule */
} Rule;

typedef struct
{
  GArray    *rules;      /* Rule */
  GPtrArray *decl_lists; /* GArray of Decl, owned */
} Sheet;

static void
clear_decl (gpointer data)
{
  g_free (((Decl *) data)->value);
}

static void
clear_rule (gpointer data)
{
  Rule *rule = data;

  for (guint i = 0; i < rule->n_parts; i++)
    {
      g_free (rule->parts[i].tag);
      g_free (rule->parts[i].id);
      g_strfreev (rule->parts[i].classes);
    }
  g_free (rule->parts);
}

static void
sheet_init (Sheet *sheet)
{
  sheet->rules = g_array_new (FALSE, FALSE, sizeof (Rule));
  g_array_set_clear_func (sheet->rules, clear_rule);
  sheet->decl_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

static void
sheet_clear (Sheet *sheet)
{
  g_clear_pointer (&sheet->rules, g_array_unref);
  g_clear_pointer (&sheet->decl_lists, g_ptr_array_unref);
}

static GArray *
new_decl_array (void)
{
  GArray *decls = g_array_new (FALSE, FALSE, sizeof (Decl));

  g_array_set_clear_func (decls, clear_decl);

  return decls;
}

/* Skips a balanced {…} block starting at *p == '{'. */
static const char *
skip_block (const char *p,
            const char *end)
{
  int depth = 0;
  char quote = 0;

  for (; p < end; p++)
    {
      if (quote != 0)
        {
          if (*p == '\\' && p + 1 < end)
            p++;
          else if (*p == quote)
            quote = 0;
          continue;
        }
      if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '{')
        depth++;
      else if (*p == '}' && --depth <= 0)
        return p + 1;
    }

  return end;
}

static int
prop_from_name (const char *name,
                gsize       len)
{
  for (int i = 0; i < N_PROPS; i++)
    if (strlen (prop_names[i]) == len && g_ascii_strncasecmp (prop_names[i], name, len) == 0)
      return i;
  if (len == 20 && g_ascii_strncasecmp (name, "text-decoration-line", len) == 0)
    return PROP_TEXT_DECORATION;

  return -1;
}

/* Declarations "a: b; c: d !important" (a style attribute or a rule's
 * block without its braces). At-rules inside (invalid, but seen in note
 * types: "@font-face {…}" inside .card) are skipped with their block. */
static void
parse_declarations (const char *p,
                    const char *end,
                    GArray     *decls)
{
  while (p < end)
    {
      const char *name, *name_end, *value;
      GString *v;
      char quote = 0;
      int parens = 0;
      int prop;

      while (p < end && (g_ascii_isspace (*p) || *p == ';'))
        p++;
      if (p >= end)
        break;

      if (*p == '@' || *p == '{')
        {
          while (p < end && *p != '{' && *p != ';')
            p++;
          if (p < end && *p == '{')
            p = skip_block (p, end);
          continue;
        }

      name = p;
      while (p < end && *p != ':' && *p != ';' && *p != '{')
        p++;
      if (p >= end || *p != ':')
        {
          if (p < end && *p == '{')
            p = skip_block (p, end);
          continue;
        }
      name_end = p;
      while (name_end > name && g_ascii_isspace (name_end[-1]))
        name_end--;
      p++;

      value = p;
      v = g_string_new (NULL);
      for (; p < end; p++)
        {
          if (quote != 0)
            {
              if (*p == quote)
                quote = 0;
            }
          else if (*p == '"' || *p == '\'')
            quote = *p;
          else if (*p == '(')
            parens++;
          else if (*p == ')')
            parens = MAX (parens - 1, 0);
          else if (*p == ';' && parens == 0)
            break;
          else if (*p == '{')
            break;
        }
      g_string_append_len (v, value, p - value);
      if (p < end && *p == '{')
        p = skip_block (p, end);

      prop = prop_from_name (name, name_end - name);
      if (prop >= 0)
        {
          Decl decl = { prop, FALSE, NULL };
          char *bang;

          g_strstrip (v->str);
          v->len = strlen (v->str);
          bang = strrchr (v->str, '!');
          if (bang != NULL)
            {
              char *word = g_strstrip (g_strdup (bang + 1));

              if (g_ascii_strcasecmp (word, "important") == 0)
                {
                  decl.important = TRUE;
                  *bang = '\0';
                  g_strstrip (v->str);
                }
              g_free (word);
            }
          if (v->str[0] != '\0')
            {
              decl.value = g_string_free (v, FALSE);
              g_array_append_val (decls, decl);
              continue;
            }
        }
      g_string_free (v, TRUE);
    }
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || (guchar) c >= 0x80;
}

/* One selector ("div.a > .b td"); FALSE if it has parts this reader does
 * not understand. */
static gboolean
parse_selector (const char *s,
                Rule       *rule)
{
  GArray *parts = g_array_new (FALSE, TRUE, sizeof (Compound));
  gboolean child = FALSE;
  guint ids = 0, classes = 0, types = 0;
  const char *p = s;

  while (*p != '\0')
    {
      Compound compound = { 0, };
      GPtrArray *class_list = NULL;
      gboolean any = FALSE;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '>')
        {
          if (parts->len == 0 || child)
            goto fail;
          child = TRUE;
          p++;
          continue;
        }
      if (*p == '\0')
        break;

      compound.child = child && parts->len > 0;
      child = FALSE;

      if (*p == '*')
        {
          any = TRUE;
          p++;
        }
      else if (is_ident_char (*p))
        {
          const char *start = p;

          while (is_ident_char (*p))
            p++;
          compound.tag = g_ascii_strdown (start, p - start);
          types++;
          any = TRUE;
        }

      while (*p == '.' || *p == '#')
        {
          char kind = *p++;
          const char *start = p;

          while (is_ident_char (*p))
            p++;
          if (p == start)
            {
              if (class_list != NULL)
                g_ptr_array_unref (class_list);
              g_free (compound.tag);
              g_free (compound.id);
              goto fail;
            }
          if (kind == '#')
            {
              g_free (compound.id);
              compound.id = g_strndup (start, p - start);
              ids++;
            }
          else
            {
              if (class_list == NULL)
                class_list = g_ptr_array_new ();
              g_ptr_array_add (class_list, g_strndup (start, p - start));
              classes++;
            }
          any = TRUE;
        }

      if (class_list != NULL)
        {
          g_ptr_array_add (class_list, NULL);
          compound.classes = (char **) g_ptr_array_free (class_list, FALSE);
        }

      g_array_append_val (parts, compound);

      /* Pseudo-classes, attributes, sibling combinators: not for us. */
      if (!any || (*p != '\0' && !g_ascii_isspace (*p) && *p != '>'))
        goto fail;
    }

  if (parts->len == 0 || child)
    goto fail;

  rule->n_parts = parts->len;
  rule->parts = (Compound *) g_array_free (parts, FALSE);
  rule->specificity = MIN (ids, 99u) * 10000 + MIN (classes, 99u) * 100 + MIN (types, 99u);

  return TRUE;

fail:
  for (guint i = 0; i < parts->len; i++)
    {
      Compound *c = &g_array_index (parts, Compound, i);

      g_free (c->tag);
      g_free (c->id);
      g_strfreev (c->classes);
    }
  g_array_free (parts, TRUE);

  return FALSE;
}

static char *
strip_comments (const char *css)
{
  GString *out = g_string_sized_new (strlen (css));
  const char *p = css;

  while (*p != '\0')
    {
      const char *open = strstr (p, "/*");
      const char *close;

      if (open == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      g_string_append_c (out, ' ');
      close = strstr (open + 2, "*/");
      if (close == NULL)
        break;
      p = close + 2;
    }

  return g_string_free (out, FALSE);
}

static void
sheet_parse (Sheet      *sheet,
             const char *css,
             guint      *order)
{
  g_autofree char *text = NULL;
  const char *p, *end;

  if (css == NULL)
    return;

  text = strip_comments (css);
  p = text;
  end = text + strlen (text);

  while (p < end)
    {
      const char *prelude;
      g_autofree char *selectors = NULL;
      g_auto(GStrv) list = NULL;
      const char *block_start, *block_end;
      GArray *decls;
      gboolean used = FALSE;

      while (p < end && (g_ascii_isspace (*p) || *p == ';' || *p == '}'))
        p++;
      if (p >= end)
        break;

      if (*p == '@')
        {
          while (p < end && *p != '{' && *p != ';')
            p++;
          if (p < end && *p == '{')
            p = skip_block (p, end);
          continue;
        }

      prelude = p;
      while (p < end && *p != '{')
        p++;
      if (p >= end)
        break;
      selectors = g_strndup (prelude, p - prelude);
      block_start = p + 1;
      p = skip_block (p, end);
      block_end = p > block_start && p[-1] == '}' ? p - 1 : p;

      decls = new_decl_array ();
      parse_declarations (block_start, block_end, decls);
      if (decls->len == 0)
        {
          g_array_unref (decls);
          continue;
        }

      list = g_strsplit (selectors, ",", -1);
      for (guint i = 0; list[i] != NULL; i++)
        {
          Rule rule = { 0, };

          if (!parse_selector (list[i], &rule))
            continue;
          rule.order = (*order)++;
          rule.decls = decls;
          g_array_append_val (sheet->rules, rule);
          used = TRUE;
        }

      if (used)
        g_ptr_array_add (sheet->decl_lists, decls);
      else
        g_array_unref (decls);
    }
}

/* ------------------------------------------------------------------------
 * Computed style
 * ------------------------------------------------------------------------ */

typedef enum
{
  DISPLAY_INLINE,
  DISPLAY_BLOCK,
  DISPLAY_NONE,
} Display;

typedef enum
{
  LIST_DISC,
  LIST_CIRCLE,
  LIST_SQUARE,
  LIST_DECIMAL,
  LIST_LOWER_ALPHA,
  LIST_UPPER_ALPHA,
  LIST_LOWER_ROMAN,
  LIST_UPPER_ROMAN,
  LIST_NONE,
  LIST_DEFAULT,     /* by the list's kind and depth */
} ListType;

typedef struct
{
  guint32      fg;
  guint32      bg;
  const char  *family;     /* interned in the walker; NULL: the view's */
  double       px;
  SdRichAlign  align;
  ListType     list_type;
  int          indent;     /* content indent in px */
  int          quote;      /* x of the quote bar; -1: none */
  int          code_block; /* x of the code box; -1: none */
  int          vpos;       /* -1 sub, 0, +1 super */
  int          width;      /* px; 0: auto (images only; not inherited) */
  int          height;
  guint        fg_set : 1;
  guint        bg_set : 1;
  guint        bold : 1;
  guint        italic : 1;
  guint        underline : 1;
  guint        strike : 1;
  guint        code : 1;
  guint        kbd : 1;
  guint        mark : 1;
  guint        pre : 1;
  guint        hidden : 1;
  guint        in_link : 1;
  guint        no_math : 1;
} Computed;

typedef struct
{
  xmlNode     *node;
  const char  *tag;
  const char  *id;
  char       **classes;
  guint        n_classes;
} ElementInfo;

/* What is open in the doc being written (the card, or a table cell). */
typedef struct
{
  SdRichDoc *doc;
  gboolean   open[SD_RICH_N_STYLES];
  guint      arg[SD_RICH_N_STYLES];
  gboolean   line_content;  /* the current line has something */
  gboolean   space;         /* a collapsible space waits for more content */
  Computed   space_style;
  char       marker[48];    /* list markers waiting for the item's first line */
  int        marker_px;
  gboolean   pre_start;     /* a newline right after <pre> is dropped */
  gboolean   cell;
} Out;

typedef struct
{
  char *kind;
  char *data;
} Deferred;

typedef struct
{
  Out          out;
  Sheet        sheet;
  const char  *media_dir;
  gboolean     night;
  int          card_ord;
  guint32      page_bg;     /* opaque */
  gboolean     page_bg_set;
  guint32      theme_fg;
  GHashTable  *strings;     /* interned families */
  GArray      *stack;       /* ElementInfo of the ancestors and the element */
  GArray      *deferred;    /* Deferred: widgets found in table cells */
  GArray      *lists;       /* ListState of the open lists */
  char        *hint_name;   /* a hint range not added yet (see line_break()) */
  int          hint_start;
  int          hint_end;
  gboolean     typeans_done;
  int          depth;
  gboolean     cache_valid; /* text_color()'s last answer */
  guint32      cache_fg;
  guint32      cache_bg;
  guint32      cache_out;
} Walker;

static const char *
intern (Walker     *w,
        const char *s)
{
  char *found = g_hash_table_lookup (w->strings, s);

  if (found == NULL)
    {
      found = g_strdup (s);
      g_hash_table_add (w->strings, found);
    }

  return found;
}

static const char *
get_attr (xmlNode    *node,
          const char *name)
{
  for (xmlAttr *a = node->properties; a != NULL; a = a->next)
    if (g_ascii_strcasecmp ((const char *) a->name, name) == 0)
      {
        if (a->children != NULL && a->children->content != NULL)
          return (const char *) a->children->content;
        return "";
      }

  return NULL;
}

static gboolean
element_has_class (const ElementInfo *info,
                   const char        *name)
{
  for (guint i = 0; i < info->n_classes; i++)
    if (g_str_equal (info->classes[i], name))
      return TRUE;

  return FALSE;
}

static gboolean
match_compound (const Compound    *c,
                const ElementInfo *info)
{
  if (c->tag != NULL && g_strcmp0 (c->tag, info->tag) != 0)
    return FALSE;
  if (c->id != NULL && g_strcmp0 (c->id, info->id) != 0)
    return FALSE;
  if (c->classes != NULL)
    for (guint i = 0; c->classes[i] != NULL; i++)
      if (!element_has_class (info, c->classes[i]))
        return FALSE;

  return TRUE;
}

static gboolean
match_from (const Rule        *rule,
            guint              part,
            const ElementInfo *stack,
            int                pos)
{
  if (!match_compound (&rule->parts[part], &stack[pos]))
    return FALSE;
  if (part == 0)
    return TRUE;
  if (rule->parts[part].child)
    return pos > 0 && match_from (rule, part - 1, stack, pos - 1);
  for (int p = pos - 1; p >= 0; p--)
    if (match_from (rule, part - 1, stack, p))
      return TRUE;

  return FALSE;
}

static gboolean
tag_is_block (const char *tag)
{
  static const char * const blocks[] = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
    "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre",
    "search", "section", "summary", "table", "tr", "ul", "xmp",
  };

  for (guint i = 0; i < G_N_ELEMENTS (blocks); i++)
    if (g_str_equal (tag, blocks[i]))
      return TRUE;

  return FALSE;
}

static gboolean
tag_is_table_part (const char *tag)
{
  static const char * const parts[] = {
    "caption", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (g_str_equal (tag, parts[i]))
      return TRUE;

  return FALSE;
}

/* Elements with space above and below (their default margins). */
static gboolean
tag_has_gap (const char *tag)
{
  static const char * const gaps[] = {
    "blockquote", "dl", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "listing", "p",
    "plaintext", "pre", "xmp",
  };

  for (guint i = 0; i < G_N_ELEMENTS (gaps); i++)
    if (g_str_equal (tag, gaps[i]))
      return TRUE;

  return FALSE;
}

/* Elements whose content is never shown. */
static gboolean
tag_is_skipped (const char *tag)
{
  static const char * const skipped[] = {
    "applet", "area", "base", "canvas", "datalist", "embed", "frame", "frameset", "head",
    "iframe", "link", "map", "math", "meta", "noembed", "object", "param", "rp", "script",
    "select", "source", "style", "svg", "template", "textarea", "title", "track", "video",
  };

  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    if (g_str_equal (tag, skipped[i]))
      return TRUE;

  return FALSE;
}

static double
parse_font_size (const char *v,
                 double      parent_px)
{
  static const struct { const char *name; double px; } keywords[] = {
    { "xx-small", 9 }, { "x-small", 10 }, { "small", 13 }, { "medium", 16 },
    { "large", 18 }, { "x-large", 24 }, { "xx-large", 32 }, { "xxx-large", 48 },
  };
  char *end;
  double n;

  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (g_ascii_strcasecmp (v, keywords[i].name) == 0)
      return keywords[i].px;
  if (g_ascii_strcasecmp (v, "smaller") == 0)
    return parent_px / 1.2;
  if (g_ascii_strcasecmp (v, "larger") == 0)
    return parent_px * 1.2;

  n = g_ascii_strtod (v, &end);
  if (end == v || n < 0)
    return -1;
  while (g_ascii_isspace (*end))
    end++;

  if (g_ascii_strcasecmp (end, "px") == 0 || (*end == '\0' && n == 0))
    return n;
  if (g_ascii_strcasecmp (end, "pt") == 0)
    return n * 96 / 72;
  if (g_ascii_strcasecmp (end, "pc") == 0)
    return n * 16;
  if (g_ascii_strcasecmp (end, "in") == 0)
    return n * 96;
  if (g_ascii_strcasecmp (end, "cm") == 0)
    return n * 96 / 2.54;
  if (g_ascii_strcasecmp (end, "mm") == 0)
    return n * 96 / 25.4;
  if (g_ascii_strcasecmp (end, "em") == 0)
    return n * parent_px;
  if (g_ascii_strcasecmp (end, "ex") == 0)
    return n * parent_px / 2;
  if (g_ascii_strcasecmp (end, "rem") == 0)
    return n * BASE_PX;
  if (g_ascii_strcasecmp (end, "%") == 0)
    return n * parent_px / 100;

  return -1;
}

/* "Gentium, 'DejaVu Sans', sans-serif" → "Gentium,DejaVu Sans,sans-serif". */
static char *
normalize_family (const char *v)
{
  g_auto(GStrv) parts = g_strsplit (v, ",", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);
      gsize len = strlen (name);

      if (len >= 2 && (name[0] == '"' || name[0] == '\'') && name[len - 1] == name[0])
        {
          name[len - 1] = '\0';
          name++;
        }
      if (*name == '\0' || strchr (name, '"') != NULL || strchr (name, '\'') != NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, name);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
parse_align (const char  *v,
             SdRichAlign *align)
{
  if (g_ascii_strcasecmp (v, "left") == 0 || g_ascii_strcasecmp (v, "start") == 0)
    *align = SD_RICH_ALIGN_LEFT;
  else if (g_ascii_strcasecmp (v, "right") == 0 || g_ascii_strcasecmp (v, "end") == 0)
    *align = SD_RICH_ALIGN_RIGHT;
  else if (g_ascii_strcasecmp (v, "center") == 0 || g_ascii_strcasecmp (v, "middle") == 0 ||
           g_ascii_strcasecmp (v, "-webkit-center") == 0)
    *align = SD_RICH_ALIGN_CENTER;
  else if (g_ascii_strcasecmp (v, "justify") == 0)
    *align = SD_RICH_ALIGN_JUSTIFY;
  else
    return FALSE;

  return TRUE;
}

static gboolean
parse_list_type (const char *v,
                 ListType   *type)
{
  static const struct { const char *name; ListType type; } types[] = {
    { "disc", LIST_DISC }, { "circle", LIST_CIRCLE }, { "square", LIST_SQUARE },
    { "decimal", LIST_DECIMAL }, { "lower-alpha", LIST_LOWER_ALPHA },
    { "lower-latin", LIST_LOWER_ALPHA }, { "upper-alpha", LIST_UPPER_ALPHA },
    { "upper-latin", LIST_UPPER_ALPHA }, { "lower-roman", LIST_LOWER_ROMAN },
    { "upper-roman", LIST_UPPER_ROMAN }, { "none", LIST_NONE },
  };
  g_auto(GStrv) words = g_strsplit_set (v, " \t\n", -1);

  for (guint w = 0; words[w] != NULL; w++)
    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      if (g_ascii_strcasecmp (words[w], types[i].name) == 0)
        {
          *type = types[i].type;
          return TRUE;
        }

  return FALSE;
}

static void
set_background (Walker   *w,
                Computed *c,
                guint32   rgba)
{
  guint32 under;

  /* Transparent shows what is behind: nothing changes. */
  if ((rgba & 0xff) == 0)
    return;

  under = c->bg_set ? c->bg : w->page_bg;
  c->bg = (rgba & 0xff) == 0xff ? rgba : blend (rgba, under);
  c->bg_set = TRUE;
}

static void
apply_decl (Walker         *w,
            Computed       *c,
            const Computed *parent,
            Display        *display,
            Prop            prop,
            const char     *v)
{
  gboolean inherit = g_ascii_strcasecmp (v, "inherit") == 0;
  gboolean initial = g_ascii_strcasecmp (v, "initial") == 0 ||
                     g_ascii_strcasecmp (v, "unset") == 0 ||
                     g_ascii_strcasecmp (v, "revert") == 0;
  guint32 rgba;

  switch (prop)
    {
    case PROP_COLOR:
      if (inherit || g_ascii_strcasecmp (v, "currentcolor") == 0)
        {
          c->fg = parent->fg;
          c->fg_set = parent->fg_set;
        }
      else if (initial || g_str_equal (v, "-sd-default"))
        c->fg_set = FALSE;
      else if (sd_card_html_parse_color (v, &rgba) && (rgba & 0xff) != 0)
        {
          c->fg = rgba;
          c->fg_set = TRUE;
        }
      break;

    case PROP_BACKGROUND_COLOR:
    case PROP_BACKGROUND:
      if (g_str_equal (v, "-sd-default") || initial || g_ascii_strcasecmp (v, "none") == 0)
        {
          c->bg_set = parent->bg_set;
          c->bg = parent->bg;
          if (g_str_equal (v, "-sd-default"))
            c->bg_set = FALSE;
        }
      else if (prop == PROP_BACKGROUND_COLOR)
        {
          if (sd_card_html_parse_color (v, &rgba))
            set_background (w, c, rgba);
        }
      else
        {
          /* The shorthand: its colour, if it has one outside functions
           * (gradients, url()). */
          g_autofree char *copy = g_strdup (v);
          int parens = 0;
          char *start = copy;

          for (char *p = copy; ; p++)
            {
              if (*p == '(')
                parens++;
              else if (*p == ')')
                parens--;
              if ((*p == '\0' || (g_ascii_isspace (*p) && parens == 0)) && p > start)
                {
                  char saved = *p;

                  *p = '\0';
                  if (strchr (start, '(') == NULL || g_str_has_prefix (start, "rgb") ||
                      g_str_has_prefix (start, "hsl"))
                    {
                      if (sd_card_html_parse_color (start, &rgba))
                        {
                          set_background (w, c, rgba);
                          break;
                        }
                    }
                  *p = saved;
                  start = p + 1;
                }
              else if (g_ascii_isspace (*p) && parens == 0)
                start = p + 1;
              if (*p == '\0')
                break;
            }
        }
      break;

    case PROP_FONT_WEIGHT:
      if (inherit)
        c->bold = parent->bold;
      else if (g_ascii_strcasecmp (v, "bold") == 0 || g_ascii_strcasecmp (v, "bolder") == 0)
        c->bold = TRUE;
      else if (initial || g_ascii_strcasecmp (v, "normal") == 0 ||
               g_ascii_strcasecmp (v, "lighter") == 0)
        c->bold = FALSE;
      else if (g_ascii_isdigit (v[0]))
        c->bold = atoi (v) >= 600;
      break;

    case PROP_FONT_STYLE:
      if (inherit)
        c->italic = parent->italic;
      else if (g_ascii_strncasecmp (v, "italic", 6) == 0 ||
               g_ascii_strncasecmp (v, "oblique", 7) == 0)
        c->italic = TRUE;
      else if (initial || g_ascii_strcasecmp (v, "normal") == 0)
        c->italic = FALSE;
      break;

    case PROP_TEXT_DECORATION:
      if (inherit)
        {
          c->underline = parent->underline;
          c->strike = parent->strike;
        }
      else if (initial || g_ascii_strncasecmp (v, "none", 4) == 0)
        {
          c->underline = FALSE;
          c->strike = FALSE;
        }
      else
        {
          if (strstr (v, "underline") != NULL)
            c->underline = TRUE;
          if (strstr (v, "line-through") != NULL)
            c->strike = TRUE;
        }
      break;

    case PROP_FONT_SIZE:
      if (inherit)
        c->px = parent->px;
      else if (initial)
        c->px = BASE_PX;
      else
        {
          double px = parse_font_size (v, parent->px);

          if (px >= 0)
            c->px = CLAMP (px, 4, 400);
        }
      break;

    case PROP_FONT_FAMILY:
      if (inherit)
        c->family = parent->family;
      else if (initial)
        c->family = NULL;
      else
        {
          g_autofree char *family = normalize_family (v);

          if (family != NULL)
            c->family = intern (w, family);
        }
      break;

    case PROP_TEXT_ALIGN:
      if (inherit)
        c->align = parent->align;
      else if (initial)
        c->align = SD_RICH_ALIGN_NONE;
      else
        parse_align (v, &c->align);
      break;

    case PROP_DISPLAY:
      if (g_ascii_strcasecmp (v, "none") == 0)
        *display = DISPLAY_NONE;
      else if (g_ascii_strncasecmp (v, "inline", 6) == 0 ||
               g_ascii_strcasecmp (v, "contents") == 0 ||
               g_ascii_strcasecmp (v, "ruby") == 0)
        *display = DISPLAY_INLINE;
      else if (g_ascii_strcasecmp (v, "block") == 0 || g_ascii_strcasecmp (v, "flex") == 0 ||
               g_ascii_strcasecmp (v, "grid") == 0 || g_ascii_strcasecmp (v, "list-item") == 0 ||
               g_ascii_strcasecmp (v, "flow-root") == 0 || g_ascii_strcasecmp (v, "table") == 0)
        *display = DISPLAY_BLOCK;
      break;

    case PROP_VERTICAL_ALIGN:
      if (g_ascii_strcasecmp (v, "sub") == 0)
        c->vpos = -1;
      else if (g_ascii_strcasecmp (v, "super") == 0)
        c->vpos = 1;
      else if (g_ascii_strcasecmp (v, "baseline") == 0)
        c->vpos = 0;
      break;

    case PROP_WHITE_SPACE:
      if (inherit)
        c->pre = parent->pre;
      else if (g_ascii_strncasecmp (v, "pre", 3) == 0 ||
               g_ascii_strcasecmp (v, "break-spaces") == 0)
        c->pre = TRUE;
      else if (initial || g_ascii_strcasecmp (v, "normal") == 0 ||
               g_ascii_strcasecmp (v, "nowrap") == 0)
        c->pre = FALSE;
      break;

    case PROP_LIST_STYLE_TYPE:
    case PROP_LIST_STYLE:
      if (inherit)
        c->list_type = parent->list_type;
      else if (initial)
        c->list_type = LIST_DEFAULT;
      else
        parse_list_type (v, &c->list_type);
      break;

    case PROP_WIDTH:
    case PROP_HEIGHT:
      {
        /* Lengths only (px, pt, em…); percentages need a box we do not
         * have, "auto" is the picture's own size. */
        double px = strchr (v, '%') == NULL ? parse_font_size (v, c->px) : -1;
        int *size = prop == PROP_WIDTH ? &c->width : &c->height;

        if (px > 0)
          *size = (int) CLAMP (px + 0.5, 1, 10000);
        else if (initial || g_ascii_strcasecmp (v, "auto") == 0 || strchr (v, '%') != NULL)
          *size = 0;
      }
      break;

    case N_PROPS:
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  const char *value;
  guint       specificity;
  gboolean    important;
} Winner;

static void
consider (Winner     *winners,
          const Decl *decl,
          guint       specificity)
{
  Winner *cur = &winners[decl->prop];

  if (cur->value != NULL &&
      (cur->important > decl->important ||
       (cur->important == decl->important && cur->specificity > specificity)))
    return;

  cur->value = decl->value;
  cur->specificity = specificity;
  cur->important = decl->important;
}

/* Presentational attributes: below every CSS rule. */
static void
apply_hints (Walker         *w,
             xmlNode        *node,
             const char     *tag,
             Computed       *c,
             const Computed *parent,
             Display        *display)
{
  const char *v;

  if ((v = get_attr (node, "align")) != NULL && !g_str_equal (tag, "table") &&
      !g_str_equal (tag, "img"))
    parse_align (v, &c->align);

  if (g_str_equal (tag, "img"))
    {
      /* width="300" is pixels; width="50%" is not a size we can honour. */
      if ((v = get_attr (node, "width")) != NULL && strchr (v, '%') == NULL && atoi (v) > 0)
        c->width = MIN (atoi (v), 10000);
      if ((v = get_attr (node, "height")) != NULL && strchr (v, '%') == NULL && atoi (v) > 0)
        c->height = MIN (atoi (v), 10000);
    }

  if ((v = get_attr (node, "bgcolor")) != NULL)
    {
      guint32 rgba;

      if (sd_card_html_parse_color (v, &rgba))
        set_background (w, c, rgba);
    }

  if (g_str_equal (tag, "font"))
    {
      if ((v = get_attr (node, "color")) != NULL)
        apply_decl (w, c, parent, display, PROP_COLOR, v);
      if ((v = get_attr (node, "face")) != NULL)
        apply_decl (w, c, parent, display, PROP_FONT_FAMILY, v);
      if ((v = get_attr (node, "size")) != NULL && *v != '\0')
        {
          static const double sizes[] = { 10, 13, 16, 18, 24, 32, 48 };
          int n = atoi (v);

          if (v[0] == '+' || v[0] == '-')
            n += 3;
          c->px = sizes[CLAMP (n, 1, 7) - 1];
        }
    }
}

/* Element defaults (the browser's own style sheet, roughly). */
static void
apply_element_defaults (Walker     *w,
                        const char *tag,
                        xmlNode    *node,
                        Computed   *c)
{
  static const double heading_em[] = { 2.0, 1.5, 1.17, 1.0, 0.83, 0.67 };

  if (g_str_equal (tag, "b") || g_str_equal (tag, "strong") || g_str_equal (tag, "th") ||
      g_str_equal (tag, "dt"))
    c->bold = TRUE;
  else if (g_str_equal (tag, "i") || g_str_equal (tag, "em") || g_str_equal (tag, "cite") ||
           g_str_equal (tag, "var") || g_str_equal (tag, "dfn") || g_str_equal (tag, "address"))
    c->italic = TRUE;
  else if (g_str_equal (tag, "u") || g_str_equal (tag, "ins"))
    c->underline = TRUE;
  else if (g_str_equal (tag, "s") || g_str_equal (tag, "strike") || g_str_equal (tag, "del"))
    c->strike = TRUE;
  else if (g_str_equal (tag, "sub"))
    {
      c->vpos = -1;
      c->px /= 1.2;
    }
  else if (g_str_equal (tag, "sup"))
    {
      c->vpos = 1;
      c->px /= 1.2;
    }
  else if (g_str_equal (tag, "rt"))
    {
      c->vpos = 1;
      c->px /= 2;
    }
  else if (g_str_equal (tag, "small"))
    c->px /= 1.2;
  else if (g_str_equal (tag, "big"))
    c->px *= 1.2;
  else if (g_str_equal (tag, "code") || g_str_equal (tag, "kbd") || g_str_equal (tag, "samp") ||
           g_str_equal (tag, "tt"))
    {
      c->family = intern (w, "monospace");
      c->no_math = TRUE;
      if (g_str_equal (tag, "code"))
        c->code = g_strcmp0 (get_attr (node, "id"), "typeans") != 0;
      else if (g_str_equal (tag, "kbd"))
        c->kbd = TRUE;
    }
  else if (g_str_equal (tag, "mark"))
    c->mark = TRUE;
  else if (g_str_equal (tag, "pre") || g_str_equal (tag, "xmp") || g_str_equal (tag, "listing") ||
           g_str_equal (tag, "plaintext"))
    {
      c->family = intern (w, "monospace");
      c->pre = TRUE;
      c->no_math = TRUE;
    }
  else if (tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && tag[2] == '\0')
    {
      c->bold = TRUE;
      c->px *= heading_em[tag[1] - '1'];
    }
  else if (g_str_equal (tag, "center"))
    c->align = SD_RICH_ALIGN_CENTER;

  if (g_str_equal (tag, "th"))
    c->align = SD_RICH_ALIGN_CENTER;
}

static void
element_info_clear (ElementInfo *info)
{
  g_strfreev (info->classes);
}

static void
push_element (Walker     *w,
              xmlNode    *node,
              const char *tag)
{
  ElementInfo info = { node, tag, get_attr (node, "id"), NULL, 0 };
  const char *cls = get_attr (node, "class");
  gboolean root = g_str_equal (tag, "html") || g_str_equal (tag, "body");
  GPtrArray *list = NULL;

  if (cls != NULL && *cls != '\0')
    {
      g_auto(GStrv) words = g_strsplit_set (cls, " \t\n\r\f", -1);

      list = g_ptr_array_new ();
      for (guint i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0')
          g_ptr_array_add (list, g_strdup (words[i]));
    }

  /* The virtual page: Anki's classes on the root elements. */
  if (root)
    {
      if (list == NULL)
        list = g_ptr_array_new ();
      if (g_str_equal (tag, "body"))
        {
          g_ptr_array_add (list, g_strdup ("card"));
          if (w->card_ord >= 0)
            g_ptr_array_add (list, g_strdup_printf ("card%d", w->card_ord + 1));
        }
      if (w->night)
        {
          g_ptr_array_add (list, g_strdup ("nightMode"));
          g_ptr_array_add (list, g_strdup ("night_mode"));
        }
    }

  if (list != NULL)
    {
      info.n_classes = list->len;
      g_ptr_array_add (list, NULL);
      info.classes = (char **) g_ptr_array_free (list, FALSE);
    }

  g_array_append_val (w->stack, info);
}

static void
pop_element (Walker *w)
{
  element_info_clear (&g_array_index (w->stack, ElementInfo, w->stack->len - 1));
  g_array_set_size (w->stack, w->stack->len - 1);
}

/* The style of the element on top of the stack. */
static void
compute (Walker         *w,
         xmlNode        *node,
         const char     *tag,
         const Computed *parent,
         Computed       *c,
         Display        *display)
{
  Winner winners[N_PROPS] = { { 0, }, };
  const ElementInfo *stack = (const ElementInfo *) (gpointer) w->stack->data;
  int top = (int) w->stack->len - 1;
  g_autoptr(GArray) inline_decls = NULL;
  const char *style;

  /* Everything inherits: backgrounds and raised text are painted behind
   * and under the children anyway. */
  *c = *parent;
  c->width = 0;
  c->height = 0;
  *display = tag_is_block (tag) ? DISPLAY_BLOCK : DISPLAY_INLINE;

  apply_element_defaults (w, tag, node, c);
  apply_hints (w, node, tag, c, parent, display);

  for (guint i = 0; i < w->sheet.rules->len; i++)
    {
      const Rule *rule = &g_array_index (w->sheet.rules, Rule, i);
      const Compound *last = &rule->parts[rule->n_parts - 1];

      /* Cheap reject on the rightmost compound first. */
      if (last->tag != NULL && !g_str_equal (last->tag, tag))
        continue;
      if (!match_from (rule, rule->n_parts - 1, stack, top))
        continue;

      for (guint d = 0; d < rule->decls->len; d++)
        consider (winners, &g_array_index (rule->decls, Decl, d), rule->specificity);
    }

  style = get_attr (node, "style");
  if (style != NULL && *style != '\0')
    {
      inline_decls = new_decl_array ();
      parse_declarations (style, style + strlen (style), inline_decls);
      for (guint d = 0; d < inline_decls->len; d++)
        consider (winners, &g_array_index (inline_decls, Decl, d), G_MAXUINT);
    }

  for (int p = 0; p < N_PROPS; p++)
    if (winners[p].value != NULL)
      apply_decl (w, c, parent, display, p, winners[p].value);
  /* A table's or a cell's background would fill its box in a browser;
   * behind the text runs of a grid of labels it only looks patchy. */
  if (tag_is_table_part (tag))
    {
      c->bg = parent->bg;
      c->bg_set = parent->bg_set;
    }
}

/* ------------------------------------------------------------------------
 * Writing operations
 * ------------------------------------------------------------------------ */

static void
set_style (Walker      *w,
           SdRichStyle  style,
           gboolean     want,
           guint        arg)
{
  Out *o = &w->out;

  if (o->open[style] && (!want || o->arg[style] != arg))
    {
      sd_rich_doc_pop (o->doc, style, o->arg[style]);
      o->open[style] = FALSE;
    }
  if (want && !o->open[style])
    {
      sd_rich_doc_push (o->doc, style, arg);
      o->open[style] = TRUE;
      o->arg[style] = arg;
    }
}

static const SdRichStyle inline_styles[] = {
  SD_RICH_STYLE_FOREGROUND, SD_RICH_STYLE_BACKGROUND, SD_RICH_STYLE_FAMILY, SD_RICH_STYLE_SCALE,
  SD_RICH_STYLE_STRONG, SD_RICH_STYLE_EMPHASIS, SD_RICH_STYLE_UNDERLINE, SD_RICH_STYLE_STRIKE,
  SD_RICH_STYLE_SUBSCRIPT, SD_RICH_STYLE_SUPERSCRIPT, SD_RICH_STYLE_CODE, SD_RICH_STYLE_KBD,
  SD_RICH_STYLE_MARK,
};

static const SdRichStyle block_styles[] = {
  SD_RICH_STYLE_ALIGN, SD_RICH_STYLE_INDENT, SD_RICH_STYLE_QUOTE, SD_RICH_STYLE_CODE_BLOCK,
  SD_RICH_STYLE_HIDDEN,
};

static void
close_inline (Walker *w)
{
  for (guint i = 0; i < G_N_ELEMENTS (inline_styles); i++)
    set_style (w, inline_styles[i], FALSE, 0);
}

static void
close_all (Walker *w)
{
  close_inline (w);
  for (guint i = 0; i < G_N_ELEMENTS (block_styles); i++)
    set_style (w, block_styles[i], FALSE, 0);
}

static guint
scale_arg (const Computed *c)
{
  /* Steps of 2.5 %: few distinct tags. */
  double steps = round (c->px / BASE_PX * 40);

  return (guint) CLAMP (steps * 25, 100, 10000);
}

static guint32
text_color (Walker         *w,
            const Computed *c,
            gboolean       *set)
{
  guint32 bg = c->bg_set ? c->bg : w->page_bg;
  guint32 fg;

  *set = FALSE;

  if (c->fg_set)
    {
      *set = TRUE;
      fg = c->fg;
      /* Explicit colours are the author's in light mode; in night mode
       * they must be readable on whatever is under them. */
      if (!w->night)
        return fg;
    }
  else if (c->in_link)
    {
      /* The link tag's colour, made for the theme's background. */
      return 0;
    }
  else
    {
      /* The view's default colour, unless it is unreadable on a background
       * the card chose: then plain black or white. */
      if ((!c->bg_set && !w->page_bg_set) || contrast (w->theme_fg, bg) >= MIN_CONTRAST)
        return 0;
      *set = TRUE;
      return contrast (0xffffffffu, bg) > contrast (0x000000ffu, bg) ? 0xffffffffu : 0x000000ffu;
    }

  if (w->cache_valid && w->cache_fg == fg && w->cache_bg == bg)
    {
      fg = w->cache_out;
    }
  else
    {
      w->cache_valid = TRUE;
      w->cache_fg = fg;
      w->cache_bg = bg;
      fg = w->cache_out = readable (fg, bg);
    }

  return fg;
}

static void
sync_inline (Walker         *w,
             const Computed *c)
{
  gboolean fg_set;
  guint32 fg = text_color (w, c, &fg_set);
  guint scale = scale_arg (c);

  set_style (w, SD_RICH_STYLE_FOREGROUND, fg_set, fg);
  set_style (w, SD_RICH_STYLE_BACKGROUND, c->bg_set, c->bg);
  set_style (w, SD_RICH_STYLE_FAMILY, c->family != NULL,
             c->family != NULL ? sd_rich_doc_intern (w->out.doc, c->family) : 0);
  /* Sub- and superscript tags have a scale of their own: always override. */
  set_style (w, SD_RICH_STYLE_SCALE, scale != 1000 || c->vpos != 0, scale);
  set_style (w, SD_RICH_STYLE_STRONG, c->bold, 0);
  set_style (w, SD_RICH_STYLE_EMPHASIS, c->italic, 0);
  set_style (w, SD_RICH_STYLE_UNDERLINE, c->underline, 0);
  set_style (w, SD_RICH_STYLE_STRIKE, c->strike, 0);
  set_style (w, SD_RICH_STYLE_SUBSCRIPT, c->vpos < 0, 0);
  set_style (w, SD_RICH_STYLE_SUPERSCRIPT, c->vpos > 0, 0);
  set_style (w, SD_RICH_STYLE_CODE, c->code, 0);
  set_style (w, SD_RICH_STYLE_KBD, c->kbd, 0);
  set_style (w, SD_RICH_STYLE_MARK, c->mark, 0);
}

static gboolean
marker_hangs (const Computed *c)
{
  return c->align == SD_RICH_ALIGN_NONE || c->align == SD_RICH_ALIGN_LEFT;
}

static void
sync_block (Walker         *w,
            const Computed *c)
{
  int content = MIN (c->indent, MAX_INDENT_PX);
  int hang = 0;

  if (w->out.marker[0] != '\0' && marker_hangs (c))
    hang = MAX (content - MIN (w->out.marker_px, MAX_INDENT_PX), 0);

  set_style (w, SD_RICH_STYLE_ALIGN, !marker_hangs (c), c->align);
  set_style (w, SD_RICH_STYLE_INDENT, content > 0 || hang > 0, SD_RICH_INDENT (content, hang));
  set_style (w, SD_RICH_STYLE_QUOTE, c->quote >= 0, (guint) MAX (c->quote, 0));
  set_style (w, SD_RICH_STYLE_CODE_BLOCK, c->code_block >= 0, (guint) MAX (c->code_block, 0));
  set_style (w, SD_RICH_STYLE_HIDDEN, c->hidden, 0);
}

static void
emit_marker (Walker         *w,
             const Computed *c)
{
  Computed m = *c;

  /* The marker has the item's colour and size, not its decorations. */
  m.bold = m.italic = m.underline = m.strike = m.code = m.kbd = m.mark = FALSE;
  m.vpos = 0;
  sync_inline (w, &m);
  sd_rich_doc_push (w->out.doc, SD_RICH_STYLE_MARKER, 0);
  sd_rich_doc_text (w->out.doc, w->out.marker, -1);
  sd_rich_doc_text (w->out.doc, marker_hangs (c) && !w->out.cell ? "\t" : " ", 1);
  sd_rich_doc_pop (w->out.doc, SD_RICH_STYLE_MARKER, 0);
  w->out.marker[0] = '\0';
}

static void
finish_hint (Walker *w)
{
  if (w->hint_name == NULL)
    return;

  sd_rich_doc_add_range (w->out.doc, w->hint_name, w->hint_start, w->hint_end);
  g_clear_pointer (&w->hint_name, g_free);
}

/* Before anything visible on a line. */
static void
begin_content (Walker         *w,
               const Computed *c)
{
  if (w->out.line_content)
    return;

  finish_hint (w);

  if (!w->out.cell)
    sync_block (w, c);
  w->out.line_content = TRUE;
  if (w->out.marker[0] != '\0')
    emit_marker (w, c);
}

static void
flush_space (Walker *w)
{
  if (!w->out.space)
    return;

  w->out.space = FALSE;
  sync_inline (w, &w->out.space_style);
  sd_rich_doc_text (w->out.doc, " ", 1);
}

static void
put_text (Walker         *w,
          const Computed *c,
          const char     *s,
          gsize           n)
{
  if (n == 0)
    return;

  begin_content (w, c);
  flush_space (w);
  sync_inline (w, c);
  sd_rich_doc_text (w->out.doc, s, n);
}

static void
end_line (Walker   *w,
          gboolean  gap)
{
  close_inline (w);
  sd_rich_doc_end_paragraph (w->out.doc, gap && !w->out.cell);
  w->out.line_content = FALSE;
  w->out.space = FALSE;
}

/* <br>, and newlines in preformatted text. */
static void
line_break (Walker         *w,
            const Computed *c)
{
  /* "Hint<div hidden>…</div><br>": while the hint is hidden a browser
   * has no block there, so the <br> ends the link's line and must not
   * make an empty one; the newline is hidden with the hint. */
  if (w->hint_name != NULL && !w->out.line_content && !w->out.cell)
    {
      sd_rich_doc_push (w->out.doc, SD_RICH_STYLE_HIDDEN, 0);
      sd_rich_doc_end_paragraph (w->out.doc, FALSE);
      sd_rich_doc_pop (w->out.doc, SD_RICH_STYLE_HIDDEN, 0);
      w->hint_end = sd_rich_doc_get_length (w->out.doc);
      finish_hint (w);
      return;
    }

  begin_content (w, c);
  end_line (w, FALSE);
}

/* The edge of a block element: a line with content ends there. */
static void
block_boundary (Walker   *w,
                gboolean  gap)
{
  if (w->out.line_content)
    end_line (w, gap);
  else if (gap && !w->out.cell)
    sd_rich_doc_gap_last_paragraph (w->out.doc);
  w->out.space = FALSE;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void
emit_flow_text (Walker         *w,
                const Computed *c,
                const char     *s,
                gsize           len)
{
  gsize i = 0;

  while (i < len)
    {
      gsize start;

      if (is_space (s[i]))
        {
          while (i < len && is_space (s[i]))
            i++;
          if (w->out.line_content && !w->out.space)
            {
              w->out.space = TRUE;
              w->out.space_style = *c;
            }
          continue;
        }

      start = i;
      while (i < len && !is_space (s[i]))
        i++;
      put_text (w, c, s + start, i - start);
    }
}

static void
emit_pre_text (Walker         *w,
               const Computed *c,
               const char     *s,
               gsize           len)
{
  gsize i = 0;

  if (w->out.pre_start)
    {
      w->out.pre_start = FALSE;
      if (len > 0 && s[0] == '\r')
        i++;
      if (i < len && s[i] == '\n')
        i++;
    }

  while (i < len)
    {
      gsize start = i;

      while (i < len && s[i] != '\n' && s[i] != '\r')
        i++;
      put_text (w, c, s + start, i - start);
      if (i < len)
        {
          if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
            i++;
          i++;
          line_break (w, c);
        }
    }
}

static void
emit_plain (Walker         *w,
            const Computed *c,
            const char     *s,
            gsize           len)
{
  if (len == 0)
    return;

  if (c->pre)
    emit_pre_text (w, c, s, len);
  else
    emit_flow_text (w, c, s, len);
}

/* A media file name as written in the card → its path in the media
 * folder, or NULL (never anything outside it, never a URL). */
static char *
media_path (Walker     *w,
            const char *name)
{
  g_autofree char *decoded = NULL;
  const char *candidates[2];

  if (w->media_dir == NULL || name == NULL)
    return NULL;

  while (g_ascii_isspace (*name))
    name++;
  if (*name == '\0' || g_path_is_absolute (name) || name[0] == '/' || name[0] == '\\')
    return NULL;

  /* Any scheme (http:, data:, file:, javascript:) is not a media file. */
  for (const char *p = name; *p != '\0' && *p != '/'; p++)
    if (*p == ':')
      return NULL;

  decoded = g_uri_unescape_string (name, NULL);
  candidates[0] = name;
  candidates[1] = decoded;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_auto(GStrv) parts = NULL;
      g_autofree char *path = NULL;
      gboolean bad = FALSE;

      if (candidates[i] == NULL || (i == 1 && g_str_equal (candidates[0], candidates[1])))
        continue;

      parts = g_strsplit_set (candidates[i], "/\\", -1);
      for (guint p = 0; parts[p] != NULL; p++)
        if (g_str_equal (parts[p], ".."))
          bad = TRUE;
      if (bad)
        continue;

      path = g_build_filename (w->media_dir, candidates[i], NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  return NULL;
}

static void
emit_widget (Walker         *w,
             const Computed *c,
             const char     *kind,
             const char     *data)
{
  if (w->out.cell)
    {
      Deferred d = { g_strdup (kind), g_strdup (data) };

      g_array_append_val (w->deferred, d);
      return;
    }

  begin_content (w, c);
  flush_space (w);
  sync_inline (w, c);
  sd_rich_doc_widget (w->out.doc, kind, data);
}

static void
emit_sound (Walker         *w,
            const Computed *c,
            const char     *name,
            gsize           len)
{
  g_autofree char *file = g_strstrip (g_strndup (name, len));
  g_autofree char *path = media_path (w, file);

  if (path != NULL)
    emit_widget (w, c, SD_CARD_HTML_WIDGET_SOUND, path);
  else
    emit_widget (w, c, SD_CARD_HTML_WIDGET_MISSING_SOUND, file);
}

static void
emit_math (Walker         *w,
           const Computed *c,
           const char     *s,
           gsize           len,
           gboolean        display)
{
  Computed m = *c;

  m.family = intern (w, "monospace");
  m.code = TRUE;
  if (display)
    block_boundary (w, FALSE);
  /* Keep the source's inner spacing readable, but on one line. */
  while (len > 0 && is_space (*s))
    s++, len--;
  while (len > 0 && is_space (s[len - 1]))
    len--;
  emit_flow_text (w, &m, s, len);
  if (display)
    block_boundary (w, FALSE);
}

static const char *
find_str (const char *s,
          const char *end,
          const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = s; p + n <= end; p++)
    if (*p == needle[0] && memcmp (p, needle, n) == 0)
      return p;

  return NULL;
}

/* Text with Anki's inline markers: [sound:…], [anki:tts …]…[/anki:tts],
 * MathJax \( \) and \[ \]. */
static void
emit_text (Walker         *w,
           const Computed *c,
           const char     *s,
           gsize           len)
{
  const char *end = s + len;
  const char *seg = s;
  const char *p = s;

  while (p < end)
    {
      const char *close;

      if (*p == '[')
        {
          if (end - p > 7 && memcmp (p, "[sound:", 7) == 0 &&
              (close = memchr (p + 7, ']', end - p - 7)) != NULL)
            {
              emit_plain (w, c, seg, p - seg);
              emit_sound (w, c, p + 7, close - (p + 7));
              p = seg = close + 1;
              continue;
            }
          if ((end - p > 9 && memcmp (p, "[anki:tts", 9) == 0) ||
              (end - p > 10 && memcmp (p, "[/anki:tts", 10) == 0))
            {
              close = memchr (p, ']', end - p);
              if (close != NULL)
                {
                  emit_plain (w, c, seg, p - seg);
                  p = seg = close + 1;
                  continue;
                }
            }
        }
      else if (*p == '\\' && p + 1 < end && (p[1] == '(' || p[1] == '[') && !c->no_math)
        {
          gboolean display = p[1] == '[';

          close = find_str (p + 2, end, display ? "\\]" : "\\)");
          if (close != NULL)
            {
              emit_plain (w, c, seg, p - seg);
              emit_math (w, c, p + 2, close - (p + 2), display);
              p = seg = close + 2;
              continue;
            }
        }
      p++;
    }

  emit_plain (w, c, seg, end - seg);
}

static void
emit_alt_text (Walker         *w,
               const Computed *c,
               const char     *alt)
{
  Computed dim = *c;

  /* The image-alt tag's dim colour, not the text's. */
  dim.fg_set = FALSE;
  begin_content (w, c);
  flush_space (w);
  sync_inline (w, &dim);
  sd_rich_doc_push (w->out.doc, SD_RICH_STYLE_IMAGE_ALT, 0);
  sd_rich_doc_text (w->out.doc, alt, -1);
  sd_rich_doc_pop (w->out.doc, SD_RICH_STYLE_IMAGE_ALT, 0);
}

static void
emit_image (Walker         *w,
            xmlNode        *node,
            const Computed *c)
{
  const char *src = get_attr (node, "src");
  const char *alt = get_attr (node, "alt");
  g_autofree char *path = media_path (w, src);

  if (path == NULL || w->out.cell)
    {
      g_autofree char *name = NULL;

      if (alt == NULL || *alt == '\0')
        {
          if (src == NULL || *src == '\0')
            return;
          name = g_path_get_basename (src);
          alt = name;
        }
      emit_alt_text (w, c, alt);
      return;
    }

  begin_content (w, c);
  flush_space (w);
  sync_inline (w, c);
  sd_rich_doc_image_sized (w->out.doc, path, alt != NULL ? alt : "", MIN (c->indent, MAX_INDENT_PX),
                           c->width, c->height);
}

static void walk_children (Walker         *w,
                           xmlNode        *node,
                           const Computed *c);
static void walk_node     (Walker         *w,
                           xmlNode        *node,
                           const Computed *parent);

/* ------------------------------------------------------------------------
 * Lists
 * ------------------------------------------------------------------------ */

typedef struct
{
  gboolean ordered;
  int      number;
  int      depth;   /* of unordered lists, for the bullet */
  int      hang_px;
} ListState;

static void
roman (GString *out,
       int      n,
       gboolean upper)
{
  static const struct { int value; const char *digits; } table[] = {
    { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
    { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
  };
  gsize start = out->len;

  if (n <= 0 || n >= 4000)
    {
      g_string_append_printf (out, "%d", n);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    while (n >= table[i].value)
      {
        g_string_append (out, table[i].digits);
        n -= table[i].value;
      }
  if (upper)
    for (gsize i = start; i < out->len; i++)
      out->str[i] = g_ascii_toupper (out->str[i]);
}

static void
alpha (GString *out,
       int      n,
       gboolean upper)
{
  char buf[16];
  int i = sizeof buf;

  if (n <= 0)
    {
      g_string_append_printf (out, "%d", n);
      return;
    }
  buf[--i] = '\0';
  while (n > 0 && i > 0)
    {
      n--;
      buf[--i] = (char) ((upper ? 'A' : 'a') + n % 26);
      n /= 26;
    }
  g_string_append (out, buf + i);
}

static void
set_marker (Walker         *w,
            const Computed *c,
            const ListState *list,
            int             number)
{
  static const char * const bullets[] = { "\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa" };
  g_autoptr(GString) text = g_string_new (NULL);
  ListType type = c->list_type;

  if (type == LIST_DEFAULT)
    type = list->ordered ? LIST_DECIMAL : (ListType) (LIST_DISC + MIN (list->depth, 2));

  switch (type)
    {
    case LIST_DISC:
    case LIST_CIRCLE:
    case LIST_SQUARE:
      g_string_append (text, bullets[type - LIST_DISC]);
      break;
    case LIST_DECIMAL:
      g_string_append_printf (text, "%d.", number);
      break;
    case LIST_LOWER_ALPHA:
    case LIST_UPPER_ALPHA:
      alpha (text, number, type == LIST_UPPER_ALPHA);
      g_string_append_c (text, '.');
      break;
    case LIST_LOWER_ROMAN:
    case LIST_UPPER_ROMAN:
      roman (text, number, type == LIST_UPPER_ROMAN);
      g_string_append_c (text, '.');
      break;
    case LIST_NONE:
    case LIST_DEFAULT:
    default:
      return;
    }

  /* An item whose first content is another list shows both markers. */
  if (w->out.marker[0] != '\0')
    {
      if (strlen (w->out.marker) + 1 + text->len < sizeof w->out.marker)
        {
          g_strlcat (w->out.marker, " ", sizeof w->out.marker);
          g_strlcat (w->out.marker, text->str, sizeof w->out.marker);
        }
      return;
    }

  g_strlcpy (w->out.marker, text->str, sizeof w->out.marker);
  w->out.marker_px = MAX (c->indent - list->hang_px, 0);
}

static void
walk_list (Walker         *w,
           xmlNode        *node,
           const char     *tag,
           const Computed *c)
{
  ListState state = { 0, };
  Computed inner = *c;
  gboolean nested = FALSE;
  const char *start = get_attr (node, "start");
  int items = 0;

  state.ordered = g_str_equal (tag, "ol");
  state.number = start != NULL ? atoi (start) : 1;
  for (guint i = 0; i < w->lists->len; i++)
    if (!g_array_index (w->lists, ListState, i).ordered)
      state.depth++;
  nested = w->lists->len > 0;

  if (state.ordered)
    {
      int digits = 1;
      int biggest;

      for (xmlNode *child = node->children; child != NULL; child = child->next)
        if (child->type == XML_ELEMENT_NODE && g_str_equal ((const char *) child->name, "li"))
          items++;
      biggest = ABS (state.number) + MAX (items - 1, 0);
      while (biggest >= 10 && digits < 9)
        {
          biggest /= 10;
          digits++;
        }
      state.hang_px = MAX (LIST_NUMBER_PX, 10 + 9 * digits);
    }
  else
    {
      state.hang_px = LIST_BULLET_PX;
    }

  inner.indent += state.hang_px;

  /* Only lists that are not inside another list have space around. */
  block_boundary (w, !nested);
  g_array_append_val (w->lists, state);
  walk_children (w, node, &inner);
  g_array_set_size (w->lists, w->lists->len - 1);
  block_boundary (w, !nested);
}

static ListState *
current_list_state (Walker *w)
{
  if (w->lists->len == 0)
    return NULL;

  return &g_array_index (w->lists, ListState, w->lists->len - 1);
}

static void
walk_item (Walker         *w,
           xmlNode        *node,
           const Computed *c)
{
  ListState *list = current_list_state (w);
  ListState loose = { FALSE, 1, 0, LIST_BULLET_PX };
  Computed inner = *c;
  const char *value = get_attr (node, "value");
  int number;

  if (list == NULL)
    {
      /* An item outside a list: indent it like one. */
      list = &loose;
      inner.indent += loose.hang_px;
    }

  if (value != NULL && list->ordered)
    list->number = atoi (value);
  number = list->number++;

  block_boundary (w, FALSE);
  set_marker (w, &inner, list, number);
  walk_children (w, node, &inner);

  /* An empty item still shows its marker. */
  if (w->out.marker[0] != '\0')
    {
      begin_content (w, &inner);
      end_line (w, FALSE);
    }
  block_boundary (w, FALSE);
}

/* ------------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------------ */

typedef struct
{
  xmlNode   *group;   /* thead/tbody/tfoot or NULL */
  xmlNode   *tr;      /* NULL for loose cells */
  GPtrArray *cells;   /* xmlNode */
} Row;

static void
row_free (gpointer data)
{
  Row *row = data;

  g_ptr_array_unref (row->cells);
  g_free (row);
}

static gboolean
is_cell (xmlNode *node)
{
  return node->type == XML_ELEMENT_NODE &&
         (g_str_equal ((const char *) node->name, "td") ||
          g_str_equal ((const char *) node->name, "th"));
}

static gboolean
is_blank_text (xmlNode *node)
{
  if (node->type != XML_TEXT_NODE && node->type != XML_CDATA_SECTION_NODE)
    return FALSE;
  for (const char *p = (const char *) node->content; p != NULL && *p != '\0'; p++)
    if (!is_space (*p))
      return FALSE;

  return TRUE;
}

static void
collect_rows (xmlNode   *parent,
              xmlNode   *group,
              GPtrArray *rows,
              GPtrArray *fostered,
              xmlNode  **caption)
{
  Row *loose = NULL;

  for (xmlNode *child = parent->children; child != NULL; child = child->next)
    {
      const char *name = (const char *) child->name;

      if (child->type == XML_COMMENT_NODE || is_blank_text (child))
        continue;

      if (child->type != XML_ELEMENT_NODE)
        {
          if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE ||
              child->type == XML_ENTITY_REF_NODE)
            g_ptr_array_add (fostered, child);
          continue;
        }

      if (is_cell (child))
        {
          if (loose == NULL)
            {
              loose = g_new0 (Row, 1);
              loose->group = group;
              loose->cells = g_ptr_array_new ();
              g_ptr_array_add (rows, loose);
            }
          g_ptr_array_add (loose->cells, child);
          continue;
        }

      loose = NULL;

      if (g_str_equal (name, "tr"))
        {
          Row *row = g_new0 (Row, 1);

          row->group = group;
          row->tr = child;
          row->cells = g_ptr_array_new ();
          for (xmlNode *cell = child->children; cell != NULL; cell = cell->next)
            {
              if (is_cell (cell))
                g_ptr_array_add (row->cells, cell);
              else if (cell->type == XML_ELEMENT_NODE || (cell->type == XML_TEXT_NODE &&
                                                           !is_blank_text (cell)))
                g_ptr_array_add (fostered, cell);
            }
          g_ptr_array_add (rows, row);
        }
      else if (group == NULL && (g_str_equal (name, "thead") || g_str_equal (name, "tbody") ||
                                 g_str_equal (name, "tfoot")))
        {
          collect_rows (child, child, rows, fostered, caption);
        }
      else if (g_str_equal (name, "caption"))
        {
          if (*caption == NULL)
            *caption = child;
        }
      else if (g_str_equal (name, "colgroup") || g_str_equal (name, "col") ||
               tag_is_skipped (name))
        {
        }
      else
        {
          g_ptr_array_add (fostered, child);
        }
    }
}

static void
compute_pushed (Walker         *w,
                xmlNode        *node,
                const Computed *parent,
                Computed       *c)
{
  Display display;

  push_element (w, node, (const char *) node->name);
  compute (w, node, (const char *) node->name, parent, c, &display);
}

/* Renders the cell's content into its own doc. */
static SdRichDoc *
render_cell (Walker         *w,
             xmlNode        *cell,
             const Computed *c)
{
  Out saved;
  SdRichDoc *doc = sd_rich_doc_new ();

  finish_hint (w);
  saved = w->out;

  memset (&w->out, 0, sizeof w->out);
  w->out.doc = doc;
  w->out.cell = TRUE;

  walk_children (w, cell, c);

  close_all (w);
  if (w->out.line_content)
    sd_rich_doc_end_paragraph (doc, FALSE);
  finish_hint (w);

  w->out = saved;

  return doc;
}

static void
walk_table (Walker         *w,
            xmlNode        *table,
            const Computed *parent,
            const Computed *c)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (row_free);
  g_autoptr(GPtrArray) fostered = g_ptr_array_new ();
  xmlNode *caption = NULL;
  SdRichTable *grid;
  guint n_cols = 0;
  gboolean all_th = TRUE;
  guint first_deferred = w->deferred->len;

  collect_rows (table, NULL, rows, fostered, &caption);

  /* What a browser moves out of the table comes before it, as the
   * table's sibling: styled by the table's parent, not by the table. */
  block_boundary (w, FALSE);
  if (fostered->len > 0)
    {
      ElementInfo table_info = g_array_index (w->stack, ElementInfo, w->stack->len - 1);

      g_array_set_size (w->stack, w->stack->len - 1);
      for (guint i = 0; i < fostered->len; i++)
        walk_node (w, g_ptr_array_index (fostered, i), parent);
      g_array_append_val (w->stack, table_info);
    }

  if (caption != NULL)
    {
      Computed cc;
      Computed centered = *c;

      centered.align = SD_RICH_ALIGN_CENTER;
      block_boundary (w, FALSE);
      compute_pushed (w, caption, &centered, &cc);
      walk_children (w, caption, &cc);
      pop_element (w);
      block_boundary (w, FALSE);
    }

  for (guint r = 0; r < rows->len; r++)
    n_cols = MAX (n_cols, ((Row *) g_ptr_array_index (rows, r))->cells->len);
  if (n_cols == 0)
    return;

  grid = sd_rich_table_new (rows->len, n_cols);
  grid->indent_px = MIN (c->indent, MAX_INDENT_PX);

  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = g_ptr_array_index (rows, r);
      Computed gc = *c;
      Computed rc;
      int pushed = 0;

      if (row->group != NULL)
        {
          compute_pushed (w, row->group, c, &gc);
          pushed++;
        }
      if (row->tr != NULL)
        {
          compute_pushed (w, row->tr, &gc, &rc);
          pushed++;
        }
      else
        {
          rc = gc;
        }

      for (guint col = 0; col < row->cells->len; col++)
        {
          xmlNode *cell = g_ptr_array_index (row->cells, col);
          Computed cc;

          compute_pushed (w, cell, &rc, &cc);
          /* A cell is its own paragraph: no indents, quotes or boxes. */
          cc.indent = 0;
          cc.quote = -1;
          cc.code_block = -1;
          if (r == 0)
            grid->align[col] = cc.align == SD_RICH_ALIGN_JUSTIFY ? SD_RICH_ALIGN_LEFT : cc.align;
          if (r == 0 && !g_str_equal ((const char *) cell->name, "th"))
            all_th = FALSE;
          grid->cells[r * n_cols + col] = render_cell (w, cell, &cc);
          pop_element (w);
        }

      while (pushed-- > 0)
        pop_element (w);
    }

  grid->no_header = !all_th;

  block_boundary (w, FALSE);
  begin_content (w, c);
  sd_rich_doc_table (w->out.doc, grid);
  end_line (w, FALSE);

  /* Widgets from the cells (entries, sound buttons) on a line below. */
  if (w->deferred->len > first_deferred && !w->out.cell)
    {
      for (guint i = first_deferred; i < w->deferred->len; i++)
        {
          Deferred *d = &g_array_index (w->deferred, Deferred, i);

          if (i > first_deferred)
            put_text (w, c, " ", 1);
          emit_widget (w, c, d->kind, d->data);
        }
      g_array_set_size (w->deferred, first_deferred);
      block_boundary (w, FALSE);
    }
}

/* ------------------------------------------------------------------------
 * The walk
 * ------------------------------------------------------------------------ */

static void
walk_children (Walker         *w,
               xmlNode        *node,
               const Computed *c)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    walk_node (w, child, c);
}

/* The target of an <a> that becomes a link: http(s), mailto or a hint. */
static const char *
link_target (xmlNode *node)
{
  const char *href = get_attr (node, "href");

  if (href == NULL)
    return NULL;
  while (g_ascii_isspace (*href))
    href++;
  if (g_str_has_prefix (href, SD_CARD_HTML_HINT_PREFIX) ||
      sd_rich_link_classify (href) == SD_RICH_LINK_EXTERNAL)
    return href;

  return NULL;
}

static void
walk_link (Walker         *w,
           xmlNode        *node,
           const char     *href,
           const Computed *c)
{
  /* A space before the link is not part of it. */
  flush_space (w);
  sd_rich_doc_link_start (w->out.doc, href, sd_rich_link_classify (href), FALSE);
  walk_children (w, node, c);
  sd_rich_doc_link_end (w->out.doc);
}

static void
walk_element (Walker         *w,
              xmlNode        *node,
              const Computed *parent)
{
  const char *tag = (const char *) node->name;
  const char *hint_id;
  const char *href = NULL;
  Computed c;
  Computed link_parent;
  Display display;

  if (tag_is_skipped (tag))
    return;

  hint_id = get_attr (node, "data-hint-id");
  if (g_str_equal (tag, "a"))
    href = link_target (node);

  push_element (w, node, tag);
  if (href != NULL)
    {
      /* A link has its own colour (the link tag's) unless CSS gives it one. */
      link_parent = *parent;
      link_parent.fg_set = FALSE;
      link_parent.in_link = TRUE;
      compute (w, node, tag, &link_parent, &c, &display);
    }
  else
    {
      compute (w, node, tag, parent, &c, &display);
    }

  /* The page's background is painted by the view, not behind each run. */
  if ((g_str_equal (tag, "html") || g_str_equal (tag, "body")) && c.bg_set)
    {
      w->page_bg = c.bg;
      w->page_bg_set = TRUE;
      c.bg_set = FALSE;
    }

  if (display == DISPLAY_NONE && hint_id == NULL)
    goto out;

  if (++w->depth > MAX_DEPTH)
    {
      /* Pathologically deep markup: its text, without styles. */
      w->depth--;
      walk_children (w, node, parent);
      goto out;
    }

  if (hint_id != NULL)
    {
      c.hidden = TRUE;
      finish_hint (w);
      block_boundary (w, FALSE);
      w->hint_start = sd_rich_doc_get_length (w->out.doc);
      walk_children (w, node, &c);
      block_boundary (w, FALSE);
      /* A hint nested in this one is still pending: it keeps its own range. */
      finish_hint (w);
      w->hint_name = g_strconcat (SD_CARD_HTML_HINT_RANGE_PREFIX, hint_id, NULL);
      w->hint_end = sd_rich_doc_get_length (w->out.doc);
    }
  else if (g_str_equal (tag, "br"))
    {
      line_break (w, &c);
    }
  else if (g_str_equal (tag, "hr"))
    {
      block_boundary (w, FALSE);
      if (g_strcmp0 (get_attr (node, "id"), "answer") == 0 && !w->out.cell)
        sd_rich_doc_heading (w->out.doc, 1, "", SD_CARD_HTML_ANSWER_MARK);
      if (w->out.cell)
        {
          put_text (w, &c, "\xe2\x80\x94\xe2\x80\x94\xe2\x80\x94", 9);
        }
      else
        {
          begin_content (w, &c);
          sd_rich_doc_rule (w->out.doc, MIN (c.indent, MAX_INDENT_PX));
        }
      end_line (w, FALSE);
    }
  else if (g_str_equal (tag, "img"))
    {
      emit_image (w, node, &c);
    }
  else if (g_str_equal (tag, "input"))
    {
      if (g_strcmp0 (get_attr (node, "id"), "typeans") == 0 && !w->typeans_done)
        {
          const char *spec = get_attr (node, "data-type-answer");

          w->typeans_done = TRUE;
          emit_widget (w, &c, SD_CARD_HTML_WIDGET_TYPE_ANSWER, spec != NULL ? spec : "");
        }
    }
  else if (g_str_equal (tag, "audio"))
    {
      const char *src = get_attr (node, "src");

      for (xmlNode *child = node->children; src == NULL && child != NULL; child = child->next)
        if (child->type == XML_ELEMENT_NODE && g_str_equal ((const char *) child->name, "source"))
          src = get_attr (child, "src");
      if (src != NULL)
        emit_sound (w, &c, src, strlen (src));
    }
  else if (href != NULL)
    {
      walk_link (w, node, href, &c);
    }
  else if (g_str_equal (tag, "table") && !w->out.cell && display == DISPLAY_BLOCK)
    {
      walk_table (w, node, parent, &c);
    }
  else if ((g_str_equal (tag, "ul") || g_str_equal (tag, "ol") || g_str_equal (tag, "menu") ||
            g_str_equal (tag, "dir")) && display == DISPLAY_BLOCK)
    {
      walk_list (w, node, tag, &c);
    }
  else if (g_str_equal (tag, "li") && display == DISPLAY_BLOCK)
    {
      walk_item (w, node, &c);
    }
  else if (g_str_equal (tag, "q"))
    {
      put_text (w, &c, "\xe2\x80\x9c", 3);
      walk_children (w, node, &c);
      put_text (w, &c, "\xe2\x80\x9d", 3);
    }
  else if (display == DISPLAY_BLOCK)
    {
      gboolean gap = tag_has_gap (tag);

      if (g_str_equal (tag, "blockquote"))
        {
          c.quote = MIN (c.indent, MAX_INDENT_PX);
          c.indent += QUOTE_INDENT_PX;
        }
      else if (g_str_equal (tag, "dd"))
        {
          c.indent += DD_INDENT_PX;
        }
      if (c.pre && !parent->pre && c.code_block < 0)
        {
          c.code_block = MIN (c.indent, MAX_INDENT_PX);
          c.indent += SD_RICH_CODE_PAD_PX;
        }

      block_boundary (w, gap);
      if (c.pre && !parent->pre)
        w->out.pre_start = TRUE;
      walk_children (w, node, &c);
      w->out.pre_start = FALSE;
      block_boundary (w, gap);
    }
  else if (w->out.cell && (g_str_equal (tag, "td") || g_str_equal (tag, "th")))
    {
      /* A table inside a cell: cells side by side. */
      walk_children (w, node, &c);
      if (w->out.line_content && !w->out.space)
        {
          w->out.space = TRUE;
          w->out.space_style = c;
        }
    }
  else
    {
      walk_children (w, node, &c);
    }

  w->depth--;

out:
  pop_element (w);
}

static void
walk_node (Walker         *w,
           xmlNode        *node,
           const Computed *parent)
{
  switch (node->type)
    {
    case XML_ELEMENT_NODE:
      walk_element (w, node, parent);
      break;

    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
      if (node->content != NULL)
        emit_text (w, parent, (const char *) node->content, strlen ((const char *) node->content));
      break;

    case XML_ENTITY_REF_NODE:
      /* An entity libxml2 did not know stays as written. */
      if (node->name != NULL)
        {
          g_autofree char *text = g_strdup_printf ("&%s;", (const char *) node->name);

          emit_text (w, parent, text, strlen (text));
        }
      break;

    case XML_COMMENT_NODE:
    case XML_PI_NODE:
    default:
      break;
    }
}

/* The CSS of <style> elements anywhere in the card, in document order. */
static void
collect_style_elements (xmlNode *node,
                        GString *css)
{
  for (xmlNode *n = node; n != NULL; n = n->next)
    {
      if (n->type != XML_ELEMENT_NODE)
        continue;
      if (g_str_equal ((const char *) n->name, "style"))
        {
          for (xmlNode *t = n->children; t != NULL; t = t->next)
            if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
                t->content != NULL)
              {
                g_string_append (css, (const char *) t->content);
                g_string_append_c (css, '\n');
              }
          continue;
        }
      collect_style_elements (n->children, css);
    }
}

static void
deferred_clear (gpointer data)
{
  Deferred *d = data;

  g_free (d->kind);
  g_free (d->data);
}

static SdRichDoc *
render (const char              *html,
        const SdCardHtmlOptions *options,
        guint32                 *page_bg,
        gboolean                *page_bg_set)
{
  g_autofree char *valid = NULL;
  g_autofree char *wrapped = NULL;
  g_autoptr(GString) style_css = g_string_new (NULL);
  htmlDocPtr xml_doc;
  Walker w;
  Computed root = { 0, };
  guint order = 0;
  gsize len;
  SdRichDoc *doc;

  if (html == NULL)
    html = "";
  len = strlen (html);
  if (!g_utf8_validate (html, len, NULL))
    {
      valid = g_utf8_make_valid (html, len);
      html = valid;
      len = strlen (html);
    }

  /* libxml2 2.9 wants its global state set up once, before threads use it. */
  {
    static gsize parser_ready = 0;

    if (g_once_init_enter (&parser_ready))
      {
        xmlInitParser ();
        g_once_init_leave (&parser_ready, 1);
      }
  }

  /* Leading text would get an implied <p> (a paragraph gap) from libxml2
   * when nothing is open yet; an explicit body keeps it plain text. */
  wrapped = g_strconcat ("<html><body>", html, NULL);

  xml_doc = htmlReadMemory (wrapped, (int) MIN (strlen (wrapped), (gsize) G_MAXINT), NULL, "UTF-8",
                            HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                            HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);

  doc = sd_rich_doc_new_sized (len);

  memset (&w, 0, sizeof w);
  w.out.doc = doc;
  w.media_dir = options->media_dir;
  w.night = options->night_mode;
  w.card_ord = options->card_ord;
  w.page_bg = w.night ? DARK_BG : LIGHT_BG;
  w.theme_fg = w.night ? DARK_FG : LIGHT_FG;
  w.strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w.stack = g_array_new (FALSE, FALSE, sizeof (ElementInfo));
  w.deferred = g_array_new (FALSE, FALSE, sizeof (Deferred));
  g_array_set_clear_func (w.deferred, deferred_clear);
  w.lists = g_array_new (FALSE, FALSE, sizeof (ListState));

  sheet_init (&w.sheet);
  sheet_parse (&w.sheet, builtin_css, &order);
  if (options->css == NULL || strstr (options->css, "cloze") == NULL)
    sheet_parse (&w.sheet, builtin_cloze_css, &order);
  sheet_parse (&w.sheet, options->css, &order);
  if (xml_doc != NULL)
    {
      collect_style_elements (xmlDocGetRootElement (xml_doc), style_css);
      sheet_parse (&w.sheet, style_css->str, &order);
    }

  root.px = BASE_PX;
  root.quote = -1;
  root.code_block = -1;
  root.align = SD_RICH_ALIGN_NONE;
  root.list_type = LIST_DEFAULT;

  if (xml_doc != NULL)
    for (xmlNode *n = xml_doc->children; n != NULL; n = n->next)
      walk_node (&w, n, &root);

  block_boundary (&w, FALSE);
  close_all (&w);
  finish_hint (&w);

  if (page_bg != NULL)
    *page_bg = w.page_bg;
  if (page_bg_set != NULL)
    *page_bg_set = w.page_bg_set;

  if (xml_doc != NULL)
    xmlFreeDoc (xml_doc);
  sheet_clear (&w.sheet);
  g_hash_table_unref (w.strings);
  g_array_unref (w.stack);
  g_array_unref (w.deferred);
  g_array_unref (w.lists);

  return doc;
}

/**
 * sd_card_html_render:
 * @html: (nullable): one side of a card, as sd_template_render() made it
 * @css: (nullable): the note type's CSS
 * @media_dir: (nullable): the collection's media folder
 * @night_mode: render for a dark background
 *
 * See the top of sd-card-html.h for what is rendered and how.
 *
 * Returns: (transfer full): the render operations
 */
SdRichDoc *
sd_card_html_render (const char *html,
                     const char *css,
                     const char *media_dir,
                     gboolean    night_mode)
{
  SdCardHtmlOptions options = { css, media_dir, night_mode, -1 };

  return sd_card_html_render_with_options (html, &options);
}

SdRichDoc *
sd_card_html_render_with_options (const char              *html,
                                  const SdCardHtmlOptions *options)
{
  g_return_val_if_fail (options != NULL, NULL);

  return render (html, options, NULL, NULL);
}

/**
 * sd_card_html_get_background:
 * @rgba: (out): the page colour, opaque 0xRRGGBBAA
 *
 * The background of the card page (`.card`, body, html) for the note type's
 * CSS — what the view paints behind the text.
 *
 * Returns: FALSE if the CSS sets none (the theme's background; @rgba is
 *   set to the theme's colour the renderer assumes)
 */
gboolean
sd_card_html_get_background (const char *css,
                             gboolean    night_mode,
                             int         card_ord,
                             guint32    *rgba)
{
  SdCardHtmlOptions options = { css, NULL, night_mode, card_ord };
  guint32 bg = 0;
  gboolean set = FALSE;
  g_autoptr(SdRichDoc) doc = render ("", &options, &bg, &set);

  if (rgba != NULL)
    *rgba = bg;

  return set;
}
