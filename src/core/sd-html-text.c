/* sd-html-text.c
 *
 * Copyright 2026 The StudyDeck Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sd-html-text.h"

/* The HTML 4 named character references: the set Anki's entity decoder knows
 * (no `&apos;`).  Sorted by byte order for bsearch (). */
typedef struct
{
  const char *name;
  gunichar    value;
} Entity;

static const Entity entities[] = {
  { "AElig", 0x00C6 }, { "Aacute", 0x00C1 }, { "Acirc", 0x00C2 }, { "Agrave", 0x00C0 },
  { "Alpha", 0x0391 }, { "Aring", 0x00C5 }, { "Atilde", 0x00C3 }, { "Auml", 0x00C4 },
  { "Beta", 0x0392 }, { "Ccedil", 0x00C7 }, { "Chi", 0x03A7 }, { "Dagger", 0x2021 },
  { "Delta", 0x0394 }, { "ETH", 0x00D0 }, { "Eacute", 0x00C9 }, { "Ecirc", 0x00CA },
  { "Egrave", 0x00C8 }, { "Epsilon", 0x0395 }, { "Eta", 0x0397 }, { "Euml", 0x00CB },
  { "Gamma", 0x0393 }, { "Iacute", 0x00CD }, { "Icirc", 0x00CE }, { "Igrave", 0x00CC },
  { "Iota", 0x0399 }, { "Iuml", 0x00CF }, { "Kappa", 0x039A }, { "Lambda", 0x039B },
  { "Mu", 0x039C }, { "Ntilde", 0x00D1 }, { "Nu", 0x039D }, { "OElig", 0x0152 },
  { "Oacute", 0x00D3 }, { "Ocirc", 0x00D4 }, { "Ograve", 0x00D2 }, { "Omega", 0x03A9 },
  { "Omicron", 0x039F }, { "Oslash", 0x00D8 }, { "Otilde", 0x00D5 }, { "Ouml", 0x00D6 },
  { "Phi", 0x03A6 }, { "Pi", 0x03A0 }, { "Prime", 0x2033 }, { "Psi", 0x03A8 }, { "Rho", 0x03A1 },
  { "Scaron", 0x0160 }, { "Sigma", 0x03A3 }, { "THORN", 0x00DE }, { "Tau", 0x03A4 },
  { "Theta", 0x0398 }, { "Uacute", 0x00DA }, { "Ucirc", 0x00DB }, { "Ugrave", 0x00D9 },
  { "Upsilon", 0x03A5 }, { "Uuml", 0x00DC }, { "Xi", 0x039E }, { "Yacute", 0x00DD },
  { "Yuml", 0x0178 }, { "Zeta", 0x0396 }, { "aacute", 0x00E1 }, { "acirc", 0x00E2 },
  { "acute", 0x00B4 }, { "aelig", 0x00E6 }, { "agrave", 0x00E0 }, { "alefsym", 0x2135 },
  { "alpha", 0x03B1 }, { "amp", 0x0026 }, { "and", 0x2227 }, { "ang", 0x2220 },
  { "aring", 0x00E5 }, { "asymp", 0x2248 }, { "atilde", 0x00E3 }, { "auml", 0x00E4 },
  { "bdquo", 0x201E }, { "beta", 0x03B2 }, { "brvbar", 0x00A6 }, { "bull", 0x2022 },
  { "cap", 0x2229 }, { "ccedil", 0x00E7 }, { "cedil", 0x00B8 }, { "cent", 0x00A2 },
  { "chi", 0x03C7 }, { "circ", 0x02C6 }, { "clubs", 0x2663 }, { "cong", 0x2245 },
  { "copy", 0x00A9 }, { "crarr", 0x21B5 }, { "cup", 0x222A }, { "curren", 0x00A4 },
  { "dArr", 0x21D3 }, { "dagger", 0x2020 }, { "darr", 0x2193 }, { "deg", 0x00B0 },
  { "delta", 0x03B4 }, { "diams", 0x2666 }, { "divide", 0x00F7 }, { "eacute", 0x00E9 },
  { "ecirc", 0x00EA }, { "egrave", 0x00E8 }, { "empty", 0x2205 }, { "emsp", 0x2003 },
  { "ensp", 0x2002 }, { "epsilon", 0x03B5 }, { "equiv", 0x2261 }, { "eta", 0x03B7 },
  { "eth", 0x00F0 }, { "euml", 0x00EB }, { "euro", 0x20AC }, { "exist", 0x2203 },
  { "fnof", 0x0192 }, { "forall", 0x2200 }, { "frac12", 0x00BD }, { "frac14", 0x00BC },
  { "frac34", 0x00BE }, { "frasl", 0x2044 }, { "gamma", 0x03B3 }, { "ge", 0x2265 },
  { "gt", 0x003E }, { "hArr", 0x21D4 }, { "harr", 0x2194 }, { "hearts", 0x2665 },
  { "hellip", 0x2026 }, { "iacute", 0x00ED }, { "icirc", 0x00EE }, { "iexcl", 0x00A1 },
  { "igrave", 0x00EC }, { "image", 0x2111 }, { "infin", 0x221E }, { "int", 0x222B },
  { "iota", 0x03B9 }, { "iquest", 0x00BF }, { "isin", 0x2208 }, { "iuml", 0x00EF },
  { "kappa", 0x03BA }, { "lArr", 0x21D0 }, { "lambda", 0x03BB }, { "lang", 0x2329 },
  { "laquo", 0x00AB }, { "larr", 0x2190 }, { "lceil", 0x2308 }, { "ldquo", 0x201C },
  { "le", 0x2264 }, { "lfloor", 0x230A }, { "lowast", 0x2217 }, { "loz", 0x25CA },
  { "lrm", 0x200E }, { "lsaquo", 0x2039 }, { "lsquo", 0x2018 }, { "lt", 0x003C },
  { "macr", 0x00AF }, { "mdash", 0x2014 }, { "micro", 0x00B5 }, { "middot", 0x00B7 },
  { "minus", 0x2212 }, { "mu", 0x03BC }, { "nabla", 0x2207 }, { "nbsp", 0x00A0 },
  { "ndash", 0x2013 }, { "ne", 0x2260 }, { "ni", 0x220B }, { "not", 0x00AC },
  { "notin", 0x2209 }, { "nsub", 0x2284 }, { "ntilde", 0x00F1 }, { "nu", 0x03BD },
  { "oacute", 0x00F3 }, { "ocirc", 0x00F4 }, { "oelig", 0x0153 }, { "ograve", 0x00F2 },
  { "oline", 0x203E }, { "omega", 0x03C9 }, { "omicron", 0x03BF }, { "oplus", 0x2295 },
  { "or", 0x2228 }, { "ordf", 0x00AA }, { "ordm", 0x00BA }, { "oslash", 0x00F8 },
  { "otilde", 0x00F5 }, { "otimes", 0x2297 }, { "ouml", 0x00F6 }, { "para", 0x00B6 },
  { "part", 0x2202 }, { "permil", 0x2030 }, { "perp", 0x22A5 }, { "phi", 0x03C6 },
  { "pi", 0x03C0 }, { "piv", 0x03D6 }, { "plusmn", 0x00B1 }, { "pound", 0x00A3 },
  { "prime", 0x2032 }, { "prod", 0x220F }, { "prop", 0x221D }, { "psi", 0x03C8 },
  { "quot", 0x0022 }, { "rArr", 0x21D2 }, { "radic", 0x221A }, { "rang", 0x232A },
  { "raquo", 0x00BB }, { "rarr", 0x2192 }, { "rceil", 0x2309 }, { "rdquo", 0x201D },
  { "real", 0x211C }, { "reg", 0x00AE }, { "rfloor", 0x230B }, { "rho", 0x03C1 },
  { "rlm", 0x200F }, { "rsaquo", 0x203A }, { "rsquo", 0x2019 }, { "sbquo", 0x201A },
  { "scaron", 0x0161 }, { "sdot", 0x22C5 }, { "sect", 0x00A7 }, { "shy", 0x00AD },
  { "sigma", 0x03C3 }, { "sigmaf", 0x03C2 }, { "sim", 0x223C }, { "spades", 0x2660 },
  { "sub", 0x2282 }, { "sube", 0x2286 }, { "sum", 0x2211 }, { "sup", 0x2283 },
  { "sup1", 0x00B9 }, { "sup2", 0x00B2 }, { "sup3", 0x00B3 }, { "supe", 0x2287 },
  { "szlig", 0x00DF }, { "tau", 0x03C4 }, { "there4", 0x2234 }, { "theta", 0x03B8 },
  { "thetasym", 0x03D1 }, { "thinsp", 0x2009 }, { "thorn", 0x00FE }, { "tilde", 0x02DC },
  { "times", 0x00D7 }, { "trade", 0x2122 }, { "uArr", 0x21D1 }, { "uacute", 0x00FA },
  { "uarr", 0x2191 }, { "ucirc", 0x00FB }, { "ugrave", 0x00F9 }, { "uml", 0x00A8 },
  { "upsih", 0x03D2 }, { "upsilon", 0x03C5 }, { "uuml", 0x00FC }, { "weierp", 0x2118 },
  { "xi", 0x03BE }, { "yacute", 0x00FD }, { "yen", 0x00A5 }, { "yuml", 0x00FF },
  { "zeta", 0x03B6 }, { "zwj", 0x200D }, { "zwnj", 0x200C },
};

/* Input handling
 * ------------------------------------------------------------------------ */

char *
sd_html_text_make_valid (const char *text,
                         gssize      len)
{
  if (text == NULL)
    return g_strdup ("");
  if (len < 0)
    len = strlen (text);
  if (g_utf8_validate_len (text, len, NULL))
    return g_strndup (text, len);
  return g_utf8_make_valid (text, len);
}

/* Returns @text itself when it is valid UTF-8, otherwise a repaired copy in
 * @tmp, so the common case costs no allocation. */
static const char *
valid_input (const char *text,
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

/* Unicode White_Space, the set Anki's trim () uses. */
gboolean
sd_html_text_is_white_space (gunichar c)
{
  switch (c)
    {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20:
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return TRUE;
    default:
      return c >= 0x2000 && c <= 0x200A;
    }
}

char *
sd_html_text_trim (const char *text)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (text, &tmp);
  const char *start = s;
  const char *end = s + strlen (s);

  while (start < end && sd_html_text_is_white_space (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !sd_html_text_is_white_space (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/* Byte searching helpers; the texts here never contain NUL before decoding,
 * but lengths are passed explicitly anyway. */
static gssize
find_str (const char *s,
          gsize       len,
          gsize       from,
          const char *needle)
{
  gsize nlen = strlen (needle);

  while (from + nlen <= len)
    {
      const char *hit = memchr (s + from, needle[0], len - from - nlen + 1);

      if (hit == NULL)
        return -1;
      if (memcmp (hit, needle, nlen) == 0)
        return hit - s;
      from = (hit - s) + 1;
    }
  return -1;
}

static gboolean
has_prefix_ci (const char *s,
               gsize       len,
               gsize       at,
               const char *prefix)
{
  gsize plen = strlen (prefix);

  return at + plen <= len && g_ascii_strncasecmp (s + at, prefix, plen) == 0;
}

static gssize
find_str_ci (const char *s,
             gsize       len,
             gsize       from,
             const char *needle)
{
  gsize nlen = strlen (needle);

  for (gsize i = from; i + nlen <= len; i++)
    if (g_ascii_tolower (s[i]) == needle[0] && g_ascii_strncasecmp (s + i, needle, nlen) == 0)
      return i;
  return -1;
}

/* Remembers the result of the last forward search for a needle, so scanning
 * a long text with many candidates stays linear. */
typedef struct
{
  gsize  searched_from;
  gssize found;
  gboolean valid;
} SearchCache;

static gssize
cached_find (SearchCache *cache,
             const char  *s,
             gsize        len,
             gsize        from,
             const char  *needle,
             gboolean     ci)
{
  if (cache->valid && cache->searched_from <= from)
    {
      if (cache->found < 0)
        return -1;
      if ((gsize) cache->found >= from)
        return cache->found;
    }
  cache->valid = TRUE;
  cache->searched_from = from;
  cache->found = ci ? find_str_ci (s, len, from, needle) : find_str (s, len, from, needle);
  return cache->found;
}

/* Tag stripping
 * ------------------------------------------------------------------------ */

typedef struct
{
  SearchCache gt;
  SearchCache comment_end;
  SearchCache style_end;
  SearchCache script_end;
} TagCaches;

/* Matches one of `<!--.*?-->`, `<style.*?>.*?</style>`,
 * `<script.*?>.*?</script>`, `<.*?>` (case-insensitive, dot matching newlines)
 * at @i, in that order of preference, like the regex Anki uses. */
static gboolean
match_tag_at (const char *s,
              gsize       len,
              gsize       i,
              TagCaches  *caches,
              gsize      *end)
{
  gssize pos;

  if (has_prefix_ci (s, len, i, "<!--"))
    {
      pos = cached_find (&caches->comment_end, s, len, i + 4, "-->", FALSE);
      if (pos >= 0)
        {
          *end = pos + 3;
          return TRUE;
        }
    }
  else if (has_prefix_ci (s, len, i, "<style") || has_prefix_ci (s, len, i, "<script"))
    {
      gboolean style = has_prefix_ci (s, len, i, "<style");
      gsize name_len = style ? 6 : 7;
      gssize gt = cached_find (&caches->gt, s, len, i + name_len, ">", FALSE);

      if (gt >= 0)
        {
          pos = style
            ? cached_find (&caches->style_end, s, len, gt + 1, "</style>", TRUE)
            : cached_find (&caches->script_end, s, len, gt + 1, "</script>", TRUE);
          if (pos >= 0)
            {
              *end = pos + name_len + 2;
              return TRUE;
            }
        }
    }

  pos = cached_find (&caches->gt, s, len, i + 1, ">", FALSE);
  if (pos < 0)
    return FALSE;
  *end = pos + 1;
  return TRUE;
}

static void
strip_tags_into (GString    *out,
                 const char *s,
                 gsize       len)
{
  TagCaches caches = { 0 };
  gsize copy_from = 0;
  gsize p = 0;

  while (p < len)
    {
      const char *lt = memchr (s + p, '<', len - p);
      gsize i, end;

      if (lt == NULL)
        break;
      i = lt - s;
      if (match_tag_at (s, len, i, &caches, &end))
        {
          g_string_append_len (out, s + copy_from, i - copy_from);
          copy_from = p = end;
        }
      else
        p = i + 1;
    }
  g_string_append_len (out, s + copy_from, len - copy_from);
}

/* Entity decoding
 * ------------------------------------------------------------------------ */

static int
entity_cmp (const void *key,
            const void *elem)
{
  const Entity *e = elem;

  return strcmp (key, e->name);
}

static gboolean
lookup_entity (const char *name,
               gsize       len,
               gunichar   *value)
{
  char buf[16];
  const Entity *e;

  if (len == 0 || len >= sizeof buf)
    return FALSE;
  memcpy (buf, name, len);
  buf[len] = '\0';
  e = bsearch (buf, entities, G_N_ELEMENTS (entities), sizeof (Entity), entity_cmp);
  if (e == NULL)
    return FALSE;
  *value = e->value;
  return TRUE;
}

static gboolean
parse_number (const char *s,
              gsize       len,
              guint       base,
              gunichar   *value)
{
  guint64 n = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int d = g_ascii_xdigit_value (s[i]);

      if (d < 0 || (guint) d >= base)
        return FALSE;
      n = n * base + d;
      if (n > G_MAXUINT32)
        return FALSE;
    }
  if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF))
    return FALSE;
  *value = (gunichar) n;
  return TRUE;
}

/* Decodes every entity of @s into @out; FALSE as soon as one is malformed,
 * unknown or unterminated (the caller then keeps the original text). */
static gboolean
decode_entities_strict (GString    *out,
                        const char *s,
                        gsize       len)
{
  gsize i = 0;

  while (i < len)
    {
      const char *amp = memchr (s + i, '&', len - i);
      gsize j, start;
      gunichar value;

      if (amp == NULL)
        {
          g_string_append_len (out, s + i, len - i);
          break;
        }
      g_string_append_len (out, s + i, amp - (s + i));
      j = (amp - s) + 1;
      if (j >= len)
        return FALSE;

      if (s[j] == '#')
        {
          guint base = 10;

          j++;
          if (j < len && s[j] == 'x')
            {
              base = 16;
              j++;
            }
          else if (j >= len || !g_ascii_isdigit (s[j]))
            return FALSE;
          start = j;
          while (j < len && (base == 16 ? g_ascii_isxdigit (s[j]) : g_ascii_isdigit (s[j])))
            j++;
          if (j >= len || s[j] != ';')
            return FALSE;
          if (!parse_number (s + start, j - start, base, &value))
            return FALSE;
        }
      else
        {
          /* A named reference runs to the next ';' whatever it contains; the
           * first character is taken even when it is ';' itself. */
          gssize semi;

          start = j;
          j = start + (g_utf8_next_char (s + start) - (s + start));
          semi = find_str (s, len, j, ";");
          if (semi < 0)
            return FALSE;
          j = semi;
          if (!lookup_entity (s + start, j - start, &value))
            return FALSE;
        }

      g_string_append_unichar (out, value);
      i = j + 1;
    }
  return TRUE;
}

/* Replaces U+00A0 by a space, in place. */
static void
nbsp_to_space (GString *str)
{
  gsize w = 0;

  for (gsize r = 0; r < str->len; r++)
    {
      if ((guchar) str->str[r] == 0xC2 && r + 1 < str->len && (guchar) str->str[r + 1] == 0xA0)
        {
          str->str[w++] = ' ';
          r++;
        }
      else
        str->str[w++] = str->str[r];
    }
  g_string_truncate (str, w);
}

static void
decode_entities_into (GString    *out,
                      const char *s,
                      gsize       len)
{
  gsize mark = out->len;

  if (memchr (s, '&', len) == NULL)
    {
      g_string_append_len (out, s, len);
      return;
    }
  if (decode_entities_strict (out, s, len))
    {
      g_autoptr(GString) tail = g_string_new_len (out->str + mark, out->len - mark);

      nbsp_to_space (tail);
      g_string_truncate (out, mark);
      g_string_append_len (out, tail->str, tail->len);
    }
  else
    {
      g_string_truncate (out, mark);
      g_string_append_len (out, s, len);
    }
}

/* Media filenames
 * ------------------------------------------------------------------------ */

static gboolean
is_word_char (gunichar c)
{
  if (c == '_' || c == 0x200C || c == 0x200D || g_unichar_isalnum (c))
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_LETTER_NUMBER:
      return TRUE;
    default:
      return FALSE;
    }
}

typedef struct
{
  gsize name_start;
  gsize name_end;
  gsize end;
} MediaMatch;

/* `\b(?:src|data)\b=` followed by a double-quoted, single-quoted or bare
 * value and the rest of the tag, at @pos. */
static gboolean
media_attr_at (const char *s,
               gsize       len,
               gsize       pos,
               MediaMatch *m)
{
  const char *prev;
  gsize v;
  gssize q, gt;

  if (has_prefix_ci (s, len, pos, "src="))
    v = pos + 4;
  else if (has_prefix_ci (s, len, pos, "data="))
    v = pos + 5;
  else
    return FALSE;

  prev = g_utf8_find_prev_char (s, s + pos);
  if (prev != NULL && is_word_char (g_utf8_get_char (prev)))
    return FALSE;

  if (v < len && (s[v] == '"' || s[v] == '\''))
    {
      char quote[2] = { s[v], '\0' };

      q = find_str (s, len, v + 1, quote);
      if (q > (gssize) v + 1)
        {
          gt = find_str (s, len, q + 1, ">");
          if (gt >= 0)
            {
              m->name_start = v + 1;
              m->name_end = q;
              m->end = gt + 1;
              return TRUE;
            }
        }
    }

  /* bare value: everything up to a space or '>' */
  {
    gsize e = v;

    while (e < len && s[e] != ' ' && s[e] != '>')
      e++;
    if (e == v || e >= len)
      return FALSE;
    if (s[e] == '>')
      {
        m->end = e + 1;
      }
    else
      {
        gt = find_str (s, len, e + 1, ">");
        if (gt < 0)
          return FALSE;
        m->end = gt + 1;
      }
    m->name_start = v;
    m->name_end = e;
    return TRUE;
  }
}

typedef struct
{
  gsize pos;
  int   stage;
} MediaFrame;

/* The body of the media regex, `(?:[^>]|"[^"]+?"|'[^']+?')+?`, explored in
 * the same order as a backtracking engine would, with failed positions
 * remembered in @failed so the search stays linear. */
static gboolean
media_body_from (const char *s,
                 gsize       len,
                 gsize       start,
                 guint8     *failed,
                 GArray     *stack,
                 MediaMatch *m)
{
  MediaFrame first = { start, 1 };

  g_array_set_size (stack, 0);
  g_array_append_val (stack, first);

  while (stack->len > 0)
    {
      MediaFrame *f = &g_array_index (stack, MediaFrame, stack->len - 1);
      gsize pos = f->pos;
      MediaFrame next = { 0, 0 };

      if (f->stage == 0)
        {
          if (failed[pos >> 3] & (1 << (pos & 7)))
            {
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          if (media_attr_at (s, len, pos, m))
            return TRUE;
          f->stage = 1;
        }

      if (f->stage == 1)
        {
          f->stage = 2;
          if (pos < len && s[pos] != '>')
            {
              next.pos = pos + g_utf8_skip[(guchar) s[pos]];
              g_array_append_val (stack, next);
              continue;
            }
        }

      if (f->stage == 2)
        {
          f->stage = 3;
          if (pos < len && (s[pos] == '"' || s[pos] == '\''))
            {
              char quote[2] = { s[pos], '\0' };
              gssize q = find_str (s, len, pos + 1, quote);

              if (q > (gssize) pos + 1)
                {
                  next.pos = q + 1;
                  g_array_append_val (stack, next);
                  continue;
                }
            }
        }

      failed[pos >> 3] |= 1 << (pos & 7);
      g_array_set_size (stack, stack->len - 1);
    }
  return FALSE;
}

static void
replace_media_tags_into (GString    *out,
                         const char *s,
                         gsize       len)
{
  static const char *const names[] = { "img", "audio", "video", "object", "source" };
  g_autofree guint8 *failed = NULL;
  g_autoptr(GArray) stack = NULL;
  gsize copy_from = 0;
  gsize p = 0;

  while (p < len)
    {
      const char *lt = memchr (s + p, '<', len - p);
      gsize i, after = 0;
      MediaMatch m;

      if (lt == NULL)
        break;
      i = lt - s;
      p = i + 1;

      for (guint n = 0; n < G_N_ELEMENTS (names); n++)
        if (has_prefix_ci (s, len, i + 1, names[n]))
          {
            after = i + 1 + strlen (names[n]);
            break;
          }
      if (after == 0 || after >= len || is_word_char (g_utf8_get_char (s + after)))
        continue;

      if (failed == NULL)
        {
          failed = g_malloc0 (len / 8 + 1);
          stack = g_array_new (FALSE, FALSE, sizeof (MediaFrame));
        }
      if (!media_body_from (s, len, after, failed, stack, &m))
        continue;

      g_string_append_len (out, s + copy_from, i - copy_from);
      g_string_append_c (out, ' ');
      g_string_append_len (out, s + m.name_start, m.name_end - m.name_start);
      g_string_append_c (out, ' ');
      copy_from = p = m.end;
    }
  g_string_append_len (out, s + copy_from, len - copy_from);
}

/* Public stripping API
 * ------------------------------------------------------------------------ */

static GString *
strip_html_string (const char *s,
                   gsize       len)
{
  g_autoptr(GString) tags = g_string_sized_new (len);
  GString *out = g_string_sized_new (len);

  strip_tags_into (tags, s, len);
  decode_entities_into (out, tags->str, tags->len);
  return out;
}

char *
sd_html_text_strip_preserving_entities (const char *html)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (html, &tmp);
  GString *out = g_string_sized_new (strlen (s));

  strip_tags_into (out, s, strlen (s));
  return g_string_free (out, FALSE);
}

char *
sd_html_text_strip (const char *html)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (html, &tmp);

  return g_string_free (strip_html_string (s, strlen (s)), FALSE);
}

char *
sd_html_text_decode_entities (const char *text)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (text, &tmp);
  GString *out = g_string_sized_new (strlen (s));

  decode_entities_into (out, s, strlen (s));
  return g_string_free (out, FALSE);
}

static GString *
strip_preserving_media_string (const char *html)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (html, &tmp);
  gsize len = strlen (s);
  g_autoptr(GString) media = g_string_sized_new (len + 8);

  replace_media_tags_into (media, s, len);
  return strip_html_string (media->str, media->len);
}

char *
sd_html_text_strip_preserving_media (const char *html)
{
  return g_string_free (strip_preserving_media_string (html), FALSE);
}

char *
sd_html_text_sort_field (const char *field_html)
{
  return sd_html_text_strip_preserving_media (field_html);
}

guint32
sd_html_text_checksum (const char *text,
                       gssize      len)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  if (text == NULL)
    text = "";
  if (len < 0)
    len = strlen (text);
  g_checksum_update (sha1, (const guchar *) text, len);
  g_checksum_get_digest (sha1, digest, &digest_len);
  return ((guint32) digest[0] << 24) | ((guint32) digest[1] << 16)
         | ((guint32) digest[2] << 8) | (guint32) digest[3];
}

guint32
sd_html_text_field_checksum (const char *field_html)
{
  g_autoptr(GString) stripped = strip_preserving_media_string (field_html);

  /* The length matters: "&#0;" decodes to an embedded NUL. */
  return sd_html_text_checksum (stripped->str, stripped->len);
}

/**
 * sd_html_text_sort_field_and_checksum:
 * @checksum: (out): sd_html_text_field_checksum() of @field_html
 *
 * Both figures of a note whose sort field is its first field, stripping
 * the field once instead of twice.
 *
 * Returns: (transfer full): sd_html_text_sort_field() of @field_html
 */
char *
sd_html_text_sort_field_and_checksum (const char *field_html,
                                      guint32    *checksum)
{
  GString *stripped = strip_preserving_media_string (field_html);

  *checksum = sd_html_text_checksum (stripped->str, stripped->len);
  return g_string_free (stripped, FALSE);
}

/* `^(?:[[:space:]]|</?(?:br|div)\ ?/?>)*$`, case-insensitive: what Anki
 * considers an empty field. */
gboolean
sd_html_text_field_is_empty (const char *field_html)
{
  const char *s = field_html ? field_html : "";
  gsize len = strlen (s);
  gsize i = 0;

  while (i < len)
    {
      if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
        {
          i++;
          continue;
        }
      if (s[i] != '<')
        return FALSE;
      i++;
      if (i < len && s[i] == '/')
        i++;
      if (has_prefix_ci (s, len, i, "br"))
        i += 2;
      else if (has_prefix_ci (s, len, i, "div"))
        i += 3;
      else
        return FALSE;
      if (i < len && s[i] == ' ')
        i++;
      if (i < len && s[i] == '/')
        i++;
      if (i >= len || s[i] != '>')
        return FALSE;
      i++;
    }
  return TRUE;
}

/* Escaping
 * ------------------------------------------------------------------------ */

static const char *
minimal_entity (char c)
{
  switch (c)
    {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#x27;";
    default: return NULL;
    }
}

void
sd_html_text_append_escaped (GString    *out,
                             const char *text,
                             gssize      len)
{
  gsize run = 0;

  if (text == NULL)
    return;
  if (len < 0)
    len = strlen (text);
  for (gsize i = 0; i < (gsize) len; i++)
    {
      const char *e = minimal_entity (text[i]);

      if (e == NULL)
        continue;
      g_string_append_len (out, text + run, i - run);
      g_string_append (out, e);
      run = i + 1;
    }
  g_string_append_len (out, text + run, len - run);
}

/* Anki's attribute encoding: the minimal entities, and every other
 * character below U+0100 that is not an ASCII letter or digit as &#xHH;. */
void
sd_html_text_append_escaped_attribute (GString    *out,
                                       const char *text,
                                       gssize      len)
{
  g_autofree char *tmp = NULL;
  const char *p, *end;

  if (text == NULL)
    return;
  if (len < 0)
    len = strlen (text);
  if (!g_utf8_validate_len (text, len, NULL))
    {
      text = tmp = g_utf8_make_valid (text, len);
      len = strlen (text);
    }
  end = text + len;
  for (p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *e = c < 0x80 ? minimal_entity ((char) c) : NULL;

      if (e != NULL)
        g_string_append (out, e);
      else if (c < 0x100 && (c >= 0x80 || !g_ascii_isalnum ((char) c)))
        g_string_append_printf (out, "&#x%02X;", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
}

char *
sd_html_text_escape (const char *text)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (text, &tmp);
  GString *out = g_string_sized_new (strlen (s) + 16);

  sd_html_text_append_escaped (out, s, -1);
  return g_string_free (out, FALSE);
}

char *
sd_html_text_escape_attribute (const char *text)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (text, &tmp);
  GString *out = g_string_sized_new (strlen (s) * 2 + 16);

  sd_html_text_append_escaped_attribute (out, s, -1);
  return g_string_free (out, FALSE);
}

/* Audio/video tags
 * ------------------------------------------------------------------------ */

static gboolean
is_tag_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* `[anki:tts opt=val …]…[/anki:tts]` at @i; returns its end or 0. */
static gsize
match_tts_directive (const char *s,
                     gsize       len,
                     gsize       i)
{
  gsize j = i + strlen ("[anki:tts");
  gssize close;

  if (!g_str_has_prefix (s + i, "[anki:tts"))
    return 0;
  if (j < len && !is_tag_space (s[j]) && s[j] != ']')
    return 0;
  while (j < len && is_tag_space (s[j]))
    j++;

  /* options: key=value pairs, value bare or double-quoted */
  while (j < len && s[j] != ']')
    {
      gsize key = j;

      while (j < len && !is_tag_space (s[j]) && s[j] != ']' && s[j] != '=')
        j++;
      if (j == key || j >= len || s[j] != '=')
        return 0;
      j++;
      if (j < len && s[j] == '"')
        {
          gssize q = find_str (s, len, j + 1, "\"");

          if (q < 0)
            return 0;
          j = q + 1;
        }
      else
        {
          while (j < len && !is_tag_space (s[j]) && s[j] != ']' && s[j] != '"')
            j++;
        }
      while (j < len && is_tag_space (s[j]))
        j++;
    }
  if (j >= len)
    return 0;

  close = find_str (s, len, j + 1, "[/anki:tts]");
  if (close < 0)
    return 0;
  return close + strlen ("[/anki:tts]");
}

char *
sd_html_text_strip_av_tags (const char *text)
{
  g_autofree char *tmp = NULL;
  const char *s = valid_input (text, &tmp);
  gsize len = strlen (s);
  GString *out = g_string_sized_new (len);
  gsize copy_from = 0;
  gsize p = 0;

  while (p < len)
    {
      const char *br = memchr (s + p, '[', len - p);
      gsize i, end = 0;

      if (br == NULL)
        break;
      i = br - s;
      if (g_str_has_prefix (s + i, "[sound:"))
        {
          gsize name = i + strlen ("[sound:");
          gssize close = find_str (s, len, name, "]");

          if (close > (gssize) name)
            end = close + 1;
        }
      else
        end = match_tts_directive (s, len, i);

      if (end > 0)
        {
          g_string_append_len (out, s + copy_from, i - copy_from);
          copy_from = p = end;
        }
      else
        p = i + 1;
    }
  g_string_append_len (out, s + copy_from, len - copy_from);
  return g_string_free (out, FALSE);
}
